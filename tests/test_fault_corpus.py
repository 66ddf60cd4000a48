"""The fault corpus (tests/fault_corpus.py) through the command, in-process: every
malformed input ends in exit 1 with one line naming the file (or exit 0 where the input
is readable after all), never a traceback, a hang or a half-written output."""

from __future__ import annotations

import atexit
import contextlib
import io
import shutil
import tempfile
import traceback
from pathlib import Path

import pytest

from tests.fault_corpus import Case, build, has_files, out_of, verdict

ROOT = Path(tempfile.mkdtemp(prefix="concord-faults-"))
CASES = build(ROOT)


@atexit.register
def _clean() -> None:
    for path in ROOT.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(ROOT, ignore_errors=True)


def run(case: Case) -> tuple[int | None, str]:
    from app.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(list(case.argv))
        except SystemExit as usage:
            code = int(usage.code or 0)
        except BaseException:  # anything but an InputError is what this test looks for
            return 1, err.getvalue() + traceback.format_exc()
    return code, err.getvalue()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_one_clear_line(case, monkeypatch):
    monkeypatch.setenv("CONCORD_WORKERS", "1")
    out = out_of(case)
    existed = out is not None and has_files(out)
    code, err = run(case)
    problem = verdict(case, code, err, None if existed else out)
    assert problem is None, problem


def test_the_corpus_covers_every_family():
    assert len(CASES) >= 300
    names = " ".join(c.name for c in CASES)
    for word in ("zero.", "junk.", "cut-", "bomb", "lol-", "ref-", "sst-", "ole-", "page", "nul"):
        assert word in names, word
    for word in ("utf16-lone", "long-line", "many-columns", "pipe", "zero/", "loop", "settings"):
        assert word in names, word


NATIVE = ("ole-stream-1g.xls/inspect", "ole-fat-loop.xls/inspect", "far-corner-cell.xlsx/inspect")
NATIVE += ("ref-ZZZZ1.xlsx/inspect", "pipe.csv/inspect", "zero/inspect")


@pytest.mark.timeout(120)
def test_what_native_code_writes_to_the_terminal_is_judged_too():
    """calamine's panics and aborts write to the process's own stderr, which an in-process
    run does not capture: these cases go through the real command."""
    from tests.fault_corpus import iter_runs

    cases = [c for c in CASES if c.name in NATIVE]
    assert len(cases) == len(NATIVE)
    problems = [f"{case.name}: {problem}" for case, problem in iter_runs(cases, 60, 2) if problem]
    assert not problems, problems
