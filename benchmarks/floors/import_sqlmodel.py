"""Floor of any command: a process that does nothing but `import sqlmodel`."""

import sqlmodel  # noqa: F401
