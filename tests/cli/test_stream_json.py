"""Streamed JSON output: the same bytes as the whole-string output it replaced, same data."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import pytest

import main
from models.demo import build_demo
from models.law.aging import AgedBalance, AgedRow, Buckets
from models.store.ledger import Ledger
from ui.cli.common import cents, emit, stream_json
from ui.cli.reports import _aged_json

TODAY = dt.date(2026, 11, 23)


def former_json(rows: list[dict]) -> str:
    """What `emit` printed before the streaming: one string, then print()."""
    body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    return (f"[\n{body}\n]" if rows else "[]") + "\n"


def test_cents_is_the_decimal_text():
    rng = random.Random(3)
    values = [0, 1, -1, 5, -5, 99, 100, -100, 101, -101, 123456789, -987654321]
    values += [rng.randint(-(10**9), 10**9) for _ in range(2000)]
    for c in values:
        assert cents(c) == f"{Decimal(c) / 100:.2f}", c


@pytest.mark.parametrize("count", [0, 1, 2, 1999, 2000, 2001, 4500])
def test_stream_is_byte_identical_to_the_former_output(count, capsys, tmp_path):
    rows = [
        {
            "invoice": f"FA-{i}",
            "client": 'Éditions « Zoé »\t"x"',
            "balance": cents(i * 37 - 50),
            "next_action": None,
            "days_late": i,
        }
        for i in range(count)
    ]
    stream_json(iter(rows), None)
    assert capsys.readouterr().out == former_json(rows)
    out = tmp_path / "o.json"
    emit(iter(rows), "json", out, ("invoice",))
    assert out.read_text(encoding="utf-8") == former_json(rows)
    assert json.loads(out.read_text(encoding="utf-8")) == rows


def test_stages_json_parses_to_the_rows_of_every_invoice(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    ledger = Ledger.open(str(path))
    build_demo(ledger, TODAY)
    expected = [
        {
            "invoice": r.invoice,
            "client": r.client,
            "stage": r.stage,
            "balance": f"{Decimal(r.balance_cents) / 100:.2f}",
            "due": r.due.isoformat(),
            "days_late": r.days_late,
            "next_action": r.next_action or None,
            "next_action_on": r.next_action_on.isoformat() if r.next_action_on else None,
        }
        for r in ledger.stages(TODAY)
    ]
    ledger.close()
    assert main.run(["--db", str(path), "stages", "--as-of", "2026-11-23", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == expected
    assert out == former_json(expected)
    assert len(expected) > 400


def former_aged_json(ledger: Ledger, as_of: dt.date) -> dict:
    """The aged balance JSON as built before (Decimal euros, one json.dumps with indent)."""
    ab = ledger.aged_balance(as_of)
    keys = ab.buckets.keys()
    money = lambda v: f"{v:.2f}"  # noqa: E731
    clients = [
        {
            "client": r.client,
            **{k: money(v) for k, v in zip(keys, r.amounts, strict=True)},
            "total": money(r.total),
            "overdue": money(r.overdue),
            "oldest_due": r.oldest_due.isoformat() if r.oldest_due else None,
            "dso": f"{r.dso}" if r.dso is not None else None,
        }
        for r in ab.rows
    ]
    totals = {k: money(v) for k, v in zip(keys, ab.totals, strict=True)}
    totals |= {"total": money(ab.total), "overdue": money(ab.overdue)}
    data = {
        "as_of": ab.as_of.isoformat(),
        "clients": clients,
        "totals": totals,
        "dso": f"{ab.dso}" if ab.dso is not None else None,
    }
    return json.loads(json.dumps(data, ensure_ascii=False, indent=2))


@pytest.mark.parametrize("as_of", ["2026-11-23", "2025-01-01", "2000-01-01"])
def test_aged_balance_json_parses_to_the_former_data(tmp_path, capsys, as_of):
    path = tmp_path / "demo.sqlite"
    ledger = Ledger.open(str(path))
    build_demo(ledger, TODAY)
    expected = former_aged_json(ledger, dt.date.fromisoformat(as_of))
    ledger.close()
    args = ["--db", str(path), "aged-balance", "--as-of", as_of, "--format", "json"]
    assert main.run(args) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == expected
    assert out.startswith('{\n  "as_of": ')


def test_stages_json_lines_escape_names_as_the_encoder_does(tmp_path, capsys):
    # Each stages line is formatted directly (no dict, no encoder call): names with quotes,
    # backslashes, control characters and non-ASCII text come out as json.dumps writes them.
    path = tmp_path / "odd.sqlite"
    ledger = Ledger.open(str(path))
    build_demo(ledger, TODAY, clients=6)
    odd = ['Zoé "la" \\ Cie', "tab\there\nline\x01\x1f", "Ünïcødé ✓ 😀", "</script>\u2028"]
    with ledger.engine.begin() as conn:
        ids = [i for (i,) in conn.exec_driver_sql("SELECT id FROM client ORDER BY id")]
        for i, name in zip(ids, odd, strict=False):
            conn.exec_driver_sql("UPDATE client SET name = ? WHERE id = ?", (name, i))
        conn.exec_driver_sql("UPDATE invoice SET number = number || ? WHERE id % 3 = 0", ('-"\\é',))
    expected = [
        {
            "invoice": r.invoice,
            "client": r.client,
            "stage": r.stage,
            "balance": f"{Decimal(r.balance_cents) / 100:.2f}",
            "due": r.due.isoformat(),
            "days_late": r.days_late,
            "next_action": r.next_action or None,
            "next_action_on": r.next_action_on.isoformat() if r.next_action_on else None,
        }
        for r in ledger.stages(TODAY)
    ]
    ledger.close()
    assert {r["client"] for r in expected} >= set(odd)
    assert any(r["next_action_on"] for r in expected)
    assert any(r["days_late"] for r in expected)
    assert main.run(["--db", str(path), "stages", "--as-of", "2026-11-23", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == former_json(expected)
    assert json.loads(out) == expected


def former_aged_lines(ab: AgedBalance) -> str:
    """The aged balance JSON as `aged-balance` printed it before its lines were formatted
    directly: a dict per client through the C encoder, one client a line."""
    keys = ab.buckets.keys()
    clients = [
        {
            "client": r.client,
            **{k: cents(c) for k, c in zip(keys, r.cents, strict=True)},
            "total": cents(sum(r.cents)),
            "overdue": cents(sum(r.cents[1:])),
            "oldest_due": r.oldest_due.isoformat() if r.oldest_due else None,
            "dso": f"{r.dso}" if r.dso is not None else None,
        }
        for r in ab.rows
    ]
    totals = {k: f"{v:.2f}" for k, v in zip(keys, ab.totals, strict=True)}
    totals |= {"total": f"{ab.total:.2f}", "overdue": f"{ab.overdue:.2f}"}
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    body = ",\n".join("    " + encode(c) for c in clients)
    lines = [
        "{",
        f'  "as_of": {encode(ab.as_of.isoformat())},',
        f'  "clients": [\n{body}\n  ],' if clients else '  "clients": [],',
        f'  "totals": {encode(totals)},',
        f'  "dso": {encode(f"{ab.dso}" if ab.dso is not None else None)}',
        "}",
    ]
    return "\n".join(lines)


ODD_NAMES = [
    'Zoé "la" \\ Cie',
    "tab\there\nline\x01\x1f",
    "Ünïcødé ✓ 😀",
    "</script>\u2028",
    "100 %s",
]


@pytest.mark.parametrize("seed", range(8))
def test_aged_balance_json_lines_are_the_encoders_bytes(seed):
    # Each client's line is one format string (no dict, no encoder call): odd names, negative
    # and repeated amounts, missing dates and DSO, other buckets give the encoder's bytes.
    rng = random.Random(seed)
    bounds = rng.choice([(30, 60, 90), (15, 45, 120, 365), (7,)])
    buckets = Buckets(bounds)
    n = len(bounds) + 2
    rows = tuple(
        AgedRow(
            client_id=i,
            client=rng.choice([*ODD_NAMES, f"Client {i}"]),
            cents=tuple(
                rng.choice([0, 0, 5, -7, 100, -12345, rng.randint(-(10**9), 10**9)])
                for _ in range(n)
            ),
            oldest_due=rng.choice([None, TODAY - dt.timedelta(days=rng.randint(0, 900))]),
            dso=rng.choice(
                [None, Decimal("0.0"), Decimal("12.3"), Decimal("-4.5"), Decimal("1234.5")]
            ),
            invoices=rng.randint(1, 30),
        )
        for i in range(rng.choice([0, 1, 2, 300]))
    )
    totals = [sum(r.cents[k] for r in rows) for k in range(n)]
    ab = AgedBalance(
        as_of=TODAY,
        buckets=buckets,
        rows=rows,
        totals=tuple(Decimal(c).scaleb(-2) for c in totals),
        total=Decimal(sum(totals)).scaleb(-2),
        overdue=Decimal(sum(totals[1:])).scaleb(-2),
        dso=rng.choice([None, Decimal("33.3")]),
    )
    made = _aged_json(ab)
    assert made == former_aged_lines(ab)
    assert [c["client"] for c in json.loads(made)["clients"]] == [r.client for r in rows]
