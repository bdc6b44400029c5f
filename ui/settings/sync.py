"""Settings page 'Synchronisation': the folders Relance reads for new invoices and statements."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.sync.watch import (
    BANK,
    FOLDER_SETTINGS,
    FOLDER_TITLES,
    INVOICES,
    recent_files,
)
from ui.dialogs import sync as sync_flow
from ui.ops import Ops, tr

HEADERS = ("Vu le", "Dossier", "Fichier", "Résultat")


def choose_folder(parent: QWidget, title: str, start: str) -> str:
    """Ask for a folder; '' when cancelled (tests replace the page's `pick_folder`)."""
    return QFileDialog.getExistingDirectory(parent, title, start)


class SyncPage(QWidget):
    """Two watched folders, reading them at start or now, and the files read so far."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.pick_folder: Callable[[QWidget, str, str], str] = choose_folder
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        labels = {
            INVOICES: tr("Factures émises (Factur-X, UBL, CII)"),
            BANK: tr("Relevés bancaires (CAMT.053, OFX, CSV)"),
        }
        for kind in (INVOICES, BANK):
            edit = QLineEdit()
            edit.setPlaceholderText(tr("aucun dossier surveillé"))
            browse = QPushButton(tr("Choisir…"))
            browse.clicked.connect(lambda _c=False, k=kind: self._browse(k))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(browse)
            form.addRow(labels[kind], row)
            edit.textChanged.connect(self._edited)
            self.edits[kind] = edit
        self.at_start = QCheckBox(tr("Lire les nouveaux fichiers à l'ouverture de Relance"))
        self.at_start.toggled.connect(self._edited)
        form.addRow(self.at_start)
        hint = QLabel(
            tr(
                "Indiquez le dossier où votre logiciel de facturation dépose ses factures "
                "électroniques et celui où vous enregistrez les relevés de la banque. Chaque "
                "nouveau fichier n'est lu qu'une fois (reconnu à son contenu, même renommé) ; "
                "un fichier refusé est signalé et n'empêche pas les autres."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow(hint)
        self.save_button = QPushButton(tr("Enregistrer"))
        self.sync_button = QPushButton(tr("Synchroniser maintenant"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        box = QGroupBox(tr("Dossiers surveillés"))
        box.setLayout(form)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        listing = QGroupBox(tr("Derniers fichiers lus"))
        QVBoxLayout(listing).addWidget(self.table)

        outer = QVBoxLayout(self)
        outer.addWidget(box)
        outer.addWidget(listing, 1)
        self.save_button.clicked.connect(self.save)
        self.sync_button.clicked.connect(self.sync_now)
        self.ops.changed.connect(self.refresh)
        self._dirty = False
        self.load()

    def load(self) -> None:
        """Show the stored folders and the files read."""
        ledger = self.ops.ledger
        for kind, edit in self.edits.items():
            edit.blockSignals(True)
            edit.setText(str(ledger.setting(FOLDER_SETTINGS[kind]) or ""))
            edit.blockSignals(False)
        self.at_start.blockSignals(True)
        self.at_start.setChecked(bool(ledger.setting("sync_on_start")))
        self.at_start.blockSignals(False)
        self._dirty = False
        self._list()

    def _list(self) -> None:
        files = recent_files(self.ops.ledger)
        self.table.setRowCount(len(files))
        for r, f in enumerate(files):
            seen = f.seen_at.astimezone() if f.seen_at.tzinfo else f.seen_at
            cells = (
                f"{seen:%d/%m/%Y %H:%M}",
                tr(FOLDER_TITLES.get(f.folder, f.folder)),
                f.name,
                f.outcome,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)

    def refresh(self, what: str = "all") -> None:
        """Follow a change made elsewhere (not while the user is typing here)."""
        if what in ("settings", "all") and not self._dirty:
            self.load()
        elif what == "all":
            self._list()

    def _edited(self, *_args: object) -> None:
        self._dirty = True

    def is_dirty(self) -> bool:
        """Changes typed and not saved (the settings dialog asks before closing)."""
        return self._dirty

    def _browse(self, kind: str) -> None:
        title = tr("Dossier surveillé : {what}").format(what=tr(FOLDER_TITLES[kind]))
        chosen = self.pick_folder(self, title, self.edits[kind].text())
        if chosen:
            self.edits[kind].setText(chosen)

    def save(self) -> bool:
        """Store the folders and the start option; False when refused (nothing saved)."""
        values: dict[str, object] = {
            FOLDER_SETTINGS[k]: e.text().strip() for k, e in self.edits.items()
        }
        values["sync_on_start"] = self.at_start.isChecked()

        def store() -> bool:
            self.ops.ledger.set_settings(values)
            return True

        if self.ops.run(self, store, "settings") is None:
            return False  # refused: the dialog said why, nothing saved
        self._dirty = False
        self.load()
        return True

    def sync_now(self) -> None:
        """Save first if needed, then read the folders and show what was added."""
        if self._dirty and not self.save():
            return
        sync_flow.synchronise_now(self, self.ops)
