"""Our own French for the gaps Qt's catalogue (qtbase_fr) leaves, and French plurals.

Built in code rather than as a .ts compiled to .qm: a fresh clone, the tests and a
PyInstaller bundle then need no build step (pyside6-lrelease) and no binary in git, and the
catalogue is reviewed like any other source. `GapTranslator` is installed after qtbase_fr:
Qt asks the translators last installed first, so ours answers the strings it knows and
returns None (a null string) for the others, which Qt then looks up in qtbase_fr.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

# (context, source) -> French. Found by walking Qt's dialogs (tests/ui/test_french.py): the
# strings qtbase_fr 6.x leaves in English.
CATALOGUE: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Regarder dans :",
    ("QFileDialog", "Look in:"): "Regarder dans :",
    ("QFileDialog", "Files of &type:"): "&Type de fichier :",
    ("QFileDialog", "Files of type:"): "Type de fichier :",
    ("QPrintDialog", "&Options >>"): "&Options >>",
    ("QPrintDialog", "&Options <<"): "&Options <<",
    ("QPrintSettingsOutput", "Output Settings"): "Paramètres de sortie",
    ("QPrintSettingsOutput", "Page &Set:"): "&Jeu de pages :",
    ("QPrintSettingsOutput", "Options"): "Options",
}


class GapTranslator(QTranslator):
    """French for the strings qtbase_fr leaves in English; None (ask the next one) otherwise."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:  # type: ignore[override]
        """The French text for Qt's (context, source), or None to let qtbase_fr answer.

        None, not "": Qt takes an empty (non-null) string as a translation and would blank
        every other text of the window.
        """
        found = CATALOGUE.get((context, source))
        if found is None:
            return None
        return found.replace(" :", "\u00a0:")  # French typography: no-break space before ':'

    def isEmpty(self) -> bool:
        """Never empty: Qt skips an empty translator."""
        return False


_installed: list[QTranslator] = []  # kept alive as long as the application


def install_gaps(app: QCoreApplication) -> QTranslator:
    """Install our catalogue after qtbase_fr (so it is asked first)."""
    translator = GapTranslator(app)
    app.installTranslator(translator)
    _installed.append(translator)
    return translator


def plural(n: int, one: str, many: str) -> str:
    """The text for `n` in French: singular for 0 and 1, plural from 2 ("1 facture").

    Returns the text chosen, still to format (the caller groups the digits as it likes).
    """
    return one if abs(n) < 2 else many
