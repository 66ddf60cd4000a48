"""From a run to the files: decisions in a review session become fixes, the fixes are
written into copies of the demo exports, and the inverse puts every byte back."""

from __future__ import annotations

import shutil

import pytest

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.errors import InputError
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import load_settings
from app.sources import load
from app.writeback.apply import apply_change_set
from app.writeback.cell_values import same_value
from tests.conftest import SAMPLES


@pytest.fixture
def session(tmp_path):
    for name in ("ERP销售数据.xlsx", "CRM订单.csv", "OA审批.xlsx"):
        shutil.copy2(SAMPLES / name, tmp_path / name)
    tables = [
        load(f"erp={tmp_path / 'ERP销售数据.xlsx'}#销售订单"),
        load(f"crm={tmp_path / 'CRM订单.csv'}"),
        load(f"oa={tmp_path / 'OA审批.xlsx'}"),
    ]
    return ReviewSession(link_tables(tables, RECONCILE, load_settings(None)), user="clerk")


def amount_conflict(session):
    return next(c for c in session.result.conflicts if c.field == "amount" and len(c.members) == 3)


def test_queue_side_by_side_and_provenance(session):
    queue = session.queue()
    assert set(queue["band"]) <= {"auto", "review", "orphan"}
    conflict = amount_conflict(session)
    rows = {r.field: r for r in session.side_by_side(conflict.group)}
    assert rows["amount"].differs and set(rows["amount"].values) == {"erp", "crm", "oa"}
    assert queue.at[conflict.group, "at_stake"] > 0
    label, row = session.members(conflict.group)[0]
    cell = session.provenance(label, row)
    assert cell.path.name == "ERP销售数据.xlsx" and cell.sheet == "销售订单" and cell.row > 4


def test_take_a_value_write_back_and_roll_back(session, tmp_path):
    conflict = amount_conflict(session)
    erp_value = session.side_by_side(conflict.group)
    erp_amount = next(r for r in erp_value if r.field == "amount").values["erp"]
    csv_before = (tmp_path / "CRM订单.csv").read_bytes()
    session.apply(Decision("take", conflict.group, field="amount", source="erp"))
    fixes = session.fixes()
    assert {c.target.location.rsplit("/", 1)[-1] for c in fixes.changes} == {
        "CRM订单.csv",
        "OA审批.xlsx",
    }
    # ERP's amount in each target's own spelling: the same amount everywhere
    assert all(same_value(c.new, erp_amount) for c in fixes.changes)

    preview = apply_change_set(fixes, dry_run=True)
    assert "would change 2 cells" in preview.describe()
    assert (tmp_path / "CRM订单.csv").read_bytes() == csv_before

    result = apply_change_set(fixes)
    crm = load(f"crm={tmp_path / 'CRM订单.csv'}")
    key = next(c.key for c in fixes.changes if c.target.location.endswith(".csv"))
    written = crm.frame.loc[crm.frame["订单编号"] == key, "订单金额"].item()
    assert written == next(c.new for c in fixes.changes if c.key == key)
    assert same_value(written, erp_amount)
    assert crm.encoding == "gb18030"

    apply_change_set(result.inverse)
    assert (tmp_path / "CRM订单.csv").read_bytes() == csv_before


def test_refused_when_a_file_changed_since_import(session, tmp_path):
    conflict = amount_conflict(session)
    session.apply(Decision("take", conflict.group, field="amount", source="erp"))
    with open(tmp_path / "CRM订单.csv", "ab") as stream:
        stream.write(b"\r\n")
    with pytest.raises(InputError, match="changed since"):
        apply_change_set(session.fixes())


def test_undo_removes_the_fix(session):
    conflict = amount_conflict(session)
    decision = Decision("take", conflict.group, field="amount", source="crm")
    session.apply(decision)
    assert session.fixes().changes
    session.revert(decision)
    assert not session.fixes().changes and session.state[conflict.group] == "open"
