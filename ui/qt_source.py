"""PySide6 without its copy of every module's source: 25 MB and a tenth of a second at start.

PySide6 looks at each module imported after it for the word "PySide6" (its `__feature__`
switches, PYSIDE-2029) through `inspect.getsource`, which keeps every file's lines in
`linecache` for good: about 580 modules, 24 MB, for the window's imports. The same test is
made here on the file's bytes, read and let go; a module without a .py file is asked the usual
way. Relance uses no `__feature__`, so the answers matter little, but they stay the same.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401 (loads the import hook this module adjusts)


def _reads_bytes(asked: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """PySide6's "does this module use PySide6?" on the file's bytes, else as `asked` does."""

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return asked(module)

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    return uses_pyside


def install() -> bool:
    """Make PySide6's check read bytes and drop the lines it kept so far; False if this
    PySide6 has no such check (another version: nothing to do)."""
    feature = sys.modules.get("shibokensupport.feature")
    asked = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or asked is None:
        return False
    if not getattr(asked, "reads_bytes", False):
        feature._mod_uses_pyside = _reads_bytes(asked)  # type: ignore[attr-defined]
        linecache.clearcache()
    return True


install()
