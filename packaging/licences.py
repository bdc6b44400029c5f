"""The licence files of every library the bundle ships, found in their installed metadata.

The spec copies them into the bundle's resources/licences/tiers/<distribution>/ so the texts
travel with the program (MIT and BSD ask that their notice go with every copy).
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import InvalidMarker, Marker

LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice|authors)", re.IGNORECASE)


def runtime_distributions(roots: list[str]) -> list[metadata.Distribution]:
    """The `roots` and everything they need at run time (extras left out), each once."""
    seen: dict[str, metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        for req in dist.requires or []:
            spec, _, marker = req.partition(";")
            if marker:
                try:
                    if not Marker(marker).evaluate({"extra": ""}):
                        continue
                except InvalidMarker:
                    continue
            todo.append(re.match(r"[A-Za-z0-9_.-]+", spec.strip()).group(0))
    return list(seen.values())


def declared_dependencies(pyproject: Path) -> list[str]:
    """The names in pyproject.toml's [project].dependencies (the installed metadata may be old)."""
    import tomllib

    with pyproject.open("rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    return [re.match(r"[A-Za-z0-9_.-]+", d).group(0) for d in deps]


def licence_datas(pyproject: Path, dest: str = "resources/licences/tiers") -> list[tuple[str, str]]:
    """(file, bundle folder) pairs for PyInstaller's `datas`: libraries, Python, PyInstaller."""
    pairs = []
    shipped = runtime_distributions(["relance", *declared_dependencies(pyproject)])
    # PyInstaller's own deps stay at build time; only its launcher ships.
    for dist in [*shipped, metadata.distribution("pyinstaller")]:
        name = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
        for f in dist.files or []:
            if ".dist-info" in str(f) and LICENCE_FILE.search(f.name):
                pairs.append((str(dist.locate_file(f)), f"{dest}/{name}"))
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    python_licence = Path(sys.base_prefix) / "lib" / version / "LICENSE.txt"
    if not python_licence.is_file():  # Windows and macOS framework layouts
        python_licence = Path(sys.base_prefix) / "LICENSE.txt"
    if python_licence.is_file():
        pairs.append((str(python_licence), f"{dest}/python"))
    return pairs
