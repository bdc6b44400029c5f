"""The installable Relance of issue 13, built from this checkout and run without the venv.

Marker `bundle` (minutes): `.ci/run` and `./relance test` run this group after the fast suite.
The bundle is built once (packaging/build.py: bundle, archive, .deb), then every command runs it
alone: PATH=/usr/bin:/bin, no PYTHONPATH, a temporary working folder and home.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

import pdfplumber
import pytest

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
DIST = ROOT / "dist"
BUNDLE = DIST / "Relance"
DEB = DIST / f"relance_{VERSION}_amd64.deb"
ARCHIVE = DIST / f"relance-{VERSION}-linux-x86_64.tar.gz"
BUILD_BUDGET_S = 6 * 60  # issue 13: keep CI's bundle build to about six minutes


@pytest.fixture(scope="module")
def build() -> float:
    """Build everything once for the module (a fresh build, nothing reused); its duration."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the .deb and the Linux bundle are built on Linux only")
    shutil.rmtree(DIST, ignore_errors=True)
    start = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], cwd=ROOT, check=True)
    return time.monotonic() - start


@pytest.fixture
def alone(tmp_path: Path):
    """Run a program as a person would: no venv on PATH, no PYTHONPATH, cwd a temp folder."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(*args: str, exe: Path | str = BUNDLE / "relance", timeout: int = 120):
        return subprocess.run(
            [str(exe), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    run.home = home  # type: ignore[attr-defined]
    return run


def test_build_writes_bundle_archive_and_deb_within_budget(build):
    """Issue 13 §1-2: dist/Relance/, the versioned archive and the .deb, in about 6 minutes."""
    assert (BUNDLE / "relance").is_file()
    assert ARCHIVE.is_file()
    assert DEB.is_file()
    print(
        f"\nbuild {build:.0f} s; bundle {_size(BUNDLE) / 1e6:.0f} MB, archive "
        f"{ARCHIVE.stat().st_size / 1e6:.0f} MB, deb {DEB.stat().st_size / 1e6:.0f} MB"
    )
    assert build < BUILD_BUDGET_S


def test_bundle_carries_only_the_qt_it_uses(build):
    """Issue 13 §1: no QtWebEngine, QtQuick, QtQml; French is the only Qt translation."""
    names = [p.name for p in BUNDLE.rglob("*")]
    for unused in ("QtWebEngine", "Qt6Quick", "Qt6Qml", "Qt6Multimedia", "Qt63D", "Qt6Designer"):
        assert not [n for n in names if unused in n], unused
    assert [n for n in names if n.endswith(".qm")] == ["qtbase_fr.qm"]
    assert [n for n in names if n.startswith("libgtk")] == []


def test_bundle_carries_the_licences_of_what_ships(build):
    """Issue 13 §4: the licences travel with the program (Qt LGPL, each library's own file)."""
    licences = BUNDLE / "_internal" / "resources" / "licences"
    for name in ("LISEZMOI.txt", "LGPL-3.0.txt", "GPL-3.0.txt"):
        assert (licences / name).is_file(), name
    shipped = {p.name for p in (licences / "tiers").iterdir()}
    assert {"reportlab", "sqlalchemy", "python-stdnum", "segno", "python", "pyinstaller"} <= shipped
    assert (BUNDLE / "_internal" / "resources" / "fonts" / "LICENSE-DejaVu.txt").is_file()


def test_archive_holds_the_bundle_folder(build):
    """Issue 13 §1: dist/relance-<version>-linux-x86_64.tar.gz unpacks to Relance/."""
    with tarfile.open(ARCHIVE) as tar:
        members = tar.getnames()
    assert "Relance/relance" in members
    assert "Relance/_internal/resources/rates.csv" in members


def test_version_from_the_bundle_alone(build, alone):
    """Issue 13 tests: `relance --version`, the metadata copied into the bundle."""
    done = alone("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"relance {VERSION}"


def test_demo_aged_balance_letter_and_window_from_the_bundle_alone(build, alone, tmp_path):
    """Issue 13 tests: demo, aged balance PDF (its total), a letter PDF, the window, exit 0."""
    base = str(tmp_path / "demo.sqlite")
    done = alone("--db", base, "demo")
    assert done.returncode == 0, done.stderr
    balance = json.loads(alone("--db", base, "aged-balance", "--format", "json").stdout)
    done = alone("--db", base, "aged-balance", "--format", "pdf", "-o", "X.pdf")
    assert done.returncode == 0, done.stderr
    text = _squeeze(_pdf_text(tmp_path / "X.pdf"))
    total = balance["totals"]["total"].replace(".", ",")  # '468834,12'
    assert f"Totaldû:{total}" in text, (total, text[:300])

    stages = json.loads(alone("--db", base, "stages", "--format", "json").stdout)
    unpaid = next(r["invoice"] for r in stages if float(r["balance"]) > 0)
    done = alone("--db", base, "letter", unpaid, "--kind", "reminder_1", "-o", "Y.pdf")
    assert done.returncode == 0, done.stderr
    assert unpaid in _pdf_text(tmp_path / "Y.pdf")

    done = alone("--db", base, "--smoke-test")
    assert done.returncode == 0, done.stderr


def test_deb_lists_the_program_the_command_the_menu_entry_and_the_icons(build):
    """Issue 13 §2: /opt/relance, /usr/bin/relance, the .desktop entry, hicolor icons."""
    info = _out("dpkg-deb", "--info", str(DEB))
    assert "Package: relance" in info
    assert f"Version: {VERSION}" in info
    assert "Architecture: amd64" in info
    contents = _out("dpkg-deb", "--contents", str(DEB))
    assert "./opt/relance/relance" in contents
    assert "./usr/bin/relance -> /opt/relance/relance" in contents
    assert "./usr/share/applications/relance.desktop" in contents
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert f"./usr/share/icons/hicolor/{size}x{size}/apps/relance.png" in contents
    assert "./usr/share/icons/hicolor/scalable/apps/relance.svg" in contents
    assert "/home" not in contents
    assert ".local" not in contents


def test_desktop_entry_is_valid(build, tmp_path):
    """Issue 13 tests: desktop-file-validate passes on the entry the .deb installs."""
    subprocess.run(["dpkg-deb", "-x", str(DEB), str(tmp_path)], check=True)
    entry = tmp_path / "usr" / "share" / "applications" / "relance.desktop"
    done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = entry.read_text("utf-8")
    assert "Exec=relance" in text
    assert "Icon=relance" in text


@pytest.mark.skipif(os.geteuid() != 0, reason="dpkg -i needs root (CI runs as root)")
def test_deb_installs_runs_and_uninstalls_without_touching_user_data(build, alone):
    """Issue 13 §2: dpkg -i, /usr/bin/relance --version, dpkg -r; the user's database stays."""
    if subprocess.run(["dpkg", "-s", "relance"], capture_output=True).returncode == 0:
        pytest.fail("a relance package is already installed on this machine: not touching it")
    base = alone.home / ".local" / "share" / "Relance" / "relance.sqlite"
    base.parent.mkdir(parents=True)
    try:
        subprocess.run(["dpkg", "-i", str(DEB)], check=True, capture_output=True)
        done = alone("--version", exe="/usr/bin/relance")
        assert done.stdout.strip() == f"relance {VERSION}", done.stderr
        done = alone("demo", exe="/usr/bin/relance")  # the default place, in the user's home
        assert done.returncode == 0, done.stderr
        assert base.is_file()
        before = base.stat().st_size
    finally:
        subprocess.run(["dpkg", "-r", "relance"], check=True, capture_output=True)
    assert not Path("/opt/relance").exists()
    assert not Path("/usr/bin/relance").exists()
    assert base.is_file()
    assert base.stat().st_size == before


def test_wheel_install_finds_its_resources_under_share(tmp_path):
    """`pip install .` (pipx): the wheel carries resources/ as data; the helper finds them."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    wheel = next(wheels.glob("relance-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        # Away from the checkout: its relance.egg-info (from `pip install -e .`) would make pip
        # believe Relance is already installed in the new venv.
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    script = "from models.resources import resources_dir; print(resources_dir())"
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    found = Path(done.stdout.strip())
    assert found == venv / "share" / "relance" / "resources"
    for part in (
        "rates.csv",
        "fonts/DejaVuSans.ttf",
        "templates/reminder_1.txt",
        "icons/relance.svg",
        "licences/LISEZMOI.txt",
    ):
        assert (found / part).is_file(), part
    assert (venv / "bin" / "relance").is_file()  # [project.scripts]


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _squeeze(text: str) -> str:
    """The text without any kind of space (the PDF groups thousands with a thin space)."""
    return "".join(c for c in text if not c.isspace() and c not in "\u202f\u00a0")


def _out(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
