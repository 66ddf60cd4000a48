"""Kill -9 during a write-back: every file is always wholly old or wholly new, and the
workspace's bookkeeping says which.

Real processes write back into a 20,000-row workbook and are killed at random moments,
and at the two moments that matter most: just before and just after the atomic rename;
then ``concord apply`` itself is killed a hundred times over a two-file change set.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.decide.changes import Change, Target
from app.writeback.preview import apply_file_changes
from tests.world import approve_all, check, concord, make_world, restore

ROOT = Path(__file__).resolve().parent.parent
SHEET = "订单"
ROWS = 20_000
EDITS = [(f"K{i:05d}", "金额", str(i * 1.5), str(i + 0.25)) for i in range(0, ROWS, 100)]

CHILD = """
import json, os, sys, time
from pathlib import Path

sys.path.insert(0, {root!r})
mode, path = sys.argv[1], Path(sys.argv[2])
real_replace = os.replace


def replace(source, destination):
    if Path(destination) != path:  # the backup
        return real_replace(source, destination)
    if mode == "before-replace":
        print("REPLACING", flush=True)
        time.sleep(60)
    real_replace(source, destination)
    if mode == "after-replace":
        print("REPLACED", flush=True)
        time.sleep(60)


os.replace = replace
from app.decide.changes import Change, Target
from app.writeback.preview import apply_file_changes

goal = Target("xlsx", str(path), {sheet!r}, "编号")
changes = [Change(goal, *edit) for edit in json.loads(sys.argv[3])]
print("READY", flush=True)
apply_file_changes(goal, changes)
print("DONE", flush=True)
"""


def build(path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(["编号", "客户", "金额", "日期", "备注"])
    start = dt.datetime(2026, 1, 1)
    for i in range(ROWS):
        day = start + dt.timedelta(days=i % 365)
        sheet.append([f"K{i:05d}", f"客户{i % 977}", i * 1.5, day, "ok"])
    workbook.save(path)


def cell_values(path: Path) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook[SHEET].iter_rows(values_only=True))
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[object, ...]]]:
    """The original workbook and the cell values of its fully updated version."""
    folder = tmp_path_factory.mktemp("kill")
    original = folder / "original.xlsx"
    build(original)
    updated = folder / "updated.xlsx"
    shutil.copy(original, updated)
    goal = Target("xlsx", str(updated), SHEET, "编号")
    apply_file_changes(goal, [Change(goal, *edit) for edit in EDITS])
    return original, cell_values(updated)


def start(mode: str, path: Path) -> subprocess.Popen[str]:
    script = CHILD.format(root=str(ROOT), sheet=SHEET)
    return subprocess.Popen(
        [sys.executable, "-c", script, mode, str(path), json.dumps(EDITS)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=path.parent,
    )


def wait_for(process: subprocess.Popen[str], marker: str) -> None:
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line == marker, f"child said {line!r}, exit {process.poll()}"


def outcome(path: Path, original: Path, updated: list[tuple[object, ...]]) -> str:
    """ "old" or "new"; fails on anything in between, and on partial backups."""
    original_bytes = original.read_bytes()
    for other in path.parent.iterdir():
        if other != path and "concord-tmp" not in other.name:
            assert ".bak" in other.name and other.read_bytes() == original_bytes, other.name
    if path.read_bytes() == original_bytes:
        return "old"
    assert zipfile.is_zipfile(path)
    assert cell_values(path) == updated
    return "new"


def test_a_kill_at_any_moment_leaves_the_file_old_or_new(
    workbooks: tuple[Path, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    original, updated = workbooks
    plan = ["before-replace", "after-replace"] + ["random"] * 4
    rng = random.Random(20260105)
    runs: list[tuple[str, Path, subprocess.Popen[str], float]] = []
    for index, mode in enumerate(plan):
        folder = tmp_path / f"run{index}"
        folder.mkdir()
        path = (folder / "orders.xlsx").resolve()
        shutil.copy(original, path)
        runs.append((mode, path, start(mode, path), rng.uniform(0.0, 5.0)))

    failures: list[BaseException] = []

    def kill(mode: str, process: subprocess.Popen[str], delay: float) -> None:
        try:
            wait_for(process, "READY")
            if mode == "random":
                time.sleep(delay)
            else:
                wait_for(process, "REPLACING" if mode == "before-replace" else "REPLACED")
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            process.kill()

    killers = [threading.Thread(target=kill, args=(m, p, d)) for m, _, p, d in runs]
    for killer in killers:
        killer.start()
    for killer in killers:
        killer.join(timeout=60)
    assert not failures, failures
    results = {}
    for index, (_mode, path, process, _delay) in enumerate(runs):
        process.wait(timeout=30)
        assert process.returncode in (0, -9 if os.name != "nt" else 1)
        results[index] = outcome(path, original, updated)
    assert results[0] == "old"  # killed with the new file complete but not yet renamed
    assert results[1] == "new"  # killed right after the rename
    print("outcomes of random kills:", [results[i] for i in range(2, len(plan))])


KILLS = 100


def _apply(workspace: str) -> None:
    """``concord apply`` in a forked child (the parent has everything imported already,
    so a child starts at once and the kills land all over the write-back)."""
    code = 3
    try:
        code = concord(workspace, "apply", user="boss")
    finally:
        os._exit(code)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill test forks (POSIX)")
def test_random_kills_of_concord_apply_are_settled_by_the_next_command(tmp_path, capsys):
    """100 kills of ``concord apply`` over a two-file change set (OA workbook + GB18030
    CRM export), each at a random moment: every file is its original or its full result,
    the next command leaves no temporary file and every fix's state matches its file,
    and a following ``concord apply`` finishes the job."""
    world, snapshot = tmp_path / "world", tmp_path / "snapshot"
    workspace, exports = str(world / "team.concord"), world / "exports"
    make_world(world, workspace)
    approve_all(workspace)
    shutil.copytree(world, snapshot)
    started = time.perf_counter()
    child = os.fork()
    if child == 0:
        _apply(workspace)
    assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
    seconds = time.perf_counter() - started  # what a kill may interrupt, start to end
    done = {name: _content(exports / name) for name in ("CRM订单.csv", "OA审批.xlsx")}
    restore(snapshot, world)
    original = {name: _content(exports / name) for name in done}
    rng = random.Random(20261201)
    outcomes: Counter[tuple[str, ...]] = Counter()
    for kill in range(KILLS):
        child = os.fork()
        if child == 0:
            _apply(workspace)
        # A little past the measured run too: a busy machine makes some runs slower, and
        # kills after the last file must happen for the last assertion to mean anything.
        time.sleep(rng.uniform(0, 1.5 * seconds))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        now = {name: _content(exports / name) for name in done}
        outcome = tuple(
            "new" if now[n] == done[n] else "old" if now[n] == original[n] else "MIXED"
            for n in sorted(done)
        )
        assert "MIXED" not in outcome, (kill, outcome)
        assert concord(workspace, "fixes", "list") == 0  # the next command settles the rest
        states = check(workspace, exports)
        assert set(states) <= {"approved", "written"}, (kill, states)
        outcomes[outcome] += 1
        assert concord(workspace, "apply", user="boss") == 0  # and then finishes the job
        assert check(workspace, exports) == {"written": 78}
        assert {name: _content(exports / name) for name in done} == done
        restore(snapshot, world)
        capsys.readouterr()
    print("outcomes of 100 kills (CRM, OA):", dict(outcomes))
    assert outcomes[("old", "old")] and outcomes[("new", "new")], outcomes


def _content(path: Path) -> object:
    """A text file's bytes; a workbook's cell values (openpyxl stamps the time into a
    workbook it saves, so two equal write-backs differ in their bytes)."""
    if path.suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True)
        try:
            return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    return path.read_bytes()
