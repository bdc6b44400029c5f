"""The *Relancer* wizard: invoices and step, the text, the PDF preview, then print/save/e-mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from models.documents import LETTER_KINDS, LetterData
from models.errors import FieldError, InputError
from models.ids import ClientId
from models.letters_data import invoices_for_letter, propose_step
from models.money import format_eur
from models.stages import CLOSED, InvoiceFacts, stage_of
from models.todo import stage_label
from reports.letters import render_letter
from ui.call_dialog import date_edit, from_qdate
from ui.letter_output import (
    OutputPage,
    Outputs,
    TextPage,
    archive_pdf,
    default_file_name,
    documents_dir,
    email_text,
    kind_name,
    letters_dir,
    mailto_url,
    print_pdf,
)
from ui.ops import Ops, tr
from ui.pdf_preview import PreviewPage

SWITCH_KINDS = ("formal_notice", "payment_plan")  # they have their own wizard


class LetterWizard(QWizard):
    """What every letter wizard shares: the client, the letter built from the pages, Finish."""

    switchRequested = Signal(str, list)  # noqa: N815 (Qt signal naming) kind, invoice ids
    default_kind = "reminder_1"

    def __init__(self, ops: Ops, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ledger = ops.ledger
        self.client_id = ClientId(client_id)
        self.client = self.ledger.client(self.client_id)
        self.outputs = Outputs()
        self.letters_folder = letters_dir(self.ledger)
        self.document_path: Path | None = None  # the archived PDF once recorded
        self._letter: tuple[Hashable, LetterData] | None = None
        self._pdf: tuple[LetterData, bytes] | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in (
            (QWizard.WizardButton.NextButton, "Suivant >"),
            (QWizard.WizardButton.BackButton, "< Précédent"),
            (QWizard.WizardButton.FinishButton, "Terminer"),
            (QWizard.WizardButton.CancelButton, "Annuler"),
        ):
            self.setButtonText(button, tr(text))
        self.setMinimumSize(780, 640)
        self.text_page = TextPage(self.letter_key, self.base_letter)
        self.preview_page = PreviewPage(self.pdf)

    # -- what a wizard defines ---------------------------------------------------------------
    def kind(self) -> str:
        """The letter kind chosen."""
        raise NotImplementedError

    def letter_date(self) -> dt.date:
        """The date printed on the letter (amounts and deadline are computed as of it)."""
        raise NotImplementedError

    def invoice_ids(self) -> list[int]:
        """The invoices ticked."""
        raise NotImplementedError

    def letter_key(self) -> Hashable:
        """Everything the letter depends on apart from its text; a change rebuilds it."""
        return (self.kind(), tuple(self.invoice_ids()), self.letter_date())

    def make_letter(self) -> LetterData:
        """Build the letter from the choices (InputError when they do not allow one)."""
        return self.ledger.letter(
            self.client_id, self.kind(), self.letter_date(), self.invoice_ids()
        )

    def record(self, document_path: str, on: dt.date, channel: str) -> bool:
        """Write the history through ops.run; False (and nothing written) when refused."""
        return (
            self.ops.run(
                self,
                lambda: self.ledger.record_letter_sent(
                    self.client_id,
                    self.kind(),
                    self.invoice_ids(),
                    on,
                    channel=channel,
                    document_path=document_path,
                ),
                "history",
            )
            is not None
        )

    def finish_note(self) -> str:
        """What Finish records, in words."""
        return tr(
            "Terminer note l'envoi dans l'historique de {client} ; les factures passent à "
            "l'étape « {step} »."
        ).format(client=self.client.name, step=kind_name(self.kind()))

    # -- shared machinery --------------------------------------------------------------------
    def refuse(self, exc: InputError) -> None:
        """Show why the choices do not allow a letter (the one refusal style)."""
        self.ops.show_refusal(self, exc)

    def check_page(self, page: QWizardPage) -> bool:
        """Leaving a choice page: by default the letter must be possible."""
        return self.check_letter()

    def check_letter(self) -> bool:
        """Build the letter now so a problem shows on the page that caused it."""
        try:
            self.base_letter()
        except InputError as exc:
            self.refuse(exc)
            return False
        return True

    def base_letter(self) -> LetterData:
        """The letter as the template fills it, rebuilt only when a choice changed."""
        key = self.letter_key()
        if self._letter is None or self._letter[0] != key:
            self._letter = (key, self.make_letter())
        return self._letter[1]

    def letter(self) -> LetterData:
        """The letter with the text as edited on the text page."""
        return self.text_page.apply(self.base_letter())

    def pdf(self) -> bytes:
        """The letter's PDF, rendered again only when the letter changed."""
        letter = self.letter()
        if self._pdf is None or self._pdf[0] != letter:
            self._pdf = (letter, render_letter(letter))
        return self._pdf[1]

    def request_switch(self, kind: str) -> None:
        """Hand over to the wizard made for this kind, with the same invoices; record nothing."""
        self.switchRequested.emit(kind, self.invoice_ids())
        QTimer.singleShot(0, self.reject)

    def client_email(self) -> str:
        """The client's e-mail, else the first contact's that has one."""
        if self.client.email:
            return self.client.email
        return next((c.email for c in self.ledger.contacts(self.client_id) if c.email), "")

    def add_output_page(self) -> OutputPage:
        """The last page, shared by every letter wizard."""
        self.output_page = OutputPage(
            self.kind(), self.ops.today(), self.client_email(), self.finish_letter, self.finish_note
        )
        self.addPage(self.output_page)
        return self.output_page

    def finish_letter(self) -> bool:
        """Ask where the letter goes, archive it, record it, then deliver it."""
        on = self.output_page.sent_on()
        if on < self.letter_date():
            why = tr("la date d'envoi précède la date de la lettre")
            self.refuse(InputError([FieldError(tr("date d'envoi"), why)]))
            return False
        try:
            letter, pdf = self.letter(), self.pdf()
        except (InputError, ValueError) as exc:
            self.refuse(exc if isinstance(exc, InputError) else InputError(str(exc)))
            return False
        name = default_file_name(self.kind(), self.client.name, self.letter_date())
        choice, target, printer = self.output_page.choice(), "", None
        if choice == "save":
            target = self.outputs.ask_save_path(self, str(documents_dir() / name))
            if not target:
                return False
        elif choice == "print":
            printer = self.outputs.ask_printer(self)
            if printer is None:
                return False
        try:
            archived = archive_pdf(self.letters_folder, pdf, name)
        except OSError as exc:
            self.outputs.warn(
                self,
                tr("Le PDF n'a pas pu être conservé ({e}) : rien n'a été enregistré.").format(
                    e=exc
                ),
            )
            return False
        channel = "email" if choice == "email" and self.kind() != "formal_notice" else ""
        if not self.record(str(archived), on, channel):
            archived.unlink(missing_ok=True)
            return False
        self.document_path = archived
        try:
            if choice == "save":
                Path(target).write_bytes(pdf)
            elif choice == "print" and printer is not None:
                print_pdf(pdf, printer)
            else:
                self.prepare_email(letter, archived)
        except OSError as exc:
            self.outputs.warn(
                self,
                tr(
                    "L'envoi est noté dans l'historique, mais : {e}.\nLe PDF est conservé ici : {p}"
                ).format(e=exc, p=archived),
            )
        return True

    def prepare_email(self, letter: LetterData, pdf_path: Path) -> None:
        """Open an e-mail draft with the text, show the PDF's folder, copy the text."""
        subject, body = email_text(letter, pdf_path.name)
        self.outputs.copy_text(body)
        self.outputs.open_url(mailto_url(self.output_page.email.text(), subject, body))
        self.outputs.open_url(QUrl.fromLocalFile(str(pdf_path.parent)))


class InvoicesPage(QWizardPage):
    """The client's open invoices, ticked from the to-do or the proposal; the step and date."""

    def __init__(self, wizard: LetterWizard, invoice_ids: Sequence[int], step: str | None) -> None:
        super().__init__()
        self.wiz = wizard
        # Without invoices given, the ticks follow the step until the user ticks by hand.
        self._auto, self._setting = not invoice_ids, False
        self.today = today = wizard.ops.today()
        led = wizard.ledger
        policy = led.policy(wizard.client.policy_name)
        self.facts: list[InvoiceFacts] = [
            f
            for f in led.facts(client_id=wizard.client_id)
            if f.balance_cents(today) > 0 and stage_of(f, today) not in CLOSED
        ]
        self.setTitle(tr("Factures de {client}").format(client=wizard.client.name))
        self.setSubTitle(tr("Cochez les factures que la lettre réclame."))
        self.step: QComboBox | None = None
        if step is not None:
            self.step = QComboBox()
            for kind in LETTER_KINDS:
                self.step.addItem(kind_name(kind), kind)
            chosen = [f for f in self.facts if f.id in set(invoice_ids)] or self.facts
            wanted = step or propose_step(chosen, today, policy)
            self.step.setCurrentIndex(max(0, self.step.findData(wanted)))
        kind = self.step.currentData() if self.step is not None else wizard.default_kind
        ticked = set(invoice_ids) or {f.id for f in invoices_for_letter(self.facts, kind, today)}
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [tr("N° facture"), tr("Échéance"), tr("Solde dû"), tr("Retard (j)"), tr("Étape")]
        )
        for f in self.facts:
            item = QTreeWidgetItem(
                [
                    f.number,
                    f"{f.due_date:%d/%m/%Y}",
                    format_eur(f.balance_cents(today), cents=True),
                    str(f.days_late(today)),
                    stage_label(stage_of(f, today, policy.preventive_window_days)),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, f.id)
            item.setCheckState(
                0, Qt.CheckState.Checked if f.id in ticked else Qt.CheckState.Unchecked
            )
            for col in (2, 3):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.date = date_edit(today)
        self.summary = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        if self.step is not None:
            form.addRow(tr("Étape :"), self.step)
            self.step.currentIndexChanged.connect(self._step_changed)
        form.addRow(tr("Date de la lettre :"), self.date)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        self.tree.itemChanged.connect(self._user_ticked)
        self._ticked()
        self._show_hint()

    def kind(self) -> str:
        """The step chosen in the list (the wizard's fixed kind when there is no list)."""
        return str(self.step.currentData()) if self.step is not None else self.wiz.default_kind

    def set_kind(self, kind: str) -> None:
        """Choose the step by code."""
        if self.step is not None:
            self.step.setCurrentIndex(self.step.findData(kind))

    def checked_ids(self) -> list[int]:
        """Ids of the invoices ticked, in list order (by due date)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.checkState(0) == Qt.CheckState.Checked:
                out.append(int(item.data(0, Qt.ItemDataRole.UserRole)))
        return out

    def set_checked(self, ids: Sequence[int]) -> None:
        """Tick exactly these invoices (as the user would: the step no longer re-ticks)."""
        self._tick(ids)
        self._auto = False

    def _tick(self, ids: Sequence[int]) -> None:
        self._setting = True
        try:
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                ok = int(item.data(0, Qt.ItemDataRole.UserRole)) in set(ids)
                item.setCheckState(0, Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked)
        finally:
            self._setting = False
        self._ticked()

    def _step_changed(self) -> None:
        if self._auto:
            self._tick([f.id for f in invoices_for_letter(self.facts, self.kind(), self.today)])
        self._show_hint()

    def _show_hint(self) -> None:
        hints = {
            "formal_notice": "Suivant ouvre l'assistant de mise en demeure (montants recalculés, "
            "délai, n° de recommandé).",
            "payment_plan": "Suivant ouvre l'assistant d'échéancier (nombre et dates des "
            "échéances).",
        }
        text = hints.get(self.kind(), "") if self.step is not None else ""
        self.hint.setText(tr(text) if text else "")
        self.hint.setVisible(bool(text))

    def balance_cents(self) -> int:
        """Balance of the invoices ticked, as of the letter's date."""
        ids, day = set(self.checked_ids()), from_qdate(self.date.date())
        return sum(max(0, f.balance_cents(day)) for f in self.facts if f.id in ids)

    def _user_ticked(self) -> None:
        if not self._setting:
            self._auto = False
        self._ticked()

    def _ticked(self) -> None:
        n = len(self.checked_ids())
        self.summary.setText(
            tr("{n} facture(s) cochée(s) — solde {b}").format(
                n=n, b=format_eur(self.balance_cents(), cents=True)
            )
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """At least one invoice ticked."""
        return bool(self.checked_ids())

    def validatePage(self) -> bool:
        """Hand a notice or a plan to its own wizard; otherwise check the letter can be made."""
        if self.step is not None and self.kind() in SWITCH_KINDS:
            self.wiz.request_switch(self.kind())
            return False
        return self.wiz.check_page(self)


class ReminderWizard(LetterWizard):
    """*Relancer*: any letter kind for one client, the step proposed from the policy."""

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoice_ids: Sequence[int] = (),
        step: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, client_id, parent)
        self.setWindowTitle(tr("Relancer — {client}").format(client=self.client.name))
        self.invoices_page = InvoicesPage(self, invoice_ids, step)
        for page in (self.invoices_page, self.text_page, self.preview_page):
            self.addPage(page)
        self.add_output_page()

    def kind(self) -> str:
        """The step chosen on the first page."""
        return self.invoices_page.kind()

    def letter_date(self) -> dt.date:
        """The date chosen on the first page."""
        return from_qdate(self.invoices_page.date.date())

    def invoice_ids(self) -> list[int]:
        """The invoices ticked on the first page."""
        return self.invoices_page.checked_ids()
