"""The claim file read from the ledger (issue 16): décompte, chronology, route case, CLI route."""

import datetime as dt
import json
from decimal import Decimal

import main
from models.litigation.case import claim_file, route_case
from models.litigation.pieces import attach
from models.litigation.routes import INJUNCTION, NOTICE_FIRST, advise
from models.store.ledger import Ledger
from tests.models.litigation.conftest import AS_OF, make_claim


def plain(text):
    """Ordinary spaces for the non-breaking ones format_eur prints."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_decompte_is_the_formal_notice_statement(claim):
    """The dossier's figures are statement_of_account's for a formal notice, same date."""
    led, c = claim
    file = claim_file(led, c, AS_OF)
    same = led.statement(c, "formal_notice", AS_OF, [f.id for f in file.facts])
    assert file.statement.total == same.total
    assert [x.number for x in file.statement.lines] == ["F-1", "F-2"]
    assert file.statement.principal == Decimal("2600.00")
    assert file.statement.indemnity == Decimal("80.00")  # C. com. D441-5: 40 € per invoice


def test_chronology_has_every_action_with_lrar_and_promises_kept_or_not(claim):
    """Issue 16: dates, channel, LRAR numbers, promises and whether kept."""
    led, c = claim
    rows = claim_file(led, c, AS_OF).chronology
    details = [plain(r.detail) for r in rows]
    assert [r.date for r in rows] == [
        dt.date(2025, 11, 10),
        dt.date(2025, 11, 12),
        dt.date(2025, 12, 15),
        dt.date(2026, 1, 12),
    ]
    assert details[1].endswith("promis 400,00 € pour le 20/11/2025 : tenue")
    assert details[2].endswith("promis 2 600,00 € pour le 31/12/2025 : non tenue")
    assert "LRAR n° 1A12345678901" in rows[3].detail
    assert "AR non enregistré" in rows[3].detail
    assert rows[3].channel == "Recommandé AR"


def test_route_case_from_the_ledger_lists_what_is_missing(claim, tmp_path):
    """No signed order, no acknowledgement: both said; attaching and acknowledging clear them."""
    led, c = claim
    advice = advise(route_case(claim_file(led, c, AS_OF), disputed=False))
    assert advice.missing == (
        "pas de devis signé ni de bon de commande parmi les pièces",
        "pas d'accusé de réception de la mise en demeure (date à enregistrer)",
    )
    assert advice.court == "tribunal de commerce du lieu où demeure le débiteur (69003 LYON)"
    order = tmp_path / "bc.pdf"
    order.write_bytes(b"%PDF commande")
    attach(led, order, "bon de commande", AS_OF, client_id=c)
    notice = claim_file(led, c, AS_OF).notice
    led.acknowledge(notice.id, dt.date(2026, 1, 14))
    advice = advise(route_case(claim_file(led, c, AS_OF), disputed=False))
    assert advice.missing == ()
    assert advice.applicable[0].code == INJUNCTION


def test_no_notice_sent_blocks(tmp_path):
    """Formal notice never sent: the assistant says to send it first."""
    led, c = make_claim(tmp_path, notice=False)
    advice = advise(route_case(claim_file(led, c, AS_OF)))
    assert advice.blockers == (NOTICE_FIRST,)
    led.close()


def test_prescription_date_is_given(claim):
    """Issue 16 §6: the assistant shows the claim's prescription date and what interrupted it."""
    led, c = claim
    file = claim_file(led, c, AS_OF)
    # C. com. L110-4: 5 years; F-1 interrupted by the partial payment of 19/11/2025 (C. civ. 2240)
    # restarts to 19/11/2030, F-2 runs from its due date 03/12/2025 to 03/12/2030.
    assert file.prescription_text == (
        "Prescription le 19/11/2030 (5 ans, C. com. L110-4, interrompue le 19/11/2025 "
        "(paiement partiel))"
    )


def test_cli_route_json(claim, capsys):
    """`main.py route INVOICE --format json`: routes, court, what is missing."""
    led, c = claim
    total = claim_file(led, c, AS_OF).statement.total
    db = led.url.removeprefix("sqlite:///")
    led.close()
    code = main.run(
        ["--db", db, "route", "F-2", "--format", "json", "--disputed", "non"],
        today=AS_OF,
    )
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["amount"] == f"{total:.2f}"
    assert data["routes"][0]["code"] == "injonction"
    assert data["routes"][0]["applies"] is True
    assert "Cerfa n° 12946" in data["routes"][0]["form"]
    assert data["court"].startswith("tribunal de commerce")
    assert "pas de devis signé ni de bon de commande parmi les pièces" in data["missing"]


def test_time_barred_consumer_claim_is_said_plainly(tmp_path):
    """C. conso. L218-2: 2 years; a B2C invoice due 2023-06-30 is barred on 2026-03-01."""
    led = Ledger.open(str(tmp_path / "b.sqlite"))
    c = led.add_client("M. Paul Petit", kind="b2c", postal_code="33000", city="Bordeaux")
    inv = led.add_invoice(c, "P-1", dt.date(2023, 6, 1), Decimal("800.00"), dt.date(2023, 6, 30))
    led.record_letter_sent(c, "formal_notice", [inv], dt.date(2023, 9, 1), registered_number="1A")
    advice = advise(route_case(claim_file(led, c, AS_OF)))
    led.close()
    assert advice.time_barred
    assert advice.routes == ()
    assert advice.blockers[0].startswith("La créance est prescrite")
    assert "Prescrite depuis le 01/07/2025 (2 ans, C. conso. L218-2" in advice.blockers[0]


def test_a_promise_not_yet_due_is_not_called_broken(claim):
    """As of 2025-12-20 the promise for 31/12/2025 is still to come, not 'non tenue'."""
    led, c = claim
    rows = claim_file(led, c, dt.date(2025, 12, 20)).chronology
    assert plain(rows[-1].detail).endswith(
        "promis 2 600,00 € pour le 31/12/2025 : échéance à venir"
    )
