"""Every document adds up: read back from the PDF, each total is the sum of the lines above it,
the text states the table's figures, a plan's instalments sum to its amount, and the EPC QR code
decodes to the sum asked, the IBAN and the reference (models/letters/statement.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.ids import ClientId, InvoiceId
from models.law.plans import split_instalments
from models.letters.documents import LetterData
from models.letters.epc import epc_payload
from models.letters.kinds import LETTER_KINDS
from models.letters.statement import Statement
from models.money import format_eur
from models.store.ledger import Ledger
from reports.letters import render_letter
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)
from tests.reports.conftest import MM, normalise
from tests.sample_company import COMPANY

D = Decimal
AS_OF = dt.date(2025, 9, 15)
AMOUNT = re.compile(r"(\d{1,3}(?: \d{3})*,\d{2}) €")
TOTAL_LABELS = ("Total dû", "Montant de l'échéancier")
ROW_LABELS = ("Principal restant dû", "Pénalités de retard", "Intérêts au taux légal", "Indemnit")
RIGHT_COLUMN = (20 + 170 - 78) * MM  # the totals block's left edge (reports/letter_tables.py)


def euros(text: str) -> Decimal:
    """'1 234,56' -> Decimal('1234.56')."""
    return Decimal(text.replace(" ", "").replace(",", "."))


def seeded() -> tuple[Ledger, dict[str, ClientId]]:
    """A professional and a consumer, each with one invoice and with three (one part-paid)."""
    led = Ledger.open("sqlite://")
    led.set_company(COMPANY)
    clients: dict[str, ClientId] = {}
    for kind in ("b2b", "b2c"):
        for count in (1, 3):
            name = f"Client {kind.upper()} {count}"
            cid = clients[f"{kind}{count}"] = led.add_client(
                name, kind, street="7 allée des Charpentiers", postal_code="45160", city="Olivet"
            )
            for n in range(count):
                inv = led.add_invoice(
                    cid,
                    f"F{kind}{count}-{n + 1}",
                    dt.date(2025, 5, 2 + 9 * n),
                    D("1234.56") * (n + 1) + D(n) / 7,
                    dt.date(2025, 6, 1 + 9 * n),
                )
                if n == 1:
                    led.record_payment(inv, dt.date(2025, 7, 3), D("500.00"))
            if kind == "b2c":  # interest runs from the formal notice (C. civ. 1231-6)
                ids = [f.id for f in led.facts(client_id=cid)]
                led.record_letter_sent(cid, "formal_notice", ids, dt.date(2025, 7, 15))
    return led, clients


def letter_for(led: Ledger, cid: ClientId, kind: str) -> LetterData:
    """The letter of this kind for every open invoice of the client, as the app builds it."""
    ids = [f.id for f in led.facts(client_id=cid)]
    instalments: list[tuple[dt.date, int]] = []
    if kind == "payment_plan":
        total = led.statement(cid, kind, AS_OF, ids).total_cents
        instalments = split_instalments(total, 4, AS_OF + dt.timedelta(days=15))
    return led.letter(cid, kind, AS_OF, ids, "1A 123 456 7890 1", instalments=instalments)


def right_column_lines(pdf: bytes) -> list[str]:
    """The text lines of the totals column (right part of every page), in reading order."""
    out: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            crop = page.crop((RIGHT_COLUMN, 0, page.width, page.height))
            out += normalise(crop.extract_text() or "").splitlines()
    return out


def all_text(pdf: bytes) -> str:
    """The whole text, no-break spaces as spaces, lines joined by spaces."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(" ".join(normalise(p.extract_text() or "") for p in doc.pages).split())


def check_document(letter: LetterData, pdf: bytes) -> None:
    """The totals block's rows add up to its total, and both are the statement's figures."""
    statement: Statement = letter.statement
    lines = right_column_lines(pdf)
    at = next(i for i, line in enumerate(lines) if line.startswith(TOTAL_LABELS))
    total = euros(AMOUNT.findall(lines[at])[-1])
    rows: list[Decimal] = []
    i = at - 1
    while i >= 0 and not lines[i].startswith("Retard"):
        found = AMOUNT.findall(lines[i])
        if found and any(label in lines[i] for label in ROW_LABELS):
            rows.append(euros(found[-1]))
        elif rows and not found and not any(label in lines[i] for label in ROW_LABELS):
            break  # above the first row of the block
        i -= 1
    rows.reverse()
    assert rows == [amount for _, amount in statement.claimed_rows()], (letter.kind, lines)
    assert sum(rows, D(0)) == total == statement.total, (letter.kind, rows, total)
    text = all_text(pdf)
    # The invoice table: one row per invoice with its own due date and delay, then the sums.
    for line in statement.lines:
        row = (
            f"{line.number} {line.issue_date:%d/%m/%Y} {line.due_date:%d/%m/%Y} "
            f"{format_eur(line.amount)} {format_eur(line.paid)} {format_eur(line.balance)}"
        )
        assert normalise(row) in text, row
    if len(statement.lines) > 1:
        sums = (
            f"Total {format_eur(statement.amount)} {format_eur(statement.paid)} "
            f"{format_eur(statement.balance)}"
        )
        assert normalise(sums) in text
    # The text states the figures of the table.
    if statement.total and letter.kind in ("formal_notice", "penalty_statement", "payment_plan"):
        assert f"la somme de {normalise(format_eur(statement.total))}" in text, letter.kind
    if letter.instalments:
        plan = sum((x.amount for x in letter.instalments), D(0))
        assert plan == statement.total
        assert f"Total {normalise(format_eur(plan))}" in text


@pytest.fixture(scope="module")
def ledger_and_clients():
    led, clients = seeded()
    yield led, clients
    led.close()


@pytest.mark.parametrize("kind", LETTER_KINDS)
@pytest.mark.parametrize("who", ["b2b1", "b2b3", "b2c1", "b2c3"])
def test_every_document_adds_up(ledger_and_clients, kind, who):
    led, clients = ledger_and_clients
    letter = letter_for(led, clients[who], kind)
    statement = letter.statement
    assert statement.total == sum((a for _, a in statement.claimed_rows()), D(0))
    assert statement.total == sum((statement.line_total(x) for x in statement.lines), D(0))
    if kind == "penalty_statement" and statement.total == 0:
        return  # nothing to claim: no totals block (issue 11 keeps it from being offered)
    check_document(letter, render_letter(letter))


def test_b2c_letters_claim_no_indemnity_and_interest_only_after_the_notice(ledger_and_clients):
    led, clients = ledger_and_clients
    letter = letter_for(led, clients["b2c3"], "formal_notice")
    assert letter.statement.indemnity == 0
    assert letter.statement.penalties > 0  # the notice of 15/07/2025 started legal interest
    assert all(p.start >= dt.date(2025, 7, 16) for x in letter.statement.lines for p in x.periods)


def test_the_second_reminder_asks_for_the_principal_it_states(ledger_and_clients):
    led, clients = ledger_and_clients
    letter = letter_for(led, clients["b2b3"], "reminder_2")
    text = all_text(render_letter(letter))
    principal = normalise(format_eur(letter.statement.principal))
    assert f"régler la somme de {principal}" in text
    assert f"Total dû {principal}" in text
    # Penalties are recalled in the text, not added to a total they are not part of.
    assert normalise(format_eur(letter.statement.penalties)) in text
    assert letter.statement.total == letter.statement.principal


def test_multi_invoice_letters_give_each_invoice_its_own_delay(ledger_and_clients):
    led, clients = ledger_and_clients
    letter = letter_for(led, clients["b2b3"], "reminder_3")
    delays = [x.days_late for x in letter.statement.lines]
    assert len(set(delays)) == 3
    text = all_text(render_letter(letter))
    assert f"des retards de {min(delays)} à {max(delays)} jours" in text
    assert "attendu aux échéances rappelées dans le tableau ci-dessous" in text


def test_the_transfer_reference_names_every_invoice_and_fits(ledger_and_clients):
    led, clients = ledger_and_clients
    letter = letter_for(led, clients["b2b3"], "formal_notice")
    assert letter.payment_reference == "Fb2b3-1 Fb2b3-2 Fb2b3-3"
    many = [f"FACTURE-2025-{n:05d}" for n in range(12)]
    from models.letters.epc import payment_reference

    assert payment_reference(many, "REL-7-20250915") == "REL-7-20250915"  # over 140 characters
    assert payment_reference(many[:3], "REL-7") == " ".join(many[:3])


def decode_qr(pdf: bytes, tmp_path) -> list[str]:
    """Every QR code on the first page, read back from a 200 dpi picture of it."""
    import zxingcpp
    from PIL import Image

    source = tmp_path / "letter.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png")))
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("kind", ["reminder_1", "formal_notice", "payment_plan"])
def test_the_qr_code_decodes_to_what_the_letter_asks(ledger_and_clients, tmp_path, kind):
    led, clients = ledger_and_clients
    letter = letter_for(led, clients["b2b3"], kind)
    (payload,) = decode_qr(render_letter(letter), tmp_path)
    assert payload == epc_payload(letter.transfer)  # type: ignore[arg-type]
    fields = payload.split("\n")
    assert fields[:4] == ["BCD", "002", "1", "SCT"]
    assert fields[4] == "AGRIFRPP882"
    assert fields[5] == "Atelier Exemple SARL"
    assert fields[6] == "FR7630006000011234567890189"
    asked = letter.instalments[0].amount if letter.instalments else letter.statement.total
    assert fields[7] == f"EUR{asked:.2f}"
    assert fields[10] == letter.payment_reference == "Fb2b3-1 Fb2b3-2 Fb2b3-3"


def test_no_qr_code_without_an_iban(tmp_path):
    led, clients = seeded()
    led.set_company({"iban": "", "bic": ""})
    letter = letter_for(led, clients["b2b1"], "reminder_1")  # its text names no IBAN
    assert letter.transfer is None
    assert decode_qr(render_letter(letter), tmp_path) == []
    led.close()


invoice_specs = st.lists(
    st.tuples(
        st.integers(min_value=100, max_value=5_000_000),  # amount in cents
        st.integers(min_value=0, max_value=400),  # issue date: days after 2024-01-01
        st.integers(min_value=0, max_value=90),  # term in days
        st.integers(min_value=0, max_value=100),  # percent paid
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=invoice_specs,
    kind=st.sampled_from(LETTER_KINDS),
    b2c=st.booleans(),
    waive=st.booleans(),
)
def test_random_ledgers_add_up(specs, kind, b2c, waive):
    led = Ledger.open("sqlite://")
    try:
        led.set_company(COMPANY)
        cid = led.add_client(
            "Client au hasard", "b2c" if b2c else "b2b", postal_code="69003", city="Lyon"
        )
        start = dt.date(2024, 1, 1)
        for n, (cents, issued, term, paid) in enumerate(specs):
            issue = start + dt.timedelta(days=issued)
            inv = led.add_invoice(
                cid, f"R-{n}", issue, D(cents) / 100, issue + dt.timedelta(days=term)
            )
            part = cents * paid // 100
            if 0 < part < cents:
                led.record_payment(InvoiceId(inv), issue + dt.timedelta(days=5), D(part) / 100)
        as_of = dt.date(2025, 6, 30)
        ids = [f.id for f in led.facts(client_id=cid)]
        statement = led.statement(cid, kind, as_of, ids, waive_penalties=waive)
        assert statement.total == sum((a for _, a in statement.claimed_rows()), D(0))
        assert statement.principal == sum((x.balance for x in statement.lines), D(0))
        if statement.total <= 0:
            return
        instalments: list[tuple[dt.date, int]] = []
        if kind == "payment_plan":
            instalments = split_instalments(statement.total_cents, 3, as_of)
            assert sum(c for _, c in instalments) == statement.total_cents
        letter = led.letter(cid, kind, as_of, ids, instalments=instalments, waive_penalties=waive)
        assert letter.statement == statement
        check_document(letter, render_letter(letter))
    finally:
        led.close()


LONG_NAME = "Société Coopérative Ouvrière de Production des Menuisiers et Charpentiers du Val"


@pytest.mark.parametrize(
    "kind",
    ["preventive", "reminder_1", "reminder_2", "reminder_3", "formal_notice", "payment_plan"],
)
def test_up_to_three_invoices_fit_one_page(ledger_and_clients, kind):
    led, clients = ledger_and_clients
    pdf = render_letter(letter_for(led, clients["b2b3"], kind))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1, kind


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_long_names_and_six_invoices_stay_in_the_frame(kind):
    led = Ledger.open("sqlite://")
    try:
        led.set_company(COMPANY | {"name": LONG_NAME[:60]})
        cid = led.add_client(
            LONG_NAME,
            attention="À l'attention du service de la comptabilité fournisseurs et des litiges",
            building="Zone d'activités économiques intercommunale des Grands Champs, bâtiment C",
            street="1247 avenue du Maréchal de Lattre de Tassigny prolongée",
            postal_code="45160",
            city="Saint-Hilaire-Saint-Mesmin-sur-Loiret",
        )
        for n in range(6):
            inv = led.add_invoice(
                cid,
                f"FACT-2025-{n:05d}",
                dt.date(2025, 3, 1 + n),
                D("1250.00") + n,
                dt.date(2025, 4, 1 + n),
            )
            if n == 2:
                led.record_payment(inv, dt.date(2025, 7, 3), D("100.00"))
        letter = letter_for(led, cid, kind)
        pdf = render_letter(letter)
    finally:
        led.close()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = doc.pages
        last = normalise(pages[-1].extract_text() or "")
        if len(pages) > 1:
            assert f"Page 1/{len(pages)}" in normalise(pages[0].extract_text() or "")
        # The last page holds the totals with the closing and the signature, not them alone.
        if letter.statement.claimed_rows():
            assert any(label in last for label in TOTAL_LABELS), kind
        assert "Claire Exemple" in last
        for page in pages:
            for char in page.chars:  # nothing drawn past the margins (a cut name, a wide table)
                assert char["x0"] >= 4 * MM - 0.5, (kind, char["text"])
                assert char["x1"] <= page.width - 20 * MM + 0.5, (kind, char["text"])
                assert char["bottom"] <= page.height - 10 * MM, (kind, char["text"])
    assert all(len(line) <= 38 for line in letter.recipient)  # La Poste NF Z 10-011
    assert letter.recipient[0].startswith("Société Coopérative")


def test_an_invoice_not_due_yet_rides_along_but_is_not_claimed(tmp_path):
    led, clients = seeded()
    cid = clients["b2b1"]
    led.add_invoice(cid, "F-AVENIR", dt.date(2025, 9, 1), D("300.00"), dt.date(2025, 10, 1))
    letter = letter_for(led, cid, "reminder_2")
    led.close()
    statement = letter.statement
    assert [x.upcoming for x in statement.lines] == [False, True]
    assert statement.principal == D("1234.56")  # the overdue invoice alone
    assert statement.balance == D("1534.56")  # the table lists both
    text = all_text(render_letter(letter))
    assert "F-AVENIR 01/09/2025 01/10/2025 300,00 € 0,00 € 300,00 € à échoir" in text
    assert "Total dû 1 234,56 €" in text
    assert "ne sont pas encore dues" in text
    body = " ".join(letter.paragraphs)
    assert "F-AVENIR" not in body  # the text says owed only what is owed
    assert "Fb2b1-1" in body


def test_the_demo_days_letters_add_up():
    """Today's batch on the demo ledger (every client with a letter due), each PDF read back."""
    from models.demo import build_demo
    from models.letters.batch import iter_letters, letters_due

    today = dt.date(2026, 11, 23)
    led = Ledger.open("sqlite://")
    try:
        build_demo(led, today)
        requests = letters_due(led.todo(today))
        letters = list(iter_letters(led, requests, today))
    finally:
        led.close()
    assert len(letters) >= 5
    kinds = {letter.kind for letter in letters}
    assert len(kinds) >= 2
    for letter in letters:
        check_document(letter, render_letter(letter))
