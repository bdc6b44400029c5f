"""The dossier PDF whole: the generated pages, then every piece stamped "Pièce n° X".

PDF pieces are merged page by page (pypdf), images are placed on an A4 page, e-mails (.eml)
and text files are printed as text; a file that cannot be reproduced (office document, .msg)
gets one page saying it is handed over as a file. Each piece page gets its stamp in the top
margin and the outline has one entry per piece. Every piece is read before anything is
written, and the file is written whole (models/files.py): a corrupt or encrypted PDF gives a
French message naming the piece and leaves no file behind.
"""

from __future__ import annotations

import email
import email.policy
import html
import io
import re
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from models.errors import InputError
from models.files import atomic_write
from models.litigation.case import ClaimFile
from models.litigation.pieces import PieceRow
from reports.base import para, styles
from reports.dossier import MARGIN, SECTIONS, render_front
from reports.fonts import FONT, FONT_BOLD, register_fonts

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"})
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".md"})
STAMP_TOP = 12 * mm  # room kept above an image or a text for the stamp
_NO_A85 = threading.Lock()  # rl_config is global: one image page at a time changes it
TEXT_LIMIT = 200_000  # characters of an e-mail or text printed (a log file is not a letter)


@dataclass(frozen=True)
class DossierResult:
    """What was written: page count and each piece's first page (0-based), in order."""

    path: Path
    pages: int
    piece_starts: tuple[int, ...]


def stamp_label(number: int) -> str:
    """The text stamped on each page of piece `number`."""
    return f"Pièce n° {number}"


def _problem(p: PieceRow, number: int, why: str) -> InputError:
    return InputError(f"pièce n° {number} « {p.title} » ({p.path}) : {why} ; dossier non créé")


def _pdf_pages(p: PieceRow, number: int) -> list[PageObject]:
    """The pages of a PDF piece; InputError when encrypted or unreadable."""
    try:
        reader = PdfReader(p.path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _problem(
                p, number, "PDF protégé par un mot de passe ; joignez-en une copie non protégée"
            )
        pages = list(reader.pages)
        for page in pages:
            page.get_contents()  # parse now: a broken stream fails here, not mid-write
            _ = page.mediabox.width
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a damaged file
        raise _problem(p, number, f"PDF illisible ou endommagé ({exc.__class__.__name__})") from exc
    if not pages:
        raise _problem(p, number, "PDF sans aucune page")
    return pages


def _image_pdf(p: PieceRow, number: int) -> bytes:
    """An image on an A4 page, scaled to fit the margins (never enlarged past 2x)."""
    try:
        image = ImageReader(str(p.path))
        w, h = image.getSize()
    except Exception as exc:
        raise _problem(p, number, f"image illisible ({exc.__class__.__name__})") from exc
    out = io.BytesIO()
    box_w, box_h = A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN - STAMP_TOP
    scale = min(box_w / w, box_h / h, 2.0)
    dw, dh = w * scale, h * scale
    # A JPEG given by its path is embedded as it is; reportlab's pure-Python ASCII85 layer
    # would take seconds per scan (measured: 2.3 s for a 2000x1400 scan), so it is off here.
    source = str(p.path) if p.path.suffix.lower() in (".jpg", ".jpeg") else image
    with _NO_A85:
        saved, rl_config.useA85 = rl_config.useA85, 0
        try:
            canv = Canvas(out, pagesize=A4)
            canv.drawImage(source, (A4[0] - dw) / 2, MARGIN + (box_h - dh), dw, dh)
            canv.showPage()
            canv.save()
        finally:
            rl_config.useA85 = saved
    return out.getvalue()


def _html_text(body: str) -> str:
    """A readable text from an HTML e-mail body (tags dropped, entities decoded)."""
    body = re.sub(r"(?is)<(script|style).*?</\1>", "", body)
    body = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _eml_text(path: Path) -> tuple[list[tuple[str, str]], str, list[str]]:
    """Headers, plain text and attachment names of an e-mail file."""
    with path.open("rb") as fh:
        msg = email.message_from_binary_file(fh, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    headers = [
        (k, str(msg.get(h, "")))
        for k, h in (
            ("De", "From"),
            ("À", "To"),
            ("Cc", "Cc"),
            ("Date", "Date"),
            ("Objet", "Subject"),
        )
    ]
    part = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if part is not None:
        content = part.get_content()
        text = _html_text(content) if part.get_content_type() == "text/html" else content
    names = [a.get_filename() or "sans nom" for a in msg.iter_attachments()]
    return [(k, v) for k, v in headers if v], str(text), names


def _text_pdf(title: str, headers: list[tuple[str, str]], text: str, extra: list[str]) -> bytes:
    """Headers and text laid out on A4 pages (room for the stamp kept at the top)."""
    st = styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + STAMP_TOP,
        bottomMargin=MARGIN,
        initialFontName=FONT,
    )
    story: list[Flowable] = [para(title, st.heading)]
    story += [para(v, st.body_left, markup=f"<b>{k} :</b> ") for k, v in headers]
    story.append(Spacer(1, 4 * mm))
    story += [para(line or " ", st.body_left) for line in text[:TEXT_LIMIT].splitlines()]
    story += [para(x, st.small) for x in extra]
    doc.build(story)
    return out.getvalue()


def _reader_pages(data: bytes) -> list[PageObject]:
    return list(PdfReader(io.BytesIO(data)).pages)


def piece_pages(p: PieceRow, number: int) -> list[PageObject]:
    """The pages that reproduce one piece; InputError naming it when it cannot be read."""
    if not p.exists:
        raise _problem(p, number, "fichier introuvable")
    suffix = p.path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_pages(p, number)
    if suffix in IMAGE_SUFFIXES:
        return _reader_pages(_image_pdf(p, number))
    try:
        if suffix == ".eml":
            headers, text, names = _eml_text(p.path)
            extra = [f"Pièce jointe au message : {n}" for n in names]
            return _reader_pages(_text_pdf(f"E-mail — {p.title}", headers, text, extra))
        if suffix in TEXT_SUFFIXES:
            text = p.path.read_text(encoding="utf-8", errors="replace")
            return _reader_pages(_text_pdf(p.title, [], text, []))
    except (OSError, ValueError, LookupError) as exc:
        raise _problem(p, number, f"fichier illisible ({exc.__class__.__name__})") from exc
    note = (
        f"Ce fichier ({suffix or 'sans extension'}) ne peut pas être reproduit dans ce PDF : "
        "il est remis tel quel avec le dossier (archive ZIP)."
    )
    return _reader_pages(_text_pdf(p.title, [("Type", p.kind)], note, []))


def _stamps(
    sizes: list[tuple[float, float]],
    labels: list[str],
    origins: list[tuple[float, float]],
) -> list[PageObject]:
    """One overlay page per piece page: the label in a framed box in the top-right margin.

    `origins`: each page's mediabox lower-left corner (a scan may not start at 0, 0).
    """
    register_fonts()
    out = io.BytesIO()
    canv = Canvas(out)
    for (w, h), label, (x0, y0) in zip(sizes, labels, origins, strict=True):
        canv.setPageSize((w, h))
        canv.translate(x0, y0)
        canv.setFont(FONT_BOLD, 10)
        text_w = canv.stringWidth(label, FONT_BOLD, 10)
        x, y = w - 8 * mm - text_w, h - 9 * mm
        canv.setFillColorRGB(1, 1, 1)
        canv.setStrokeColorRGB(0.6, 0.1, 0.1)
        canv.rect(x - 2 * mm, y - 1.6 * mm, text_w + 4 * mm, 6 * mm, fill=1, stroke=1)
        canv.setFillColorRGB(0.6, 0.1, 0.1)
        canv.drawString(x, y, label)
        canv.showPage()
    canv.save()
    return list(PdfReader(io.BytesIO(out.getvalue())).pages)


def build_dossier(claim: ClaimFile, path: Path) -> DossierResult:
    """Write the dossier PDF at `path` whole, or nothing (InputError naming a bad piece)."""
    pieces = list(claim.pieces)
    per_piece = [piece_pages(p, n) for n, p in enumerate(pieces, start=1)]
    front, sections = render_front(claim, pieces)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    first = len(writer.pages)
    placed: list[tuple[int, PageObject]] = []  # (piece number, page in the writer)
    starts = []
    for number, (p, pages) in enumerate(zip(pieces, per_piece, strict=True), start=1):
        starts.append(len(writer.pages))
        for page in pages:
            try:
                added = writer.add_page(page)
                # A page turned by /Rotate: turn its content instead, so the stamp lands at
                # the top of the page as it is read.
                if added.rotation % 360:
                    added.transfer_rotation_to_content()
            except Exception as exc:
                raise _problem(p, number, f"page illisible ({exc.__class__.__name__})") from exc
            placed.append((number, added))
    stamps = _stamps(
        [(float(pg.mediabox.width), float(pg.mediabox.height)) for _, pg in placed],
        [stamp_label(n) for n, _ in placed],
        [(float(pg.mediabox.left), float(pg.mediabox.bottom)) for _, pg in placed],
    )
    for (number, page), stamp in zip(placed, stamps, strict=True):
        try:
            page.merge_page(stamp)
        except Exception as exc:
            p = pieces[number - 1]
            raise _problem(p, number, f"page illisible ({exc.__class__.__name__})") from exc
    for title in SECTIONS:
        if title in sections:
            writer.add_outline_item(title=title, page_number=sections[title])
    if pieces:
        parent = writer.add_outline_item(title="Pièces", page_number=first)
        for number, (p, start) in enumerate(zip(pieces, starts, strict=True), start=1):
            writer.add_outline_item(
                title=f"{stamp_label(number)} — {p.title}", page_number=start, parent=parent
            )
    writer.add_metadata(
        {
            "/Title": f"Dossier de recouvrement — {claim.client.name}",
            "/Author": claim.company.name,
            "/Creator": "Relance",
        }
    )
    atomic_write(path, writer.write)
    return DossierResult(Path(path), len(writer.pages), tuple(starts))
