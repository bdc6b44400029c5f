"""The Debian/Ubuntu package: the bundle under /opt/relance, a `relance` command, menu entry, icons.

Built with dpkg-deb alone. Removing the package removes the program only: the user's database and
backups live in their home folder (~/.local/share/Relance), which the package never lists, so
dpkg never touches them. The menu and icon caches are refreshed by the triggers of
desktop-file-utils and hicolor-icon-theme: no maintainer script is needed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG = HERE.parent / "resources" / "icons" / "relance.svg"
DEPENDS_FILE = HERE / "deb-depends"  # also read by ./relance to install them before tests


def depends() -> str:
    """The Depends field: the system libraries the bundle uses in place, one a line in the file."""
    lines = DEPENDS_FILE.read_text("utf-8").splitlines()
    return ", ".join(s.strip() for s in lines if s.strip() and not s.startswith("#"))


RECOMMENDS = "poppler-utils"


def control(ver: str, installed_kib: int) -> str:
    """DEBIAN/control."""
    return (
        "Package: relance\n"
        f"Version: {ver}\n"
        "Architecture: amd64\n"
        "Maintainer: Relance <contact@relance.invalid>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends()}\n"
        f"Recommends: {RECOMMENDS}\n"
        "Section: office\n"
        "Priority: optional\n"
        "Description: suivi des factures impayées et relances\n"
        " Relance aide les petites entreprises françaises à suivre leurs factures\n"
        " impayées : relances, mises en demeure, pénalités de retard, balance âgée.\n"
    )


def build_deb(bundle: Path, icons: Path, ver: str, dist: Path) -> Path:
    """dist/relance_<ver>_amd64.deb from the bundle folder and the generated icons."""
    dest = dist / f"relance_{ver}_amd64.deb"
    with tempfile.TemporaryDirectory(prefix="relance-deb-") as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(bundle, root / "opt" / "relance", symlinks=True)
        (root / "usr" / "bin").mkdir(parents=True)
        # PyInstaller's launcher finds its folder through /proc/self/exe: a link is enough.
        os.symlink("/opt/relance/relance", root / "usr" / "bin" / "relance")
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        shutil.copy(HERE / "relance.desktop", apps / "relance.desktop")
        hicolor = root / "usr" / "share" / "icons" / "hicolor"
        shutil.copytree(icons / "hicolor", hicolor)
        (hicolor / "scalable" / "apps").mkdir(parents=True)
        shutil.copy(SVG, hicolor / "scalable" / "apps" / "relance.svg")
        doc = root / "usr" / "share" / "doc" / "relance"
        doc.mkdir(parents=True)
        shutil.copy(HERE.parent / "resources" / "licences" / "LISEZMOI.txt", doc / "copyright")
        for path in root.rglob("*"):  # dpkg wants 0755 folders and no group-writable file
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            path.chmod(0o755 if path.is_dir() or mode & 0o111 else 0o644)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
        (root / "DEBIAN").mkdir()
        (root / "DEBIAN" / "control").write_text(control(ver, (size + 1023) // 1024), "utf-8")
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "-z2", "--build", str(root), str(dest)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return dest
