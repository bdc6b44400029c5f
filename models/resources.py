"""Where the shipped files are (fonts, letter templates, rates, icon, licences), found one way.

Three layouts, tried in this order:
- the PyInstaller bundle: `resources/` beside the bundled modules, in `sys._MEIPASS`;
- a source checkout (or an editable install): `resources/` at the root of the checkout;
- an installed wheel (`pip install .`, `pipx install .`): pyproject.toml ships the folder as
  data files, under `<prefix>/share/relance/resources` (the venv's, or the user's prefix).
"""

from __future__ import annotations

import sys
import sysconfig
from functools import cache
from pathlib import Path

# The file every layout has: how a candidate folder is recognised as ours.
MARKER = "rates.csv"
WHEEL_SUBDIR = Path("share") / "relance" / "resources"


def candidates() -> list[Path]:
    """The folders that may hold the resources, most specific first."""
    found: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "resources")
    found.append(Path(__file__).resolve().parents[1] / "resources")
    for scheme in (None, sysconfig.get_preferred_scheme("user")):
        data = sysconfig.get_path("data") if scheme is None else sysconfig.get_path("data", scheme)
        if data:
            found.append(Path(data) / WHEEL_SUBDIR)
    return found


@cache
def resources_dir() -> Path:
    """The resources folder of this installation; FileNotFoundError names where it looked."""
    tried = candidates()
    for folder in tried:
        if (folder / MARKER).is_file():
            return folder
    raise FileNotFoundError(
        "ressources de Relance introuvables (cherchées dans : "
        + ", ".join(str(p) for p in tried)
        + ")"
    )


def resource_path(*parts: str) -> Path:
    """A shipped file or folder: resource_path('fonts', 'DejaVuSans.ttf')."""
    return resources_dir().joinpath(*parts)
