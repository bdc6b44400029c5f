"""The EPC (SEPA) QR code's content, so a debtor's banking app fills in the transfer.

European Payments Council, "Quick Response Code: guidelines to enable data capture for the
initiation of a SEPA credit transfer" (EPC069-12, version 002): twelve lines at most, UTF-8,
331 bytes at most, drawn with error-correction level M (reports/ draws it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models.errors import InputError

MAX_NAME = 70  # EPC069-12: beneficiary name, at most 70 characters
MAX_TEXT = 140  # unstructured remittance information, at most 140 characters
MAX_AMOUNT = Decimal("999999999.99")
MAX_BYTES = 331


@dataclass(frozen=True)
class TransferRequest:
    """What a letter asks the debtor to pay by transfer (the QR code states exactly this)."""

    name: str
    iban: str
    bic: str
    amount: Decimal
    reference: str


def compact(code: str) -> str:
    """An IBAN or BIC without spaces, in capitals."""
    return "".join(code.split()).upper()


def payment_reference(numbers: list[str], fallback: str) -> str:
    """The invoice numbers, complete, when they fit the 140 characters a transfer carries;
    else the letter's own reference (`fallback`), which its table ties to every invoice."""
    joined = " ".join(n.strip() for n in numbers)
    return joined if 0 < len(joined) <= MAX_TEXT else fallback[:MAX_TEXT]


def epc_payload(request: TransferRequest) -> str:
    """The text of the EPC QR code: 'BCD', version 002, UTF-8, SCT, BIC, name, IBAN, amount..."""
    if not 0 < request.amount <= MAX_AMOUNT:
        raise InputError(f"montant hors des limites d'un virement SEPA : {request.amount}")
    if not request.iban.strip() or not request.name.strip():
        raise InputError("IBAN et nom du bénéficiaire requis pour le QR code de paiement")
    lines = [
        "BCD",
        "002",
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        compact(request.bic),
        " ".join(request.name.split())[:MAX_NAME],
        compact(request.iban),
        f"EUR{request.amount:.2f}",
        "",  # purpose code: none
        "",  # structured (RF) reference: none, the text below is used
        " ".join(request.reference.split())[:MAX_TEXT],
    ]
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > MAX_BYTES:
        raise InputError("QR code de paiement trop long : raccourcissez le nom de l'entreprise")
    return payload
