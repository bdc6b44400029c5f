"""Pièces (issue 16): stored once by SHA-256 beside the database, never deleted, backed up."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest

import main
from models.errors import InputError
from models.litigation.pieces import (
    attach,
    mark_in_dossier,
    pieces_dir,
    pieces_for,
    remove_piece,
)
from models.store.ledger import Ledger

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def led(tmp_path):
    """A file database with one B2B client and two invoices."""
    ledger = Ledger.open(str(tmp_path / "relance.sqlite"))
    c = ledger.add_client("Atelier Durand", siren="732829320")
    ledger.add_invoice(c, "F-1", dt.date(2025, 11, 1), Decimal("3000.00"), dt.date(2025, 12, 1))
    ledger.add_invoice(c, "F-2", dt.date(2025, 11, 5), Decimal("500.00"), dt.date(2025, 12, 5))
    yield ledger
    ledger.close()


def _file(tmp_path, name, data=b"%PDF-1.4 bon de commande"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_attach_copies_under_sha256_name_with_original_name_kind_date_note(led, tmp_path):
    """Issue 16: content-addressed copy in pieces/ beside the database, metadata on the row."""
    src = _file(tmp_path, "Commande signée.PDF")
    inv = led.find_invoice("F-1")
    attach(
        led,
        src,
        "Bon de commande",
        TODAY,
        invoice_id=inv.id,
        on=dt.date(2025, 10, 20),
        note="n° 42",
    )
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    stored = pieces_dir(led) / f"{sha}.pdf"
    assert stored.read_bytes() == src.read_bytes()
    assert pieces_dir(led).parent == tmp_path
    (row,) = pieces_for(led, inv.client_id)
    assert (row.title, row.kind, row.date, row.note, row.invoices) == (
        "Commande signée.PDF",
        "bon de commande",
        dt.date(2025, 10, 20),
        "n° 42",
        ("F-1",),
    )
    assert row.path == stored


def test_same_content_is_stored_once(led, tmp_path):
    """Content-addressed: two attachments of one file share one stored copy."""
    inv = led.find_invoice("F-1")
    attach(led, _file(tmp_path, "a.pdf"), "autre", TODAY, invoice_id=inv.id)
    attach(led, _file(tmp_path, "b.pdf"), "facture", TODAY, client_id=inv.client_id)
    assert len(list(pieces_dir(led).iterdir())) == 1
    assert len(pieces_for(led, inv.client_id)) == 2


def test_the_same_file_twice_on_one_invoice_is_refused(led, tmp_path):
    """One content once per list: a second copy is refused, naming the first."""
    inv = led.find_invoice("F-1")
    attach(led, _file(tmp_path, "a.pdf"), "autre", TODAY, invoice_id=inv.id)
    with pytest.raises(InputError, match=r"déjà jointe sous le nom « a\.pdf »"):
        attach(led, _file(tmp_path, "copie.pdf"), "autre", TODAY, invoice_id=inv.id)
    assert len(pieces_for(led, inv.client_id)) == 1


def test_bad_kind_missing_file_and_future_date_are_refused_in_french(led, tmp_path):
    """Bad input: a clear French message, nothing stored."""
    inv = led.find_invoice("F-1")
    with pytest.raises(InputError, match="inconnu ; au choix : devis signé"):
        attach(led, _file(tmp_path, "x.pdf"), "contrat", TODAY, invoice_id=inv.id)
    with pytest.raises(InputError, match="introuvable"):
        attach(led, tmp_path / "absent.pdf", "autre", TODAY, invoice_id=inv.id)
    with pytest.raises(InputError, match="dans le futur"):
        attach(
            led,
            _file(tmp_path, "y.pdf"),
            "autre",
            TODAY,
            invoice_id=inv.id,
            on=TODAY.replace(day=2),
        )
    assert pieces_for(led, inv.client_id) == []
    assert not pieces_dir(led).exists()


def test_archived_letters_are_pieces(led, tmp_path):
    """Issue 16: the letters Relance archived (Action.document_path) are pieces automatically."""
    inv = led.find_invoice("F-1")
    letter = _file(tmp_path, "mise-en-demeure.pdf")
    led.record_letter_sent(
        inv.client_id,
        "formal_notice",
        [inv.id],
        dt.date(2026, 1, 10),
        document_path=str(letter),
        registered_number="1A23456789012",
    )
    (row,) = pieces_for(led, inv.client_id)
    assert (row.kind, row.path, row.invoices) == ("courrier", letter, ("F-1",))
    assert row.title == "Mise en demeure (LRAR n° 1A23456789012) du 10/01/2026"


def test_invoice_filter_keeps_client_pieces_and_that_invoice(led, tmp_path):
    """A dossier on F-2 gets F-2's pieces and the client's own, not F-1's."""
    f1, f2 = led.find_invoice("F-1"), led.find_invoice("F-2")
    attach(led, _file(tmp_path, "1.pdf", b"1"), "facture", TODAY, invoice_id=f1.id)
    attach(led, _file(tmp_path, "2.pdf", b"2"), "facture", TODAY, invoice_id=f2.id)
    attach(led, _file(tmp_path, "c.eml", b"c"), "e-mail", TODAY, client_id=f1.client_id)
    titles = [r.title for r in pieces_for(led, f1.client_id, [f2.id])]
    assert sorted(titles) == ["2.pdf", "c.eml"]


def test_piece_in_a_dossier_is_never_removed_and_files_stay(led, tmp_path):
    """Issue 16: never deleted while a dossier refers to it; a removal keeps row and file."""
    inv = led.find_invoice("F-1")
    kept = attach(led, _file(tmp_path, "k.pdf", b"k"), "autre", TODAY, invoice_id=inv.id)
    gone = attach(led, _file(tmp_path, "g.pdf", b"g"), "autre", TODAY, invoice_id=inv.id)
    mark_in_dossier(led, [kept], TODAY)
    with pytest.raises(InputError, match="figure dans un dossier transmis le 01/03/2026"):
        remove_piece(led, kept, TODAY)
    remove_piece(led, gone, TODAY)
    assert [r.title for r in pieces_for(led, inv.client_id)] == ["k.pdf"]
    assert len(list(pieces_dir(led).iterdir())) == 2  # the removed piece's file is kept


def test_backup_copies_the_pieces_once(led, tmp_path):
    """Backups include pieces/ (models/store/backups.py mirror_pieces)."""
    inv = led.find_invoice("F-1")
    attach(led, _file(tmp_path, "p.pdf", b"piece"), "autre", TODAY, invoice_id=inv.id)
    made = led.backup_now(dt.datetime(2026, 3, 1, 12))
    mirrored = list((made.parent / "pieces").iterdir())
    assert [p.read_bytes() for p in mirrored] == [b"piece"]
    led.backup_now(dt.datetime(2026, 3, 2, 12))
    assert len(list((made.parent / "pieces").iterdir())) == 1


def test_restore_on_a_new_computer_brings_the_pieces_back(led, tmp_path):
    """A backup restored beside an empty pieces/ gets its pieces back (mirror_pieces)."""
    inv = led.find_invoice("F-1")
    attach(led, _file(tmp_path, "p.pdf", b"piece"), "autre", TODAY, invoice_id=inv.id)
    made = led.backup_now(dt.datetime(2026, 3, 1, 12))
    for stored in pieces_dir(led).iterdir():  # the disk with the pieces is lost
        stored.unlink()
    led.restore_backup(made, dt.datetime(2026, 3, 1, 13))
    (row,) = pieces_for(led, inv.client_id)
    assert row.path.read_bytes() == b"piece"


def test_cli_attach(tmp_path, capsys):
    """`main.py attach INVOICE FILE --kind ... --date --note` stores the piece."""
    db = tmp_path / "relance.sqlite"
    ledger = Ledger.open(str(db))
    c = ledger.add_client("Atelier Durand")
    ledger.add_invoice(c, "F-9", dt.date(2025, 11, 1), Decimal("100.00"), dt.date(2025, 12, 1))
    ledger.close()
    src = _file(tmp_path, "devis.pdf")
    code = main.run(
        [
            "--db",
            str(db),
            "attach",
            "F-9",
            str(src),
            "--kind",
            "devis signé",
            "--date",
            "2025-10-01",
            "--note",
            "signé",
        ],
        today=TODAY,
    )
    assert code == 0
    bad = main.run(["--db", str(db), "attach", "F-9", str(src), "--kind", "contrat"], today=TODAY)
    assert bad == 2
    assert "au choix" in capsys.readouterr().err
    ledger = Ledger.open(str(db))
    (row,) = pieces_for(ledger, c)
    assert (row.kind, row.date, row.note) == ("devis signé", dt.date(2025, 10, 1), "signé")
    ledger.close()
