"""The workspace on SQLite and PostgreSQL: day-1 decisions re-applied on day-2 files,
four-eyes, the audit chain, migrations of every earlier schema, concurrent claims."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.decide.decisions import Decision
from app.errors import InputError
from app.jobs.jobs import JobSpec, save_job
from app.store import audit
from app.store.claims import claim, holder, release
from app.store.fixes import approve, fixes, propose, set_four_eyes
from app.store.schema import AuditEntry
from app.store.workspace import Workspace, head_revision
from app.usecases.review import decide
from app.usecases.runs import run_spec
from tests.conftest import ROOT, SAMPLES
from tests.dbs import POSTGRES_URL, server_engine

FIXTURES = ROOT / "tests" / "fixtures" / "workspaces"


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace(request, tmp_path):
    if request.param == "sqlite":
        ws = Workspace(tmp_path / "team.concord", user="clerk")
        yield ws
        ws.close()
        return
    engine = server_engine("postgresql")
    schema = f"ws_{uuid.uuid4().hex[:10]}"
    ws = Workspace(POSTGRES_URL, schema=schema, user="clerk")
    yield ws
    ws.close()
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def day_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("ERP销售数据.xlsx", "CRM订单.csv", "OA审批.xlsx"):
        shutil.copy2(SAMPLES / name, folder / name)
    return folder


def orders_job() -> JobSpec:
    return JobSpec(
        "daily orders",
        "reconcile",
        ["erp=ERP*.xlsx#销售订单", "crm=CRM订单*.csv", "oa=OA审批*.xlsx"],
    )


def test_decisions_are_reapplied_and_changed_records_come_back(workspace, tmp_path):
    folder = day_files(tmp_path / "exports")
    spec = orders_job()
    job_id = save_job(workspace, spec)
    day1 = run_spec(workspace, spec, job_id=job_id, base=folder)
    session = day1.session
    conflicts = [c for c in session.result.conflicts if c.field == "amount"]
    decided = [c.group for c in conflicts[:6]]
    done = decide(
        workspace,
        day1,
        [Decision("take", group, field="amount", source="erp", user="clerk") for group in decided],
    )
    assert len(done.ids) == 6
    assert len(done.fixes) == 12  # proposed at once: the CRM and OA amounts of each group
    # Day 2: the same exports, except that one decided deal's CRM amount was edited.
    changed_group = decided[0]
    crm_key = next(
        session.keys[label][row] for label, row in session.members(changed_group) if label == "crm"
    )
    crm = (folder / "CRM订单.csv").read_bytes().decode("gb18030").splitlines(keepends=True)
    index = next(k for k, line in enumerate(crm) if line.startswith(crm_key + ","))
    fields = crm[index].split(",", 3)
    fields[2] += "（代）"  # the contact person, not a matching field: same deal, new content
    crm[index] = ",".join(fields)
    (folder / "CRM订单.csv").write_bytes("".join(crm).encode("gb18030"))
    day2 = run_spec(workspace, spec, job_id=job_id, base=folder)
    assert {k: day2.reapplied[k] for k in ("reapplied", "recheck", "gone")} == {
        "reapplied": 5,
        "recheck": 1,
        "gone": 0,
    }
    assert day2.reapplied["fixes_proposed"] == 0  # the re-applied decisions' fixes exist
    assert len(fixes(workspace, "proposed")) == 12
    state = day2.session.state
    stable = day2.recorded.stable_ids
    for group_day1 in decided[1:]:
        group = stable.index(
            day1.recorded.stable_ids[group_day1]
        )  # the same stable id as yesterday
        assert state[group] == "resolved"
    assert state[stable.index(day1.recorded.stable_ids[changed_group])] == "recheck"
    open_items = sum(1 for s in state if s == "open")
    assert open_items == len(state) - 6
    assert day2.recorded.metrics["conflicts_opened"] == 0


def test_stable_group_ids_survive_a_rerun(workspace, tmp_path):
    folder = day_files(tmp_path / "exports")
    first = run_spec(workspace, orders_job(), base=folder)
    second = run_spec(workspace, orders_job(), base=folder)
    assert first.recorded.stable_ids == second.recorded.stable_ids


def test_a_customer_dedupe_between_two_order_runs_keeps_both_ids(workspace, tmp_path):
    """Two kinds of work in one workspace (the demo's orders and its customer masters):
    each run carries its ids from the last run of its own kind, not of the other."""
    folder = day_files(tmp_path / "exports")
    shutil.copy2(SAMPLES / "CRM客户.csv", folder / "CRM客户.csv")
    customers = JobSpec("customers", "dedupe", ["erp=ERP*.xlsx#客户档案", "crm=CRM客户*.csv"])
    orders = [run_spec(workspace, orders_job(), base=folder)]
    deduped = [run_spec(workspace, customers, base=folder)]
    orders.append(run_spec(workspace, orders_job(), base=folder))
    deduped.append(run_spec(workspace, customers, base=folder))
    assert orders[0].recorded.stable_ids == orders[1].recorded.stable_ids
    assert deduped[0].recorded.stable_ids == deduped[1].recorded.stable_ids
    assert not set(orders[1].recorded.stable_ids) & set(deduped[1].recorded.stable_ids)


def test_four_eyes(workspace):
    from app.decide.changes import Change, Target

    workspace.ensure_user("boss", role="approver")
    target = Target("csv", "x.csv", None, "id")
    (fix_id,) = propose(workspace, [Change(target, "A1", "金额", "1", "2", proposed_by="boss")])
    with pytest.raises(InputError, match="four-eyes"):
        approve(workspace, [fix_id], approver="boss")
    with pytest.raises(InputError, match="may not approve"):
        approve(workspace, [fix_id], approver="intern")
    workspace.ensure_user("second", role="approver")
    approve(workspace, [fix_id], approver="second")
    assert fixes(workspace, "approved")[0].id == fix_id
    set_four_eyes(workspace, False)
    (own,) = propose(workspace, [Change(target, "A2", "金额", "1", "3", proposed_by="boss")])
    approve(workspace, [own], approver="boss")


def test_audit_chain_catches_an_edited_row(workspace):
    with workspace.session() as db:
        for k in range(5):
            audit.append(db, "clerk", "decide accept", f"G{k}", after={"k": k})
    with workspace.session() as db:
        assert audit.verify(db).ok
        entry = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id).offset(2).limit(1)).one()
        entry.after = {"k": 99}
    with workspace.session() as db:
        check = audit.verify(db)
        assert not check.ok and check.broken_at == entry.id and "changed" in check.reason
    with workspace.session() as db:
        db.execute(sa.delete(AuditEntry).where(AuditEntry.id == entry.id))
    with workspace.session() as db:
        assert not audit.verify(db).ok


def test_the_chain_walked_in_slices_ends_where_one_walk_does(workspace):
    """A screen checks a long log a slice at a time; the slices end with the whole walk's
    result, and an edit in a later slice is found."""
    with workspace.session() as db:
        for k in range(25):
            audit.append(db, "clerk", "decide accept", f"G{k}", after={"k": k})

    def in_slices() -> tuple[audit.Verification, int]:
        check, slices = None, 0
        while check is None or (check.ok and not check.finished):
            with workspace.session() as db:
                check = audit.verify(db, since=check, limit=10)
            slices += 1
        return check, slices

    with workspace.session() as db:
        whole = audit.verify(db)
    sliced, slices = in_slices()
    assert slices == 3 and whole.ok and sliced == whole
    with workspace.session() as db:
        entry = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id).offset(17)).first()
        entry.after = {"k": 99}
    sliced, _ = in_slices()
    assert not sliced.ok and sliced.broken_at == entry.id


def test_claims(workspace):
    assert claim(workspace, "G0000001", "clerk")
    assert not claim(workspace, "G0000001", "other")
    assert holder(workspace, "G0000001") == "clerk"
    release(workspace, "G0000001", "clerk")
    assert claim(workspace, "G0000001", "other")


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.concord")), ids=lambda p: p.stem)
def test_every_earlier_schema_migrates_forward(fixture, tmp_path):
    copy = tmp_path / fixture.name
    shutil.copy2(fixture, copy)
    workspace = Workspace(copy, user="clerk")
    assert workspace.revision() == head_revision()
    with workspace.session() as db:
        assert audit.verify(db).ok  # entries written by the old schema still verify
    workspace.close()


CLAIMER = """
import sys
from app.store.workspace import Workspace
from app.store.claims import claim
ws = Workspace(sys.argv[1], schema=sys.argv[2], user=sys.argv[3])
won = [item for item in (f"G{k:07d}" for k in range(200)) if claim(ws, item)]
print(len(won))
"""


def test_two_processes_never_claim_the_same_item():
    engine = server_engine("postgresql")
    schema = f"ws_{uuid.uuid4().hex[:10]}"
    Workspace(POSTGRES_URL, schema=schema, user="setup").close()
    try:
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", CLAIMER, POSTGRES_URL, schema, user],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for user in ("alice", "bob")
        ]
        won = [int(run.communicate(timeout=120)[0]) for run in runs]
        assert sum(won) == 200
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def test_the_migrations_build_the_schema_the_code_expects(workspace):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.store.schema import Base

    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            d
            for d in compare_metadata(context, Base.metadata)
            if not (d[0] == "remove_table" and d[1].name == "alembic_version")
        ]
    assert differences == []


def test_a_second_value_for_a_field_replaces_the_first(workspace, tmp_path):
    """Take the ERP's amount, then change one's mind and take the OA's: the first
    choice's unwritten fixes are withdrawn, so no cell keeps two live fixes that
    disagree, and the session plans only the second choice."""
    folder = day_files(tmp_path / "exports")
    spec = orders_job()
    run = run_spec(workspace, spec, job_id=save_job(workspace, spec), base=folder)
    group = next(c.group for c in run.session.result.conflicts if c.field == "amount")
    first = decide(workspace, run, [Decision("take", group, field="amount", source="erp")])
    assert len(first.fixes) == 2  # the CRM and OA amounts become the ERP's
    second = decide(workspace, run, [Decision("take", group, field="amount", source="oa")])
    live = [f for f in fixes(workspace) if f.state in ("proposed", "approved")]
    assert {f.id for f in live} == set(second.fixes) and second.fixes
    assert all(f.record_key.startswith("XSDD") for f in live)  # only the ERP cell changes
    assert [d.source for d in run.session.decisions if d.group == group] == ["oa"]
    with workspace.session() as db:
        assert audit.verify(db).ok


def test_a_fix_to_a_document_line_keeps_its_line(workspace):
    """Two lines of one document, one column, the same new value: two fixes, each
    bound to its line, approved and written as such."""
    from app.decide.changes import Change, Target
    from app.store.fixes import approved_change_set, propose_new

    workspace.ensure_user("boss", role="approver")
    target = Target("csv", "lines.csv", None, "单据编号", lines=True)
    changes = [
        Change(target, "SO-1", "数量", "3", "4", line=("产品代码", code), proposed_by="clerk")
        for code in ("AB-1", "AB-2")
    ]
    with workspace.session() as db:
        ids = propose_new(db, "clerk", changes)
    assert len(ids) == 2
    with workspace.session() as db:
        assert propose_new(db, "clerk", changes) == []  # each line proposed once
    approve(workspace, ids, approver="boss")
    written = approved_change_set(workspace).changes
    assert [(c.line, c.target.lines) for c in written] == [
        (("产品代码", "AB-1"), True),
        (("产品代码", "AB-2"), True),
    ]
