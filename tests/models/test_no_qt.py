"""The domain knows no Qt: importing every models/ and reports/ module loads no PySide6."""

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_models_and_reports_import_no_pyside6():
    names = [
        f"{pkg}.{m.name}"
        for pkg in ("models", "reports")
        for m in pkgutil.iter_modules([str(ROOT / pkg)])
    ]
    assert "models.ledger" in names
    assert "reports.letters" in names
    code = (
        f"import importlib, sys\nfor n in {names!r}: importlib.import_module(n)\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not bad, bad\nprint(len(sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
