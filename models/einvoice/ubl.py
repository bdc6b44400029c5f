"""OASIS UBL 2.1 Invoice -> EInvoice (the paths of EN 16931's UBL binding, Peppol BIS 3).

A UBL CreditNote is refused by the caller: a credit note is not an amount owed.
"""

from __future__ import annotations

from pathlib import Path

from models.einvoice.checks import check_document
from models.einvoice.invoice import Buyer, EInvoice
from models.einvoice.xml import Element, Fields, identifiers

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ROOT_TAG = f"{{{NS['inv']}}}Invoice"
CREDIT_NOTE_TAG = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
_TOTALS = "cac:LegalMonetaryTotal"


def read_ubl(root: Element, path: Path, fmt: str) -> EInvoice:
    """The invoice a UBL document states; RefusedError listing every field at fault."""
    f = Fields(root, NS, path.name)
    currency = f.text("cbc:DocumentCurrencyCode")
    due_raw = f.text("cbc:DueDate") or f.text("cac:PaymentMeans/cbc:PaymentDueDate")
    ht = f.amount(f"{_TOTALS}/cbc:TaxExclusiveAmount", "total HT")
    vat = f.amount(
        f"cac:TaxTotal/cbc:TaxAmount[not(@currencyID) or @currencyID='{currency or 'EUR'}']",
        "total TVA",
        required=False,
    )
    ttc = f.amount(f"{_TOTALS}/cbc:TaxInclusiveAmount", "total TTC")
    prepaid = f.amount(f"{_TOTALS}/cbc:PrepaidAmount", "acompte versé", required=False)
    issue_raw = f.required("cbc:IssueDate", "date de facture")
    return check_document(
        f,
        path=path,
        fmt=fmt,
        number=f.required("cbc:ID", "numéro de facture"),
        type_code=f.text("cbc:InvoiceTypeCode"),
        currency=currency,
        issue=f.date(issue_raw, "date de facture"),
        due=f.date(due_raw, "date d'échéance"),
        buyer=_buyer(f),
        amounts=(ht, vat, ttc, prepaid),
        payment_terms=" ".join(n for n in _texts(f, "cac:PaymentTerms/cbc:Note") if n),
        order_reference=f.text("cac:OrderReference/cbc:ID"),
    )


def _texts(f: Fields, path: str) -> list[str]:
    """Every element's text at `path`, spaces collapsed."""
    return [" ".join("".join(n.itertext()).split()) for n in f.nodes(path)]


def _buyer(f: Fields) -> Buyer:
    """BG-7: the buyer's legal name, SIREN/SIRET, postal address and e-mail."""
    party = next(iter(f.nodes("cac:AccountingCustomerParty/cac:Party")), None)
    if party is None:
        f.fail("acheteur", "absent du fichier")
        return Buyer(name="")
    found = [
        (n.get("schemeID", ""), n.text or "")
        for n in f.nodes(
            "cac:PartyLegalEntity/cbc:CompanyID | cac:PartyIdentification/cbc:ID | cbc:EndpointID",
            party,
        )
    ]
    vat = f.text("cac:PartyTaxScheme/cbc:CompanyID", party)
    siren, siret = identifiers(f, found, vat, "de l'acheteur")
    address = "cac:PostalAddress/"
    country = f.text(f"{address}cac:Country/cbc:IdentificationCode", party).upper()
    lines = [
        f.text(f"{address}cbc:AdditionalStreetName", party),
        f.text(f"{address}cac:AddressLine/cbc:Line", party),
    ]
    name = f.text("cac:PartyLegalEntity/cbc:RegistrationName", party) or f.text(
        "cac:PartyName/cbc:Name", party
    )
    if not name:
        f.fail("nom de l'acheteur", "absent du fichier")
    return Buyer(
        name=name,
        siren=siren,
        siret=siret,
        street=f.text(f"{address}cbc:StreetName", party),
        locality=", ".join(line for line in lines if line),
        postal_code=f.text(f"{address}cbc:PostalZone", party),
        city=f.text(f"{address}cbc:CityName", party),
        country="" if country in ("", "FR") else country,
        email=f.text("cac:Contact/cbc:ElectronicMail", party),
    )
