"""A clerk's world for write-back tests: the demo's ERP workbook, CRM export (GB18030 CSV)
and OA workbook in an exports folder, a workspace with the job "daily" and the rule
"amount: trust erp", and — once :func:`approve_all` ran — 78 approved fixes spread over
the CRM CSV and the OA workbook (a two-file change set).

:func:`check` asserts what must hold after anything, however it ended: every fix's state
says what its file holds, no fix twice, nothing written twice, no temporary file, and an
intact audit log.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.cli import main
from app.decide.session import ReviewSession
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import Settings
from app.sources import load
from app.store import audit
from app.store.fixes import fixes
from app.store.schema import WriteBack
from app.store.workspace import Workspace
from app.writeback.cell_values import same_value
from tests.conftest import ROOT

SAMPLES = ROOT / "resources" / "samples"
FILES = ("ERP销售数据.xlsx", "CRM订单.csv", "OA审批.xlsx")
SOURCES = ["erp=exports/ERP*.xlsx#销售订单", "crm=exports/CRM订单*.csv", "oa=exports/OA审批*.xlsx"]


def demo_session(erp: str = "erp", crm: str = "crm", oa: str = "oa") -> ReviewSession:
    """The demo's orders reconciled in memory, the tables labelled as given."""
    tables = [
        load(f"{erp}={SAMPLES / 'ERP销售数据.xlsx'}#销售订单"),
        load(f"{crm}={SAMPLES / 'CRM订单.csv'}"),
        load(f"{oa}={SAMPLES / 'OA审批.xlsx'}"),
    ]
    return ReviewSession(link_tables(tables, RECONCILE, Settings()))


def acting(workspace: str, user: str | None) -> tuple[str, list[str]]:
    """How to act as ``user``: a PostgreSQL workspace is opened with that database login,
    a workspace file with ``--user`` (which the workspace's admin — the tests' own
    login, its first user — may use)."""
    if not user:
        return workspace, []
    if "://" in workspace:
        return make_url(workspace).set(username=user).render_as_string(False), []
    return workspace, ["--user", user]


def concord(workspace: str, *args: str, user: str | None = "clerk") -> int:
    """``concord ARGS`` on the workspace, acting as ``user`` (None: as whoever runs the
    tests, the workspace's first user and so its admin)."""
    location, extra = acting(workspace, user)
    return main([*args, "--workspace", location, *extra])


def make_world(folder: Path, workspace: str, *, relative: bool = False) -> Path:
    """The exports and a workspace with the job and the rule, not yet run (``relative``:
    the job's patterns as a clerk types them in ``folder``, the current folder)."""
    exports = folder / "exports"
    exports.mkdir(parents=True)
    for name in FILES:
        shutil.copy2(SAMPLES / name, exports / name)
    sources = [
        item for source in SOURCES for item in ("--source", source.replace("=", f"={folder}/", 1))
    ]
    assert concord(workspace, "job", "create", "daily", *sources, user=None) == 0
    assert concord(workspace, "user", "add", "clerk", user=None) == 0
    assert concord(workspace, "user", "add", "boss", "--role", "approver", user=None) == 0
    assert concord(workspace, "rule", "add", "--field", "amount", "--trust", "erp") == 0
    return exports


def approve_all(workspace: str) -> list[int]:
    """Run the job once and approve every fix it proposed, as someone else."""
    assert concord(workspace, "run", "daily", "--quiet") == 0
    ws = Workspace(workspace, user="boss")
    try:
        ids = [f.id for f in fixes(ws)]
    finally:
        ws.close()
    assert concord(workspace, "fixes", "approve", *map(str, ids), user="boss") == 0
    return ids


def restore(snapshot: Path, folder: Path) -> None:
    """Put a world back as :func:`shutil.copytree` saved it (at the same path, so the
    workspace's file locations stay true)."""
    shutil.rmtree(folder)
    shutil.copytree(snapshot, folder)


def _value(tables: dict[str, object], target: dict[str, str], key: str, column: str) -> str:
    where = target["location"] + (f"#{target['sheet']}" if target.get("sheet") else "")
    if where not in tables:
        tables[where] = load(f"t={where}").frame
    frame = tables[where]
    found = frame.loc[frame[target["key_column"]] == key, column]  # type: ignore[attr-defined, index]
    assert len(found) == 1, (where, key)
    return str(found.item())


def check(workspace: str, exports: Path) -> dict[str, int]:
    """Assert the invariants; returns how many fixes are in each state."""
    ws = Workspace(workspace, user="auditor")
    try:
        rows = fixes(ws)
        with ws.session() as db:
            assert audit.verify(db).ok
            done = list(db.scalars(select(WriteBack).where(WriteBack.state == "done")))
            unsettled = list(db.scalars(select(WriteBack).where(WriteBack.state.in_(("started",)))))
    finally:
        ws.close()
    live = [f for f in rows if f.state in ("proposed", "approved", "written")]
    cells = Counter(
        (f.target["location"], f.target.get("sheet"), f.record_key, f.column, f.new) for f in live
    )
    assert max(cells.values(), default=1) == 1, "a fix was proposed twice"
    written_by = Counter(fix_id for w in done for fix_id in w.fixes)
    assert max(written_by.values(), default=1) == 1, "a fix was written twice"
    assert not unsettled, "a write-back was left unsettled"
    tables: dict[str, object] = {}
    for fix in rows:
        value = _value(tables, fix.target, fix.record_key, fix.column)
        # A number cell shows 1095 for "1095.00": the same value, as the write-back checks.
        if fix.state == "written":
            assert same_value(value, fix.new), (fix.id, fix.state, value, fix.new)
        elif fix.state in ("proposed", "approved", "rolled_back"):
            assert same_value(value, fix.old), (fix.id, fix.state, value, fix.old)
    assert not list(exports.glob("*concord-tmp")), "a temporary file was left"
    return dict(Counter(f.state for f in rows))
