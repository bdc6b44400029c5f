"""Screenshots of every settings page and of the rate banner, on the demo data.

Usage: `python -m ui.screenshots.settings docs/screenshots` (offscreen, or under `xvfb-run -a`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from models.demo import build_demo
from models.store.ledger import Ledger
from ui.ops import Ops
from ui.screenshots import run, settle, shoot
from ui.settings.dialog import SettingsDialog
from ui.window.rate_banner import RateBanner

DAY = dt.date(2026, 11, 23)  # a 2nd half-year with no shipped rate: the banner shows
NOW = dt.datetime(2026, 11, 23, 14, 5)


def sample_image(path: Path, text: str, width: int, height: int, script: bool) -> Path:
    """A small PNG standing for a logo (a coloured mark) or a signature (a scribble)."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if script:
        p.setPen(QPen(QColor("#1c2f6b"), 3))
        p.setFont(QFont("DejaVu Serif", int(height * 0.3), italic=True))
        p.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, text)
        p.drawLine(int(width * 0.15), int(height * 0.85), int(width * 0.85), int(height * 0.8))
    else:
        p.setBrush(QColor("#b5472a"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QRectF(4, 4, height - 8, height - 8))
        p.setPen(QColor("#333333"))
        p.setFont(QFont("DejaVu Sans", int(height * 0.3), QFont.Weight.Bold))
        p.drawText(
            QRectF(height + 6, 0, width - height, height), Qt.AlignmentFlag.AlignVCenter, text
        )
    p.end()
    image.save(str(path))
    return path


def main(argv: list[str]) -> int:
    """Build the demo in a temporary file, save the six PNGs (a QApplication must be running)."""
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="relance-captures-") as tmp:
        ledger = Ledger.open(str(Path(tmp) / "relance.sqlite"))
        build_demo(ledger, DAY)
        ledger.save_logo(sample_image(Path(tmp) / "logo.png", "Atelier", 360, 120, False))
        ledger.save_signature(sample_image(Path(tmp) / "sig.png", "C. Exemple", 420, 110, True))
        ledger.set_setting("contractual_penalty_rate", "7,5")
        for hour in (9, 14):
            ledger.backup_now(NOW.replace(day=21, hour=hour))
        ledger.restore_backup(ledger.backups()[0], NOW.replace(minute=2))
        ledger.backup_now(NOW)
        ops = Ops(ledger, today=lambda: DAY)

        dialog = SettingsDialog(ops)
        dialog.pages["backups"].now = lambda: NOW  # type: ignore[attr-defined]
        for key in ("company", "policy", "rates", "templates", "backups"):
            dialog.show_page(key)
            if key == "policy":
                dialog.pages["policy"].table.setCurrentCell(3, 0)  # type: ignore[attr-defined]
            if key == "backups":
                dialog.pages["backups"].table.selectRow(1)  # type: ignore[attr-defined]
            if key == "templates":
                page = dialog.pages["templates"]
                page.kind_combo.setCurrentIndex(1)  # type: ignore[attr-defined]
            if key == "templates":
                settle(1.0)  # QPdfView renders its pages after the event loop turns
            shoot(dialog, out / f"settings_{key}.png", 1180, 760)

        banner = RateBanner(ops)
        shoot(banner, out / "rate_banner.png", 900, banner.sizeHint().height())
        dialog.close()
        ledger.close()
    return 0


if __name__ == "__main__":
    run(main)
