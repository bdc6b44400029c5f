"""Letters as PDF: reminders, formal notice, payment-plan agreement, penalty statement."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table

from models.company import mediator_mention
from models.letters.documents import LetterData
from models.letters.kinds import LETTER_KINDS
from reports.base import NumberedCanvas, esc, para, styles, table_style
from reports.letter_tables import (
    VAT_NOTE,
    invoice_table,
    money_block,
    penalty_tables,
)
from reports.page import WINDOW, LetterDocTemplate, Window, place_date_line, start_letter_flowables

DEFAULT_TITLES = {
    "preventive": "Rappel d'échéance",
    "reminder_1": "Relance de paiement",
    "reminder_2": "Deuxième relance",
    "reminder_3": "Dernière relance avant poursuites",
    "formal_notice": "MISE EN DEMEURE DE PAYER",
    "payment_plan": "Accord d'échéancier de paiement",
    "penalty_statement": "Décompte des pénalités de retard",
}
SIGNATURE_MAX = (45 * mm, 20 * mm)
BARE = [  # a layout table: cells side by side, no padding
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
]


def render_letter(data: LetterData, window: Window = WINDOW) -> bytes:
    """One letter as PDF bytes, its address placed for a window envelope."""
    return render_letters([data], window)


def render_letters(items: Sequence[LetterData], window: Window = WINDOW) -> bytes:
    """Several letters in one PDF; each starts on a new page and numbers its own pages."""
    if not items:
        raise ValueError("aucune lettre à imprimer")
    story: list[Flowable] = []
    for index, data in enumerate(items):
        if data.kind not in LETTER_KINDS:
            raise ValueError(f"type de lettre inconnu : « {data.kind} »")
        if index:
            story += start_letter_flowables(index)
        story += letter_story(data)
    out = io.BytesIO()
    doc = LetterDocTemplate(out, items, window)
    doc.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


def letter_title(data: LetterData) -> str:
    """The title as printed; a formal notice always says 'MISE EN DEMEURE' (C. civ. 1344)."""
    title = data.title.strip() or DEFAULT_TITLES[data.kind]
    if data.kind == "formal_notice":
        title = title.upper()
        if "MISE EN DEMEURE" not in title:
            title = f"MISE EN DEMEURE — {title}"
    return title


def letter_story(data: LetterData) -> list[Flowable]:
    """The flowing part of one letter, from the date line to the signature."""
    s = styles()
    place = data.place or data.company.city
    refs = []
    if data.our_ref:
        refs.append("Nos réf.\u00a0: " + esc(data.our_ref))
    if data.your_ref:
        refs.append("Vos réf.\u00a0: " + esc(data.your_ref))
    date_line = para(place_date_line(place, data.date), s.right)
    story: list[Flowable] = [
        Table(
            [[Paragraph("<br/>".join(refs), s.body_left), date_line]],
            colWidths=[95 * mm, 75 * mm],
            style=table_style([*BARE, ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]),
        )
    ]
    if data.subject:
        story.append(para(data.subject, s.body_left, markup="<b>Objet\u00a0:</b> "))
    story += [Spacer(1, 2 * mm), para(letter_title(data), s.title)]
    story += [para(text, s.body) for text in data.paragraphs]
    statement = data.statement
    if statement.lines:
        story += [Spacer(1, 2 * mm), invoice_table(statement.lines)]
    if data.kind == "penalty_statement":
        story += [Spacer(1, 2 * mm), *penalty_tables(statement)]
    # What follows the tables stays together: the totals, the plan, the payment details, the
    # closing and the signature, so a second page never holds the signature alone.
    tail: list[Flowable] = []
    tail += money_block(data)
    notes = list(data.notes)
    if data.b2c and (mediator := mediator_mention(data.company)):
        notes.append(mediator)  # C. conso. L616-1: a consumer is told of the mediator
    if data.kind == "penalty_statement" and statement.indemnity > 0:
        notes.append(VAT_NOTE)
    if notes:
        tail.append(Spacer(1, 2 * mm))
        tail += [para(note, s.small) for note in notes]
    tail += [Spacer(1, 3 * mm), signature(data)]
    if data.enclosures:  # the formal notice ends with what it encloses
        tail += [Spacer(1, 2 * mm), enclosure_list(data.enclosures)]
    story.append(KeepTogether(tail))
    return story


def enclosure_list(items: tuple[str, ...]) -> Table:
    """'Pièces jointes :' then the items in two columns (the list stays short on the page)."""
    s = styles()
    cells = [Paragraph(f"– {esc(item)}", s.small) for item in items]
    half = (len(cells) + 1) // 2
    rows = [[cells[i], cells[i + half] if i + half < len(cells) else ""] for i in range(half)]
    head = Paragraph("<b>Pièces jointes :</b>", s.small)
    commands = [*BARE, ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    return Table([[head, ""], *rows], colWidths=[85 * mm, 85 * mm], style=table_style(commands))


def _signature_image(path: str) -> Image | None:
    """The scanned signature scaled into 45x20 mm, or None when absent or unreadable."""
    if not path or not Path(path).is_file():
        return None
    try:
        width, height = ImageReader(path).getSize()
    except (OSError, ValueError):
        return None
    scale = min(SIGNATURE_MAX[0] / width, SIGNATURE_MAX[1] / height)
    image = Image(path, width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _signatory_lines(data: LetterData) -> list[Flowable]:
    s = styles()
    names = data.signature_block or ((data.company.signatory,) if data.company.signatory else ())
    return [para(line, s.signature) for line in names]


def signature(data: LetterData) -> Flowable:
    """The closing formula on the left half, the sender's signature on the right half.

    Side by side, so the closing and the signature always stand together (and a letter about
    three invoices keeps to one page).
    """
    cell: list[Flowable] = []
    image = _signature_image(data.company.signature_path)
    if image is not None:
        cell.append(image)
    cell += _signatory_lines(data)
    if not cell:
        cell.append(para(data.company.name, styles().body_left))
    closing = [para(data.closing, styles().body_left)] if data.closing else ""
    commands = [*BARE, ("RIGHTPADDING", (0, 0), (0, 0), 8 * mm)]
    return Table([[closing, cell]], colWidths=[95 * mm, 75 * mm], style=table_style(commands))
