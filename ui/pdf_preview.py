"""Show a PDF inside the app (QtPdf), with page images from pdftoppm or a message as fallbacks."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.ops import tr

try:  # QtPdf ships in the PySide6-Pdf (or -Addons) wheel, the `pdf` extra of pyproject.toml
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installed wheels
    QPdfDocument = None  # type: ignore[assignment,misc]
    QPdfView = None  # type: ignore[assignment,misc]

HAS_QTPDF = QPdfDocument is not None
PREVIEW_DPI = 110


class LoadedPdf:
    """A QPdfDocument read from bytes; keeps the buffer alive as long as the document."""

    def __init__(self, pdf: bytes, parent: QWidget | None = None) -> None:
        if QPdfDocument is None:
            raise RuntimeError("QtPdf indisponible")
        self.data = QByteArray(pdf)
        self.buffer = QBuffer(self.data)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    def page_count(self) -> int:
        """Number of pages (0 when the bytes are not a readable PDF)."""
        return int(self.document.pageCount())

    def page_image(self, page: int, dpi: int) -> QImage:
        """One page rendered at `dpi` dots per inch (the PDF's size is in points, 72 per inch)."""
        points = self.document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        return self.document.render(page, size)

    def close(self) -> None:
        """Release the document and its buffer."""
        self.document.close()
        self.buffer.close()


def poppler_images(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[QImage]:
    """Page images through poppler's pdftoppm, when QtPdf is missing; [] if it is absent too."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        return []
    with tempfile.TemporaryDirectory(prefix="relance-apercu-") as tmp:
        source = Path(tmp) / "lettre.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            [exe, "-png", "-r", str(dpi), str(source), str(Path(tmp) / "p")],
            capture_output=True,
            check=False,
            timeout=60,
        )
        if result.returncode != 0:
            return []
        return [QImage(str(p)) for p in sorted(Path(tmp).glob("p*.png"))]


class PdfPreview(QWidget):
    """A read-only view of PDF bytes: QPdfView, else page images, else a message saying why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: LoadedPdf | None = None
        self._pages = 0
        self._stack = QStackedLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self.message)
        self.view: QWidget | None = None
        if QPdfView is not None:
            view = QPdfView(self)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            view.setPageSpacing(12)
            self.view = view
            self._stack.addWidget(view)
        self.images = QWidget()
        self._images_layout = QVBoxLayout(self.images)
        self._images_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.images)
        self._stack.addWidget(self.scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._stack)

    @property
    def technique(self) -> str:
        """How pages are shown: 'qtpdf', 'pdftoppm' or 'message'."""
        current = self._stack.currentWidget()
        if self.view is not None and current is self.view:
            return "qtpdf"
        return "pdftoppm" if current is self.scroll else "message"

    def page_count(self) -> int:
        """Pages of the PDF shown (0 when only a message is)."""
        return self._pages

    def set_pdf(self, pdf: bytes) -> None:
        """Show these PDF bytes from the first page."""
        self.clear()
        if HAS_QTPDF and isinstance(self.view, QPdfView):
            self._loaded = LoadedPdf(pdf, self)
            self._pages = self._loaded.page_count()
            if self._pages:
                self.view.setDocument(self._loaded.document)
                self._stack.setCurrentWidget(self.view)
                return
            self.show_message(tr("Ce PDF n'a pas pu être affiché."))
            return
        images = poppler_images(pdf)
        if images:
            self._pages = len(images)
            for image in images:
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(image))
                label.setStyleSheet("border: 1px solid #999; background: white;")
                self._images_layout.addWidget(label)
            self._stack.setCurrentWidget(self.scroll)
            return
        self.show_message(
            tr(
                "L'aperçu n'est pas disponible sur cet ordinateur (module QtPdf "
                "absent) : enregistrez le PDF pour le relire."
            )
        )

    def show_message(self, text: str) -> None:
        """Replace the pages by a message (an error, or no preview possible)."""
        self.clear()
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)

    def clear(self) -> None:
        """Drop the document shown."""
        if self._loaded is not None:
            self._loaded.close()
            self._loaded.document.deleteLater()
            self._loaded = None
        while self._images_layout.count():
            item = self._images_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._pages = 0


class PreviewPage(QWizardPage):
    """The PDF exactly as it will be printed or sent."""

    def __init__(self, render: Callable[[], bytes]) -> None:
        super().__init__()
        self._render = render
        self._ok = False
        self.setTitle(tr("Aperçu"))
        self.setSubTitle(tr("Relisez la lettre telle qu'elle sera imprimée ou envoyée."))
        self.preview = PdfPreview()
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)

    def initializePage(self) -> None:
        """Render the letter and show it."""
        try:
            self.preview.set_pdf(self._render())
            self._ok = self.preview.page_count() > 0 or self.preview.technique == "message"
        except ValueError as exc:  # InputError included
            self.preview.show_message(tr("La lettre ne peut pas être produite : {e}").format(e=exc))
            self._ok = False
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Only a letter that rendered can be sent."""
        return self._ok
