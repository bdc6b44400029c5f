"""UN/CEFACT Cross Industry Invoice (D16B, the XML inside Factur-X and ZUGFeRD 2) -> EInvoice.

The paths are EN 16931's CII binding: ExchangedDocument (number, type, date), the header trade
agreement (buyer, purchase order), the header trade settlement (currency, terms, totals).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.einvoice.checks import check_document
from models.einvoice.invoice import Buyer, EInvoice
from models.einvoice.xml import Element, Fields, identifiers

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
ROOT_TAG = f"{{{NS['rsm']}}}CrossIndustryInvoice"
_AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
_SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
_TOTALS = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def read_cii(root: Element, path: Path, fmt: str) -> EInvoice:
    """The invoice a CII document states; RefusedError listing every field at fault."""
    f = Fields(root, NS, path.name)
    number = f.required("rsm:ExchangedDocument/ram:ID", "numéro de facture")
    type_code = f.text("rsm:ExchangedDocument/ram:TypeCode")
    issue = _date(f, "rsm:ExchangedDocument/ram:IssueDateTime", "date de facture")
    terms = f.nodes(f"{_SETTLEMENT}/ram:SpecifiedTradePaymentTerms")
    due = None
    for term in terms:
        due = due or _date(f, "ram:DueDateDateTime", "date d'échéance", term)
    payment_terms = " ".join(t for t in (f.text("ram:Description", term) for term in terms) if t)
    currency = f.text(f"{_SETTLEMENT}/ram:InvoiceCurrencyCode")
    ht = f.amount(f"{_TOTALS}/ram:TaxBasisTotalAmount", "total HT")
    vat = f.amount(
        f"{_TOTALS}/ram:TaxTotalAmount[not(@currencyID) or @currencyID='{currency or 'EUR'}']",
        "total TVA",
        required=False,
    )
    ttc = f.amount(f"{_TOTALS}/ram:GrandTotalAmount", "total TTC")
    prepaid = f.amount(f"{_TOTALS}/ram:TotalPrepaidAmount", "acompte versé", required=False)
    return check_document(
        f,
        path=path,
        fmt=fmt,
        number=number,
        type_code=type_code,
        currency=currency,
        issue=issue,
        due=due,
        buyer=_buyer(f),
        amounts=(ht, vat, ttc, prepaid),
        payment_terms=payment_terms,
        order_reference=f.text(
            f"{_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
    )


def _date(f: Fields, path: str, field: str, at: Element | None = None) -> dt.date | None:
    """A udt:DateTimeString under `path`, read in the format its attribute names."""
    for node in f.nodes(f"{path}/udt:DateTimeString", at):
        return f.date(" ".join((node.text or "").split()), field, node.get("format", "102"))
    if field == "date de facture":
        f.fail(field, "absente du fichier")
    return None


def _buyer(f: Fields) -> Buyer:
    """BG-7: the buyer's legal name, SIREN/SIRET, postal address and e-mail."""
    party = next(iter(f.nodes(f"{_AGREEMENT}/ram:BuyerTradeParty")), None)
    if party is None:
        f.fail("acheteur", "absent du fichier")
        return Buyer(name="")
    found = [
        (n.get("schemeID", ""), n.text or "")
        for n in f.nodes("ram:SpecifiedLegalOrganization/ram:ID | ram:GlobalID | ram:ID", party)
    ]
    vat = f.text("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", party)
    siren, siret = identifiers(f, found, vat, "de l'acheteur")
    address = "ram:PostalTradeAddress/"
    country = f.text(f"{address}ram:CountryID", party).upper()
    email = f.text("ram:URIUniversalCommunication/ram:URIID", party) or f.text(
        "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID", party
    )
    lines = [f.text(f"{address}ram:Line{n}", party) for n in ("Two", "Three")]
    return Buyer(
        name=f.required("ram:Name", "nom de l'acheteur", party),
        siren=siren,
        siret=siret,
        street=f.text(f"{address}ram:LineOne", party),
        locality=", ".join(line for line in lines if line),
        postal_code=f.text(f"{address}ram:PostcodeCode", party),
        city=f.text(f"{address}ram:CityName", party),
        country="" if country in ("", "FR") else country,
        email=email.removeprefix("mailto:"),
    )
