"""The Ledger's bank statements: credits recorded once, the sure ones as payments, in one go.

Each credit of a statement is kept in `bank_entry` under its bank identity, so the same or an
overlapping statement imported again records nothing twice. A credit whose text names the
invoices (or our letter's reference) is recorded as payment(s) when the user asks; the others
wait, with their proposals, in the "À rapprocher" list until the user picks the invoices or
says the money is not for us. A recorded credit keeps its payments and its history line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from models.errors import InputError, NotFoundError
from models.ids import PaymentId
from models.money import format_eur
from models.store.codes import BANK_APPLIED, BANK_NOT_OURS, BANK_TO_RECONCILE
from models.store.ledger_mail import LedgerMail
from models.store.ledger_payments import EXCESS_CREDIT

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.bank.entries import BankStatement, StatementEntry
    from models.bank.matching import Book, Match, OpenInvoice, Proposal
    from models.bank.report import BankImport
    from models.store.tables import (
        BankEntry,
    )

# What became of a stored credit, as the lists and the command line say it.
STATUS_WORDS = {
    BANK_APPLIED: "enregistré",
    BANK_TO_RECONCILE: "à rapprocher",
    BANK_NOT_OURS: "pas pour nous",
}
_CHUNK = 500  # identities looked up per query (SQLite's bound parameters)
_OPEN_INVOICES = """
SELECT i.id, i.number, i.client_id, i.due_date,
       i.amount_ttc_cents - i.deposit_cents - COALESCE(p.paid, 0) AS balance
  FROM invoice i
  JOIN client c ON c.id = i.client_id
  LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS paid FROM payment
              WHERE cancelled_on IS NULL GROUP BY invoice_id) p ON p.invoice_id = i.id
 WHERE NOT i.archived AND NOT c.archived AND NOT i.written_off
"""


@dataclass(frozen=True)
class PendingCredits:
    """The credits waiting for the user, each with its match, and the book of open invoices."""

    items: list[tuple[BankEntry, Match]]
    book: Book

    def __iter__(self) -> Iterator[tuple[BankEntry, Match]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> tuple[BankEntry, Match]:
        return self.items[index]


def describe_entry(entry: StatementEntry | BankEntry) -> str:
    """'virement de 1 200,00 € du 10/03/2026 de SARL DUPONT (« Facture F-1 »)'."""
    day = entry.booking_date
    who = f" de {entry.debtor}" if entry.debtor else ""
    said = f" (« {entry.text[:120]} »)" if entry.text else ""
    return f"virement de {format_eur(entry.amount_cents, cents=True)} du {day:%d/%m/%Y}{who}{said}"


class LedgerBank(LedgerMail):
    """Bank statements in: preview, import (the sure payments recorded), reconciliation."""

    # -- reading -----------------------------------------------------------------------------
    def bank_book(self, entries: Iterable[StatementEntry] = ()) -> Book:
        """The open invoices indexed for matching, with the letters the entries' texts cite."""
        from sqlmodel import Session

        with Session(self.engine) as s:
            return self._book(s, entries)

    def _book(self, s: Session, entries: Iterable[StatementEntry]) -> Book:
        from sqlmodel import col, select

        from models.bank.matching import Book, OpenInvoice, letter_references, number_key
        from models.store.tables import Action, ActionInvoice

        conn = s.connection()
        open_rows: list[OpenInvoice] = []
        settled: dict[str, str] = {}
        # The driver's rows as they come (100k invoices: the ORM's row objects cost seconds).
        for inv_id, number, client_id, due, balance in conn.exec_driver_sql(_OPEN_INVOICES):
            if balance > 0:
                due_date = due if isinstance(due, dt.date) else dt.date.fromisoformat(due)
                open_rows.append(OpenInvoice(inv_id, number, client_id, due_date, int(balance)))
            else:
                settled[number_key(number)] = number
        wanted = {c.client_id for c in open_rows}
        clients = {
            cid: name
            for cid, name in conn.exec_driver_sql("SELECT id, name FROM client WHERE NOT archived")
            if cid in wanted
        }
        refs = {ref for e in entries for ref in letter_references(f"{e.text} {e.end_to_end_id}")}
        letters: dict[tuple[int, dt.date], list[int]] = {}
        for client_id, day in refs:
            rows = s.exec(
                select(ActionInvoice.invoice_id)
                .join(Action, col(Action.id) == col(ActionInvoice.action_id))
                .where(Action.client_id == client_id)
                .where(Action.date == day)
                .where(col(Action.cancelled_on).is_(None))
            ).all()
            letters[(client_id, day)] = sorted(set(rows))
        return Book(open_rows, clients, settled, letters)

    def _known(
        self, s: Session, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], BankEntry]:
        """The entries already stored among (account, identity) pairs."""
        from sqlmodel import col, select

        from models.store.tables import BankEntry

        by_account: dict[str, list[str]] = defaultdict(list)
        for account, identity in keys:
            by_account[account].append(identity)
        found: dict[tuple[str, str], BankEntry] = {}
        for account, ids in by_account.items():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                rows = s.exec(
                    select(BankEntry)
                    .where(BankEntry.account == account)
                    .where(col(BankEntry.identity).in_(chunk))
                ).all()
                found.update({(r.account, r.identity): r for r in rows})
        return found

    def bank_preview(self, statement: BankStatement) -> BankImport:
        """What importing the statement would do: each credit, known or with its proposals.

        Nothing is written.
        """
        from sqlmodel import Session

        with Session(self.engine) as s:
            return self._lines(s, statement, written=False)

    def _lines(self, s: Session, statement: BankStatement, written: bool) -> BankImport:
        from models.bank.entries import identities
        from models.bank.matching import Match, match_entry
        from models.bank.report import BankImport, BankLine

        credits = statement.credits
        ids = identities(statement.entries)
        credit_ids = [i for e, i in zip(statement.entries, ids, strict=True) if e.credit]
        known = self._known(s, [(e.account, i) for e, i in zip(credits, credit_ids, strict=True)])
        fresh = [e for e, i in zip(credits, credit_ids, strict=True) if (e.account, i) not in known]
        book = self._book(s, fresh)
        lines = []
        for entry, identity in zip(credits, credit_ids, strict=True):
            stored = known.get((entry.account, identity))
            if stored is not None:
                lines.append(
                    BankLine(entry, identity, Match(entry, ()), True, stored.status, stored.id)
                )
            else:
                lines.append(BankLine(entry, identity, match_entry(entry, book)))
        return BankImport(
            statement.name,
            statement.kind,
            tuple(lines),
            debits=len(statement.entries) - len(credits),
            ignored=statement.ignored,
            written=written,
        )

    # -- writing -----------------------------------------------------------------------------
    def bank_import(
        self, statement: BankStatement, as_of: dt.date, *, apply: bool = True
    ) -> BankImport:
        """Store each new credit once; with `apply`, record the certain ones as payments.

        One transaction: the new credits are kept (applied, or "to reconcile" with their
        proposals recomputed when the list is shown), and the known ones are only counted.
        """
        from models.store.tables import BankEntry

        with self._write() as s:
            preview = self._lines(s, statement, written=True)
            fresh = [line for line in preview.lines if not line.known]
            rows = {
                (line.entry.account, line.identity): BankEntry(
                    account=line.entry.account,
                    identity=line.identity,
                    booking_date=line.entry.booking_date,
                    amount_cents=line.entry.amount_cents,
                    debtor=line.entry.debtor,
                    text=line.entry.text,
                    end_to_end_id=line.entry.end_to_end_id,
                    bank_reference=line.entry.bank_reference,
                    source=f"{statement.kind} {statement.name}",
                    imported_on=as_of,
                    status=BANK_TO_RECONCILE,
                )
                for line in fresh
            }
            s.add_all(rows.values())
            s.flush()  # one batch of inserts: the ids the links need
            paid_now: dict[int, int] = defaultdict(int)  # cents put on each invoice here
            out = []
            for line in preview.lines:
                if line.known:
                    out.append(line)
                    continue
                row = rows[(line.entry.account, line.identity)]
                proposal = line.match.certain if apply else None
                fitted = _still_fits(proposal, paid_now) if proposal else None
                payments: tuple[int, ...] = ()
                if fitted is not None:
                    payments = self._apply(s, row, fitted, as_of, f"sûr : {fitted.reason}")
                    for a in fitted.allocations:
                        paid_now[a.invoice_id] += a.cents
                out.append(replace(line, status=row.status, entry_id=row.id, payment_ids=payments))
            return replace(preview, lines=tuple(out))

    def _apply(
        self, s: Session, row: BankEntry, proposal: Proposal, on: dt.date, note: str
    ) -> tuple[int, ...]:
        """Record a credit's payments as proposed, its history line and links; status applied."""
        from models.store.tables import BankEntryPayment, Invoice

        reference = row.end_to_end_id or row.bank_reference or row.text[:60]
        made: list[int] = []
        allocations = proposal.allocations
        for k, a in enumerate(allocations):
            inv = self._get(s, Invoice, a.invoice_id, "facture")
            cents = a.cents + (proposal.excess_cents if k == len(allocations) - 1 else 0)
            excess = EXCESS_CREDIT if proposal.excess_cents else None
            made.append(
                self._insert_payment(s, inv, row.booking_date, cents, "transfer", reference, excess)
            )
        for payment_id in made:
            s.add(BankEntryPayment(bank_entry_id=row.id, payment_id=payment_id))  # type: ignore[arg-type]
        parts = ", ".join(f"{a.number} {format_eur(a.cents, cents=True)}" for a in allocations)
        extra = (
            f" ; trop-perçu {format_eur(proposal.excess_cents, cents=True)}"
            if proposal.excess_cents
            else ""
        )
        line = (
            f"Paiement reçu par {describe_entry(row)} — relevé {row.source}"
            + (f", réf. banque {row.bank_reference}" if row.bank_reference else "")
            + f" : imputé sur {parts}{extra}"
        )
        # The history line is dated the day the money was booked (the dossier's chronology).
        row.action_id = self._add_action(
            s, proposal.client_id, row.booking_date, "note", "", "", line, proposal.invoice_ids
        )
        row.status, row.client_id, row.resolved_on, row.note = (
            BANK_APPLIED,
            proposal.client_id,
            on,
            note,
        )
        return tuple(made)

    def _payment_moved(
        self, s: Session, old_id: int, new_id: int | None, on: dt.date, reason: str
    ) -> None:
        """A payment a bank credit recorded was cancelled or replaced: the replacement is
        linked to the credit; a credit left with no live payment goes back to "À rapprocher"
        (its money is no longer on any invoice), its earlier history line kept."""
        from sqlmodel import col, select

        from models.store.tables import BankEntry, BankEntryPayment, Payment

        entry_ids = s.exec(
            select(BankEntryPayment.bank_entry_id).where(BankEntryPayment.payment_id == old_id)
        ).all()
        for entry_id in entry_ids:
            if new_id is not None and s.get(BankEntryPayment, (entry_id, new_id)) is None:
                s.add(BankEntryPayment(bank_entry_id=entry_id, payment_id=new_id))
            s.flush()
            live = s.exec(
                select(Payment.id)
                .join(BankEntryPayment, col(BankEntryPayment.payment_id) == col(Payment.id))
                .where(BankEntryPayment.bank_entry_id == entry_id)
                .where(col(Payment.cancelled_on).is_(None))
            ).first()
            row: BankEntry | None = s.get(BankEntry, entry_id)
            if row is None:
                continue
            if live is None and row.status == BANK_APPLIED:
                row.status, row.resolved_on = BANK_TO_RECONCILE, None
                row.note = f"paiement annulé le {on:%d/%m/%Y} : {reason.strip()}"
            elif live is not None and row.status == BANK_TO_RECONCILE:
                row.status, row.resolved_on = BANK_APPLIED, on
                row.note = f"paiement rétabli le {on:%d/%m/%Y} : {reason.strip()}"

    def bank_entries(self, status: str | None = None) -> list[BankEntry]:
        """The stored bank credits (of one status when given), by date."""
        from sqlmodel import Session, col, select

        from models.store.tables import BankEntry

        with Session(self.engine) as s:
            q = select(BankEntry)
            if status is not None:
                q = q.where(BankEntry.status == status)
            return list(s.exec(q.order_by(col(BankEntry.booking_date), col(BankEntry.id))))

    def bank_pending(self) -> PendingCredits:
        """The "À rapprocher" list: each credit waiting, with its proposals as of now, and the
        open invoices they were matched against (the window's picker lists them)."""
        from models.bank.matching import match_entry

        rows = self.bank_entries(BANK_TO_RECONCILE)
        entries = [_as_entry(r) for r in rows]
        book = self.bank_book(entries)
        items = [(r, match_entry(e, book)) for r, e in zip(rows, entries, strict=True)]
        return PendingCredits(items, book)

    def bank_entry_payments(self, entry_id: int) -> list[int]:
        """The payments a bank credit recorded."""
        from sqlmodel import Session, select

        from models.store.tables import BankEntryPayment

        with Session(self.engine) as s:
            q = select(BankEntryPayment.payment_id).where(
                BankEntryPayment.bank_entry_id == entry_id
            )
            return list(s.exec(q))

    def reconcile_bank_entry(
        self, entry_id: int, invoice_ids: Sequence[int], on: dt.date
    ) -> list[PaymentId]:
        """Record a waiting credit on the invoices the user chose, oldest due first.

        What exceeds their balances is kept to the client's credit (trop-perçu); the invoices
        must be one client's and still owed.
        """
        from models.bank.matching import Proposal, allocate

        if not invoice_ids:
            raise InputError("choisissez au moins une facture à régler avec ce virement")
        with self._write() as s:
            row = self._waiting(s, entry_id)
            book = self._book(s, ())
            chosen = [book.by_id[i] for i in dict.fromkeys(invoice_ids) if i in book.by_id]
            if len(chosen) < len(set(invoice_ids)):
                raise InputError("une des factures choisies est déjà soldée, archivée ou inconnue")
            clients = {i.client_id for i in chosen}
            if len(clients) > 1:
                raise InputError("les factures choisies doivent être d'un même client")
            allocations, excess = allocate(row.amount_cents, chosen)
            client_id = chosen[0].client_id
            proposal = Proposal(
                "chosen", "choisi", client_id, book.clients.get(client_id, ""), allocations, excess
            )
            made = self._apply(s, row, proposal, on, "rapproché à la main")
            return [PaymentId(p) for p in made]

    def dismiss_bank_entry(self, entry_id: int, on: dt.date, reason: str = "") -> None:
        """Mark a waiting credit as not ours (a refund, a transfer between accounts...)."""
        with self._write() as s:
            row = self._waiting(s, entry_id)
            row.status, row.resolved_on = BANK_NOT_OURS, on
            row.note = reason.strip() or "pas pour nous"

    def _waiting(self, s: Session, entry_id: int) -> BankEntry:
        from models.store.tables import BankEntry

        row: BankEntry | None = s.get(BankEntry, entry_id)
        if row is None:
            raise NotFoundError(f"virement introuvable (n° {entry_id})")
        if row.status != BANK_TO_RECONCILE:
            done = "déjà enregistré" if row.status == BANK_APPLIED else "marqué « pas pour nous »"
            raise InputError(f"ce virement est {done}")
        return row


def _as_entry(row: BankEntry) -> StatementEntry:
    """A stored credit as the matcher reads it."""
    from models.bank.entries import StatementEntry

    return StatementEntry(
        account=row.account,
        booking_date=row.booking_date,
        amount_cents=row.amount_cents,
        credit=True,
        debtor=row.debtor,
        text=row.text,
        end_to_end_id=row.end_to_end_id,
        bank_reference=row.bank_reference,
    )


def _still_fits(proposal: Proposal, paid_now: dict[int, int]) -> Proposal | None:
    """The certain proposal, unless an earlier credit of the same import already paid one of
    its invoices: then its amounts no longer hold and it waits for the user."""
    if any(paid_now.get(a.invoice_id) for a in proposal.allocations):
        return None
    return proposal
