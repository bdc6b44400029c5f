"""Window actions, menus and toolbars built from short declarations (French text, shortcut)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from ui.ops import tr

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


def make_action(
    owner: QWidget, text: str, slot: Callable[[], object], shortcut: Shortcut = None, tip: str = ""
) -> QAction:
    """An action of `owner` with its translated text, shortcut and status tip."""
    action = QAction(tr(text), owner)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tr(tip))
    action.triggered.connect(lambda _checked=False: slot())
    owner.addAction(action)
    return action


def fill(target: QMenu | QToolBar, actions: dict[str, QAction], names: str) -> None:
    """Add the named actions in order, '|' for a separator."""
    for name in names.split():
        if name == "|":
            target.addSeparator()
        else:
            target.addAction(actions[name])
