"""Build Relance for people who never open a terminal: bundle, archive and (Linux) .deb.

`python packaging/build.py` (what `./relance package` runs), from a venv holding Relance
(`pip install -e ".[pdf,package]"`): icons from the SVG, the PyInstaller one-folder bundle
dist/Relance/, the archive dist/relance-<version>-<os>-<arch>.tar.gz (.zip on Windows), and on
Linux dist/relance_<version>_amd64.deb through packaging/deb.py.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"
SYSTEMS = {"linux": "linux", "win32": "windows", "darwin": "macos"}


def archive_name(ver: str) -> str:
    """relance-0.1.0-linux-x86_64 (without its extension)."""
    system = SYSTEMS.get(sys.platform, sys.platform)
    return f"relance-{ver}-{system}-{platform.machine().lower().replace('amd64', 'x86_64')}"


def run_pyinstaller() -> Path:
    """dist/Relance (dist/Relance.app beside it on macOS), built afresh from the spec."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(ROOT / "packaging" / "relance.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    return DIST / "Relance"


def strip_python(bundle: Path) -> None:
    """Drop the debug symbols some Python builds (pyenv) leave in libpython and its modules.

    Only Python's files: Qt's libraries stay as shipped (already stripped, and replaceable).
    """
    strip = shutil.which("strip")
    if strip is None or not sys.platform.startswith("linux"):
        return
    internal = bundle / "_internal"
    files = [*internal.glob("libpython*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    files = [f for f in files if f.is_file() and not f.is_symlink()]
    if files:
        subprocess.run([strip, "--strip-debug", *map(str, files)], check=True)


def make_archive(bundle: Path, ver: str) -> Path:
    """The bundle folder in one file, to download and unpack anywhere."""
    name = archive_name(ver)
    if sys.platform == "darwin":  # what a Mac user opens is the .app beside the folder
        bundle = bundle.with_suffix(".app")
    if sys.platform == "win32":
        return Path(shutil.make_archive(str(DIST / name), "zip", DIST, bundle.name))
    dest = DIST / f"{name}.tar.gz"
    with tarfile.open(dest, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name)
    return dest


def main() -> int:
    """Build everything this platform can; print what was written and how long it took."""
    start = time.monotonic()
    ver = version("relance")
    sys.path.insert(0, str(ROOT / "packaging"))
    import make_icons

    icons = BUILD / "icons"
    shutil.rmtree(icons, ignore_errors=True)
    make_icons.main([str(icons)])
    bundle = run_pyinstaller()
    strip_python(bundle)
    made = [bundle, make_archive(bundle, ver)]
    if sys.platform.startswith("linux"):
        import deb

        made.append(deb.build_deb(bundle, icons, ver, DIST))
    for path in made:
        print(f"écrit : {path.relative_to(ROOT)}")
    print(f"durée : {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
