"""The Ledger: the one service object ui/ and main.py call; each write is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from models.errors import FieldError, InputError, NotFoundError, StepTakenError
from models.ids import ActionId, ClientId
from models.letters.delivery import SENT, record_for
from models.letters.kinds import LETTER_KINDS
from models.store import changes, db
from models.store.facts import (
    archived_invoice_ids,
)
from models.store.ledger_bank import LedgerBank
from models.store.stage_cache import StageCache, cache_enabled
from models.store.stage_reads import StageReads
from models.store.todo_reads import load_todo
from models.todo import StageRow, TodoItem, stage_rows

if TYPE_CHECKING:  # the import machinery loads when a file is imported, not at every start
    from models.importing.apply import Cancelled, ImportReport, Progress
    from models.importing.read import ParsedFile
    from models.law.aging import AgedBalance, Buckets
    from models.law.interest import InterestResult
    from models.law.prescription import Prescription
    from models.letters.documents import LetterData
    from models.letters.statement import Statement


class Ledger(LedgerBank, StageReads):
    """Front of the domain: the queries and writes on one database (Fava's ledger).

    Built in layers: storage and clients (ledger_base), invoices, payments, history and
    plans (ledger_invoices), payments and their corrections (ledger_payments), history corrections
    (ledger_history), settings (ledger_settings), e-mail (ledger_mail), bank statements
    (ledger_bank); here the reports and letters.
    """

    # -- reports ---------------------------------------------------------------------------
    def stages(
        self, as_of: dt.date, open_only: bool = False, include_archived: bool = False
    ) -> list[StageRow]:
        """Stage, balance and next step of every live invoice as of a date.

        `open_only`: only the invoices with a balance still due on that date (client list).
        `include_archived`: the archived invoices too, flagged `archived` (shown greyed).
        """
        if open_only:
            facts = self.facts(owed_on=as_of, include_archived=include_archived)
            rows = stage_rows(facts, as_of, self.policy_for)
            if include_archived:
                hidden = set(self.archived_invoice_ids())
                for r in rows:
                    r.archived = r.invoice_id in hidden
            return rows
        return list(self.iter_stages(as_of, include_archived=include_archived))

    def stage_cache(self) -> StageCache | None:
        """The stage cache of a SQLite file (None on a server or in memory: rows computed)."""
        path = db.sqlite_path(self.url)
        return StageCache(path) if path is not None and cache_enabled() else None

    def archived_invoice_ids(self) -> list[int]:
        """Invoices out of the lists: archived, or of an archived client."""
        with self._read() as conn:
            return archived_invoice_ids(conn)

    def todo(self, as_of: dt.date) -> list[TodoItem]:
        """The steps due on or before `as_of` and not done, grouped per client, with what the
        client's record lacks for each step and the e-mails in "état inconnu"."""
        self.policy()  # read the policies now: nothing else is read during the to-do's reads
        with self._read() as conn:
            return load_todo(conn, as_of, self.policy_for)

    def interest(self, number: str, as_of: dt.date) -> InterestResult:
        """Penalties, indemnity and their breakdown for one invoice as of a date."""
        from models.law.interest import compute_interest

        inv = self.find_invoice(number)
        facts = self.facts(invoice_ids=[inv.id])  # type: ignore[list-item]
        if not facts:
            raise NotFoundError(f"facture archivée : {number}")
        if facts[0].issue_date > as_of:
            raise InputError(f"la facture {number} n'est pas encore émise au {as_of:%d/%m/%Y}")
        return compute_interest(facts[0], as_of, self.rates(), self.contractual_rate())

    def prescription(self, invoice_id: int, as_of: dt.date) -> Prescription:
        """Where one invoice stands against prescription as of a date (start, interruptions)."""
        from models.law.prescription import prescription

        facts = self.facts(invoice_ids=[invoice_id])
        if not facts:
            raise NotFoundError(f"facture archivée ou inconnue (n° {invoice_id})")
        return prescription(facts[0], as_of)

    def aged_balance(self, as_of: dt.date, buckets: Buckets | None = None) -> AgedBalance:
        """The aged balance by client as of a date (SQL aggregates)."""
        from models.law.aging import compute_aged_balance

        with self._read() as conn:
            return compute_aged_balance(conn, as_of, buckets or self.buckets())

    def letter(
        self,
        client_id: ClientId,
        kind: str,
        as_of: dt.date,
        invoice_ids: Sequence[int] = (),
        registered_number: str = "",
        instalments: Sequence[tuple[dt.date, int]] = (),
        deadline_days: int | None = None,
        waive_penalties: bool = False,
    ) -> LetterData:
        """One letter for a client: the invoices chosen, else all those at that step.

        A formal notice's deadline is the client's policy's unless `deadline_days` is given.
        """
        from models.letters.data import build_letter, invoices_for_letter

        if kind not in LETTER_KINDS:
            raise InputError(f"type de lettre inconnu « {kind} »")
        if deadline_days is not None and not 1 <= deadline_days <= 90:
            raise InputError([FieldError("délai", "entre 1 et 90 jours")])
        client = self.client(client_id)
        chosen = invoices_for_letter(self.facts(client_id=client_id), kind, as_of, invoice_ids)
        template = self.template(kind)
        policy = self.policy(client.policy_name)
        return build_letter(
            kind=kind,
            company=self.company(),
            client=client,
            facts=chosen,
            as_of=as_of,
            template=template,
            rates=self.rates(),
            contractual=self.contractual_rate(),
            deadline_days=deadline_days or policy.notice_deadline_days,
            registered_number=registered_number,
            instalments=instalments,
            waive_penalties=waive_penalties,
        )

    def statement(
        self,
        client_id: ClientId,
        kind: str,
        as_of: dt.date,
        invoice_ids: Sequence[int] = (),
        waive_penalties: bool = False,
    ) -> Statement:
        """The statement of account a letter of `kind` would print (the wizards show it)."""
        from models.letters.data import invoices_for_letter
        from models.letters.statement import statement_of_account

        if kind not in LETTER_KINDS:
            raise InputError(f"type de lettre inconnu « {kind} »")
        client = self.client(client_id)
        chosen = invoices_for_letter(self.facts(client_id=client_id), kind, as_of, invoice_ids)
        return statement_of_account(
            chosen,
            kind,
            as_of,
            self.rates(),
            self.contractual_rate(),
            b2c=client.kind == "b2c",
            waive_penalties=waive_penalties,
        )

    def enclosed_letters(
        self, client_id: ClientId, invoice_ids: Sequence[int], as_of: dt.date
    ) -> list[tuple[str, Path]]:
        """The archived copies of the reminders a formal notice encloses: (caption, file).

        The same letters `models/letters/wording.py` lists as enclosures, those whose archived
        PDF is still on disk, in date order.
        """
        from models.letters.wording import ENCLOSED_STEPS

        wanted = {f.number for f in self.facts(invoice_ids=invoice_ids)}
        found: list[tuple[str, Path]] = []
        for action, numbers in self.history(client_id):
            if action.date > as_of or action.step not in ENCLOSED_STEPS:
                continue
            path = Path(action.document_path) if action.document_path else None
            if path is None or not path.is_file() or not wanted.intersection(numbers):
                continue
            caption = f"Copie de notre {ENCLOSED_STEPS[action.step]} du {action.date:%d/%m/%Y}"
            if all(existing != path for _, existing in found):
                found.append((caption, path))
        return found

    def record_letter_sent(
        self,
        client_id: ClientId,
        kind: str,
        invoice_ids: Sequence[int],
        on: dt.date,
        *,
        delivery: str = SENT,
        document_path: str = "",
        registered_number: str = "",
        notes: str = "",
    ) -> ActionId:
        """Record in the history what was done with a letter; the invoices move to that step.

        `delivery` says what happened (models/letters/delivery.py): "pdf" (a PDF produced),
        "printed", "email_draft" (a draft opened, sending not confirmed), "email_sent", or
        "sent" (recorded by hand). Registered only with the LRAR number.
        """
        from models.law.policy import ESCALATION_LEVELS

        if kind not in LETTER_KINDS:
            raise InputError(f"type de lettre inconnu « {kind} »")
        if not invoice_ids:
            raise InputError([FieldError("factures", "aucune facture concernée")])
        entry = record_for(kind, delivery, registered_number)
        step = kind if kind in ESCALATION_LEVELS or kind == "preventive" else ""
        return self.record_action(
            client_id,
            on,
            entry.action_kind,
            invoice_ids=invoice_ids,
            channel=entry.channel,
            step=step,
            outcome=entry.outcome,
            notes=notes or entry.notes,
            document_path=document_path,
            registered_number=registered_number,
        )

    def record_letter_steps(
        self,
        client_id: ClientId,
        steps: Sequence[tuple[str, Sequence[int]]],
        on: dt.date,
        *,
        delivery: str = SENT,
        document_path: str = "",
    ) -> list[ActionId]:
        """Record one letter of the day's batch, once: its steps, in one transaction.

        `steps`: (letter kind, invoice ids) as `LetterRequest.recorded_steps()` gives them.
        Issue 18: two people may run the batch at once; the check that no step is already
        recorded and the record are made together under the client's lock, so the second
        gets a StepTakenError (who made it, when) and nothing is written twice.
        """
        from models.law.policy import ESCALATION_LEVELS
        from models.store.tables import Client, Invoice

        errors: list[FieldError] = []
        for kind, ids in steps:
            if kind not in LETTER_KINDS:
                errors.append(FieldError("type", f"type de lettre inconnu « {kind} »"))
            if not ids:
                errors.append(FieldError("factures", "aucune facture concernée"))
        if errors or not steps:
            raise InputError(errors or [FieldError("factures", "aucune facture concernée")])
        with self._write() as s:
            self._get(s, Client, client_id, "client")
            changes.lock_client_steps(s.connection(), client_id)
            taken = self._step_taken(s, steps)
            if taken is not None:
                raise StepTakenError(taken)
            out = []
            for kind, ids in steps:
                for inv_id in ids:
                    if self._get(s, Invoice, inv_id, "facture").client_id != client_id:
                        raise InputError(f"la facture n° {inv_id} n'est pas à ce client")
                entry = record_for(kind, delivery, "")
                step = kind if kind in ESCALATION_LEVELS or kind == "preventive" else ""
                out.append(
                    self._add_action(
                        s,
                        client_id,
                        on,
                        entry.action_kind,
                        entry.channel,
                        step,
                        entry.notes,
                        ids,
                        outcome=entry.outcome,
                        document_path=document_path,
                    )
                )
        return out

    def steps_taken(self, steps: Sequence[tuple[str, Sequence[int]]]) -> str | None:
        """Why one of these steps is already recorded (by whom, when), or None (a read)."""
        from sqlmodel import Session

        with Session(self.engine) as s:
            return self._step_taken(s, steps)

    def letter_for_invoice(self, number: str, kind: str, as_of: dt.date) -> LetterData:
        """The letter of this kind for the invoice's client, grouping the client's invoices."""
        from models.law.plans import split_instalments
        from models.letters.data import invoices_for_letter

        inv = self.find_invoice(number)
        facts = self.facts(client_id=inv.client_id)
        chosen = invoices_for_letter(facts, kind, as_of)
        if inv.id not in {f.id for f in chosen}:
            chosen = [f for f in facts if f.id == inv.id] + chosen
        ids = [f.id for f in chosen]
        instalments: list[tuple[dt.date, int]] = []
        if kind == "payment_plan":  # the CLI's plan: three monthly instalments of the total
            total = self.statement(ClientId(inv.client_id), kind, as_of, ids).total_cents
            instalments = split_instalments(total, 3, as_of + dt.timedelta(days=15))
        return self.letter(ClientId(inv.client_id), kind, as_of, ids, instalments=instalments)

    def import_file(
        self,
        path: Path,
        as_of: dt.date,
        skip_invalid: bool = False,
        replace_conflicts: bool = False,
    ) -> ImportReport:
        """Import a CSV or XLSX file in one transaction; any error and no skip: nothing written.

        `as_of` is the import date: nothing imported is dated after it.
        """
        from models.importing.apply import collection_paused
        from models.importing.read import parse_file

        with collection_paused():
            parsed = parse_file(path)
            return self.import_parsed(parsed, as_of, skip_invalid, replace_conflicts)

    def import_parsed(
        self,
        parsed: ParsedFile,
        as_of: dt.date,
        skip_invalid: bool = False,
        replace_conflicts: bool = False,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportReport:
        """Write rows already parsed (the UI shows them first); all or nothing unless skipping.

        `dry_run`: decide it all and report what would be done, writing nothing (the window
        asks about errors and conflicts before writing). `progress` hears how far it is;
        `cancelled` returning True stops it before the commit (ImportCancelledError, nothing
        written).
        """
        from models.importing.apply import ImportAbortedError, ImportReport, plan_import, write_plan
        from models.store import versions

        terms = int(self.setting("payment_terms_days"))
        options = (skip_invalid, terms, as_of, replace_conflicts, progress, cancelled)
        try:
            if dry_run:  # a read, never a write transaction: other machines see no change
                with self._read() as conn:
                    return plan_import(conn, parsed, *options, user=self.user).report
            with self._write() as s:
                conn = s.connection()
                who = versions.session_user(s)
                plan = plan_import(conn, parsed, *options, user=who)
                when = versions.session_time(s)
                write_plan(conn, plan, progress, cancelled, who=who or "", when=when)
                return plan.report
        except ImportAbortedError as aborted:  # the transaction was rolled back: nothing written
            report = aborted.report
            if dry_run:
                return report
            return ImportReport(rows=report.rows, errors=report.errors, warnings=report.warnings)

    def is_empty(self) -> bool:
        """No client and no invoice yet (the first run's question): two looks, no count."""
        with self._read() as conn:
            found = conn.exec_driver_sql(
                "SELECT EXISTS (SELECT 1 FROM client), EXISTS (SELECT 1 FROM invoice)"
            ).one()
        return not any(found)

    def counts(self) -> dict[str, int]:
        """How many clients and invoices the database holds (for status lines and tests).

        Plain counts, one snapshot: the window asks as it opens, without the ORM.
        """
        tables = (("clients", "client"), ("invoices", "invoice"), ("payments", "payment"))
        with self._read() as conn:
            return {
                key: int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())
                for key, table in (*tables, ("actions", "action"))
            }
