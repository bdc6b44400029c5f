"""Bank statements written in the tests from the standards: CAMT.053, OFX 1 (SGML), OFX 2
(XML) and a French bank's CSV, from one list of movements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

IBAN = "FR7630004000031234567890143"


@dataclass(frozen=True)
class Move:
    """One movement: positive amount for a credit, negative for a debit."""

    day: dt.date
    amount: Decimal
    debtor: str
    text: str
    ref: str = ""
    e2e: str = ""


def camt053(moves: list[Move], version: str = "02", refs: bool = True, iban: str = IBAN) -> bytes:
    """A CAMT.053 statement (camt.053.001.<version>) holding the movements as booked entries."""
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"
    new_party = int(version) >= 8  # from .08 the name sits in Dbtr/Pty/Nm
    status = "<Sts><Cd>BOOK</Cd></Sts>" if new_party else "<Sts>BOOK</Sts>"
    entries = []
    for k, m in enumerate(moves, start=1):
        credit = m.amount > 0
        party = "Dbtr" if credit else "Cdtr"
        name = (
            f"<Pty><Nm>{escape(m.debtor)}</Nm></Pty>"
            if new_party
            else f"<Nm>{escape(m.debtor)}</Nm>"
        )
        ref = f"<AcctSvcrRef>{m.ref or f'BANKREF{k:04d}'}</AcctSvcrRef>" if refs else ""
        entries.append(
            f"""<Ntry>
  <Amt Ccy="EUR">{abs(m.amount):.2f}</Amt>
  <CdtDbtInd>{"CRDT" if credit else "DBIT"}</CdtDbtInd>
  {status}
  <BookgDt><Dt>{m.day.isoformat()}</Dt></BookgDt>
  <ValDt><Dt>{m.day.isoformat()}</Dt></ValDt>
  {ref}
  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
  <NtryDtls><TxDtls>
    <Refs><EndToEndId>{escape(m.e2e or "NOTPROVIDED")}</EndToEndId></Refs>
    <RltdPties><{party}>{name}</{party}></RltdPties>
    <RmtInf><Ustrd>{escape(m.text)}</Ustrd></RmtInf>
  </TxDtls></NtryDtls>
</Ntry>"""
        )
    first = min(m.day for m in moves)
    last = max(m.day for m in moves)
    body = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{ns}">
<BkToCstmrStmt>
<GrpHdr><MsgId>MSG1</MsgId><CreDtTm>{last.isoformat()}T08:00:00</CreDtTm></GrpHdr>
<Stmt>
<Id>STMT-{first:%Y%m%d}</Id>
<CreDtTm>{last.isoformat()}T08:00:00</CreDtTm>
<FrToDt><FrDtTm>{first.isoformat()}T00:00:00</FrDtTm><ToDtTm>{last.isoformat()}T23:59:59</ToDtTm></FrToDt>
<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
{body}
</Stmt>
</BkToCstmrStmt>
</Document>
""".encode()


def ofx(moves: list[Move], version: int = 1) -> bytes:
    """An OFX statement: SGML OFX 1.02 (no end tags on values, cp1252) or XML OFX 2.2."""
    close = version == 2
    trns = []
    for k, m in enumerate(moves, start=1):
        kind = "CREDIT" if m.amount > 0 else "DEBIT"
        fields = [
            ("TRNTYPE", kind),
            ("DTPOSTED", f"{m.day:%Y%m%d}120000"),
            ("TRNAMT", f"{m.amount:.2f}"),
            ("FITID", m.ref or f"FIT{k:05d}"),
            ("NAME", m.debtor[:32]),
            ("MEMO", m.text),
        ]
        inner = "".join(
            f"<{t}>{escape(v)}</{t}>" if close else f"<{t}>{escape(v)}\n" for t, v in fields
        )
        trns.append(f"<STMTTRN>\n{inner}</STMTTRN>")
    first = min(m.day for m in moves)
    last = max(m.day for m in moves)

    def v(tag: str, value: str) -> str:
        return f"<{tag}>{value}</{tag}>" if close else f"<{tag}>{value}\n"

    body = (
        "<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS>"
        + v("CODE", "0")
        + v("SEVERITY", "INFO")
        + "</STATUS>"
        + v("DTSERVER", f"{last:%Y%m%d}")
        + v("LANGUAGE", "FRA")
        + "</SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1><STMTTRNRS>"
        + v("TRNUID", "1")
        + "<STATUS>"
        + v("CODE", "0")
        + v("SEVERITY", "INFO")
        + "</STATUS><STMTRS>"
        + v("CURDEF", "EUR")
        + "<BANKACCTFROM>"
        + v("BANKID", "30004")
        + v("BRANCHID", "00003")
        + v("ACCTID", "12345678901")
        + v("ACCTTYPE", "CHECKING")
        + "</BANKACCTFROM>\n<BANKTRANLIST>"
        + v("DTSTART", f"{first:%Y%m%d}")
        + v("DTEND", f"{last:%Y%m%d}")
        + "\n"
        + "\n".join(trns)
        + "\n</BANKTRANLIST><LEDGERBAL>"
        + v("BALAMT", "1000.00")
        + v("DTASOF", f"{last:%Y%m%d}")
        + "</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n"
    )
    if close:
        head = (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" '
            'NEWFILEUID="NONE"?>\n'
        )
        return (head + body).encode("utf-8")
    head = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
    )
    return (head + body).encode("cp1252")


def french_amount(amount: Decimal) -> str:
    """'1 234,56': a French bank's amount (no-break space between thousands)."""
    whole, frac = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.append(whole[-3:])
        whole = whole[:-3]
    return "\u00a0".join(reversed(groups)) + "," + frac


def bank_csv(moves: list[Move], signed: bool = False) -> bytes:
    """A French bank's CSV export (cp1252, ';'): title lines, then Date;Libellé;Débit;Crédit
    (or one signed 'Montant'), the payer inside the libellé ("VIR SEPA RECU /DE …")."""
    lines = [
        "Compte courant n° 12345678901;;;",
        "Solde au " + f"{max(m.day for m in moves):%d/%m/%Y};1 000,00;;",
        ";;;",
        "Date opération;Libellé;Montant" if signed else "Date;Libellé;Débit euros;Crédit euros",
    ]
    for m in moves:
        if m.amount > 0:
            label = f"VIR SEPA RECU /DE {m.debtor} /MOTIF {m.text}"
        else:
            label = f"PRLV SEPA {m.debtor} {m.text}"
        label = label.replace('"', "'")
        amount = french_amount(m.amount)
        if signed:
            money = ("-" if m.amount < 0 else "") + amount
            lines.append(f'{m.day:%d/%m/%Y};"{label}";{money}')
        else:
            debit, credit = ("", amount) if m.amount > 0 else (amount, "")
            lines.append(f'{m.day:%d/%m/%Y};"{label}";{debit};{credit}')
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


# -- the scenario of issue 19: three clients, five credits ---------------------------------
d = dt.date
D = Decimal

# Five credits and a debit: two name their invoice (one number is a prefix of another open
# invoice's), one is the exact balance of two of a client's invoices, one is partial, one is
# nobody's.
MOVES = [
    Move(d(2026, 3, 2), D("1200.00"), "BOULANGERIE DUPONT", "Facture F2026-01", "R001"),
    Move(d(2026, 3, 3), D("300.00"), "SARL DUPONT", "REGLEMENT FACT F2026-010", "R002", "E2E-42"),
    Move(d(2026, 3, 4), D("650.00"), "STUDIO KASBA", "Virement mars", "R003"),
    Move(d(2026, 3, 5), D("-45.90"), "EDF", "Electricite", "R004"),
    Move(d(2026, 3, 6), D("1200.00"), "AGENCE LUMEN SARL", "Acompte", "R005"),
    Move(d(2026, 3, 9), D("99.00"), "M JEAN INCONNU", "Remboursement", "R006"),
]
# A later statement overlapping the first: its last two credits again, and a new one.
LATER = [
    *MOVES[4:],
    Move(d(2026, 3, 12), D("500.00"), "STUDIO KASBA", "Paiement facture F2026-020", "R007"),
]


def fill_ledger(ledger) -> dict[str, int]:
    """The clients and open invoices the scenario's credits pay; their ids by number/key."""
    ids: dict[str, int] = {}
    dupont = ids["dupont"] = ledger.add_client("SARL Boulangerie Dupont")
    kasba = ids["kasba"] = ledger.add_client("Studio Kasba SAS")
    lumen = ids["lumen"] = ledger.add_client("Agence Lumen")
    ids["other"] = ledger.add_client("Cabinet Martin")
    rows = [
        (dupont, "F2026-01", d(2026, 1, 5), "1200.00"),
        (dupont, "F2026-010", d(2026, 1, 20), "300.00"),
        (kasba, "F2026-020", d(2026, 1, 10), "500.00"),
        (kasba, "F2026-021", d(2026, 1, 15), "250.00"),
        (kasba, "F2026-022", d(2026, 1, 25), "400.00"),
        (lumen, "F2026-030", d(2026, 1, 8), "2000.00"),
        (lumen, "F2026-031", d(2026, 2, 1), "1000.00"),
        (ids["other"], "F2026-040", d(2026, 2, 1), "99.50"),
    ]
    for client, number, issue, ttc in rows:
        ids[number] = ledger.add_invoice(client, number, issue, D(ttc), issue + dt.timedelta(30))
    return ids
