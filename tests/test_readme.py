"""The README's worked examples, run exactly as they stand there, from a new workspace.

Each ```sh block is run by bash from the project folder, stopping at the first command
that fails, under a login nobody set up for it (the example must not rely on who runs it).
A README that drifts from what the commands do fails here, not on a first-time user.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def examples() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = {}
    for script in BLOCK.findall(text):
        first = next(line for line in script.splitlines() if line.startswith("concord "))
        found[" ".join(first.split()[:3])] = script
    return found


EXAMPLES = examples()


def run(script: str, tmp_path: Path, login: str) -> subprocess.CompletedProcess[str]:
    """The block under bash -e in the project folder; ``concord`` is the one this test
    run installed (the block puts .venv/bin first, which a CI checkout has too)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        TMPDIR=str(tmp),
        HOME=str(tmp_path / "home"),
        CONCORD_HOME=str(tmp_path / "concord-home"),
        CONCORD_KEYRING="memory",
        LOGNAME=login,
        USER=login,
    )
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script + "\necho ENDED IN $PWD\n"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_readme_has_both_worked_examples() -> None:
    assert set(EXAMPLES) == {"concord job create", "concord merge propose"}
    for script in EXAMPLES.values():
        assert "/tmp/" not in script  # a new folder each time, never a stale workspace


@pytest.mark.skipif(shutil.which("bash") is None, reason="the examples are bash")
@pytest.mark.parametrize("login", ["clerk", "zhang.wei"])
def test_the_daily_loop_runs_as_written(tmp_path: Path, login: str) -> None:
    done = run(EXAMPLES["concord job create"], tmp_path, login)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    assert re.search(r"run 1: 1001 groups: .*fixes proposed [1-9]", out)
    assert "4 fixes approved" in out
    assert "write-back 1 done" in out and "report written: report.xlsx" in out
    assert "audit log intact" in out
    assert re.search(r"run 2: 1001 groups: .*\(\+0 -[1-9]\d*\)", out)  # the fixes closed
    assert "write-back 1 rolled back" in out
    folder = Path(out.rsplit("ENDED IN ", 1)[1].strip())
    for name in ("ERP销售数据.xlsx", "CRM订单.csv", "OA审批.xlsx"):  # every byte back
        assert (folder / "exports" / name).read_bytes() == (SAMPLES / name).read_bytes(), name
    assert (folder / "report.xlsx").stat().st_size > 0


@pytest.mark.skipif(shutil.which("bash") is None, reason="the examples are bash")
def test_the_merge_example_runs_as_written(tmp_path: Path) -> None:
    done = run(EXAMPLES["concord merge propose"], tmp_path, "steward.li")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    assert "merge 1" in out and "C00206" in out
    folder = Path(out.rsplit("ENDED IN ", 1)[1].strip())
    assert (folder / "crosswalk.xlsx").stat().st_size > 0
    for name in ("ERP销售数据.xlsx", "CRM客户.csv"):  # unmerged: both files back
        assert (folder / name).read_bytes() == (SAMPLES / name).read_bytes(), name
