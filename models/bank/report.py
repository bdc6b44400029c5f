"""What reading a statement against the ledger gives: each credit, its match, what became of
it, and the counts a summary says (the window and the command line show it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.bank.entries import StatementEntry
from models.bank.matching import Match


@dataclass(frozen=True)
class BankLine:
    """One credit of a statement: what it may pay and what became of it.

    `known`: an earlier import already holds it (nothing done again; `status` is its stored
    one). `status` is "" in a preview (nothing written). `payment_ids`: recorded now.
    """

    entry: StatementEntry
    identity: str
    match: Match
    known: bool = False
    status: str = ""
    entry_id: int | None = None
    payment_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BankImport:
    """A statement read against the ledger: each credit, and the counts a summary gives."""

    name: str
    kind: str
    lines: tuple[BankLine, ...]
    debits: int
    ignored: tuple[str, ...] = field(default_factory=tuple)
    written: bool = False

    @property
    def known(self) -> int:
        """Credits an earlier import already held."""
        return sum(1 for x in self.lines if x.known)

    @property
    def new(self) -> int:
        """Credits seen for the first time."""
        return sum(1 for x in self.lines if not x.known)

    @property
    def recorded(self) -> int:
        """Credits recorded as payments by this import."""
        return sum(1 for x in self.lines if x.payment_ids)

    @property
    def to_reconcile(self) -> int:
        """New credits left for the user to match."""
        return sum(1 for x in self.lines if not x.known and not x.payment_ids)

    def headline(self) -> str:
        """The one-line summary (the CLI's stderr, the watched folder's report)."""
        head = (
            f"Relevé {self.name} ({self.kind}) : {len(self.lines)} crédit(s), "
            f"{self.debits} débit(s) ignoré(s), {self.known} déjà connu(s)"
        )
        if self.written:
            return (
                f"{head} ; {self.recorded} paiement(s) sûr(s) enregistré(s), "
                f"{self.to_reconcile} à rapprocher."
            )
        sure = sum(1 for x in self.lines if not x.known and x.match.certain is not None)
        return (
            f"{head} ; aperçu, rien n'est enregistré : --apply enregistrerait {sure} "
            "paiement(s) sûr(s)."
        )
