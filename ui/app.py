"""Application start-up: Qt application, French translations, the database, the main window.

Nothing the views import lives here: their shared helpers are in ui/background.py and
ui/widgets.py, so no view imports the module that builds the window.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable

# First: the modules imported below are not copied whole into memory by PySide6 (25 MB).
import ui.qt_source  # noqa: F401

# isort: split
from PySide6.QtCore import (
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
)
from sqlalchemy.exc import SQLAlchemyError

from models import crashlog
from models.errors import InputError, MissingDatabaseError, StorageError
from models.resources import resource_path
from models.store import db
from models.store.ledger import Ledger
from ui import crash
from ui.ops import Ops, tr
from ui.tables.ahead import Ahead
from ui.translations import install_gaps

_translators: list[QTranslator] = []  # kept alive as long as the application
SMOKE_TIMEOUT_MS = 60_000  # the smoke test fails when the window has not painted by then


def install_translator(app: QApplication) -> None:
    """French for Qt's own strings (buttons, file dialogs) and French dates in calendars."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_fr", path):
        app.installTranslator(translator)
        _translators.append(translator)
    install_gaps(app)  # after qtbase_fr, so asked first: the strings it leaves in English


def make_application() -> QApplication:
    """The QApplication, named for QSettings, with the French translations."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Relance")
    app.setOrganizationName("Relance")
    app.setApplicationDisplayName("Relance")
    # The .desktop file's name, so a Wayland/X11 panel shows the installed icon for the window.
    app.setDesktopFileName("relance")
    app.setWindowIcon(app_icon())
    install_translator(app)
    return app


def app_icon() -> QIcon:
    """Relance's own icon, drawn from the SVG in resources/ at every size Qt asks for."""
    return QIcon(str(resource_path("icons", "relance.svg")))


def ask_create(path: str) -> bool:
    """'Le fichier … n'existe pas. Créer une nouvelle base ?' True for "Créer"."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Relance"), "")
    box.setText(tr("Le fichier {path} n'existe pas.").format(path=path))
    box.setInformativeText(
        tr("Créer une nouvelle base Relance, vide, à cet endroit ? Sinon, vérifiez le chemin.")
    )
    create = box.addButton(tr("Créer"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is create


def tell_not_opened(where: str, why: str) -> None:
    """The database could not be opened: which file, why, what to do."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Relance"), "")
    box.setText(tr("La base de données n'a pas pu être ouverte."))
    box.setInformativeText(
        tr("Fichier : {where}\n\nRaison : {why}").format(where=where, why=why[:1].upper() + why[1:])
    )
    box.exec()


def open_ledger(
    db_arg: str | None,
    ask: Callable[[str], bool] = ask_create,
    tell: Callable[[str, str], None] = tell_not_opened,
) -> Ledger | None:
    """Open the database; on failure say so in a message box (never a traceback).

    The default place is created on the first run; a path given with --db or $RELANCE_DB that
    does not exist is created only if the user says so; another program's file is refused.
    """
    chosen = db_arg or os.environ.get("RELANCE_DB")
    where = db.sqlite_path(db.resolve_url(db_arg)) or db.display_url(db.resolve_url(db_arg))
    create = not chosen
    while True:
        try:
            return Ledger.open(db_arg, now=dt.datetime.now(), create=create)
        except MissingDatabaseError as exc:
            if create or not ask(exc.path):
                return None
            create = True
        except (InputError, StorageError, SQLAlchemyError, OSError) as exc:
            tell(str(where), db.describe_error(exc, where))
            return None
        except Exception as exc:  # unexpected: told too, and its traceback kept in the log
            crashlog.write(traceback.format_exc(), dt.datetime.now())
            tell(str(where), db.describe_error(exc, where))
            return None


class AfterFirstPaint(QObject):
    """Calls `then` once the watched window's first paint is done (not at the first turn of
    the event loop, which may come before it: the start-up questions wait for the window)."""

    def __init__(self, app: QApplication, then: Callable[[], object]) -> None:
        super().__init__(app)
        self.then = then
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the first paint event, `then` once that paint is done."""
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.then)
        return False


def _say(where: str, why: str) -> None:
    """The smoke test's way to tell a database that did not open: one line, no dialog."""
    print(f"relance: {where} : {why}", file=sys.stderr)


def run_app(db_arg: str | None, smoke_test: bool = False, ahead: Ahead | None = None) -> int:
    """Open the main window on a database; returns the exit status.

    `smoke_test` (a check of a build): no dialog ever waits for a click, and the application
    quits with 0 right after the window's first paint. `ahead`: the invoice table being read
    in a child process (`ui.tables.ahead`), taken by the table's first load if it still holds.
    """
    try:
        return _run(db_arg, smoke_test, ahead)
    finally:
        if ahead is not None:
            ahead.discard()


def _run(db_arg: str | None, smoke_test: bool, ahead: Ahead | None) -> int:
    """`run_app`'s work."""
    app = make_application()
    remembered = None
    if db_arg is None and not os.environ.get("RELANCE_DB") and not smoke_test:
        # The shared ledger chosen last time in Fichier > Base partagée… (address only).
        found = QSettings().value("database/url")
        remembered = found if isinstance(found, str) and db.is_server(found) else None
    if smoke_test:
        ledger = open_ledger(db_arg, ask=lambda _path: False, tell=_say)
    else:
        crash.install()  # from here on, no error goes unsaid (dialog and log)
        ledger = open_ledger(remembered or db_arg)
        if ledger is None and remembered:
            # The server did not answer (told in the box): this machine's own ledger opens,
            # and Fichier > Base partagée… goes back to the server when it is there again.
            ledger = open_ledger(db_arg)
    if ledger is None:
        return 2
    from ui.window.main import MainWindow

    ops = Ops(ledger)
    window = MainWindow(ops, ahead=ahead)
    if smoke_test:  # quit with 0 once the window has painted, 1 if it never does
        watcher = AfterFirstPaint(app, lambda: app.exit(0))
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(1))
    else:
        # After the first paint, one after the other (a question's own event loop would run a
        # second timer under it): who works here (several people on the ledger), an empty
        # database's demo, import or blank start, then the watched folders' new files (issue 19).
        watcher = AfterFirstPaint(app, window.at_start)
    window.installEventFilter(watcher)
    window.show()
    status = app.exec()
    QThreadPool.globalInstance().waitForDone(5000)
    del window
    ledger.close()
    return int(status)
