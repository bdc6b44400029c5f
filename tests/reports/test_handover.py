"""Hand-over (issue 16 §5): the ZIP's contents, the history entry, the handed_over stage; CLI."""

import csv
import io
import zipfile

import pytest

import main
from models.errors import InputError
from models.litigation.case import claim_file
from models.litigation.pieces import attach, pieces_for, remove_piece
from models.store.ledger import Ledger
from tests.models.litigation.conftest import AS_OF, make_claim


def test_cli_dossier_zip_and_handover(tmp_path, capsys):
    """`main.py dossier F-1 -o … --zip … --handover-to …`: PDF, ZIP, history, stage, pieces kept."""
    led, c = make_claim(tmp_path)
    order = tmp_path / "Bon de commande.pdf"
    order.write_bytes((tmp_path / "mise-en-demeure.pdf").read_bytes().replace(b"MISE", b"BONC"))
    piece = attach(led, order, "bon de commande", AS_OF, client_id=c)
    db = led.url.removeprefix("sqlite:///")
    led.close()
    pdf, archive = tmp_path / "dossier.pdf", tmp_path / "dossier.zip"
    code = main.run(
        [
            "--db",
            db,
            "dossier",
            "F-1",
            "-o",
            str(pdf),
            "--zip",
            str(archive),
            "--handover-to",
            "Maître Martin, avocat",
        ],
        today=AS_OF,
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Dossier enregistré" in err
    with zipfile.ZipFile(archive) as zf:
        names = sorted(zf.namelist())
        assert names == [
            "decompte.csv",
            "dossier.pdf",
            "factures.csv",
            "pieces/01 - Mise en demeure (LRAR n° 1A12345678901) du 12_01_2026.pdf",
            "pieces/02 - Bon de commande.pdf",  # undated: after the dated pieces
        ]
        assert zf.read("dossier.pdf") == pdf.read_bytes()
        rows = list(
            csv.reader(io.StringIO(zf.read("factures.csv").decode("utf-8-sig")), delimiter=";")
        )
    assert rows[-1] == ["total", "", "", "", "", "2600,00", "", "", "2780,66"]
    led = Ledger.open(db)
    history = led.history(c)
    action, numbers = history[-1]
    assert (action.kind, action.channel, numbers) == ("handover", "dossier", ["F-1", "F-2"])
    assert action.outcome == "Dossier transmis à Maître Martin, avocat"
    assert {r.invoice: r.stage for r in led.stages(AS_OF)} == {
        "F-1": "handed_over",
        "F-2": "handed_over",
    }
    # The piece went into a handed-over dossier: it can no longer be taken off.
    with pytest.raises(InputError, match="figure dans un dossier transmis le 01/03/2026"):
        remove_piece(led, piece, AS_OF)
    assert len(pieces_for(led, c)) == 2  # the dossier PDF itself is not a piece
    led.close()


def test_cli_dossier_refuses_a_client_with_nothing_owed(tmp_path, capsys):
    """Nothing due: exit 2 with one French line, no file."""
    led, c = make_claim(tmp_path)
    db = led.url.removeprefix("sqlite:///")
    file = claim_file(led, c, AS_OF)
    for f in file.facts:
        led.record_payment(
            f.id,
            AS_OF,
            file.statement.lines[0].balance
            if f.number == "F-1"
            else file.statement.lines[1].balance,
        )
    led.close()
    out = tmp_path / "d.pdf"
    code = main.run(["--db", db, "dossier", "F-1", "-o", str(out)], today=AS_OF)
    assert code == 2
    assert "aucune facture échue et impayée" in capsys.readouterr().err
    assert not out.exists()
