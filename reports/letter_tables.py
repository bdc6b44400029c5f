"""The tables of a letter: invoices, totals, penalty periods, instalments, payment means."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from models.letters.documents import Company, InstalmentLine, LetterData
from models.letters.epc import TransferRequest, epc_payload
from models.letters.statement import INDEMNITY, PENALTIES, PRINCIPAL, Statement, StatementLine
from models.money import format_eur, format_rate, quantize
from reports.base import (
    RULE,
    ZEBRA,
    esc,
    grid_style,
    long_date_fr,
    para,
    short_date_fr,
    styles,
    table_style,
    total_row_style,
)
from reports.qr import QrCode

QR_SIZE = 22 * mm  # EPC QR codes print from about 2 cm
TOTALS_WIDTH = 78 * mm
LEFT_WIDTH = 170 * mm - TOTALS_WIDTH - 4 * mm
WHITE = "#ffffff"
NIL = "–"  # printed for a nil count, as French tables do
VAT_NOTE = (
    "L'indemnité forfaitaire pour frais de recouvrement n'est pas soumise à la TVA "
    "(C. com. D441-5)."
)


def _cols(*widths_mm: float) -> list[float]:
    return [w * mm for w in widths_mm]


def _head(*labels: str, right_from: int, centred: tuple[int, ...] = ()) -> list[Paragraph]:
    s = styles()
    return [
        Paragraph(
            esc(label),
            s.head_centre if i in centred else s.head_right if i >= right_from else s.head,
        )
        for i, label in enumerate(labels)
    ]


def invoice_table(invoices: tuple[StatementLine, ...]) -> Table:
    """N° facture, Date, Échéance, Montant TTC, Payé, Solde, Jours de retard; header repeats."""
    s = styles()
    rows: list[list[Any]] = [
        _head(
            "N° facture",
            "Date",
            "Échéance",
            "Montant TTC",
            "Payé",
            "Solde",
            "Retard (j)",
            right_from=3,
            centred=(1, 2),
        )
    ]
    for inv in invoices:
        rows.append(
            [
                para(inv.number, s.cell),
                short_date_fr(inv.issue_date),
                short_date_fr(inv.due_date),
                format_eur(inv.amount),
                format_eur(inv.paid),
                format_eur(inv.balance),
                "à échoir" if inv.upcoming else str(inv.days_late) if inv.days_late > 0 else NIL,
            ]
        )
    commands = grid_style(right_from=3)
    commands.append(("ALIGN", (1, 1), (2, -1), "CENTER"))
    if len(invoices) > 1:
        rows.append(
            [
                "Total",
                "",
                "",
                format_eur(sum((i.amount for i in invoices), Decimal(0))),
                format_eur(sum((i.paid for i in invoices), Decimal(0))),
                format_eur(sum((i.balance for i in invoices), Decimal(0))),
                "",
            ]
        )
        commands += total_row_style()
    return Table(
        rows,
        colWidths=_cols(33, 20, 20, 27, 24, 27, 19),
        repeatRows=1,
        style=table_style(commands),
        hAlign="LEFT",
    )


def totals_block(data: LetterData) -> list[Flowable]:
    """The statement's claimed rows, then their sum as the total, and the payment deadline.

    Only what the letter asks for is printed above the total, so the total is the sum of the
    rows shown (a second reminder recalls penalties in its text but asks the principal).
    """
    s = styles()
    st = data.statement
    labels = {
        PRINCIPAL: "Principal restant dû",
        PENALTIES: "Intérêts au taux légal" if data.b2c else "Pénalités de retard",
        INDEMNITY: indemnity_label(st),
    }
    rows: list[list[Any]] = []
    for code, amount in st.claimed_rows():
        label = esc(labels[code])
        if code == PENALTIES and st.rate is not None:  # the rate's basis is in the text
            label += f" ({format_rate(st.rate)} l'an)"
        rows.append([Paragraph(label, s.cell), format_eur(amount)])
    rows.append([total_label(data), format_eur(st.total)])
    commands = [
        *grid_style(header_rows=0, right_from=1, font_size=8.5, zebra=False),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        *total_row_style(),
    ]
    commands.append(("FONTSIZE", (0, -1), (-1, -1), 9.5))
    table = Table(rows, colWidths=_cols(55, 23), style=table_style(commands), hAlign="RIGHT")
    parts: list[Flowable] = [table]
    if data.deadline is not None:
        parts += [
            Spacer(1, 1.5 * mm),
            Paragraph(f"<b>À payer au plus tard le {long_date_fr(data.deadline)}</b>", s.right),
        ]
    return parts


def indemnity_label(statement: Statement) -> str:
    """'Indemnité forfaitaire (3 × 40 €)': one fixed sum per late invoice (C. com. D441-5)."""
    count = sum(1 for line in statement.lines if line.indemnity > 0)
    each = {line.indemnity for line in statement.lines if line.indemnity > 0}
    if len(each) != 1:
        return "Indemnités forfaitaires de recouvrement"
    amount = format_eur(next(iter(each))).replace(",00", "")
    if count == 1:
        return f"Indemnité forfaitaire ({amount})"
    return f"Indemnités forfaitaires ({count} × {amount})"


def total_label(data: LetterData) -> str:
    """'Total dû', or 'Montant de l'échéancier' for a plan."""
    return "Montant de l'échéancier" if data.kind == "payment_plan" else "Total dû"


def penalty_tables(statement: Statement) -> list[Flowable]:
    """One table per invoice that has penalty periods, with subtotal and indemnity."""
    s = styles()
    what = "Intérêts" if statement.b2c else "Pénalités"
    story: list[Flowable] = []
    detailed = [x for x in statement.lines if x.periods or x.indemnity > 0]
    for line in detailed:
        heading = para(
            f" (échéance du {long_date_fr(line.due_date)})",
            s.heading,
            markup=f"Facture {esc(line.number)}",
        )
        rows: list[list[Any]] = [
            _head("Du", "Au", "Jours", "Base", "Taux annuel", "Montant", right_from=2)
        ]
        for p in line.periods:
            rows.append(
                [
                    short_date_fr(p.start),
                    short_date_fr(p.end),
                    str(p.days),
                    format_eur(p.base),
                    format_rate(p.rate),
                    format_eur(p.amount),
                ]
            )
        if not line.periods:
            rows.append(["Aucune période de retard", "", "", "", "", ""])
        commands = grid_style(right_from=2)
        first_sum = len(rows)
        rows.append([f"Sous-total {what.lower()}", "", "", "", "", format_eur(line.penalties)])
        if line.indemnity > 0 and len(detailed) > 1:  # one invoice: the totals block says it
            rows.append(
                [
                    "Indemnité forfaitaire pour frais de recouvrement",
                    "",
                    "",
                    "",
                    "",
                    format_eur(line.indemnity),
                ]
            )
            rows.append(
                [
                    "Total pour cette facture",
                    "",
                    "",
                    "",
                    "",
                    format_eur(quantize(line.penalties + line.indemnity)),
                ]
            )
        commands += [("SPAN", (0, r), (4, r)) for r in range(first_sum, len(rows))]
        commands += [
            ("BACKGROUND", (0, first_sum), (-1, -1), ZEBRA),
            ("LINEABOVE", (0, first_sum), (-1, first_sum), 0.6, RULE),
            *total_row_style(),
        ]
        if not line.periods:
            commands.append(("SPAN", (0, 1), (-1, 1)))
        table = Table(
            rows,
            colWidths=_cols(26, 26, 16, 36, 28, 38),
            repeatRows=1,
            style=table_style(commands),
            hAlign="LEFT",
        )
        story += [heading, table, Spacer(1, 3 * mm)]
    return story


def instalment_table(instalments: tuple[InstalmentLine, ...]) -> Table:
    """The agreed plan: N°, date and amount of each instalment, with the total."""
    rows: list[list[Any]] = [_head("N°", "Échéance", "Montant", right_from=2)]
    for inst in instalments:
        rows.append([str(inst.number), long_date_fr(inst.due_date), format_eur(inst.amount)])
    total = sum((i.amount for i in instalments), Decimal(0))
    rows.append(["Total", "", format_eur(total)])
    commands = [*grid_style(right_from=2), *total_row_style()]
    return Table(
        rows,
        colWidths=_cols(10, 46, 30),
        repeatRows=1,
        style=table_style(commands),
        hAlign="LEFT",
    )


def group_by_four(code: str) -> str:
    """'FR7630004000...' -> 'FR76 3000 4000 ...' (IBANs are read in groups of four)."""
    compact = "".join(code.split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def payment_means(data: LetterData, width: float) -> Flowable:
    """Boxed transfer details (holder, IBAN, BIC, reference, amount) with the EPC QR code."""
    s = styles()
    company: Company = data.company
    lines = [f"<b>Virement</b> à {esc(company.name)}", f"IBAN {esc(group_by_four(company.iban))}"]
    if company.bic:
        lines.append(f"BIC {esc(company.bic.strip())}")
    if data.payment_reference:
        lines.append(f"Référence : <b>{esc(data.payment_reference)}</b>")
    transfer: TransferRequest | None = data.transfer
    if transfer is not None:
        what = data.transfer_caption or f"QR code : {format_eur(transfer.amount)}"
        lines.append(f'<font size="6.5">{esc(what)}, à scanner avec votre appli bancaire</font>')
    small = ParagraphStyle("box", parent=s.cell, fontSize=7, leading=8.5)
    cell: list[Flowable] = [Paragraph(line, small) for line in lines]
    commands = [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if transfer is None:
        return Table([[cell]], colWidths=[width], style=table_style(commands), hAlign="LEFT")
    code = QrCode(epc_payload(transfer), QR_SIZE)
    qr_cell = QR_SIZE + 3 * mm
    return Table(
        [[code, cell]],
        colWidths=[qr_cell, width - qr_cell],
        style=table_style([*commands, ("BACKGROUND", (0, 0), (0, 0), WHITE)]),
        hAlign="LEFT",
    )


def side_by_side(left: list[Flowable], right: list[Flowable]) -> Table:
    """Two columns: `left` on the text's left part, `right` in the totals' width."""
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    return Table(
        [[left, "", right]],
        colWidths=[LEFT_WIDTH, 4 * mm, TOTALS_WIDTH],
        style=table_style(commands),
        hAlign="LEFT",
    )


def money_block(data: LetterData) -> list[Flowable]:
    """What the letter asks for: the payment box on the left, the totals on the right.

    A payment plan puts its instalments beside the totals, and the payment box beside the
    debtor's "Bon pour accord" box. A list, for the caller's KeepTogether (reportlab's
    KeepTogether must not nest).
    """
    totals = totals_block(data) if data.statement.claimed_rows() else []
    box = [payment_means(data, LEFT_WIDTH)] if data.company.iban else []
    if data.kind == "payment_plan" and data.instalments:
        return [
            Spacer(1, 2 * mm),
            side_by_side([instalment_table(data.instalments)], totals),
            Spacer(1, 2 * mm),
            side_by_side(box, [debtor_box(data)]),
        ]
    if not box:
        return [Spacer(1, 2 * mm), *totals]
    return [Spacer(1, 3 * mm), side_by_side(box, totals)]


def debtor_box(data: LetterData) -> Table:
    """The debtor's 'Bon pour accord, date et signature' box of a payment plan."""
    s = styles()
    cell: list[Flowable] = [
        Paragraph("Bon pour accord, date et signature du débiteur", s.head),
        para(data.client_name, s.cell),
        Spacer(1, 12 * mm),
    ]
    commands = [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
    ]
    return Table([[cell]], colWidths=[TOTALS_WIDTH], style=table_style(commands))
