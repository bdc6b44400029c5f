"""The *Échéancier* wizard: split a balance into instalments, the agreement letter, the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from models.errors import FieldError, InputError
from models.ids import PlanId
from models.law.plans import split_instalments
from models.letters.data import plan_cover_phrase
from models.letters.delivery import EMAIL_SENT, record_for
from models.letters.documents import LetterData
from models.letters.statement import Statement
from models.money import format_eur, from_cents
from ui.ops import Ops, tr
from ui.widgets import date_edit, from_qdate, to_qdate
from ui.wizards.base import LetterWizard
from ui.wizards.mail_page import BOTH, EMAIL, POST, ChannelPage

FREQUENCY_NAMES = {
    "monthly": "mensuelle",
    "bimonthly": "bimestrielle",
    "quarterly": "trimestrielle",
}
DEFAULT_COUNT = 3
FIRST_AFTER_DAYS = 15  # first instalment two weeks after the agreement by default


class InstalmentsPage(QWizardPage):
    """Number, first date and frequency of the instalments, and the table they give."""

    def __init__(self, wizard: PlanWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.plan: list[tuple[dt.date, int]] = []
        self.setTitle(tr("Échéances"))
        self.setSubTitle(
            tr(
                "Le montant de l'accord est partagé en échéances égales ; la dernière absorbe "
                "les centimes."
            )
        )
        self.statement = Statement()
        self.waive = QCheckBox(
            tr("Renoncer aux pénalités et à l'indemnité si l'échéancier est respecté")
        )
        self.covers = QLabel()
        self.covers.setWordWrap(True)
        self.total = QLabel()
        self.count = QSpinBox()
        self.count.setRange(1, 36)
        self.count.setValue(DEFAULT_COUNT)
        self.first = date_edit(wizard.ops.today() + dt.timedelta(days=FIRST_AFTER_DAYS))
        self.frequency = QComboBox()
        for code, name in FREQUENCY_NAMES.items():
            self.frequency.addItem(tr(name), code)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("N°"), tr("Date"), tr("Montant")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setMaximumWidth(480)
        self.sum = QLabel()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a00;")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.waive)
        form.addRow(self.covers)  # the whole width: the sentence the letter prints
        form.addRow(tr("Montant à échelonner :"), self.total)
        form.addRow(tr("Nombre d'échéances :"), self.count)
        form.addRow(tr("Première échéance :"), self.first)
        form.addRow(tr("Fréquence :"), self.frequency)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addWidget(self.sum)
        layout.addWidget(self.problem)
        self.waive.toggled.connect(self._restate)
        self.count.valueChanged.connect(self._split)
        self.first.dateChanged.connect(self._split)
        self.frequency.currentIndexChanged.connect(self._split)

    def initializePage(self) -> None:
        """Show what the plan covers; move the first instalment after the agreement if needed."""
        day = self.wiz.letter_date()
        if from_qdate(self.first.date()) < day:
            self.first.setDate(to_qdate(day + dt.timedelta(days=FIRST_AFTER_DAYS)))
        self._restate()

    def _restate(self) -> None:
        """The plan's statement of account (the letter states the same), then the split."""
        self.statement = self.wiz.invoices_page.statement(self.waive.isChecked())
        self.covers.setText(plan_cover_phrase(self.statement))
        self.total.setText(format_eur(self.statement.total))
        self._split()

    def set_frequency(self, code: str) -> None:
        """Choose the frequency by code (monthly, bimonthly, quarterly)."""
        self.frequency.setCurrentIndex(self.frequency.findData(code))

    def _split(self) -> None:
        self.plan = []
        try:
            self.plan = split_instalments(
                self.statement.total_cents,
                self.count.value(),
                from_qdate(self.first.date()),
                str(self.frequency.currentData()),
            )
            self.problem.clear()
        except InputError as exc:
            self.problem.setText(str(exc))
        self.table.setRowCount(len(self.plan))
        for row, (day, cents) in enumerate(self.plan):
            for col, text in enumerate(
                (str(row + 1), f"{day:%d/%m/%Y}", format_eur(from_cents(cents)))
            ):
                item = QTableWidgetItem(text)
                if col != 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.sum.setText(
            tr("Total des échéances : {t}").format(t=format_eur(self.statement.total))
            if self.plan
            else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """A plan that splits."""
        return bool(self.plan)

    def validatePage(self) -> bool:
        """No instalment before the agreement; then the agreement letter must be possible."""
        if self.plan and self.plan[0][0] < self.wiz.letter_date():
            self.wiz.refuse(
                InputError(
                    [FieldError(tr("première échéance"), tr("elle précède la date de l'accord"))]
                )
            )
            return False
        return self.wiz.check_letter()


class PlanWizard(LetterWizard):
    """*Échéancier*: the agreement letter, then the plan and the letter in the history."""

    default_kind = "payment_plan"

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoice_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, client_id, invoice_ids, None, parent)
        self.plan_id: PlanId | None = None
        self.setWindowTitle(tr("Échéancier — {client}").format(client=self.client.name))
        self.instalments_page = InstalmentsPage(self)
        # Issue 15: the agreement confirmed by e-mail (its letter in PDF), by post, or both.
        self.channel_page = ChannelPage(
            self,
            {
                EMAIL: "Confirmation par e-mail (l'accord en PDF joint)",
                POST: "Par courrier (imprimer ou enregistrer le PDF)",
                BOTH: "Les deux : e-mail et courrier",
            },
        )
        self.add_pages(self.instalments_page, channel=self.channel_page)
        self.channel_page.follow(self.output_page)

    def check_page(self, page: QWizardPage) -> bool:
        """The letter needs the instalments: it is checked on the next page."""
        return True

    def instalments(self) -> list[tuple[dt.date, int]]:
        """(date, cents) of each instalment."""
        return list(self.instalments_page.plan)

    def letter_key(self) -> Hashable:
        """The instalments are part of the letter's text."""
        return (*super().letter_key(), tuple(self.instalments()), self.waived())

    def waived(self) -> bool:
        """Whether the plan waives penalties and the indemnity while it is honoured."""
        return self.instalments_page.waive.isChecked()

    def make_letter(self) -> LetterData:
        """The agreement with its instalment table."""
        return self.ledger.letter(
            self.client_id,
            "payment_plan",
            self.letter_date(),
            self.invoice_ids(),
            instalments=self.instalments(),
            waive_penalties=self.waived(),
        )

    def record(self, document_path: str, on: dt.date, channel: str) -> bool:
        """Create the plan; its agreement enters the history with the letter, in one write."""
        plan = [(day, from_cents(cents)) for day, cents in self.instalments()]
        plan_id = self.ops.run(
            self,
            lambda: self.ledger.create_plan(
                self.client_id,
                self.invoice_ids(),
                self.letter_date(),
                plan,
                channel=channel,
                document_path=document_path,
                waive_penalties=self.waived(),
                outcome=record_for("payment_plan", self.delivery).outcome,
            ),
            "history",
        )
        if plan_id is None:
            return False
        self.plan_id = plan_id
        return True

    def finish_mail_only(self) -> bool:
        """Confirmed by e-mail alone: the plan is created with the e-mail as its letter."""
        if self.plan_id is not None:
            return True
        self.delivery = EMAIL_SENT
        on = self.output_page.sent_on()
        return self.record(self.channel_page.sent_path, on, "email")

    def finish_note(self) -> str:
        """What Finish records."""
        text = tr(
            "Terminer crée l'échéancier ({n} échéances) et note l'envoi de l'accord dans "
            "l'historique de {client}."
        ).format(n=len(self.instalments()), client=self.client.name)
        page = getattr(self, "channel_page", None)
        if page is not None and page.channel() != POST:
            text += " " + tr("La confirmation par e-mail : {what}.").format(what=page.note_what())
        return text
