"""``concord self-test`` in-process: the same checks the frozen bundle runs after a build."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the self-test renders the main window")

from PySide6.QtCore import QSettings, QStandardPaths

from ui import self_test


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, monkeypatch):
    """Own settings and data folders, as in test_ui: the window reads QSettings."""
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )


def test_every_check_passes(capsys, tmp_path):
    shot = tmp_path / "window.png"
    assert self_test.main(["--screenshot", str(shot)]) == 0
    out = capsys.readouterr().out
    assert shot.stat().st_size > 1000
    lines = out.splitlines()
    for name in self_test.CHECKS:
        assert any(line.startswith(f"ok    {name}") for line in lines), (name, out)
    assert "FAIL" not in out
    assert f"self-test: all {len(self_test.CHECKS)} checks passed" in out
    assert "華 → 华" in out


def test_launcher_passes_its_arguments(monkeypatch, capsys):
    """``concord self-test --startup-benchmark`` reaches the self-test with its options."""
    from ui.entry import main as concord

    monkeypatch.setattr("sys.argv", ["concord", "self-test", "--startup-benchmark"])
    assert concord(["self-test", "--startup-benchmark"]) == 0
    assert "startup: main window shown" in capsys.readouterr().out


def test_a_failing_check_fails_the_run(monkeypatch, capsys):
    def broken() -> str:
        raise ImportError("No module named 'opencc'")

    monkeypatch.setattr(self_test, "check_opencc", broken)
    assert self_test.main([]) == 1
    out = capsys.readouterr().out
    assert "FAIL  opencc t2s: ImportError: No module named 'opencc'" in out
    assert "self-test: 1 of" in out


def test_pytest_arguments_are_not_taken_for_options(monkeypatch):
    monkeypatch.setattr("sys.argv", ["pytest", "-q", "tests/test_self_test.py"])
    monkeypatch.setattr(self_test, "run_checks", lambda *args: 0)
    assert self_test.main() == 0
