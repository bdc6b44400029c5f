"""The tables of a letter: invoices, totals, penalty periods, instalments, payment means."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from models.letters.documents import Company, InstalmentLine, InvoiceLine, LetterData, PenaltyLine
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


def invoice_table(invoices: tuple[InvoiceLine, ...]) -> Table:
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
            "Jours de retard",
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
                str(inv.days_late) if inv.days_late > 0 else NIL,
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


def totals_block(data: LetterData) -> Flowable:
    """Principal, penalties with their rate, B2B indemnity, total and the payment deadline."""
    s = styles()
    rows: list[list[Any]] = []
    if data.principal or not (data.penalties or data.indemnity):
        rows.append(["Principal restant dû", format_eur(data.principal)])
    if data.penalties or (data.penalty_rate_text and data.kind != "preventive"):
        label = "Intérêts de retard" if data.b2c else "Pénalités de retard"
        if data.penalty_rate_text:
            rate = f'<br/><font size="7">{esc(data.penalty_rate_text)}</font>'
            rows.append([Paragraph(label + rate, s.cell), format_eur(data.penalties)])
        else:
            rows.append([label, format_eur(data.penalties)])
    if data.indemnity > 0:  # C. com. D441-5: B2B only; never shown to a consumer (CPCE L111-8)
        rows.append(
            [
                Paragraph("Indemnité forfaitaire pour frais de recouvrement", s.cell),
                format_eur(data.indemnity),
            ]
        )
    rows.append(["Total dû", format_eur(data.total)])
    commands = [
        *grid_style(header_rows=0, right_from=1, font_size=8.5, zebra=False),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        *total_row_style(),
    ]
    commands.append(("FONTSIZE", (0, -1), (-1, -1), 9.5))
    table = Table(rows, colWidths=_cols(72, 38), style=table_style(commands), hAlign="RIGHT")
    parts: list[Flowable] = [Spacer(1, 3 * mm), table]
    if data.deadline is not None:
        parts += [
            Spacer(1, 2 * mm),
            Paragraph(f"<b>Date limite de paiement : {long_date_fr(data.deadline)}</b>", s.right),
        ]
    return KeepTogether(parts)


def penalty_tables(lines: tuple[PenaltyLine, ...], b2c: bool) -> list[Flowable]:
    """One table per invoice of its penalty periods, with subtotal and indemnity."""
    s = styles()
    what = "Intérêts" if b2c else "Pénalités"
    story: list[Flowable] = []
    for line in lines:
        heading = para(
            f" (échéance du {long_date_fr(line.due_date)})",
            s.heading,
            markup=f"Facture {esc(line.invoice)}",
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
        if line.indemnity > 0:
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
    """N°, Date, Montant of a payment plan, with the total."""
    rows: list[list[Any]] = [_head("N°", "Date", "Montant", right_from=2)]
    for inst in instalments:
        rows.append([str(inst.number), long_date_fr(inst.due_date), format_eur(inst.amount)])
    total = sum((i.amount for i in instalments), Decimal(0))
    rows.append(["Total", "", format_eur(total)])
    commands = [*grid_style(right_from=2), *total_row_style()]
    return Table(
        rows,
        colWidths=_cols(15, 50, 35),
        repeatRows=1,
        style=table_style(commands),
        hAlign="LEFT",
    )


def group_by_four(code: str) -> str:
    """'FR7630004000...' -> 'FR76 3000 4000 ...' (IBANs are read in groups of four)."""
    compact = "".join(code.split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def payment_means(company: Company, reference: str) -> Flowable:
    """Boxed transfer details on two lines: holder and reference, then IBAN and BIC."""
    s = styles()
    first = f"<b>Règlement par virement</b> · bénéficiaire : {esc(company.name)}"
    if reference:
        first += f" · référence à rappeler : <b>{esc(reference)}</b>"
    second = f"IBAN : {esc(group_by_four(company.iban))}"
    if company.bic:
        second += f" · BIC : {esc(company.bic.strip())}"
    commands = [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    cell = [Paragraph(first, s.cell), Paragraph(second, s.cell)]
    table = Table([[cell]], colWidths=_cols(170), style=table_style(commands), hAlign="LEFT")
    return KeepTogether([Spacer(1, 4 * mm), table])
