"""Settings page 'Sauvegardes': where copies go, how many are kept, back up and restore."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from models.settings import backup_reason, backup_time
from models.store import db, transfer
from ui.ops import Ops, tr
from ui.settings.templates import ask, saved
from ui.widgets import ask_save_path

COL_DATE, COL_TIME, COL_KIND, COL_SIZE = range(4)
HEADERS = ("Date", "Heure", "Type", "Taille")
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def choose_folder(parent: QWidget, start: str) -> str:
    """Ask for a folder; '' when cancelled (tests replace the page's `pick_folder`)."""
    return QFileDialog.getExistingDirectory(parent, tr("Dossier des sauvegardes"), start)


def restore_question(path: Path) -> str:
    """'Restaurer la sauvegarde du 23/11/2026 à 14:05 ? Une copie de sécurité …'."""
    when = backup_time(path)
    if when is None:
        return tr(
            "Restaurer la sauvegarde {name} ? Une copie de sécurité de la base actuelle "
            "sera faite avant."
        ).format(name=path.name)
    return tr(
        "Restaurer la sauvegarde du {date} à {time} ? Une copie de sécurité de la base "
        "actuelle sera faite avant."
    ).format(date=f"{when:%d/%m/%Y}", time=f"{when:%H:%M}")


class BackupsPage(QWidget):
    """Backups of the SQLite file: settings, a list by date, 'back up now' and 'restore'."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.now: Callable[[], dt.datetime] = dt.datetime.now
        self.confirm: Callable[[QWidget, str, str], bool] = ask
        self.pick_folder: Callable[[QWidget, str], str] = choose_folder
        self.ask_save_path: Callable[[QWidget | None, str, str, str], Path | None] = ask_save_path

        self.folder = QLineEdit()
        self.browse = QPushButton(tr("Choisir…"))
        self.kept = QSpinBox()
        self.kept.setRange(1, 365)
        self.kept.setSuffix(tr(" sauvegardes"))
        self.save_button = QPushButton(tr("Enregistrer"))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(tr("Dossier des sauvegardes"), folder_row)
        kept_row = QHBoxLayout()
        kept_row.addWidget(self.kept)
        kept_row.addStretch(1)
        kept_row.addWidget(self.save_button)
        form.addRow(tr("Nombre de sauvegardes gardées"), kept_row)
        hint = QLabel(
            tr(
                "Relance copie la base une fois par jour à l'ouverture et avant chaque "
                "mise à jour : au-delà du nombre choisi, les plus anciennes de ces copies "
                "sont effacées. La copie faite avant une restauration n'est jamais effacée."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow(hint)
        box = QGroupBox(tr("Réglages"))
        box.setLayout(form)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton(tr("Sauvegarder maintenant"))
        self.restore_button = QPushButton(tr("Restaurer…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.backup_button)
        actions.addWidget(self.restore_button)
        listing = QGroupBox(tr("Sauvegardes disponibles"))
        col = QVBoxLayout(listing)
        col.addWidget(self.table, 1)
        col.addLayout(actions)

        self.server_box = self._server_box()
        outer = QVBoxLayout(self)
        outer.addWidget(self.server_box)
        outer.addWidget(box)
        outer.addWidget(listing, 1)
        shared = db.is_server(ops.ledger.url)
        self.server_box.setVisible(shared)
        box.setVisible(not shared)
        listing.setVisible(not shared)

        self.browse.clicked.connect(self._browse)
        self.save_button.clicked.connect(self.save)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore)
        self.table.itemSelectionChanged.connect(self._selection)
        self.ops.changed.connect(self.refresh)
        self.load()

    def _server_box(self) -> QGroupBox:
        """A shared ledger's backups: the server's pg_dump, and a SQLite copy to take away."""
        found = make_url(db.driver_url(self.ops.ledger.url))
        name = found.database or "relance"
        explain = QLabel(
            tr(
                "Cette base est sur un serveur PostgreSQL (base partagée) : ses sauvegardes "
                "se font sur le serveur, par son administrateur, avec pg_dump. Par exemple, "
                "chaque nuit :<pre>pg_dump -Fc -h {host} -p {port} -U {user} {name} "
                "&gt; relance-$(date +%F).dump</pre>et pour restaurer dans une base vide :"
                "<pre>pg_restore -d {name} relance-AAAA-MM-JJ.dump</pre>"
                "Vous pouvez aussi exporter une copie SQLite du registre : un fichier que "
                "Relance ouvre sur n'importe quel ordinateur, sans serveur."
            ).format(
                host=found.host or "localhost",
                port=found.port or 5432,
                user=found.username or "relance_owner",
                name=name,
            )
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.RichText)
        self.export_button = QPushButton(tr("Exporter une copie SQLite…"))
        self.export_status = QLabel()
        self.export_status.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        group = QGroupBox(tr("Base partagée : sauvegardes sur le serveur"))
        col = QVBoxLayout(group)
        col.addWidget(explain)
        col.addSpacing(8)
        col.addLayout(row)
        col.addWidget(self.export_status)
        col.addStretch(1)
        self.export_button.clicked.connect(self.export_copy)
        return group

    def export_copy(self) -> Path | None:
        """Exporter une copie SQLite: the whole ledger into a new file, counted and checked."""
        name = f"relance-copie-{self.now():%Y-%m-%d_%H%M}.sqlite"
        dest = self.ask_save_path(
            self, tr("Exporter une copie SQLite"), name, tr("Base Relance (*.sqlite)")
        )
        if dest is None:
            return None
        report = self.ops.run(
            self, lambda: transfer.copy_to_file(self.ops.ledger.engine, dest), "settings"
        )
        if report is None:
            return None
        self.export_status.setText(
            tr("Copie vérifiée : {n} factures, {c} clients, dans {path}").format(
                n=report.invoices, c=report.rows.get("client", 0), path=dest
            )
        )
        return dest

    def load(self) -> None:
        """Show the settings and the backups found."""
        ledger = self.ops.ledger
        self.folder.setText(str(ledger.setting("backup_dir") or ""))
        default = ledger.backup_dir()
        self.folder.setPlaceholderText(str(default) if default else "")
        self.kept.setValue(int(ledger.setting("backups_kept")))
        enabled = default is not None
        for w in (self.folder, self.browse, self.kept, self.save_button, self.backup_button):
            w.setEnabled(enabled)
        if not enabled:
            self.status.setText(
                tr(
                    "Cette base n'est pas un fichier SQLite local : ses "
                    "sauvegardes se font sur le serveur."
                )
            )
        self._list()

    def refresh(self, what: str = "all") -> None:
        """Follow a change (a restore changes everything)."""
        if what in ("settings", "all"):
            self.load()

    def _list(self) -> None:
        backups = self.ops.ledger.backups()
        self.table.setRowCount(len(backups))
        for r, path in enumerate(backups):
            when = backup_time(path)
            size = path.stat().st_size if path.exists() else 0
            cells = (
                f"{when:%d/%m/%Y}" if when else path.name,
                f"{when:%H:%M}" if when else "",
                tr(backup_reason(path)),
                tr("{size} Ko").format(size=f"{size / 1024:,.0f}".replace(",", "\u00a0")),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(PATH_ROLE, str(path))
                self.table.setItem(r, c, item)
        self._selection()

    def _selection(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> Path | None:
        """The backup selected in the list."""
        items = self.table.selectedItems()
        return Path(str(items[0].data(PATH_ROLE))) if items else None

    def _browse(self) -> None:
        chosen = self.pick_folder(self, self.folder.text() or self.folder.placeholderText())
        if chosen:
            self.folder.setText(chosen)

    def is_dirty(self) -> bool:
        """The folder or the number of copies typed and not saved (the dialog asks on close)."""
        ledger = self.ops.ledger
        return self.save_button.isEnabled() and (
            self.folder.text().strip() != str(ledger.setting("backup_dir") or "")
            or self.kept.value() != int(ledger.setting("backups_kept"))
        )

    def save(self) -> bool:
        """Store the folder and the number kept together."""
        values = {"backup_dir": self.folder.text().strip(), "backups_kept": self.kept.value()}
        done = self.ops.run(self, saved(lambda: self.ops.ledger.set_settings(values)), "settings")
        if done and self.ops.ledger.backup_problem:
            self.backup_now()  # the copy that failed at opening, into the folder just chosen
        return bool(done)

    def backup_now(self) -> Path | None:
        """Copy the database now."""
        made = self.ops.run(self, lambda: self.ops.ledger.backup_now(self.now()), "settings")
        if made is not None:
            self.status.setText(tr("Sauvegarde faite : {path}").format(path=made))
        return made

    def restore(self) -> bool:
        """Restore the selected backup after a confirmation naming its date."""
        path = self.selected()
        if path is None or not self.confirm(self, tr("Restaurer"), restore_question(path)):
            return False
        safety = self.ops.run(self, lambda: self.ops.ledger.restore_backup(path, self.now()), "all")
        if safety is None:
            return False
        self.status.setText(
            tr("Base restaurée. Copie de sécurité de la base remplacée : {path}").format(
                path=safety
            )
        )
        return True
