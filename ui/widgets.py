"""Small widgets used all over: French date fields, the OK / Annuler row, read-only tables,
the standard questions (replaceable in tests) and saving a file the user chose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QTableView,
    QWidget,
)

from models.errors import StorageError
from ui.ops import tr
from ui.tables.clients import SORT_ROLE

OK = QDialogButtonBox.StandardButton.Ok
CANCEL = QDialogButtonBox.StandardButton.Cancel


def to_qdate(day: dt.date) -> QDate:
    """A Python date as a QDate."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    """A QDate as a Python date."""
    return dt.date(day.year(), day.month(), day.day())


def date_edit(day: dt.date) -> QDateEdit:
    """A French date field (dd/mm/yyyy) with a calendar pop-up."""
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def dialog_buttons(
    dialog: QDialog, ok_text: str, on_ok: Callable[[], object] | None = None
) -> QDialogButtonBox:
    """OK named for what it does (Enter) and Annuler (Esc); OK calls `on_ok`, else accept."""
    box = QDialogButtonBox(OK | CANCEL)
    box.button(OK).setText(ok_text)
    box.button(CANCEL).setText(tr("Annuler"))
    box.accepted.connect(on_ok or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def table(model: object, sortable: bool = True) -> QTableView:
    """A read-only, row-selecting table view over `model` (sorted through a proxy)."""
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)  # type: ignore[arg-type]
        proxy.setSortRole(SORT_ROLE)
        view.setModel(proxy)
        view.setSortingEnabled(True)
    else:
        view.setModel(model)  # type: ignore[arg-type]
    return view


def header_room(header: QHeaderView, title: str) -> int:
    """Pixels a column needs for its title and, beside it, the sort arrow (issue 14)."""
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return header.fontMetrics().horizontalAdvance(title) + 2 * arrow + 4 * margin


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """One line of text from the user, None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; True for yes."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent: QWidget | None, title: str, name: str, filters: str) -> Path | None:
    """Where to save a file, None when cancelled."""
    path, _chosen = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), filters)
    return Path(path) if path else None


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """An information box."""
    QMessageBox.information(parent, title, text)


class RoomyTabs(QProxyStyle):
    """Tabs a few pixels taller: Fusion clips the accent of À or É on unselected tabs."""

    def sizeFromContents(
        self, kind: QStyle.ContentsType, option: Any, size: QSize, widget: Any = None
    ) -> QSize:
        """The usual size, taller for a tab."""
        found = super().sizeFromContents(kind, option, size, widget)
        if kind == QStyle.ContentsType.CT_TabBarTab:
            found = QSize(found.width(), found.height() + 6)
        return found


def save_file(
    parent: QWidget,
    path: Path | None,
    write: Callable[[Path], object],
    tell: Callable[[QWidget | None, str, str], None] = inform,
) -> bool:
    """Write a file the user chose (None: cancelled); a disk error is told, never raised."""
    if path is None:
        return False
    parent.setCursor(Qt.CursorShape.WaitCursor)
    try:
        write(path)
    except StorageError as exc:  # written whole or not at all: the text names path and cause
        tell(parent, tr("Enregistrement impossible"), str(exc))
        return False
    except OSError as exc:
        tell(parent, tr("Enregistrement impossible"), f"{path}\n{exc.strerror or exc}")
        return False
    finally:
        parent.unsetCursor()
    return True
