"""French throughout (issue 14): Qt's dialogs without an English word, plurals, name order."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLibraryInfo, QObject, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
    QWizardPage,
)

from models.store.tables import Client
from ui.tables.clients import ClientTableModel, client_rows
from ui.translations import GapTranslator, plural

# Words that are English and never French (homographs such as "Page", "Type", "Options",
# "Portrait", "Copies" or "Date" are French too and left out).
ENGLISH = frozenset(
    [
        "look",
        "files",
        "of",
        "the",
        "set",
        "open",
        "save",
        "cancel",
        "print",
        "output",
        "settings",
        "file",
        "name",
        "folder",
        "directory",
        "back",
        "forward",
        "detail",
        "details",
        "view",
        "list",
        "new",
        "delete",
        "rename",
        "show",
        "hidden",
        "size",
        "modified",
        "yes",
        "no",
        "apply",
        "help",
        "close",
        "submit",
        "next",
        "finish",
        "first",
        "last",
        "previous",
        "landscape",
        "collate",
        "color",
        "colour",
        "grayscale",
        "reverse",
        "properties",
        "current",
        "all",
        "even",
        "odd",
        "location",
        "paper",
        "orientation",
        "margins",
        "top",
        "bottom",
        "left",
        "right",
        "fit",
        "width",
        "height",
        "in",
        "to",
        "from",
        "and",
        "or",
        "discard",
        "abort",
        "retry",
        "ignore",
        "reset",
        "restore",
        "defaults",
        "choose",
    ]
)


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    """Qt's catalogue then ours, as ui.app installs them; removed afterwards."""
    qt = QTranslator()
    assert qt.load("qtbase_fr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    ours = GapTranslator()
    qapp.installTranslator(qt)
    qapp.installTranslator(ours)  # after: asked first
    yield
    qapp.removeTranslator(ours)
    qapp.removeTranslator(qt)


def texts(widget: QWidget) -> set[str]:
    """Every text a user can read in a widget and its children (labels, buttons, tips...)."""
    found = {widget.windowTitle()}
    for child in [widget, *widget.findChildren(QObject)]:
        if isinstance(child, QLabel):
            found.add(child.text())
        if isinstance(child, QAbstractButton | QAction):
            found.update((child.text(), child.toolTip()))
        if isinstance(child, QComboBox):
            found.update(child.itemText(i) for i in range(child.count()))
        if isinstance(child, QLineEdit):
            found.add(child.placeholderText())
        if isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            found.update(
                str(model.headerData(i, Qt.Orientation.Horizontal) or "")
                for i in range(model.columnCount())
            )
        if isinstance(child, QWidget):
            found.add(child.toolTip())
    return {t for t in found if t}


def english_words(widget: QWidget) -> set[str]:
    """The English words among the widget's texts."""
    words = set()
    for text in texts(widget):
        if text.startswith("/"):  # a folder's path: the user's names, not Qt's words
            continue
        for word in re.findall(r"[A-Za-z]+", re.sub(r"<[^>]+>", " ", text.replace("&", ""))):
            if word.lower() in ENGLISH:
                words.add(f"{word} ({text!r})")
    return words


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.mark.parametrize(
    "mode", [QFileDialog.AcceptMode.AcceptSave, QFileDialog.AcceptMode.AcceptOpen]
)
def test_file_dialog_has_no_english_word(qtbot, french, tmp_path, mode):
    """Rule: Qt's own file dialog (non-native) says 'Regarder dans', 'Type de fichier'."""
    dialog = QFileDialog(None, "Exporter", str(tmp_path), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(mode)
    shown(qtbot, dialog)
    assert english_words(dialog) == set()
    assert any("Regarder dans" in t for t in texts(dialog))


def test_message_box_buttons_are_french(qtbot, french):
    """Rule: every standard button of a QMessageBox is French."""
    buttons = QMessageBox.StandardButton
    every = buttons.NoButton
    for b in (
        buttons.Ok, buttons.Save, buttons.Discard, buttons.Cancel, buttons.Yes, buttons.No,
        buttons.Close, buttons.Apply, buttons.Help, buttons.Retry, buttons.Ignore,
        buttons.Abort, buttons.Reset, buttons.RestoreDefaults, buttons.Open,
    ):  # fmt: skip
        every |= b
    box = QMessageBox(QMessageBox.Icon.Question, "Relance", "Question ?", every)
    box.setDetailedText("détail")
    shown(qtbot, box)
    assert english_words(box) == set()


def test_wizard_and_print_dialogs_are_french(qtbot, french):
    """Rule: QWizard, QPrintPreviewDialog and QPrintDialog show no English word."""
    wizard = QWizard()
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    for widget in (wizard, QPrintPreviewDialog(), QPrintDialog()):
        shown(qtbot, widget)
        assert english_words(widget) == set(), type(widget).__name__


def test_our_catalogue_leaves_every_other_text_alone(french):
    """Rule: the gap catalogue answers only its strings; the rest keeps its French text."""
    from PySide6.QtCore import QCoreApplication

    from ui.ops import tr

    assert tr("Factures") == "Factures"
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Oui"  # qtbase_fr's
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Regarder dans\u00a0:"


def test_french_plural():
    """Rule: '0 facture', '1 facture', '2 factures'."""
    assert [plural(n, "{n} facture", "{n} factures").format(n=n) for n in (0, 1, 2)] == [
        "0 facture",
        "1 facture",
        "2 factures",
    ]


def test_client_list_sorts_names_the_french_way(qtbot):
    """Rule: 'Dupont, Éric' < 'Durand' < 'Zola' (É among the E, case ignored)."""
    clients = [Client(id=i, name=n) for i, n in enumerate(("Zola", "Durand", "Dupont, Éric"), 1)]
    model = ClientTableModel()
    model.set_rows(client_rows(clients, []))
    model.sort(model.COL_NAME, Qt.SortOrder.AscendingOrder)
    names = [model.data(model.index(r, model.COL_NAME)) for r in range(model.rowCount())]
    assert names == ["Dupont, Éric", "Durand", "Zola"]


def test_rates_page_shows_no_developer_english(qtbot, ledger):
    """Rule: the Taux page explains its sources in French, not the rate file's English notes."""
    from ui.ops import Ops
    from ui.settings.rates import RatesPage

    page = shown(qtbot, RatesPage(Ops(ledger)))
    assert english_words(page) == set()
    assert any("Taux BCE" in t for t in texts(page))
