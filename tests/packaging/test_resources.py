"""Resources, version, icon, smoke test and About dialog: the fast half of issue 13's checks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from models import resources
from models.law import rates
from models.letters import templates
from models.store import db
from models.store.ledger import Ledger
from models.version import app_version
from reports import fonts

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
    "version"
]


@pytest.fixture
def fresh_lookup(monkeypatch: pytest.MonkeyPatch):
    """resources_dir() looks again (its answer is cached for the process)."""
    resources.resources_dir.cache_clear()
    yield
    resources.resources_dir.cache_clear()


def test_from_source_the_helper_finds_the_checkouts_resources(fresh_lookup):
    """Issue 13 §5: from a checkout, resources/ at its root."""
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.resource_path("fonts", "DejaVuSans.ttf").is_file()


def test_rates_templates_and_fonts_all_come_through_the_helper():
    """Issue 13 §5: one helper; no module computes its own path from __file__ any more."""
    base = resources.resources_dir()
    assert base / "rates.csv" == rates.RATES_CSV
    assert base / "templates" == templates.TEMPLATES_DIR
    assert base / "fonts" == fonts.FONTS_DIR
    for module in (rates, templates, fonts):
        assert "__file__" not in Path(module.__file__).read_text("utf-8")


def test_in_a_bundle_the_helper_looks_in_meipass_first(fresh_lookup, tmp_path, monkeypatch):
    """Issue 13 §5: PyInstaller's sys._MEIPASS/resources wins over the checkout."""
    shutil.copytree(ROOT / "resources", tmp_path / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"
    assert (
        resources.resource_path("rates.csv").read_bytes()
        == (ROOT / "resources" / "rates.csv").read_bytes()
    )


def test_installed_as_a_wheel_the_helper_looks_under_share(fresh_lookup):
    """pyproject's data-files put resources in <prefix>/share/relance/resources: a candidate."""
    import sysconfig

    expected = Path(sysconfig.get_path("data")) / "share" / "relance" / "resources"
    assert expected in resources.candidates()


def test_resources_missing_everywhere_is_a_french_message_naming_the_places(
    fresh_lookup, tmp_path, monkeypatch
):
    """A broken installation says where it looked, in French, rather than a bare traceback."""
    monkeypatch.setattr(resources, "candidates", lambda: [tmp_path / "nowhere"])
    with pytest.raises(FileNotFoundError, match="ressources de Relance introuvables") as exc:
        resources.resources_dir()
    assert str(tmp_path / "nowhere") in str(exc.value)


def test_one_version_pyproject_metadata_and_database_mark():
    """Issue 13 §4: one version: pyproject.toml's, read back; the database mark keeps step."""
    assert app_version() == PYPROJECT_VERSION
    assert ".".join(map(str, db.VERSION)) == PYPROJECT_VERSION


def test_version_flag_prints_the_version():
    """Issue 13 §4: `relance --version`."""
    out = subprocess.run(
        [sys.executable, "main.py", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.stdout.strip() == f"relance {PYPROJECT_VERSION}"


def test_the_icon_is_drawn_at_every_size_from_the_svg(qapp, tmp_path):
    """Issue 13 §3: PNGs 16-512 generated from resources/icons/relance.svg, none committed."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import make_icons
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    from PySide6.QtGui import QImage

    written = make_icons.render_pngs(tmp_path)
    assert [QImage(str(p)).width() for p in written] == [16, 24, 32, 48, 64, 128, 256, 512]
    assert all(QImage(str(p)).height() == QImage(str(p)).width() for p in written)
    tracked = subprocess.run(
        ["git", "ls-files", "*.png", "*.ico", "*.icns"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [t for t in tracked if "icon" in t or t.startswith("resources/")] == []


def test_the_window_icon_is_ours(qapp):
    """Issue 13 §3: the application (hence every window) carries the SVG icon."""
    from ui.app import make_application

    app = make_application()
    assert not app.windowIcon().isNull()
    assert app.windowIcon().pixmap(48, 48).toImage().pixelColor(24, 4).blue() > 100


def test_smoke_test_opens_the_window_paints_and_quits_with_zero(tmp_path):
    """Issue 13 tests: --smoke-test opens the window offscreen, waits for a paint, exit 0."""
    base = tmp_path / "demo.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    run = [sys.executable, str(ROOT / "main.py"), "--db", str(base)]
    subprocess.run([*run, "demo"], cwd=tmp_path, env=env, check=True, capture_output=True)
    done = subprocess.run(
        [*run, "--smoke-test"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_smoke_test_on_a_missing_database_says_so_and_never_waits(tmp_path):
    """The smoke test asks nothing: a missing file is one line on stderr and status 2."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env["RELANCE_SMOKE_TEST"] = "1"  # the environment variable works like the flag
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "absent.sqlite")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert not (tmp_path / "absent.sqlite").exists()


def test_about_shows_version_database_file_backups_and_licences(qtbot, tmp_path):
    """Issue 13 §4: Aide > À propos: version, where the database and backups are, licences."""
    from ui.window.about import AboutDialog

    path = tmp_path / "base.sqlite"
    ledger = Ledger.open(str(path), now=dt.datetime(2026, 1, 5, 9, 0), create=True)
    try:
        dialog = AboutDialog(ledger)
        qtbot.addWidget(dialog)
        header = dialog.header.text()
        assert PYPROJECT_VERSION in header
        assert str(path) in header
        assert "sqlite://" not in header  # a file path, never a URL
        assert str(ledger.backup_dir()) in header
        licences = dialog.licences.toPlainText()
        for name in ("LGPL", "ReportLab", "DejaVu", "PySide6", "python-stdnum"):
            assert name in licences
        assert (resources.resource_path("licences") / "LGPL-3.0.txt").is_file()
    finally:
        ledger.close()
