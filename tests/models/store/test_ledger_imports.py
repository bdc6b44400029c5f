"""What opening a ledger loads: every command opens one, so the domain modules it does not use
(letters, mail, bank, validation, interest) are imported by the methods that use them."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from models.store.ledger import Ledger

ROOT = Path(__file__).resolve().parents[3]

# Domain modules a command that only opens the ledger and reads settings does not use.
NOT_AT_OPEN = (
    "models.bank.matching",
    "models.company",
    "models.law.interest",
    "models.letters.data",
    "models.letters.statement",
    "models.letters.templates",
    "models.mail.account",
    "models.mail.message",
    "models.mail.templates",
    "models.validation",
    "stdnum",
)


def loaded_by(code: str) -> dict[str, str]:
    """Run `code` in a fresh interpreter; the lines it prints as `key value` pairs."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines())


def test_opening_a_ledger_and_reading_settings_loads_no_module_it_does_not_use(tmp_path):
    path = tmp_path / "o.sqlite"
    Ledger.open(str(path), now=dt.datetime.now()).close()  # made, stamped, backed up today
    code = (
        "import datetime as dt, sys\n"
        "from models.store.ledger import Ledger\n"
        "from models.store.tables import Client\n"
        f"ledger = Ledger.open({str(path)!r}, now=dt.datetime.now(), create=False)\n"
        "company = ledger.setting('company')\n"
        "print('setting', ledger.setting('aging_bounds'))\n"
        "print('template', ledger.setting('template.reminder_1')[:5])\n"
        "print('mappers', Client.__mapper__.configured)\n"
        "ledger.close()\n"
        "print('modules', ' '.join(sorted(sys.modules)))\n"
    )
    out = loaded_by(code)
    assert out["setting"] == "[30, 60, 90]"
    assert out["template"]  # a shipped letter text, read when asked (its module with it)
    # Reading settings needs no ORM mapper set up (one plain query each).
    assert out["mappers"] == "False"
    modules = set(out["modules"].split())
    assert "models.store.ledger" in modules
    loaded = sorted(m for m in modules if m.split(".")[0] == "stdnum" or m in NOT_AT_OPEN)
    assert loaded == ["models.letters.templates"]  # the template asked for, nothing else


def test_each_method_imports_what_it_uses(tmp_path):
    # The same ledger used for real: the methods bring their modules in when called.
    ledger = Ledger.open(str(tmp_path / "u.sqlite"))
    try:
        client = ledger.add_client("Durand SARL", siret="73282932000074")
        ledger.add_invoice(client, "F-1", dt.date(2026, 1, 5), Decimal(1200), dt.date(2026, 2, 4))
        assert ledger.interest("F-1", dt.date(2026, 6, 1)).penalties > 0
        assert ledger.company_missing("reminder_1")  # no company set yet: what a letter lacks
        assert ledger.template_is_custom("reminder_1") is False
        ledger.set_template("reminder_1", ledger.template("reminder_1"))
        assert ledger.template_is_custom("reminder_1") is True
        assert ledger.mail_account() is None  # none set: e-mails are drafts
        ledger.set_setting("payment_terms_days", 45)
        assert ledger.setting("payment_terms_days") == 45
    finally:
        ledger.close()


# The ORM: the window starts, reads its table and the totals without it (a third of its start).
ORM = ("sqlmodel", "pydantic", "sqlalchemy.orm", "models.store.tables", "models.store.versions")


def test_opening_a_ledger_and_reading_the_window_s_first_figures_loads_no_orm(tmp_path):
    path = tmp_path / "w.sqlite"
    ledger = Ledger.open(str(path), now=dt.datetime.now())
    client = ledger.add_client("Durand SARL")
    ledger.add_invoice(client, "F-1", dt.date(2026, 1, 5), Decimal(1200), dt.date(2026, 2, 4))
    ledger.close()
    code = (
        "import datetime as dt, sys\n"
        "from itertools import chain\n"
        "from models.store.ledger import Ledger\n"
        f"ledger = Ledger.open({str(path)!r}, now=dt.datetime.now(), create=False)\n"
        "day = dt.date(2026, 6, 1)\n"
        "rows = list(chain.from_iterable(ledger.iter_stage_tuple_batches(day, True)))\n"
        "print('rows', len(rows), rows[0][4])\n"
        "print('epoch', ledger.stage_epoch() is not None)\n"
        "print('aged', ledger.aged_balance(day).total)\n"
        "print('todo', len(ledger.todo(day)))\n"
        f"print('orm', ' '.join(m for m in {ORM!r} if m in sys.modules) or '-')\n"
        "print('clients', [c.name for c in ledger.clients()])\n"  # a method that needs it
        f"print('then', ' '.join(m for m in {ORM!r} if m in sys.modules))\n"
        "ledger.close()\n"
    )
    out = loaded_by(code)
    assert out["rows"] == "1 overdue"
    assert out["epoch"] == "True"
    assert out["aged"] == "1200.00"
    assert out["todo"] == "1"
    assert out["orm"] == "-"
    assert out["clients"] == "['Durand SARL']"
    assert out["then"] == " ".join(ORM[:4])  # loaded by the method that uses it (a read:
    # no versioning of writes)


def test_the_window_s_modules_import_no_orm():
    out = loaded_by(
        "import sys\nimport ui.app, ui.window.main\n"
        f"print('orm', ' '.join(m for m in {ORM!r} if m in sys.modules) or '-')\n"
    )
    assert out["orm"] == "-"


def test_a_copy_in_a_fresh_process_carries_every_table(tmp_path):
    """`migrate-to --to` as its own process: the tables it copies are listed from the ORM's
    metadata, which nothing else has loaded there (it used to come with `db`'s imports)."""
    source, target = tmp_path / "src.sqlite", tmp_path / "copie.sqlite"
    ledger = Ledger.open(str(source), now=dt.datetime.now())
    client = ledger.add_client("Durand SARL")
    ledger.add_invoice(client, "F-1", dt.date(2026, 1, 5), Decimal(1200), dt.date(2026, 2, 4))
    ledger.close()
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(source), "migrate-to", "--to", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Copie vérifiée : 1 clients, 1 factures" in done.stderr
    copy = Ledger.open(str(target), create=False)
    try:
        assert [c.name for c in copy.clients()] == ["Durand SARL"]
        assert copy.counts()["invoices"] == 1
    finally:
        copy.close()
