"""`main.py invoices FILE...`: e-invoices imported, JSON summary, refusals with status 2."""

from __future__ import annotations

import json
from pathlib import Path

import main
from models.store.ledger import Ledger
from tests.models.einvoice.samples import Sample, cii_xml, facturx_pdf, plain_pdf, ubl_xml, write


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_invoices_json_then_again_adds_nothing(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "relance.sqlite")
    pdf = write(tmp_path, "FX-1.pdf", facturx_pdf(Sample("FX-1")))
    xml = write(tmp_path, "U-2.xml", ubl_xml(Sample("U-2")))
    args = ("--db", db, "--new", "invoices", str(pdf), str(xml), "--as-of", "2025-12-01")
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [(a["invoice"], a["amount_ttc"], a["new_client"]) for a in data["added"]] == [
        ("FX-1", "1481.47", True),
        ("U-2", "1481.47", False),
    ]
    assert (data["clients_created"], data["pieces_added"]) == (["Durand Bâtiment SAS"], 1)
    assert "2 facture(s) ajoutée(s), 1 client(s) créé(s)" in err
    code, out, err = run(capsys, *args)
    assert code == 0
    assert out.splitlines() == ["Déjà connue — FX-1 (FX-1.pdf)", "Déjà connue — U-2 (U-2.xml)"]
    ledger = Ledger.open(db)
    try:
        assert ledger.counts()["invoices"] == 2
    finally:
        ledger.close()


def test_a_refused_file_exits_2_and_writes_nothing(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "relance.sqlite")
    good = write(tmp_path, "c.xml", cii_xml())
    bad = write(tmp_path, "scan.pdf", plain_pdf())
    code, out, err = run(capsys, "--db", db, "--new", "invoices", str(good), str(bad))
    assert code == 2
    assert out.startswith("Refusé — scan.pdf : PDF sans facture électronique")
    assert "rien n'a été enregistré" in err
    ledger = Ledger.open(db)
    try:
        assert ledger.counts()["invoices"] == 0
    finally:
        ledger.close()


def test_sync_reads_the_watched_folder_once(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "relance.sqlite")
    drop = tmp_path / "depot"
    drop.mkdir()
    write(drop, "C-1.xml", cii_xml(Sample("C-1")))
    write(drop, "scan.pdf", plain_pdf())
    code, _out, _err = run(
        capsys, "--db", db, "--new", "settings", "set", "sync_invoices_dir", str(drop)
    )
    assert code == 0
    code, out, err = run(capsys, "--db", db, "sync", "--as-of", "2025-12-01", "--format", "json")
    assert code == 0
    invoices = json.loads(out)["folders"][0]
    assert [(f["file"], f["ok"]) for f in invoices["files"]] == [
        ("C-1.xml", True),
        ("scan.pdf", False),
    ]
    assert "2 nouveau(x) fichier(s) lu(s), dont 1 refusé(s)" in err
    code, out, err = run(capsys, "--db", db, "sync", "--as-of", "2025-12-01")
    assert (code, out) == (0, "")
    assert err.strip() == "Synchronisation : aucun nouveau fichier."
