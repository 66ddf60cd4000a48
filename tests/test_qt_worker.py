"""The background worker tells the person why a job stopped, in one line where the cause
is not a bug: bad input, or a workspace another process keeps busy."""

from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from sqlalchemy.exc import OperationalError

from app.errors import InputError


def _failure(qtbot, job) -> str:
    from ui.qt_worker import QtWorker, wait_for_workers

    worker = QtWorker(job)
    with qtbot.waitSignal(worker.failed, timeout=10_000) as failed:
        worker.start()
    wait_for_workers()
    return failed.args[0]


def test_a_busy_workspace_is_one_line_not_a_traceback(qtbot):
    def job(_progress):
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    message = _failure(qtbot, job)
    assert message == (
        "The workspace is busy or unreachable (database is locked): nothing was changed. "
        "Try again in a moment."
    )


def test_bad_input_is_its_message_and_a_bug_its_traceback(qtbot):
    def bad(_progress):
        raise InputError("no amount column", hint="export it again")

    def bug(_progress):
        raise KeyError("oops")

    assert "Traceback" not in _failure(qtbot, bad)
    assert "no amount column" in _failure(qtbot, bad)
    assert "Traceback" in _failure(qtbot, bug) and "KeyError" in _failure(qtbot, bug)
