"""PySide6's import check reads each module's bytes instead of keeping its lines (ui/qt_source)."""

from __future__ import annotations

import inspect
import json
import linecache
import sys

import ui.app  # installs the check, as at start
import ui.qt_source


def test_modules_imported_after_pyside_are_not_kept_in_linecache(tmp_path, monkeypatch):
    (tmp_path / "uses_qt_here.py").write_text("'''Mentions PySide6.'''\nVALUE = 1\n" * 2000)
    (tmp_path / "plain_here.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    feature = sys.modules["shibokensupport.feature"]
    for name in ("uses_qt_here", "plain_here"):
        module = __import__(name)  # the import statement's way, which PySide6 hooks
        assert module.__file__ not in linecache.cache
        monkeypatch.delitem(sys.modules, name)
    # PySide6's own record of each: 0 = uses PySide6 (feature switches apply), -1 = ignored.
    assert feature.pyside_feature_dict["uses_qt_here"] == 0
    assert feature.pyside_feature_dict["plain_here"] == -1


def test_the_answers_are_the_ones_pyside_gives():
    check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    assert check.reads_bytes
    for module in (ui.app, json, sys, inspect, ui.qt_source):
        try:
            expected = "PySide6" in inspect.getsource(module)
        except (TypeError, OSError):
            expected = False
        assert check(module) is expected, module
    assert check(ui.app) is True
    assert check(json) is False
    assert ui.qt_source.install() is True  # a second time changes nothing
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is check
