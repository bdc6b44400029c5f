"""Window actions, menus and toolbars built from short declarations (French text, shortcut)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from ui.ops import tr

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


class WindowActions:
    """For a QMainWindow whose actions are its attributes `act_<name>`: make them, and lay
    them out in menus and toolbars by name ('|' for a separator)."""

    def add_action(
        self, text: str, slot: Callable[[], object], shortcut: Shortcut = None, tip: str = ""
    ) -> QAction:
        """A window action with its French text, shortcut and status tip."""
        owner: QMainWindow = self  # type: ignore[assignment]
        action = QAction(tr(text), owner)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tr(tip))
        action.triggered.connect(lambda _checked=False: slot())
        owner.addAction(action)
        return action

    def menu(self, title: str, names: str) -> None:
        """A menu bar entry holding the named actions."""
        owner: QMainWindow = self  # type: ignore[assignment]
        self.fill(owner.menuBar().addMenu(tr(title)), names)

    def fill(self, target: QMenu | QToolBar, names: str) -> None:
        """Add the actions `act_<name>` in order, '|' for a separator."""
        for name in names.split():
            if name == "|":
                target.addSeparator()
            else:
                target.addAction(getattr(self, f"act_{name}"))
