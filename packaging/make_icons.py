"""Draw Relance's icon from resources/icons/relance.svg: PNGs 16-512 px, and .ico/.icns for builds.

`python packaging/make_icons.py OUT_DIR` writes OUT_DIR/hicolor/<n>x<n>/apps/relance.png (the
Linux theme layout) and, when Pillow is installed, OUT_DIR/relance.ico and OUT_DIR/relance.icns.
Qt's own SVG renderer draws the pictures (QtSvg ships in PySide6-Essentials), offscreen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "relance.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # the .ico format stops at 256


def render_pngs(out: Path, svg: Path = SVG) -> list[Path]:
    """One PNG per size in the hicolor layout; the paths written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icône illisible : {svg}")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        dest = out / "hicolor" / f"{size}x{size}" / "apps" / "relance.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(dest)):
            raise SystemExit(f"impossible d'écrire {dest}")
        written.append(dest)
    return written


def write_ico_icns(out: Path) -> list[Path]:
    """relance.ico (Windows) and relance.icns (macOS) from the 512 px PNG, with Pillow."""
    try:
        from PIL import Image
    except ImportError:
        print("Pillow absent : pas de .ico ni de .icns (inutiles sous Linux)", file=sys.stderr)
        return []
    big = Image.open(out / "hicolor" / "512x512" / "apps" / "relance.png")
    ico, icns = out / "relance.ico", out / "relance.icns"
    big.save(ico, sizes=[(s, s) for s in ICO_SIZES])
    big.save(icns)
    return [ico, icns]


def main(argv: list[str]) -> int:
    """Write every icon file into the folder given (default build/icons)."""
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    made = render_pngs(out) + write_ico_icns(out)
    print(f"{len(made)} fichiers d'icône dans {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
