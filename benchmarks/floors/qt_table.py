"""Floor of the window: a bare QMainWindow + QTableView filled with the invoice rows from sqlite3.

Usage: `python benchmarks/floors/qt_table.py DB SPAWN_TIME`; prints `BENCH {"filled": s, ...}`
(seconds since SPAWN_TIME, the parent's time.time() when it started this process) once the
table holding every invoice (number, client, due date, amount) has been painted.
"""

import json
import resource
import sqlite3
import sys
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

T_SPAWN = float(sys.argv[2])
SQL = (
    "SELECT i.number, c.name, i.due_date, i.amount_ttc_cents FROM invoice i"
    " JOIN client c ON c.id = i.client_id WHERE i.archived = 0 ORDER BY i.due_date, i.number"
)


class Rows(QAbstractTableModel):
    """The rows as tuples; the cell text made when shown."""

    def __init__(self, rows: list) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 4

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None


def main() -> None:
    app = QApplication(sys.argv[:1])
    win = QMainWindow()
    view = QTableView()
    win.setCentralWidget(view)
    win.resize(1200, 800)
    win.show()
    out = {"usable": time.time() - T_SPAWN}
    rows = sqlite3.connect(sys.argv[1]).execute(SQL).fetchall()
    view.setModel(Rows(rows))
    view.viewport().repaint()
    out["filled"] = time.time() - T_SPAWN
    out["rows"] = len(rows)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH " + json.dumps(out), flush=True)
    QTimer.singleShot(0, app.quit)
    app.exec()


if __name__ == "__main__":
    main()
