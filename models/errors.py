"""Errors as data: a field error names the row, the field and the rule broken."""

from __future__ import annotations

from dataclasses import dataclass

from models.money import format_eur


@dataclass(frozen=True)
class FieldError:
    """One refused value: which row (1-based, None outside a file), which field, why."""

    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"ligne {self.row}, " if self.row is not None else ""
        return f"{where}{self.field} : {self.message}"


class InputError(ValueError):
    """Bad input refused by the domain; nothing was written."""

    def __init__(self, errors: list[FieldError] | str) -> None:
        self.errors = [FieldError("", errors)] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(str(e).removeprefix(" : ") for e in self.errors))


class NotFoundError(InputError):
    """A name or number the user gave does not exist (unknown invoice, client)."""


class MissingDatabaseError(InputError):
    """The database file named does not exist and creating one was not asked for."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"base introuvable : {path}")


class StorageError(Exception):
    """The database or a file could not be read or written (busy, read-only, disk full).

    Its text is one French sentence naming the file and what to do; nothing was saved.
    """


class FileError(StorageError, OSError):
    """A file could not be written (disk full, read-only folder): the path and the cause.

    Also an OSError, so the handlers of file errors in the interface catch it unchanged.
    """


class OverpaymentError(InputError):
    """A payment above the invoice's balance: the user says whether the excess is a credit.

    C. civ. 1302: what was paid and not owed is to be given back (or set against another
    debt of the client, C. civ. 1347): a balance never goes below zero without the user's word.
    """

    def __init__(self, number: str, balance_cents: int, excess_cents: int) -> None:
        self.number = number
        self.balance_cents = balance_cents
        self.excess_cents = excess_cents
        super().__init__(
            [
                FieldError(
                    "montant",
                    f"il dépasse de {format_eur(excess_cents, cents=True)} le solde de la "
                    f"facture {number} ({format_eur(balance_cents, cents=True)}) : gardez "
                    "l'excédent en trop-perçu au crédit du client ou corrigez le montant",
                )
            ]
        )


class ConflictError(InputError):
    """An edit made on a stale copy (issue 18): someone else changed the record meanwhile.

    Nothing was written. The text says what changed, by whom and when; `what` names the
    record ("la facture FA-12"), `version` is the record's version now (reload to edit it).
    """

    def __init__(self, what: str, text: str, version: int) -> None:
        self.what = what
        self.version = version
        super().__init__(text)


class StepTakenError(InputError):
    """A dunning step already recorded (issue 18): someone else made this letter or message.

    Raised in the transaction that would have recorded it a second time: nothing was written.
    """
