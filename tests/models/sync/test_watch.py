"""Watched folders: new invoice files read once (by SHA-256), bad ones set aside, said why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.store.ledger import Ledger
from models.sync.watch import (
    BANK,
    INVOICES,
    synchronise,
)
from tests.models.einvoice.samples import Sample, cii_xml, facturx_pdf, plain_pdf, ubl_xml, write

TODAY = dt.date(2025, 12, 1)
NOW = dt.datetime(2025, 12, 1, 9, 30)


def test_no_folder_set_says_where_to_set_them(ledger: Ledger) -> None:
    report = synchronise(ledger, TODAY, NOW)
    assert report.new_files == 0
    assert "Paramètres > Synchronisation" in report.headline()


def test_new_files_are_read_once_and_a_bad_one_does_not_hold_the_others(
    ledger: Ledger, tmp_path: Path
) -> None:
    drop = tmp_path / "depot"
    drop.mkdir()
    write(drop, "FX-1.pdf", facturx_pdf(Sample("FX-1")))
    write(drop, "U-2.xml", ubl_xml(Sample("U-2")))
    write(drop, "scan.pdf", plain_pdf())
    write(drop, "notes.txt", b"pas une facture")  # not a suffix the folder reads
    ledger.set_setting("sync_invoices_dir", str(drop))

    first = synchronise(ledger, TODAY, NOW)
    invoices = next(f for f in first.folders if f.kind == INVOICES)
    assert [(o.name, o.ok) for o in invoices.files] == [
        ("FX-1.pdf", True),
        ("U-2.xml", True),
        ("scan.pdf", False),
    ]
    assert (
        invoices.files[0].text == "facture FX-1 ajoutée (Durand Bâtiment SAS, 1\u00a0481,47\u00a0€)"
    )
    assert invoices.files[2].text.startswith("refusé : PDF sans facture électronique")
    assert first.headline() == "Synchronisation : 3 nouveau(x) fichier(s) lu(s), dont 1 refusé(s)."
    assert ledger.counts()["invoices"] == 2

    again = synchronise(ledger, TODAY, NOW)
    assert again.new_files == 0
    assert next(f for f in again.folders if f.kind == INVOICES).already_seen == 3
    assert again.headline() == "Synchronisation : aucun nouveau fichier."

    # The same content under another name is known; a corrected file is new.
    write(drop, "copie de FX-1.pdf", (drop / "FX-1.pdf").read_bytes())
    write(drop, "C-3.xml", cii_xml(Sample("C-3")))
    third = synchronise(ledger, TODAY, NOW)
    files = next(f for f in third.folders if f.kind == INVOICES).files
    assert [(o.name, o.text) for o in files] == [
        ("C-3.xml", "facture C-3 ajoutée (Durand Bâtiment SAS, 1\u00a0481,47\u00a0€)")
    ]
    assert ledger.counts()["invoices"] == 3


def test_a_missing_folder_is_said(ledger: Ledger, tmp_path: Path) -> None:
    ledger.set_setting("sync_invoices_dir", str(tmp_path / "débranché"))
    result = next(f for f in synchronise(ledger, TODAY, NOW).folders if f.kind == INVOICES)
    assert result.problem.startswith("dossier introuvable : ")
    assert ledger.counts()["invoices"] == 0


def test_the_bank_folder_records_the_sure_credits_once(ledger: Ledger, tmp_path: Path) -> None:
    from tests.models.bank.statements import MOVES, camt053, fill_ledger

    fill_ledger(ledger)
    drop = tmp_path / "releves"
    drop.mkdir()
    (drop / "releve-mars.xml").write_bytes(camt053(MOVES))
    ledger.set_setting("sync_bank_dir", str(drop))
    first = next(f for f in synchronise(ledger, TODAY, NOW).folders if f.kind == BANK)
    assert first.problem == ""
    [outcome] = first.files
    assert outcome.ok
    assert "2 paiement(s) sûr(s) enregistré(s)" in outcome.text
    assert ledger.counts()["payments"] == 2
    again = next(f for f in synchronise(ledger, TODAY, NOW).folders if f.kind == BANK)
    assert (again.files, again.already_seen) == ([], 1)
    assert ledger.counts()["payments"] == 2


def test_the_folder_settings_are_checked(ledger: Ledger) -> None:
    import pytest

    from models.errors import InputError

    with pytest.raises(InputError, match="chemin complet"):
        ledger.set_setting("sync_invoices_dir", "relatif/dossier")
    ledger.set_setting("sync_on_start", "non")
    assert ledger.setting("sync_on_start") is False
