"""Application start-up: Qt application, French translations, the database, the main window.

Nothing the views import lives here: their shared helpers are in ui/background.py and
ui/widgets.py, so no view imports the module that builds the window.
"""

from __future__ import annotations

import datetime as dt
import sys

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

from models.store import db
from models.store.ledger import Ledger
from ui.ops import Ops, tr

_translators: list[QTranslator] = []  # kept alive as long as the application


def install_translator(app: QApplication) -> None:
    """French for Qt's own strings (buttons, file dialogs) and French dates in calendars."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_fr", path):
        app.installTranslator(translator)
        _translators.append(translator)


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


def open_ledger(db_arg: str | None) -> Ledger | None:
    """Open the database; on failure say so in a message box (never a traceback)."""
    try:
        return Ledger.open(db_arg, now=dt.datetime.now())
    except Exception as exc:
        where = db_arg or db.resolve_url(None)
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Relance"), "")
        box.setText(tr("La base de données n'a pas pu être ouverte."))
        box.setInformativeText(
            tr(
                "Fichier : {where}\n\nRaison : {why}\n\nVérifiez que ce chemin désigne un "
                "fichier Relance et que vous avez le droit d'y écrire."
            ).format(where=where, why=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        )
        box.exec()
        return None


def run_app(db_arg: str | None) -> int:
    """Open the main window on a database; returns the exit status."""
    app = make_application()
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
