"""Fichier > Importer des factures…: Factur-X PDFs, UBL and CII files, then what was added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from models.einvoice.record import EInvoiceReport, import_invoices
from models.einvoice.summary import headline
from models.money import format_eur
from ui.dialogs.summary import SummaryDialog, SummaryRow
from ui.ops import Ops, tr


def choose_files(parent: QWidget | None) -> list[Path]:
    """Ask for the invoice files (several at once)."""
    names, _filter = QFileDialog.getOpenFileNames(
        parent,
        tr("Importer des factures"),
        str(Path.home()),
        tr("Factures électroniques (*.pdf *.xml);;Tous les fichiers (*)"),
    )
    return [Path(n) for n in names]


def einvoice_rows(report: EInvoiceReport) -> list[SummaryRow]:
    """One row per file refused, invoice added, invoice already known or in conflict."""
    rows = [
        SummaryRow(
            tr("Refusé"), r.file, f"{r.field} : {r.message}" if r.field else r.message, "refused"
        )
        for r in report.refusals
    ]
    for a in report.added:
        client = a.client + (tr(" (nouveau client)") if a.new_client else "")
        amount = format_eur(a.amount_ttc_cents, cents=True)
        rows.append(
            SummaryRow(
                tr("Ajoutée"),
                a.file,
                tr("Facture {n} — {c}, {a} TTC").format(n=a.number, c=client, a=amount),
            )
        )
    for name, outcome in report.outcomes.items():
        if "déjà connue" in outcome:
            rows.append(SummaryRow(tr("Déjà connue"), name, outcome))
    for c in report.conflicts:
        name, _sep, text = c.partition(" : ")
        rows.append(SummaryRow(tr("Conflit"), name, text, "conflict"))
    rows += [SummaryRow(tr("Attention"), "", w) for w in report.warnings]
    return rows


def summary_dialog(report: EInvoiceReport, parent: QWidget | None = None) -> SummaryDialog:
    """The summary of one import (not shown yet)."""
    note = (
        tr("Corrigez les fichiers refusés, puis importez à nouveau tous les fichiers.")
        if report.refusals
        else tr("Les PDF Factur-X sont conservés dans les pièces de la facture.")
    )
    return SummaryDialog(
        tr("Importer des factures"), headline(report), einvoice_rows(report), parent, note
    )


def show(dialog: SummaryDialog) -> None:
    """Show the summary and wait for it to be closed."""
    dialog.exec()


# Replaceable for tests, which must not block on modal dialogs.
choose_files_hook: Callable[[QWidget | None], list[Path]] = choose_files
show_hook: Callable[[SummaryDialog], None] = show


def import_einvoices(
    parent: QWidget | None, ops: Ops, paths: list[Path] | None = None
) -> EInvoiceReport | None:
    """Ask for the files, import them in one transaction dated today, show what was done."""
    paths = paths if paths is not None else choose_files_hook(parent)
    if not paths:
        return None
    today = ops.today()
    report = ops.run(parent, lambda: import_invoices(ops.ledger, paths, today), "all")
    if report is None:
        return None
    show_hook(summary_dialog(report, parent))
    return report
