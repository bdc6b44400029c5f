"""The EPC (SEPA) QR code drawn as vector squares, so it prints sharp at any resolution."""

from __future__ import annotations

import segno
from reportlab.lib.colors import black
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border a QR code reader needs (ISO/IEC 18004)


class QrCode(Flowable):  # type: ignore[misc]
    """A square QR code of `size` points; error correction M, as EPC069-12 requires."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        code = segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8")
        self.rows = [list(row) for row in code.matrix]
        self.size = size
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Its fixed size."""
        return self.size, self.size

    def draw(self) -> None:
        """One rectangle per horizontal run of dark modules (a small PDF, no gaps)."""
        count = len(self.rows) + 2 * QUIET_ZONE
        module = self.size / count
        canvas = self.canv
        canvas.setFillColor(black)
        for y, row in enumerate(self.rows):
            x = 0
            while x < len(row):
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                canvas.rect(
                    (start + QUIET_ZONE) * module,
                    self.size - (y + 1 + QUIET_ZONE) * module,
                    (x - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
