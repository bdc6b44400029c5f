"""Fichier > Synchroniser maintenant: read the watched folders, then say what was added."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from models.sync.watch import FOLDER_TITLES, SyncReport, synchronise
from ui.dialogs.summary import SummaryDialog, SummaryRow
from ui.ops import Ops, tr


def sync_rows(report: SyncReport) -> list[SummaryRow]:
    """One row per new file (what became of it), one per folder that could not be read."""
    rows: list[SummaryRow] = []
    for folder in report.folders:
        title = tr(FOLDER_TITLES[folder.kind])
        if folder.problem:
            rows.append(SummaryRow(tr("Non lu"), title, folder.problem, "refused"))
        for f in folder.files:
            status = tr("Lu") if f.ok else tr("Refusé")
            rows.append(
                SummaryRow(status, f"{title} / {f.name}", f.text, "" if f.ok else "refused")
            )
    return rows


def sync_dialog(report: SyncReport, parent: QWidget | None = None) -> SummaryDialog:
    """The summary of one synchronisation (not shown yet)."""
    seen = sum(f.already_seen for f in report.folders)
    note = tr("{n} fichier(s) déjà lu(s) auparavant, ignoré(s).").format(n=seen) if seen else ""
    return SummaryDialog(tr("Synchronisation"), report.headline(), sync_rows(report), parent, note)


def show(dialog: SummaryDialog) -> None:
    """Show the summary and wait for it to be closed."""
    dialog.exec()


def show_later(dialog: SummaryDialog) -> None:
    """Show the summary without waiting (at start, the window stays usable)."""
    dialog.show()


# Replaceable for tests, which must not block on modal dialogs.
show_hook: Callable[[SummaryDialog], None] = show
show_later_hook: Callable[[SummaryDialog], None] = show_later


def synchronise_now(
    parent: QWidget | None,
    ops: Ops,
    *,
    at_start: bool = False,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> SyncReport | None:
    """Read the new files of the watched folders; show the summary.

    At start, the summary appears only when something new was read, and without waiting.
    """
    today = ops.today()
    report = ops.run(parent, lambda: synchronise(ops.ledger, today, now()), "all")
    if report is None:
        return None
    if at_start:
        if report.new_files or any(f.problem for f in report.folders if f.folder):
            dialog = sync_dialog(report, parent)
            show_later_hook(dialog)
        return report
    show_hook(sync_dialog(report, parent))
    return report
