"""E-invoices written in the tests from the standards: CII D16B (EN 16931 profile), UBL 2.1,
and a Factur-X PDF (a reportlab page with the CII embedded by the `factur-x` package)."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from facturx import generate_from_binary
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class Sample:
    """The facts one invoice file states; the tests compare the import to them."""

    number: str = "FX-2025-0042"
    type_code: str = "380"
    issue: str = "2025-11-14"
    due: str = "2025-12-14"
    buyer: str = "Durand Bâtiment SAS"
    siren: str = "552100554"
    siret: str = "55210055400013"
    street: str = "3 rue des Lilas"
    line_two: str = "ZI des Forges"
    postal_code: str = "69003"
    city: str = "Lyon"
    email: str = "compta@durand-batiment.fr"
    ht: Decimal = Decimal("1234.56")
    vat: Decimal = Decimal("246.91")
    ttc: Decimal = Decimal("1481.47")
    prepaid: Decimal = Decimal("0.00")
    terms: str = "Paiement à 30 jours par virement"
    order: str = "BC-7781"
    currency: str = "EUR"

    def but(self, **changes: object) -> Sample:
        """The same invoice with some facts changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


SELLER = """<ram:SellerTradeParty>
        <ram:Name>Atelier Exemple SARL</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">732829320</ram:ID>
        </ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:PostcodeCode>75011</ram:PostcodeCode>
          <ram:LineOne>12 rue Oberkampf</ram:LineOne><ram:CityName>Paris</ram:CityName>
          <ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR44732829320</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>"""


def _d(iso: str) -> str:
    return iso.replace("-", "")


def cii_xml(s: Sample = Sample()) -> bytes:
    """A Cross Industry Invoice, EN 16931 profile (what a Factur-X EN 16931 PDF carries)."""
    e = escape
    due = (
        f'<ram:DueDateDateTime><udt:DateTimeString format="102">{_d(s.due)}'
        "</udt:DateTimeString></ram:DueDateDateTime>"
        if s.due
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{e(s.number)}</ram:ID>
    <ram:TypeCode>{s.type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{_d(s.issue)}</udt:DateTimeString>
    </ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID>
      </ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Travaux de rénovation</ram:Name>
      </ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{s.ht}</ram:ChargeAmount>
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>
          <ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>{s.ht}</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      {SELLER}
      <ram:BuyerTradeParty>
        <ram:GlobalID schemeID="0009">{s.siret}</ram:GlobalID>
        <ram:Name>{e(s.buyer)}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{s.siren}</ram:ID>
        </ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>{s.postal_code}</ram:PostcodeCode>
          <ram:LineOne>{e(s.street)}</ram:LineOne>
          <ram:LineTwo>{e(s.line_two)}</ram:LineTwo>
          <ram:CityName>{e(s.city)}</ram:CityName>
          <ram:CountryID>FR</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication><ram:URIID schemeID="EM">{e(s.email)}</ram:URIID>
        </ram:URIUniversalCommunication>
      </ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument>
        <ram:IssuerAssignedID>{e(s.order)}</ram:IssuerAssignedID>
      </ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>{s.currency}</ram:InvoiceCurrencyCode>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>{s.vat}</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>{s.ht}</ram:BasisAmount>
        <ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>20</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>{e(s.terms)}</ram:Description>
        {due}
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{s.ht}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{s.ht}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="{s.currency}">{s.vat}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{s.ttc}</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount>{s.prepaid}</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount>{s.ttc - s.prepaid}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def ubl_xml(s: Sample = Sample(), root: str = "Invoice") -> bytes:
    """A UBL 2.1 Invoice following EN 16931's UBL binding (Peppol BIS Billing 3.0)."""
    e = escape
    due = f"<cbc:DueDate>{s.due}</cbc:DueDate>" if s.due else ""
    type_tag = "InvoiceTypeCode" if root == "Invoice" else "CreditNoteTypeCode"
    lines = "InvoiceLine" if root == "Invoice" else "CreditNoteLine"
    qty = "InvoicedQuantity" if root == "Invoice" else "CreditedQuantity"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{e(s.number)}</cbc:ID>
  <cbc:IssueDate>{s.issue}</cbc:IssueDate>
  {due}
  <cbc:{type_tag}>{s.type_code}</cbc:{type_tag}>
  <cbc:DocumentCurrencyCode>{s.currency}</cbc:DocumentCurrencyCode>
  <cac:OrderReference><cbc:ID>{e(s.order)}</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PostalAddress><cbc:CityName>Paris</cbc:CityName>
      <cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>Atelier Exemple SARL</cbc:RegistrationName>
      <cbc:CompanyID schemeID="0002">732829320</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0009">{s.siret}</cbc:EndpointID>
    <cac:PartyName><cbc:Name>{e(s.buyer)} (nom commercial)</cbc:Name></cac:PartyName>
    <cac:PostalAddress>
      <cbc:StreetName>{e(s.street)}</cbc:StreetName>
      <cbc:AdditionalStreetName>{e(s.line_two)}</cbc:AdditionalStreetName>
      <cbc:CityName>{e(s.city)}</cbc:CityName>
      <cbc:PostalZone>{s.postal_code}</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>FR83{s.siren}</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>{e(s.buyer)}</cbc:RegistrationName>
      <cbc:CompanyID schemeID="0002">{s.siren}</cbc:CompanyID></cac:PartyLegalEntity>
    <cac:Contact><cbc:ElectronicMail>{e(s.email)}</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>{e(s.terms)}</cbc:Note></cac:PaymentTerms>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="{s.currency}">{s.vat}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="{s.currency}">{s.ht}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="{s.currency}">{s.vat}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="{s.currency}">{s.ht}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="{s.currency}">{s.ht}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="{s.currency}">{s.ttc}</cbc:TaxInclusiveAmount>
    <cbc:PrepaidAmount currencyID="{s.currency}">{s.prepaid}</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="{s.currency}">{s.ttc - s.prepaid}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:{lines}><cbc:ID>1</cbc:ID>
    <cbc:{qty} unitCode="C62">1</cbc:{qty}>
    <cbc:LineExtensionAmount currencyID="{s.currency}">{s.ht}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Travaux de rénovation</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="{s.currency}">{s.ht}</cbc:PriceAmount></cac:Price>
  </cac:{lines}>
</{root}>
""".encode()


def plain_pdf(title: str = "Facture") -> bytes:
    """A one-page PDF with text only: what an invoicing tool prints, no XML inside."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, title)
    page.drawString(72, 740, "Atelier Exemple SARL - facture lisible par un humain")
    page.showPage()
    page.save()
    return out.getvalue()


def facturx_pdf(s: Sample = Sample()) -> bytes:
    """A Factur-X PDF: the printed invoice with its CII XML embedded (checked against the XSD)."""
    return bytes(
        generate_from_binary(
            plain_pdf(f"Facture {s.number}"), cii_xml(s), flavor="factur-x", check_xsd=True
        )
    )


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write one sample file and return its path."""
    path = folder / name
    path.write_bytes(data)
    return path
