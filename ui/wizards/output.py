"""Where a finished letter goes: the archive copy, the printer, a PDF file, an e-mail draft."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Hashable
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QRectF, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from models.files import atomic_write
from models.letters.documents import LetterData
from models.store.ledger import Ledger
from ui.ops import Ops, tr
from ui.pdf_preview import HAS_QTPDF, LoadedPdf
from ui.widgets import date_edit, from_qdate

KIND_NAMES = {
    "preventive": "Rappel préventif",
    "reminder_1": "Relance 1 (courtoise)",
    "reminder_2": "Relance 2 (ferme)",
    "reminder_3": "Relance 3 (dernière avant procédure)",
    "formal_notice": "Mise en demeure",
    "payment_plan": "Échéancier",
    "penalty_statement": "Relevé de pénalités",
}
FILE_KINDS = {
    "preventive": "rappel",
    "reminder_1": "relance-1",
    "reminder_2": "relance-2",
    "reminder_3": "relance-3",
    "formal_notice": "mise-en-demeure",
    "payment_plan": "echeancier",
    "penalty_statement": "penalites",
}
OUTPUTS = ("print", "save", "email")
EMAIL_KINDS = {"preventive", "reminder_1"}  # sent by e-mail in the default policy
PRINT_DPI_MAX = 300  # enough for text; 1200 dpi page images would take half a gigabyte
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def kind_name(kind: str) -> str:
    """The French name of a letter kind."""
    return tr(KIND_NAMES.get(kind, kind))


def letters_dir(ledger: Ledger) -> Path:
    """The `lettres` folder next to the database (a temporary folder for an in-memory one)."""
    return ledger.data_dir() / "lettres"


def safe_name(text: str) -> str:
    """A file-name part from any text: no path separators or reserved characters, no spaces."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text)
    return "-".join(cleaned.split())[:60] or "client"


def default_file_name(kind: str, client: str, day: dt.date) -> str:
    """'relance-2_Boulangerie-Martin_2026-11-23.pdf'."""
    return f"{FILE_KINDS.get(kind, kind)}_{safe_name(client)}_{day.isoformat()}.pdf"


def documents_dir() -> Path:
    """The user's Documents folder (the home folder when the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def archive_pdf(folder: Path, pdf: bytes, name: str) -> Path:
    """Keep a copy of the PDF sent in `folder` under a name not used yet; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, n = Path(name).stem, 1
    path = folder / name
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.pdf"
    atomic_write(path, pdf)  # written whole: a full disk leaves no truncated letter
    return path


def ask_save_path(parent: QWidget | None, suggested: str) -> str:
    """The file dialog: where to save the PDF ('' when the user cancels)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("Enregistrer le PDF"), suggested, tr("Documents PDF (*.pdf)")
    )
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return path


def ask_printer(parent: QWidget | None) -> QPrinter | None:
    """The print dialog; None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the PDF already holds its margins
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimer la lettre"))
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of the PDF on the printer; returns the number of pages printed."""
    if not HAS_QTPDF:
        raise OSError(
            tr(
                "impression impossible sans le module QtPdf : enregistrez le PDF "
                "puis imprimez-le depuis votre lecteur de PDF"
            )
        )
    loaded = LoadedPdf(pdf)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise OSError(tr("l'imprimante n'a pas pu être ouverte"))
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        for page in range(loaded.page_count()):
            if page and not printer.newPage():
                raise OSError(tr("l'imprimante a refusé une nouvelle page"))
            image = loaded.page_image(page, dpi)
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(area.x(), area.y(), fitted.width(), fitted.height()), image)
        return loaded.page_count()
    finally:
        if painter.isActive():
            painter.end()
        loaded.close()


def email_text(letter: LetterData, attachment: str) -> tuple[str, str]:
    """Subject and body of the e-mail that carries the letter (its text, then the attachment)."""
    subject = letter.subject or f"{letter.title} — {letter.company.name}"
    parts = [*letter.paragraphs, letter.closing, "\n".join(letter.signature_block)]
    body = "\n\n".join(p for p in parts if p.strip())
    body += "\n\n" + tr("Pièce jointe : {name}").format(name=attachment)
    return subject, body


def mailto_url(to: str, subject: str, body: str) -> QUrl:
    """A mailto: link with its subject and body percent-encoded (RFC 6068)."""
    query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return QUrl(f"mailto:{quote(to.strip(), safe='@,')}?{query}", QUrl.ParsingMode.StrictMode)


def warn(parent: QWidget | None, text: str) -> None:
    """A warning about the output: why it failed, what was (not) recorded."""
    QMessageBox.warning(parent, tr("Relance"), text)


COMPLETE, CONTINUE, CANCEL = "complete", "continue", "cancel"


def ask_complete(parent: QWidget | None, text: str) -> str:
    """The client's record lacks what the output needs: complete it, go on anyway, or stop."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Fiche client incomplète"))
    box.setText(text)
    complete = box.addButton(tr("Compléter la fiche client…"), QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton(tr("Continuer quand même"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(complete)
    box.exec()
    if box.clickedButton() is complete:
        return COMPLETE
    return CONTINUE if box.clickedButton() is anyway else CANCEL


def edit_client(parent: QWidget | None, ops: Ops, client_id: int) -> bool:
    """Open the client's dialog; True when it was saved."""
    from ui.dialogs.client import ClientDialog

    dialog = ClientDialog(ops, client_id, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def no_mail_program() -> OSError:
    """The failure when no mail program took the draft (the mailto: link had no taker)."""
    return OSError(
        tr(
            "aucun logiciel de messagerie n'a pu être ouvert ; choisissez « Enregistrer le "
            "PDF » et joignez-le vous-même à un e-mail"
        )
    )


def copy_text(text: str) -> None:
    """Put text on the clipboard."""
    QGuiApplication.clipboard().setText(text)


class Outputs:
    """The dialogs and system calls an output needs; tests replace them (nothing modal, opened)."""

    def __init__(self) -> None:
        self.ask_save_path: Callable[[QWidget | None, str], str] = ask_save_path
        self.ask_printer: Callable[[QWidget | None], QPrinter | None] = ask_printer
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.copy_text: Callable[[str], None] = copy_text
        self.warn: Callable[[QWidget | None, str], None] = warn
        self.ask_complete: Callable[[QWidget | None, str], str] = ask_complete
        self.edit_client: Callable[[QWidget | None, Ops, int], bool] = edit_client

    def destination(
        self, parent: QWidget | None, choice: str, name: str
    ) -> tuple[bool, str, QPrinter | None]:
        """Ask where the PDF goes: (go on?, file for "save", printer for "print")."""
        if choice == "save":
            target = self.ask_save_path(parent, str(documents_dir() / name))
            return bool(target), target, None
        if choice == "print":
            printer = self.ask_printer(parent)
            return printer is not None, "", printer
        return True, "", None

    def archive(
        self, parent: QWidget | None, choice: str, name: str, folder: Path, pdf: bytes
    ) -> tuple[Path, str, QPrinter | None] | None:
        """Ask where the PDF goes, then keep its copy in `folder`; None when cancelled or the
        copy cannot be written (said, and then nothing may be recorded)."""
        go_on, target, printer = self.destination(parent, choice, name)
        if not go_on:
            return None
        try:
            return archive_pdf(folder, pdf, name), target, printer
        except OSError as exc:
            self.warn(
                parent,
                tr("Le PDF n'a pas pu être conservé ({e}) : rien n'a été enregistré.").format(
                    e=exc
                ),
            )
            return None


def deliver(pdf: bytes, target: str, printer: QPrinter | None) -> None:
    """Write the PDF to the file chosen, or print it (OSError, in French, when either fails)."""
    if target:
        atomic_write(target, pdf)
    elif printer is not None:
        print_pdf(pdf, printer)


class OutputPage(QWizardPage):
    """Last page: print, save or e-mail, and the sending date; Finish records the letter."""

    def __init__(
        self,
        kind: str,
        today: dt.date,
        email: str,
        on_finish: Callable[[], bool],
        describe: Callable[[], str],
        parent: QWidget | None = None,
        *,
        gap: Callable[[str], str] = lambda _choice: "",
        complete: Callable[[], object] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._on_finish = on_finish
        self._describe = describe
        self._gap = gap
        self.setTitle(tr("Envoi"))
        self.setSubTitle(
            tr(
                "Choisissez comment envoyer la lettre. En cliquant sur Terminer, "
                "l'historique du client note ce qui a été fait : lettre imprimée, "
                "préparée en PDF, ou brouillon d'e-mail ouvert."
            )
        )
        self.radios: dict[str, QRadioButton] = {
            "print": QRadioButton(tr("Imprimer")),
            "save": QRadioButton(tr("Enregistrer le PDF…")),
            "email": QRadioButton(tr("Préparer un e-mail (texte et PDF à joindre)")),
        }
        self.group = QButtonGroup(self)
        for radio in self.radios.values():
            self.group.addButton(radio)
        self.radios["email" if kind in EMAIL_KINDS else "print"].setChecked(True)
        self.email = QLineEdit(email)
        self.email.setPlaceholderText(tr("adresse e-mail du client"))
        self.send_date = date_edit(today)
        self.note = QLabel()
        self.note.setWordWrap(True)
        # What the client's record lacks for the chosen output, and the way to complete it.
        self.gap_label = QLabel()
        self.gap_label.setWordWrap(True)
        self.gap_label.setStyleSheet("color: #8a4b00;")
        self.complete_button = QPushButton(tr("Compléter la fiche client…"))
        self.complete_button.clicked.connect(lambda: (complete(), self.refresh()))
        layout = QVBoxLayout(self)
        for radio in self.radios.values():
            layout.addWidget(radio)
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.email.setMinimumWidth(320)
        form.addRow(tr("Destinataire :"), self.email)
        form.addRow(tr("Date d'envoi :"), self.send_date)
        layout.addLayout(form)
        gap_row = QHBoxLayout()
        gap_row.addWidget(self.gap_label, 1)
        gap_row.addWidget(self.complete_button)
        layout.addLayout(gap_row)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.group.buttonToggled.connect(self._choice_changed)
        self.email.textChanged.connect(self.refresh)
        self._choice_changed()

    def choice(self) -> str:
        """'print', 'save' or 'email'."""
        return next(k for k, r in self.radios.items() if r.isChecked())

    def set_choice(self, choice: str) -> None:
        """Select an output by code."""
        self.radios[choice].setChecked(True)

    def sent_on(self) -> dt.date:
        """The sending date typed."""
        return from_qdate(self.send_date.date())

    def initializePage(self) -> None:
        """Say what Finish will record."""
        self.refresh()

    def refresh(self) -> None:
        """Show what Finish records and what the client's record lacks for this output."""
        self.note.setText(self._describe())
        gap = self._gap(self.choice())
        self.gap_label.setText(gap)
        self.gap_label.setVisible(bool(gap))
        self.complete_button.setVisible(bool(gap))

    def _choice_changed(self) -> None:
        self._form.setRowVisible(self.email, self.choice() == "email")
        self.refresh()

    def validatePage(self) -> bool:
        """Finish: deliver and record; stay on the page when refused or cancelled."""
        return self._on_finish()


def text_of(letter: LetterData) -> str:
    """The letter's paragraphs then its closing, separated by blank lines (the editable text)."""
    return "\n\n".join([*letter.paragraphs, *([letter.closing] if letter.closing else [])])


def with_text(letter: LetterData, text: str) -> LetterData:
    """The letter with edited text: blank lines part paragraphs, the last one is the closing."""
    blocks = [b.strip() for b in _BLANK_LINE.split(text.replace("\r\n", "\n")) if b.strip()]
    if len(blocks) < 2:
        return dataclasses.replace(letter, paragraphs=tuple(blocks), closing="")
    return dataclasses.replace(letter, paragraphs=tuple(blocks[:-1]), closing=blocks[-1])


class TextPage(QWizardPage):
    """The letter's text, editable for this letter only (the template is not changed)."""

    def __init__(self, key: Callable[[], Hashable], base: Callable[[], LetterData]) -> None:
        super().__init__()
        self._letter_key, self._base = key, base
        self._key: Hashable = None
        self.setTitle(tr("Texte de la lettre"))
        self.setSubTitle(
            tr(
                "Modifiez le texte si besoin : pour cette lettre seulement. Une ligne "
                "vide sépare deux paragraphes ; le dernier est la formule de "
                "politesse. Montants et tableaux sont ajoutés au PDF."
            )
        )
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.reset = QPushButton(tr("Rétablir le texte proposé"))
        self.reset.clicked.connect(self._reset)
        self.edit.textChanged.connect(self.completeChanged)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addLayout(row)

    def initializePage(self) -> None:
        """Fill the text from the letter, unless it was edited for these same choices."""
        key = self._letter_key()
        if key != self._key:
            self._key = key
            self._reset()

    def _reset(self) -> None:
        self.edit.setPlainText(text_of(self._base()))

    def apply(self, letter: LetterData) -> LetterData:
        """The letter with this page's text (the letter itself before the page was shown)."""
        if self._key is None or self._key != self._letter_key():
            return letter
        return with_text(letter, self.edit.toPlainText())

    def isComplete(self) -> bool:
        """Some text is needed."""
        return bool(self.edit.toPlainText().strip())
