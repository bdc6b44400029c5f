"""The *Mise en demeure* wizard (amounts recomputed, deadline, LRAR number) and the AR dialog."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from models.errors import InputError
from models.ids import ActionId, ClientId
from models.law.deadlines import deadline, french_date
from models.law.prescription import Prescription, time_barred
from models.letters.batch import check_registered_number, normalise_registered_number
from models.letters.documents import LetterData
from models.letters.statement import Statement, StatementLine
from models.litigation.pieces import invoice_copies
from models.money import format_eur, format_rate
from ui.ops import Ops, tr
from ui.widgets import confirm, date_edit, dialog_buttons, from_qdate, to_qdate
from ui.wizards.base import LetterWizard
from ui.wizards.mail_page import BOTH, POST, ChannelPage

COLUMNS = ("Facture", "Principal", "Pénalités", "Taux", "Indemnité", "Total")
B2C_NOTE = (
    "Client particulier : pas d'indemnité forfaitaire de 40 € ; les sommes dues portent "
    "intérêts au taux légal à compter de la mise en demeure (C. civ. 1231-6 et 1344-1)."
)
B2B_NOTE = (
    "Pénalités dues de plein droit depuis le lendemain de l'échéance (C. com. L441-10) "
    "et indemnité forfaitaire de 40 € par facture (C. com. D441-5)."
)


def _rates(line: StatementLine) -> str:
    """The rates applied over the periods: '12,15 %, 12,40 %'."""
    return ", ".join(dict.fromkeys(format_rate(p.rate) for p in line.periods)) or "—"


class AmountsPage(QWizardPage):
    """What the notice claims, recomputed per invoice, with its deadline and the LRAR number."""

    def __init__(self, wizard: NoticeWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.statement = Statement()
        self.setTitle(tr("Montants, délai et recommandé"))
        self.setSubTitle(tr("Les sommes sont recalculées à la date de la lettre."))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00;")
        policy = wizard.ledger.policy(wizard.client.policy_name)
        self.days = QSpinBox()
        self.days.setRange(1, 90)
        self.days.setValue(policy.notice_deadline_days)
        self.days.setSuffix(tr(" jours"))
        self.due_by = QLabel()
        self.registered = QLineEdit()
        self.registered.setPlaceholderText(tr("ex. 1A 123 456 7890 1"))
        self.registered.setMaxLength(30)
        self.registered.setMinimumWidth(240)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(tr("Délai pour payer :"), self.days)
        # The letter counts the delay from its receipt; this is the earliest it can end.
        form.addRow(tr("Délai expirant au plus tôt le :"), self.due_by)
        form.addRow(tr("N° du recommandé AR :"), self.registered)
        # The copies of the earlier reminders Relance archived, appended after the letter.
        self.copies = QCheckBox()
        self.copies.setChecked(True)
        form.addRow(self.copies)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(self.warnings)
        layout.addLayout(form)
        layout.addStretch(1)
        self.days.valueChanged.connect(self._show_deadline)

    def initializePage(self) -> None:
        """The notice's statement of account as of the letter's date (what the letter prints)."""
        st = self.statement = self.wiz.ledger.statement(
            self.wiz.client_id, "formal_notice", self.wiz.letter_date(), self.wiz.invoice_ids()
        )
        b2c = st.b2c
        self.table.setRowCount(len(st.lines) + 1)
        for row, line in enumerate(st.lines):
            self._row(
                row,
                line.number,
                None if line.upcoming else line.balance,  # not due yet: not claimed
                line.penalties,
                _rates(line),
                line.indemnity,
                None if line.upcoming else st.line_total(line),
            )
        self._row(
            len(st.lines),
            tr("Total"),
            st.principal,
            st.penalties,
            "",
            st.indemnity,
            st.total,
            bold=True,
        )
        self.note.setText(tr(B2C_NOTE if b2c else B2B_NOTE))
        notes = list(st.warnings)
        notes += [
            tr("{n} : {t}").format(n=number, t=claim.text())
            for number, claim in self.wiz.time_barred()
        ]
        self.warnings.setText("\n".join(f"⚠ {w}" for w in notes))
        self.warnings.setVisible(bool(notes))
        self._show_deadline()
        found = len(self.wiz.enclosed_copies())
        self.copies.setText(
            tr("Joindre à la suite les copies des factures et relances ({n})").format(n=found)
        )
        self.copies.setEnabled(found > 0)
        self.registered.setFocus()

    def _row(
        self,
        row: int,
        label: str,
        principal: Decimal | None,
        penalties: Decimal,
        rates: str,
        indemnity: Decimal,
        total: Decimal | None,
        bold: bool = False,
    ) -> None:
        upcoming = tr("à échoir")  # listed, not claimed: the columns add up to the totals
        cells = (
            label,
            upcoming if principal is None else format_eur(principal),
            format_eur(penalties),
            rates,
            format_eur(indemnity),
            upcoming if total is None else format_eur(total),
        )
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, col, item)

    def deadline_date(self) -> dt.date:
        """The last day to pay: letter date + days, pushed to a working day (CPC 642)."""
        return deadline(self.wiz.letter_date(), self.days.value())

    def _show_deadline(self) -> None:
        self.due_by.setText(french_date(self.deadline_date()))

    def validatePage(self) -> bool:
        """The LRAR number is required; then the notice must be possible."""
        errors = check_registered_number(self.registered.text())
        if errors:
            self.wiz.refuse(InputError(errors))
            return False
        return self.wiz.check_letter()


class NoticeWizard(LetterWizard):
    """*Mise en demeure*: a registered letter with the amounts recomputed and a deadline."""

    default_kind = "formal_notice"

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoice_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, client_id, invoice_ids, None, parent)
        # The yes/no question before a notice on a time-barred claim (tests replace it).
        self.confirm: Callable[[QWidget | None, str, str], bool] = confirm
        self.barred_accepted: tuple[int, ...] | None = None
        self.setWindowTitle(tr("Mise en demeure — {client}").format(client=self.client.name))
        self.amounts_page = AmountsPage(self)
        # Issue 15: the registered letter, and its copy by e-mail (preselected with an address).
        self.channel_page = ChannelPage(
            self,
            {
                BOTH: "Recommandé AR et copie par e-mail (la lettre en PDF jointe)",
                POST: "Recommandé AR seulement",
            },
            tr(
                "La mise en demeure part en recommandé avec accusé de réception ; une copie "
                "par e-mail permet au client d'en prendre connaissance sans attendre."
            ),
        )
        self.add_pages(self.amounts_page, channel=self.channel_page)
        self.channel_page.follow(self.output_page)

    def check_page(self, page: QWizardPage) -> bool:
        """The invoices page needs a selection and, for a time-barred claim, a confirmation."""
        return self.confirm_time_barred()

    def time_barred(self) -> list[tuple[str, Prescription]]:
        """The ticked invoices whose claim is time-barred on the letter's date."""
        wanted = set(self.invoice_ids())
        chosen = [f for f in self.invoices_page.facts if f.id in wanted]
        return time_barred(chosen, self.letter_date())

    def confirm_time_barred(self) -> bool:
        """Say which claims are time-barred and ask before a notice claims them.

        A prescribed claim can no longer be enforced in court (C. civ. 2219); the debtor may
        raise it at any time. The answer holds for the same invoices and date.
        """
        barred = self.time_barred()
        key = (*self.invoice_ids(), self.letter_date().toordinal())
        if not barred or self.barred_accepted == key:
            return True
        lines = "\n".join(f"• {number} : {claim.text()}" for number, claim in barred)
        question = tr(
            "Créance prescrite :\n{lines}\n\nLe client peut opposer la prescription et une "
            "action en justice serait irrecevable (C. civ. 2219). Envoyer quand même la "
            "mise en demeure pour ces factures ?"
        ).format(lines=lines)
        if not self.confirm(self, tr("Créance prescrite"), question):
            return False
        self.barred_accepted = key
        return True

    def enclosed_copies(self) -> list[tuple[str, Path]]:
        """What the notice encloses that exists as a PDF: the invoices the user attached, then
        the earlier reminders Relance archived (caption, file)."""
        client = ClientId(self.client_id)
        invoices = invoice_copies(self.ledger, client, self.invoice_ids())
        letters = self.ledger.enclosed_letters(client, self.invoice_ids(), self.letter_date())
        return [*invoices, *letters]

    def pdf(self) -> bytes:
        """The notice, followed by the copies of the earlier reminders when chosen."""
        letter_pdf = super().pdf()
        copies = self.enclosed_copies() if self.amounts_page.copies.isChecked() else []
        if not copies:
            return letter_pdf
        from reports.appendix import with_copies  # pypdf only when copies are joined

        return with_copies(letter_pdf, copies)

    def registered_number(self) -> str:
        """The LRAR number as it will be printed."""
        return normalise_registered_number(self.amounts_page.registered.text())

    def letter_key(self) -> Hashable:
        """The deadline changes the text; the LRAR number does not (it is printed apart)."""
        return (*self.invoice_ids(), self.letter_date(), self.amounts_page.days.value())

    def make_letter(self) -> LetterData:
        """The notice with the deadline chosen."""
        return self.ledger.letter(
            ClientId(self.client_id),
            "formal_notice",
            self.letter_date(),
            self.invoice_ids(),
            deadline_days=self.amounts_page.days.value(),
        )

    def base_letter(self) -> LetterData:
        """The notice with the LRAR number typed."""
        letter = super().base_letter()
        return dataclasses.replace(letter, registered_number=self.registered_number())

    def sent_details(self) -> dict[str, str]:
        """The notice enters the history with its LRAR number."""
        return {"registered_number": self.registered_number()}

    def finish_note(self) -> str:
        """What Finish records."""
        text = tr(
            "Terminer note la mise en demeure (recommandé n° {n}) dans l'historique de "
            "{client}. Notez l'accusé de réception à son retour depuis l'historique."
        ).format(n=self.registered_number(), client=self.client.name)
        page = getattr(self, "channel_page", None)
        if page is not None and page.channel() == BOTH:
            text = (
                tr("D'abord la copie par e-mail : {what}.").format(what=page.note_what())
                + " "
                + text
            )
        return text


class AcknowledgementDialog(QDialog):
    """Record the day a formal notice's acknowledgement of receipt (AR) came back."""

    def __init__(
        self,
        ops: Ops,
        action_id: int,
        sent_on: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.action_id = ActionId(action_id)
        self.recorded = False
        self.setWindowTitle(tr("Accusé de réception"))
        text = tr("Date de l'accusé de réception de la mise en demeure")
        if sent_on is not None:
            text += tr(" envoyée le {d}").format(d=f"{sent_on:%d/%m/%Y}")
        self.date = date_edit(ops.today())
        buttons = dialog_buttons(self, tr("Enregistrer"))
        form = QFormLayout(self)
        form.addRow(QLabel(text + " :"))
        form.addRow(tr("Reçu le :"), self.date)
        form.addRow(buttons)

    def set_date(self, day: dt.date) -> None:
        """Type a date (tests, callers that know it)."""
        self.date.setDate(to_qdate(day))

    def accept(self) -> None:
        """Record through ops.run; a date before sending is refused and the dialog stays."""
        on = from_qdate(self.date.date())
        done = self.ops.run(self, lambda: self.ledger_ack(on), "history")
        if done:
            self.recorded = True
            super().accept()

    def ledger_ack(self, on: dt.date) -> bool:
        """The write itself."""
        self.ops.ledger.acknowledge(self.action_id, on)
        return True
