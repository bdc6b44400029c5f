"""Today's letters in one batch: pick them, build one PDF with a cancellable progress, record."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.errors import InputError
from models.ids import ClientId
from models.letters.batch import (
    LetterRequest,
    iter_letters,
    letters_due,
    not_taken,
    record_batch,
)
from models.letters.delivery import PDF, PRINTED, postal_gaps
from models.letters.documents import LetterData
from models.store.ledger import Ledger
from reports.letters import render_letters
from ui.ops import Ops, tr
from ui.widgets import date_edit, from_qdate
from ui.wizards.mail_batch import MailBatchBox
from ui.wizards.output import (
    Outputs,
    deliver,
    kind_name,
    letters_dir,
)

WAIT_STEP = 0.02  # seconds between two looks at the rendering thread (the UI stays live)
# A page object in a PDF: "/Type /Page" not followed by "s" (the page tree is "/Pages").
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF reportlab wrote (its page objects are never compressed)."""
    return len(_PAGE.findall(pdf))


def sheets_text(letters: int, pages: int) -> str:
    """'3 lettres, 4 pages : 4 feuilles A4 à imprimer (recto seul).'"""
    return tr("{n} lettre(s), {p} page(s) : {p} feuille(s) A4 à imprimer (recto seul).").format(
        n=letters, p=pages
    )


def confirm_sheets(parent: QWidget | None, text: str) -> bool:
    """Say how many sheets the batch takes before it goes to the printer or a file."""
    answer = QMessageBox.question(
        parent,
        tr("Relances du jour"),
        text + "\n" + tr("Continuer ?"),
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Ok,
    )
    return answer == QMessageBox.StandardButton.Ok


def step_templates(ledger: Ledger) -> dict[str, str]:
    """Policy step code -> letter kind, over the default policy and the clients' own ones."""
    names: list[str | None] = [None, *ledger.policy_names()]
    out: dict[str, str] = {}
    for name in names:
        for step in ledger.policy(name).steps:
            if step.template:
                out.setdefault(step.code, step.template)
    return out


def batch_file_name(day: dt.date) -> str:
    """'lettres-du-jour_2026-11-23.pdf'."""
    return f"lettres-du-jour_{day.isoformat()}.pdf"


class BatchDialog(QDialog):
    """The letters due today, one per client; formal notices are left to their own wizard."""

    progressed = Signal(int)  # letters built so far (tests cancel midway on it)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ledger = ops.ledger
        self.outputs = Outputs()
        self.letters_folder = letters_dir(self.ledger)
        self.progress: QProgressDialog | None = None
        self.document_path: Path | None = None
        self.recorded = 0
        self.pages = 0  # of the last batch made, shown before printing
        self.confirm_sheets = confirm_sheets  # replaceable in tests (a modal box would block)
        today = ops.today()
        # Issue 15: the e-mail steps of clients with an address go by e-mail when an account
        # is set; the others stay in the letters.
        self.mails = MailBatchBox(ops, today)
        due = letters_due(self.ledger.todo(today), step_templates(self.ledger))
        self.requests = [r for r in due if not self.mails.goes_by_mail(r)]
        self.setWindowTitle(tr("Relances du jour"))
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([tr("Client"), tr("Lettre"), tr("Factures"), tr("Due depuis le")])
        notices = 0
        self.gaps = self._postal_gaps()
        for r in self.requests:
            name = kind_name(r.kind) + (tr(" — hors lot") if r.needs_registered_number else "")
            item = QTreeWidgetItem([r.client, name, ", ".join(r.invoices), f"{r.on:%d/%m/%Y}"])
            gap = self.gaps.get(r.client_id)
            if gap and not r.needs_registered_number:
                # Not ticked: a letter that cannot reach the client is not made by default.
                item.setText(0, r.client + tr(" — adresse incomplète"))
                item.setToolTip(0, gap)
                item.setCheckState(0, Qt.CheckState.Unchecked)
            elif r.needs_registered_number:
                notices += 1
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(
                    0,
                    tr(
                        "Une mise en demeure se prépare une par une (n° de "
                        "recommandé) : menu Relances."
                    ),
                )
            else:
                item.setCheckState(0, Qt.CheckState.Checked)
            self.tree.addTopLevelItem(item)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel(self._note(notices))
        self.sheets = QLabel()  # the sheet count, once the batch is made
        self.note.setWordWrap(True)
        self.date = date_edit(today)
        self.radios = {
            "print": QRadioButton(tr("Imprimer")),
            "save": QRadioButton(tr("Enregistrer le PDF…")),
        }
        group = QButtonGroup(self)
        for radio in self.radios.values():
            group.addButton(radio)
        self.radios["print"].setChecked(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(tr("Date des lettres :"), self.date)
        form.addRow(tr("Sortie :"), self.radios["print"])
        form.addRow("", self.radios["save"])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Préparer les lettres"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Fermer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            len(self.requests) > notices
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.mails)
        layout.addWidget(self.tree)
        layout.addWidget(self.note)
        layout.addWidget(self.sheets)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(760, 520)

    def _postal_gaps(self) -> dict[int, str]:
        """Client id -> what its postal address lacks, in a sentence, for the clients listed."""
        out: dict[int, str] = {}
        for r in self.requests:
            c = self.ledger.client(ClientId(r.client_id))
            gaps = postal_gaps(c.street, c.locality, c.postal_code, c.city, c.country)
            if gaps:
                out[r.client_id] = tr(
                    "Adresse postale incomplète (manque : {what}) : complétez la fiche client."
                ).format(what=", ".join(tr(g) for g in gaps))
        return out

    def _note(self, notices: int) -> str:
        if not self.requests:
            return tr("Aucune lettre à envoyer aujourd'hui.")
        text = tr(
            "Une lettre par client, à l'étape la plus avancée, pour toutes ses factures à "
            "relancer. Une fois le lot imprimé ou enregistré, l'historique de chaque client "
            "le note (« lettre imprimée » ou « lettre préparée (PDF) »)."
        )
        incomplete = sum(1 for r in self.requests if r.client_id in self.gaps)
        if incomplete:
            text += " " + tr(
                "{n} client(s) à l'adresse postale incomplète, non cochés : complétez "
                "leur fiche, ou cochez-les quand même."
            ).format(n=incomplete)
        if notices:
            text += " " + tr(
                "{n} mise(s) en demeure non incluse(s) : chacune demande son n° de "
                "recommandé, préparez-la depuis le menu Relances."
            ).format(n=notices)
        return text

    def set_output(self, choice: str) -> None:
        """'print' or 'save'."""
        self.radios[choice].setChecked(True)

    def checked_requests(self) -> list[LetterRequest]:
        """The letters ticked, in list order."""
        return [
            r
            for i, r in enumerate(self.requests)
            if self.tree.topLevelItem(i).checkState(0) == Qt.CheckState.Checked
        ]

    def set_checked(self, client_ids: set[int]) -> None:
        """Tick the letters of these clients only (notices stay out)."""
        for i, r in enumerate(self.requests):
            if not r.needs_registered_number:
                ok = r.client_id in client_ids
                self.tree.topLevelItem(i).setCheckState(
                    0, Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked
                )

    def accept(self) -> None:
        """Build, deliver and record the batch; the dialog closes only once it is done."""
        if self.run():
            super().accept()

    def run(self) -> bool:
        """The whole batch; False when cancelled or refused (then nothing is recorded)."""
        chosen = self.checked_requests()
        if not chosen:
            return False
        # Issue 18: someone else may have made some of these letters since the list was shown.
        chosen, taken = not_taken(self.ledger, chosen)
        if taken:
            self.outputs.warn(
                self,
                tr("Déjà faites depuis un autre poste, retirées du lot :\n{lines}").format(
                    lines="\n".join(taken)
                ),
            )
            self.ops.changed.emit("history")
        if not chosen:
            return False
        day = from_qdate(self.date.date())
        pdf = self.generate(chosen, day)
        if pdf is None:
            return False
        self.pages = page_count(pdf)
        count = sheets_text(len(chosen), self.pages)
        self.sheets.setText(count)
        if not self.confirm_sheets(self, count):
            return False
        name = batch_file_name(day)
        choice = next(k for k, r in self.radios.items() if r.isChecked())
        kept = self.outputs.archive(self, choice, name, self.letters_folder, pdf)
        if kept is None:
            return False
        archived, target, printer = kept
        try:
            deliver(pdf, target, printer)
        except OSError as exc:  # not printed, not saved: nothing is recorded
            archived.unlink(missing_ok=True)
            self.outputs.warn(
                self,
                tr("Le lot n'est pas parti : {e}.\nRien n'a été noté dans l'historique.").format(
                    e=exc
                ),
            )
            return False
        self.document_path = archived
        refused = self.record(chosen, day, str(archived), PRINTED if choice == "print" else PDF)
        if refused:
            self.outputs.warn(
                self, tr("Non notés dans l'historique :\n{lines}").format(lines="\n".join(refused))
            )
        return True

    def generate(self, chosen: list[LetterRequest], day: dt.date) -> bytes | None:
        """All letters in one PDF behind a progress dialog; None when cancelled or refused."""
        total = len(chosen)
        progress = self.progress = QProgressDialog(
            tr("Préparation des lettres…"), tr("Annuler"), 0, total + 1, self
        )
        progress.setWindowTitle(tr("Relances du jour"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        letters: list[LetterData] = []
        try:
            for data in iter_letters(self.ledger, chosen, day):
                letters.append(data)
                n = len(letters)
                progress.setValue(n)
                progress.setLabelText(
                    tr("Préparation des lettres… {n}/{total}").format(n=n, total=total)
                )
                self.progressed.emit(n)
                QCoreApplication.processEvents()
                if progress.wasCanceled():
                    return None
            progress.setLabelText(tr("Mise en page de {total} lettres…").format(total=total))
            return self._render(letters, progress)
        except InputError as exc:
            who = chosen[min(len(letters), total - 1)].client
            self.ops.show_refusal(self, InputError(f"{who} : {exc}"))
            return None
        finally:
            progress.close()

    def _render(self, letters: list[LetterData], progress: QProgressDialog) -> bytes | None:
        """render_letters in a thread while the dialog stays live; cancelling drops the result."""
        result: dict[str, object] = {}

        def work() -> None:
            try:
                result["pdf"] = render_letters(letters)
            except Exception as exc:  # any failure is reported in the UI thread below
                result["error"] = exc

        worker = threading.Thread(target=work, name="relance-lot", daemon=True)
        worker.start()
        while worker.is_alive():
            QCoreApplication.processEvents()
            worker.join(WAIT_STEP)
        if progress.wasCanceled():
            return None
        error = result.get("error")
        if isinstance(error, Exception):
            self.ops.show_refusal(
                self, InputError(tr("mise en page impossible : {e}").format(e=error))
            )
            return None
        progress.setValue(len(letters) + 1)
        return result.get("pdf")  # type: ignore[return-value]

    def record(
        self, chosen: list[LetterRequest], day: dt.date, path: str, delivery: str
    ) -> list[str]:
        """Note what was done with each letter (one transaction each, one refresh).

        A letter that also reminds invoices not due yet records them as "preventive".
        Returns the refusals.
        """
        refused: list[str] = []

        def work() -> int:
            # One transaction per letter, each recorded once (issue 18: a letter made
            # meanwhile from another machine is refused and listed, never noted twice).
            done, why = record_batch(self.ledger, chosen, day, delivery, path)
            refused.extend(why)
            return len(done)

        self.recorded = self.ops.run(self, work, "history") or 0
        return refused
