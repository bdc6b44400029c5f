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

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
)
from sqlalchemy.exc import SQLAlchemyError

from models import crashlog
from models.errors import InputError, MissingDatabaseError, StorageError
from models.store import db
from models.store.ledger import Ledger
from ui import crash
from ui.ops import Ops, tr
from ui.translations import install_gaps

_translators: list[QTranslator] = []  # kept alive as long as the application


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
    install_translator(app)
    return app


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
    where = db.sqlite_path(db.resolve_url(db_arg)) or db.resolve_url(db_arg)
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


def run_app(db_arg: str | None) -> int:
    """Open the main window on a database; returns the exit status."""
    app = make_application()
    crash.install()  # from here on, no error goes unsaid (dialog and log)
    ledger = open_ledger(db_arg)
    if ledger is None:
        return 2
    from ui.window.main import MainWindow

    ops = Ops(ledger)
    window = MainWindow(ops)
    window.show()
    # After the first paint: an empty database offers the demo, an import or a blank start.
    QTimer.singleShot(0, window.offer_first_run)
    status = app.exec()
    QThreadPool.globalInstance().waitForDone(5000)
    del window
    ledger.close()
    return int(status)
