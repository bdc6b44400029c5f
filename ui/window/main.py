"""The main window: menus, toolbar, the four tabs, the status bar totals, saved layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.law.aging import AgedBalance
from models.store import db
from models.user import name_asked, should_ask_name
from ui.background import Background, LazyTab, import_in_background
from ui.ops import Ops, tr
from ui.undo import follow_stack
from ui.widgets import RoomyTabs, ask_save_path, ask_text, confirm, inform, save_file
from ui.window.actions import WindowActions
from ui.window.aged import AgedView, TotalsLabels
from ui.window.backup_banner import BackupBanner
from ui.window.follow import ChangeFollower
from ui.window.invoices import InvoiceView
from ui.window.rate_banner import RateBanner

if TYPE_CHECKING:
    from ui.tables.ahead import Ahead
    from ui.window.clients import ClientsView
    from ui.window.todo import TodoPanel

# The first window needs Qt, the domain and the invoice table only (DESIGN.md: under 1 s).
# The other tabs, the dialogs, the wizards and reportlab are imported when first opened.

TAB_INVOICES, TAB_CLIENTS, TAB_TODO, TAB_AGED = range(4)
CSV_EXPORTS = {  # Ctrl+E on a list: tab -> (dialog title, file name, the view that writes it)
    TAB_INVOICES: ("Exporter les factures affichées", "factures.csv", "invoices"),
    TAB_CLIENTS: ("Exporter la liste des clients", "clients.csv", "clients_view"),
    TAB_TODO: ("Exporter le « À faire »", "a-faire.csv", "todo_panel"),
}


# Windows opened by Fichier > Base partagée… (kept alive: the first one belongs to run_app).
OPEN_WINDOWS: list[MainWindow] = []


def window_title(url: str) -> str:
    """'Relance — compta.relance', or the shared ledger's 'base@serveur' (never a password)."""
    path = db.sqlite_path(url)
    if path:
        return tr("Relance — {name}").format(name=path.name)
    if db.is_server(url):
        from sqlalchemy.engine import make_url

        found = make_url(db.driver_url(url))
        return tr("Relance — {name} (base partagée)").format(name=f"{found.database}@{found.host}")
    return "Relance"


class MainWindow(WindowActions, QMainWindow):
    """Relance's window: Factures, Clients, À faire and Balance âgée as of `ops.today()`."""

    def __init__(
        self, ops: Ops, settings: QSettings | None = None, ahead: Ahead | None = None
    ) -> None:
        super().__init__()
        self.ops = ops
        self.settings = settings if settings is not None else QSettings()
        self.balance: AgedBalance | None = None
        self._balance_waits = False  # the aged balance starts once the table is filled
        # Questions and messages are attributes so tests can answer them without a modal box.
        self.ask_text: Callable[[QWidget | None, str, str], str | None] = ask_text
        self.confirm: Callable[[QWidget | None, str, str], bool] = confirm
        self.ask_save_path: Callable[[QWidget | None, str, str, str], Path | None] = ask_save_path
        self.inform: Callable[[QWidget | None, str, str], None] = inform
        self.dialog: QWidget | None = None  # the last dialog opened here (tests drive it)
        # How a start-up question is shown: modal; tests answer the real dialog instead.
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.setWindowTitle(window_title(ops.ledger.url))
        self.resize(1400, 850)

        self.invoices = InvoiceView(ops, ahead=ahead)
        self.aged = AgedView(ops, follow=False)
        self.clients_tab = LazyTab(self._make_clients)
        self.todo_tab = LazyTab(self._make_todo)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tab_style = RoomyTabs()  # kept: a widget does not own its style
        self.tabs.tabBar().setStyle(self.tab_style)
        self.tabs.addTab(self.invoices, tr("Factures"))
        self.tabs.addTab(self.clients_tab, tr("Clients"))
        self.tabs.addTab(self.todo_tab, tr("À faire"))
        self.tabs.addTab(self.aged, tr("Balance âgée"))
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(6, 6, 6, 0)
        self.banner = RateBanner(ops, self)
        self.backup_banner = BackupBanner(ops, self)
        box.addWidget(self.backup_banner)
        box.addWidget(self.banner)
        box.addWidget(self.tabs)
        self.setCentralWidget(central)

        self.totals = TotalsLabels()
        for label in self.totals.labels:
            self.statusBar().addPermanentWidget(label)
        self.build_actions()

        self.balance_loader = Background(ops, lambda led: led.aged_balance(ops.today()), self)
        self.balance_loader.done.connect(self._balance_loaded)
        self.invoices.loadingChanged.connect(self._loading)
        self.invoices.selectionChanged.connect(self.update_actions)
        self.aged.clientActivated.connect(self.show_client_invoices)
        self.aged.pdfRequested.connect(self.export_aged_pdf)
        self.tabs.currentChanged.connect(self._tab_changed)
        ops.changed.connect(lambda _what: self.balance_loader.start())
        ops.refused.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # Issue 18: the views follow what other people change on a shared ledger.
        self.follower = ChangeFollower(ops, self)
        self.follower.followed.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.follower.start()
        self.restore_layout()
        self.update_actions()
        # On a file or server database the worker starts now: its SQLite reads let the lock go,
        # so they overlap the first paint. In memory (tests) the load waits for that paint.
        if self.invoices.loader.threaded:
            self.load()
        else:
            QTimer.singleShot(0, self.load)

    # -- tabs --------------------------------------------------------------------------------
    def load(self) -> None:
        """Fill the table, then the status bar.

        The aged balance waits for the invoice table: both are Python work in worker threads
        that would share one interpreter lock, and the table is what the user looks at first.
        """
        self._balance_waits = True
        self.invoices.reload()

    @property
    def clients_view(self) -> ClientsView:
        """The client screen (built on demand)."""
        return self.clients_tab.build()  # type: ignore[return-value]

    @property
    def todo_panel(self) -> TodoPanel:
        """The to-do panel (built on demand)."""
        return self.todo_tab.build()  # type: ignore[return-value]

    def _make_clients(self) -> ClientsView:
        from ui.window.clients import ClientsView

        view = ClientsView(self.ops)
        view.invoiceOpenRequested.connect(self.open_invoice)
        view.documentRequested.connect(self.start_document)
        for key, target in (("clients/splitter", view), ("clients/page_split", view.page.lower)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                target.restoreState(state)
        return view

    def _make_todo(self) -> TodoPanel:
        from ui.window.todo import TodoPanel

        panel = TodoPanel(self.ops)
        panel.documentRequested.connect(self.start_document)
        panel.clientOpenRequested.connect(self.show_client)
        return panel

    def _tab_changed(self, index: int) -> None:
        if index == TAB_AGED and self.balance is not None:
            self.aged.set_balance(self.balance)
        self.update_actions()

    def show_tab(self, index: int) -> None:
        """Bring a tab to the front."""
        self.tabs.setCurrentIndex(index)

    def show_client_invoices(self, client_id: int, name: str) -> None:
        """Drill down from the aged balance: the Factures tab filtered on one client."""
        self.invoices.show_client(client_id, name)
        self.show_tab(TAB_INVOICES)
        self.invoices.table.setFocus()

    def show_client(self, client_id: int) -> None:
        """The client's page in the Clients tab."""
        self.show_tab(TAB_CLIENTS)
        self.clients_view.show_client(client_id)

    def open_invoice(self, invoice_id: int) -> None:
        """An invoice's dialog, from any tab."""
        self.dialog = self.invoices.open_invoice(invoice_id)

    # -- status bar --------------------------------------------------------------------------
    def _balance_loaded(self, ab: AgedBalance) -> None:
        self.balance = ab
        self.totals.show_balance(ab)
        if self.tabs.currentIndex() == TAB_AGED or self.aged.model.balance is not None:
            self.aged.set_balance(ab)

    def _loading(self, busy: bool) -> None:
        if busy:
            loaded = self.invoices.has_data
            self.statusBar().showMessage(
                tr("Mise à jour des étapes…") if loaded else tr("Chargement des factures…")
            )
        else:
            self.statusBar().clearMessage()
            if self._balance_waits:  # the first table load is over (or failed): the totals now
                self._balance_waits = False
                self.balance_loader.start()
                # The window started without the ORM (models/store/ledger*.py import it where
                # a method uses it): loaded now, before a dialog needs it.
                import_in_background("models.store.tables", "models.store.versions")

    def status_texts(self) -> tuple[str, str, str]:
        """Encours, Échu and DSO as shown in the status bar."""
        return self.totals.texts()

    # -- first run ---------------------------------------------------------------------------
    def at_start(self) -> None:
        """After the first paint: the start-up questions, then the watched folders' files."""
        self.questions_at_start()
        self.sync_at_start()

    def questions_at_start(self) -> None:
        """After the first paint, one question after the other: who works here, then the
        first-run choice on an empty database (never two dialogs on top of each other)."""
        self.ask_user_name()
        self.offer_first_run()

    def ask_user_name(self) -> bool:
        """Once per machine, when several people write the ledger: « Votre nom » (issue 18).

        Several people: a shared (server) ledger, or a file whose history already holds lines
        under another name. True when the question was asked.
        """
        ledger = self.ops.ledger
        if name_asked():
            return False
        shared = ledger.shared
        if not should_ask_name(shared, not shared and ledger.written_by_others(ledger.user)):
            return False
        from ui.dialogs.user_name import UserNameDialog

        dialog = UserNameDialog(self.ops, self)
        self.dialog = dialog
        self.run_dialog(dialog)
        return True

    def _import_spreadsheet(self) -> None:
        from ui.window import first_run

        first_run.import_spreadsheet(self, self.ops)

    def offer_first_run(self, choice: str | None = None) -> str | None:
        """On an empty database, offer the demo data, an import or a blank start."""
        if not self.ops.ledger.is_empty():
            return None
        from ui.window import first_run  # the import machinery: only on an empty database

        return first_run.run_first_run(self, self.ops, choice)

    def import_invoices(self) -> None:
        """Fichier > Importer des factures… (e-invoices: Factur-X, UBL, CII)."""
        from ui.dialogs.einvoices import import_einvoices  # loaded on first use: lxml, factur-x

        import_einvoices(self, self.ops)

    def synchronise_now(self, at_start: bool = False) -> None:
        """Fichier > Synchroniser maintenant: the watched folders' new files."""
        from ui.dialogs.sync import synchronise_now

        synchronise_now(self, self.ops, at_start=at_start)

    def sync_at_start(self) -> None:
        """Read the watched folders once the window is shown, when the user asked for it."""
        ledger = self.ops.ledger
        folders = (ledger.setting("sync_invoices_dir"), ledger.setting("sync_bank_dir"))
        if ledger.setting("sync_on_start") and any(folders):
            self.synchronise_now(at_start=True)

    # -- saved layout ------------------------------------------------------------------------
    def _layout_parts(self) -> dict[str, tuple[Callable[[], Any], Callable[[Any], Any]]]:
        """What the layout is made of: QSettings key -> (save, restore)."""
        header = self.invoices.table.horizontalHeader()
        parts = {
            "window/geometry": (self.saveGeometry, self.restoreGeometry),
            "window/state": (self.saveState, self.restoreState),
            "invoices/header": (header.saveState, header.restoreState),
            "aged/splitter": (self.aged.splitter.saveState, self.aged.splitter.restoreState),
        }
        clients = self.clients_tab.widget
        if clients is not None:
            parts["clients/splitter"] = (clients.saveState, clients.restoreState)
            page = clients.page.lower  # the client page's invoices / history share
            parts["clients/page_split"] = (page.saveState, page.restoreState)
        return parts

    def restore_layout(self) -> None:
        """Window geometry, column widths and sort, splitters and the last tab (QSettings)."""
        for key, (_save, restore) in self._layout_parts().items():
            value = self.settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        tab = str(self.settings.value("window/tab", TAB_INVOICES))
        index = int(tab) if tab.isdigit() else TAB_INVOICES
        self.tabs.setCurrentIndex(index if index < self.tabs.count() else TAB_INVOICES)

    def save_layout(self) -> None:
        """Remember the layout for the next start."""
        for key, (save, _restore) in self._layout_parts().items():
            self.settings.setValue(key, save())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the layout on the way out; stop following the others' changes."""
        self.save_layout()
        self.follower.stop()
        super().closeEvent(event)

    # -- actions and menus -------------------------------------------------------------------
    def build_actions(self) -> None:
        """Menus Fichier, Édition, Relances, Rapports, Aide and the toolbar."""
        add = self.add_action
        iv = self.invoices
        self.act_new_invoice = add("Nouvelle facture…", self.new_invoice, "Ctrl+N")
        self.act_new_client = add("Nouveau client…", self.new_client)
        self.act_import = add("Importer un tableur…", self._import_spreadsheet)
        self.act_import_invoices = add(
            "Importer des factures…",
            self.import_invoices,
            tip="Factures électroniques Factur-X (PDF), UBL ou CII (XML)",
        )
        self.act_sync = add(
            "Synchroniser maintenant",
            self.synchronise_now,
            tip="Lire les nouveaux fichiers des dossiers surveillés (Paramètres > Synchronisation)",
        )
        self.act_bank = add("Importer un relevé bancaire…", self.import_bank_statement)
        self.act_bank_pending = add("Virements à rapprocher…", self.bank_pending)
        self.act_settings = add("Paramètres…", self.open_settings)
        self.act_shared = add("Base partagée…", self.open_shared_dialog)
        self.act_quit = add("Quitter", self.close, "Ctrl+Q")
        stack = self.ops.undo_stack
        self.act_undo = add("Annuler", stack.undo, QKeySequence.StandardKey.Undo)
        self.act_redo = add("Rétablir", stack.redo, "Ctrl+Shift+Z")
        follow_stack(stack, self.act_undo, self.act_redo)
        self.act_find = add("Rechercher", self.focus_search, "Ctrl+F")
        self.act_pay = add(
            "Enregistrer un paiement…",
            lambda: setattr(self, "dialog", iv.record_payment()),
            "Ctrl+Shift+P",
            "Touche P dans la liste des factures",
        )
        self.act_archive = add(
            "Archiver la facture…",
            lambda: iv.archive_selected(self.confirm),
            QKeySequence.StandardKey.Delete,
        )
        self.act_dispute = add(
            "Marquer en litige…", lambda: iv.toggle_dispute(self.ask_text, self.confirm)
        )
        self.act_write_off = add("Passer en perte…", lambda: iv.write_off(self.ask_text))
        self.act_remind = add("Relancer…", lambda: self.document_for_selection(""))
        self.act_notice = add(
            "Mise en demeure…", lambda: self.document_for_selection("formal_notice")
        )
        self.act_plan = add("Échéancier…", lambda: self.document_for_selection("payment_plan"))
        self.act_batch = add("Relances du jour…", self.letters_of_the_day)
        self.act_route = add("Procédure…", self.route_for_selection)
        self.act_pending_mail = add("E-mails en état inconnu…", self.pending_mails)
        self.act_aged = add("Balance âgée", lambda: self.show_tab(TAB_AGED))
        self.act_aged_pdf = add("Exporter la balance âgée en PDF…", self.export_aged_pdf)
        self.act_print = add("Imprimer la vue…", self.print_view, QKeySequence.StandardKey.Print)
        self.act_export = add("Exporter la vue (CSV, XLSX)…", self.export_view, "Ctrl+E")
        self.act_about = add("À propos de Relance", self.about)
        self.menu(
            "&Fichier",
            "new_invoice new_client | import import_invoices bank bank_pending sync | shared"
            " | settings | quit",
        )
        self.menu("É&dition", "undo redo | find | pay archive dispute write_off")
        self.menu("&Relances", "remind notice plan | route | batch pending_mail")
        self.menu("Ra&pports", "aged aged_pdf | print export")
        self.menu("&Aide", "about")
        bar = self.addToolBar(tr("Actions"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.fill(bar, "new_invoice pay | remind batch | aged_pdf print")

    def update_actions(self) -> None:
        """Invoice actions need the Factures tab and a selected invoice."""
        on_invoices = self.tabs.currentIndex() == TAB_INVOICES
        row = self.invoices.current_row() if on_invoices else None
        for action in (self.act_pay, self.act_archive, self.act_dispute, self.act_write_off):
            action.setEnabled(row is not None)
        if row is not None:
            self.act_archive.setText(
                tr("Restaurer la facture") if row.archived else tr("Archiver la facture…")
            )
            self.act_dispute.setText(
                tr("Lever le litige…") if row.stage == "disputed" else tr("Marquer en litige…")
            )

    def focus_search(self) -> None:
        """Ctrl+F: the search box of the invoices (the client list's on the Clients tab)."""
        if self.tabs.currentIndex() == TAB_CLIENTS:
            self.clients_view.search.setFocus()
            return
        self.show_tab(TAB_INVOICES)
        self.invoices.search.setFocus()
        self.invoices.search.selectAll()

    def new_invoice(self) -> None:
        """Ctrl+N: an empty invoice (for the client selected, if any)."""
        self.dialog = self.invoices.new_invoice(self._shown_client())

    def _shown_client(self) -> int | None:
        """The client whose page the Clients tab shows, if that tab is in front."""
        view = self.clients_tab.widget
        if self.tabs.currentIndex() != TAB_CLIENTS or view is None:
            return None
        return view.current_client()

    def import_bank_statement(self) -> None:
        """Fichier > Importer un relevé bancaire…: the credits and their proposals."""
        from ui.dialogs import bank

        dialog = bank.import_statement(self, self.ops)
        if dialog is not None:
            self._open(dialog)

    def bank_pending(self) -> None:
        """Fichier > Virements à rapprocher…: the credits waiting for the user's choice."""
        from ui.dialogs import bank

        self._open(bank.BankDialog(self.ops, None, self))

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def new_client(self) -> None:
        """A new client's form (ui.dialogs.client)."""
        from ui.dialogs.client import ClientDialog

        self._open(ClientDialog(self.ops, None, self))

    def open_settings(self) -> None:
        """The settings dialog (ui.settings.dialog)."""
        from ui.settings.dialog import SettingsDialog

        self._open(SettingsDialog(self.ops, self))

    def open_shared_dialog(self) -> None:
        """Fichier > Base partagée… (ui.dialogs.server); the window reopens on the choice."""
        from ui.dialogs.server import SharedDatabaseDialog

        dialog = SharedDatabaseDialog(self.ops.ledger.url, self)
        dialog.chosen.connect(self.reopen_on)
        self._open(dialog)

    def reopen_on(self, url: str, password: str = "") -> MainWindow | None:
        """A new window on the ledger at `url` (made or migrated if need be); this one closes.

        The address (never the password) is remembered for the next start. A ledger that
        cannot be opened is told in French and this window stays as it was.
        """
        import datetime as dt

        from models.store.ledger import Ledger

        try:
            ledger = Ledger.open(url, now=dt.datetime.now(), password=password or None)
        except Exception as exc:  # told, never raised: the window stays on its ledger
            self.inform(self, tr("Base partagée"), db.describe_error(exc, db.display_url(url)))
            return None
        self.settings.setValue("database/url", url)
        ops = Ops(ledger, self.ops._today)
        ops.show_refusal = self.ops.show_refusal
        ops.show_problem = self.ops.show_problem
        window = MainWindow(ops, self.settings)
        window.inform, window.confirm = self.inform, self.confirm
        window.run_dialog = self.run_dialog
        OPEN_WINDOWS.append(window)
        window.show()
        self.close()
        # A first visit to the server from this machine: who works here (issue 18).
        QTimer.singleShot(0, window.ask_user_name)
        return window

    # -- documents ---------------------------------------------------------------------------
    def document_for_selection(self, step: str) -> None:
        """A letter for the selected invoices (one client), or for the client shown."""
        if self.tabs.currentIndex() == TAB_INVOICES:
            rows = self.invoices.selected_rows()
            current = self.invoices.current_row() or (rows[0] if rows else None)
            if current is not None:
                ids = [r.invoice_id for r in rows if r.client_id == current.client_id]
                self.start_document(current.client_id, ids, step)
                return
        elif (client := self._shown_client()) is not None:
            self.start_document(int(client), [], step)
            return
        self.inform(self, tr("Relances"), tr("Sélectionnez d'abord une facture ou un client."))

    def route_for_selection(self) -> None:
        """Relances > Procédure… for the selected invoice's client, or the client shown."""
        client = self._shown_client()
        if self.tabs.currentIndex() == TAB_INVOICES:
            row = self.invoices.current_row()
            client = row.client_id if row is not None else None
        if client is None:
            self.inform(self, tr("Procédure"), tr("Sélectionnez d'abord une facture ou un client."))
            return
        from ui.wizards.route import open_route  # reportlab and pypdf only when asked for

        self.dialog = open_route(self, self.ops, int(client))

    def start_document(self, client_id: int, invoice_ids: list[int], step: str) -> None:
        """Open the letter wizard for a client, invoices and step (ui.wizards.launch)."""
        from ui.wizards import launch as wizards

        self.dialog = wizards.open_wizard(self, self.ops, client_id, invoice_ids, step)

    def letters_of_the_day(self) -> None:
        """Today's letters in one batch (ui.wizards.launch)."""
        from ui.wizards import launch as wizards

        self.dialog = wizards.open_batch(self, self.ops)

    def pending_mails(self) -> None:
        """The e-mails whose sending was interrupted, to settle (ui.dialogs.pending_mail)."""
        from ui.dialogs.pending_mail import open_pending

        self.dialog = open_pending(self, self.ops)

    # -- reports -----------------------------------------------------------------------------
    def export_aged_pdf(self) -> Path | None:
        """The aged balance as of today as a PDF (reports.aged_balance)."""
        ab = self.ops.ledger.aged_balance(self.ops.today())
        name = tr("balance-agee-{d}.pdf").format(d=f"{ab.as_of:%Y-%m-%d}")
        path = self.ask_save_path(self, tr("Exporter la balance âgée"), name, tr("PDF (*.pdf)"))
        company = self.ops.ledger.company().name
        from models.files import atomic_write
        from reports.aged_balance import render_aged_balance

        return self._write(path, lambda p: atomic_write(p, render_aged_balance(ab, company)))

    def print_view(self) -> QDialog:
        """Ctrl+P: a print preview of the view in front (a list as a table, the aged balance
        as its PDF); Imprimer in it sends it to the printer (ui/printing.py)."""
        from ui.printing import preview_pdf, preview_table

        index = self.tabs.currentIndex()
        if index == TAB_AGED:
            from reports.aged_balance import render_aged_balance

            ab = self.ops.ledger.aged_balance(self.ops.today())
            pdf = render_aged_balance(ab, self.ops.ledger.company().name)
            self.dialog = preview_pdf(self, tr("Balance âgée"), pdf)
        else:
            view = getattr(self, CSV_EXPORTS[index][2])  # the list in front
            self.dialog = preview_table(self, view.print_table())
        return self.dialog

    def export_view(self) -> Path | None:
        """Ctrl+E: the list in front as CSV or XLSX (the rows shown), the aged balance as PDF."""
        index = self.tabs.currentIndex()
        if index == TAB_AGED:
            return self.export_aged_pdf()
        title, name, view = CSV_EXPORTS[index]
        kinds = tr("CSV pour tableur (*.csv);;Classeur Excel (*.xlsx)")
        path = self.ask_save_path(self, tr(title), tr(name), kinds)
        return self._write(path, getattr(self, view).export_csv)

    def _write(self, path: Path | None, write: Callable[[Path], object]) -> Path | None:
        if save_file(self, path, write, self.inform):
            self.statusBar().showMessage(tr("Enregistré : {p}").format(p=path), 8000)
            return path
        return None

    def about(self) -> None:
        """Aide > À propos: version, database file, backups folder, licences."""
        from ui.window.about import show_about

        self.about_dialog = show_about(self.ops.ledger, self)
