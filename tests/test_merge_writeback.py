"""Merging duplicate customers for real: a three-record ERP cluster and its CRM account
merged, written back into xlsx, csv and PostgreSQL targets, the ERP's sales orders
re-pointed to the survivor, then unmerged back to the exact original bytes or rows."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.decide.merging import (
    Deactivation,
    Reference,
    plan_merge,
    record_key_column,
    suggest_deactivation,
)
from app.errors import InputError
from app.reconcile.pipeline import DEDUPE
from app.reconcile.settings import load_settings
from app.sources import load
from app.store import audit
from app.store.fixes import approved_change_set, fixes
from app.store.merges import (
    approve_merge,
    crosswalk,
    merge_fixes,
    propose_merge,
    withdraw_merge,
)
from app.store.workspace import Workspace
from app.usecases import merges as merge_cases
from app.usecases.runs import run_tables
from tests.conftest import SAMPLES
from tests.dbs import Db

pytest_plugins = ["tests.dbs"]

SURVIVOR = "C00206"  # in the demo: two more ERP codes and one CRM account of one company
CUSTOMERS, ORDERS = "客户档案", "销售订单"


@dataclass
class World:
    """Where the ERP lives (one kind of target), and how to snapshot all of it."""

    erp: str  # source of the ERP customer master
    orders: str  # source of the ERP sales orders
    crm: str
    snapshot: Callable[[], Any]


def _demo(sheet: str) -> Any:
    return load(f"{SAMPLES / 'ERP销售数据.xlsx'}#{sheet}").frame


def _files(*paths: Path) -> Callable[[], dict[str, bytes]]:
    return lambda: {p.name: p.read_bytes() for p in paths}


@pytest.fixture(params=["xlsx", "csv", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    crm = tmp_path / "CRM客户.csv"
    shutil.copy2(SAMPLES / "CRM客户.csv", crm)
    if request.param == "xlsx":
        erp = tmp_path / "ERP销售数据.xlsx"
        shutil.copy2(SAMPLES / "ERP销售数据.xlsx", erp)
        yield World(f"ERP={erp}#{CUSTOMERS}", f"{erp}#{ORDERS}", f"CRM={crm}", _files(erp, crm))
    elif request.param == "csv":  # a Kingdee-style export: GB18030, CRLF
        customers, orders = tmp_path / "客户档案.csv", tmp_path / "销售订单.csv"
        for sheet, path in ((CUSTOMERS, customers), (ORDERS, orders)):
            _demo(sheet).to_csv(path, index=False, encoding="gb18030", lineterminator="\r\n")
        yield World(f"ERP={customers}", str(orders), f"CRM={crm}", _files(customers, orders, crm))
    else:
        yield from _postgres_world(request.getfixturevalue("postgres"), crm)


def _postgres_world(db: Db, crm: Path) -> Iterator[World]:
    customers = _demo(CUSTOMERS)
    table = db.create(
        "erp_customer",
        *(sa.Column(c, sa.Text, primary_key=c == "客户编码") for c in customers.columns),
    )
    orders = db.create(
        "erp_order",
        sa.Column("单据编号", sa.String(40), primary_key=True),
        sa.Column("单据日期", sa.Date),
        sa.Column("客户编码", sa.String(20)),
        sa.Column("客户名称", sa.Text),
        sa.Column("价税合计", sa.Numeric(14, 2)),
    )
    order_rows = _demo(ORDERS)[["单据编号", "单据日期", "客户编码", "客户名称", "价税合计"]]
    with db.engine.begin() as connection:
        connection.execute(table.insert(), customers.to_dict("records"))
        connection.execute(orders.insert(), order_rows.to_dict("records"))
    files = _files(crm)
    yield World(
        f"ERP={db.url}#{table.name}",
        f"{db.url}#{orders.name}",
        f"CRM={crm}",
        lambda: (db.rows(table, "客户编码"), db.rows(orders, "单据编号"), files()),
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace(tmp_path / "team.concord", user="steward")
    workspace.ensure_user("boss", role="approver")
    yield workspace
    workspace.close()


def _propose(workspace: Workspace, world: World, **options: Any) -> tuple[int, Any]:
    tables = [load(world.erp), load(world.crm)]
    done = run_tables(workspace, tables, DEDUPE, load_settings(None, {}))
    session = done.session
    group = next(
        k
        for k, g in enumerate(session.result.groups)
        if ("ERP", session.keys["ERP"].index(SURVIVOR)) in g.members
    )
    orders = load(world.orders)
    plan = plan_merge(
        session,
        group,
        {"ERP": Deactivation("状态", "禁用")},
        [Reference("ERP", orders, "客户编码", record_key_column(orders))],
        **options,
    )
    return propose_merge(workspace, plan, done.recorded.stable_ids[group]), plan


def _column(source: str, key: str, column: str) -> dict[str, str]:
    frame = load(source).frame
    return dict(zip(frame[key].str.strip(), frame[column].str.strip(), strict=True))


def test_a_cluster_is_merged_written_back_repointed_and_unmerged_exactly(world, workspace):
    _round_trip(world, workspace)


@pytest.mark.postgres
def test_a_merge_in_a_shared_postgresql_workspace(tmp_path):
    import uuid

    from tests.dbs import POSTGRES_URL, server_engine

    engine = server_engine("postgresql")
    schema = f"ws_{uuid.uuid4().hex[:10]}"
    workspace = Workspace(POSTGRES_URL, schema=schema, user="steward")
    try:
        workspace.ensure_user("boss", role="approver")
        erp, crm = tmp_path / "ERP销售数据.xlsx", tmp_path / "CRM客户.csv"
        shutil.copy2(SAMPLES / erp.name, erp)
        shutil.copy2(SAMPLES / crm.name, crm)
        world = World(f"ERP={erp}#{CUSTOMERS}", f"{erp}#{ORDERS}", f"CRM={crm}", _files(erp, crm))
        _round_trip(world, workspace)
    finally:
        workspace.close()
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def _round_trip(world: World, workspace: Workspace) -> None:
    original = world.snapshot()
    merge_id, plan = _propose(workspace, world)
    erp = [key for label, key in plan.members if label == "ERP"]
    assert len(erp) == 3 and [label for label, _ in plan.members].count("CRM") == 1
    retired = sorted(set(erp) - {SURVIVOR})
    assert plan.survivors["ERP"] == SURVIVOR
    assert sorted((r.system, r.old_id, r.surviving_id) for r in plan.crosswalk) == [
        ("ERP", old, SURVIVOR) for old in retired
    ]
    orders_before = _column(world.orders, "单据编号", "客户编码")
    moved = sorted(k for k, v in orders_before.items() if v in retired)
    assert moved  # the duplicates have orders of their own

    with pytest.raises(InputError, match=f"already has merge {merge_id} \\(proposed\\)"):
        _propose(workspace, world)
    with pytest.raises(InputError, match="four-eyes: steward proposed merge"):
        approve_merge(workspace, merge_id, "steward")
    approve_merge(workspace, merge_id, "boss")
    assert approved_change_set(workspace).changes == []  # `concord apply` leaves a merge alone
    preview = merge_cases.write(workspace, merge_id, dry_run=True).result
    assert "would change" in preview.describe() and world.snapshot() == original
    writeback_id = merge_cases.write(workspace, merge_id).writeback_id
    assert writeback_id is not None

    status = _column(world.erp, "客户编码", "状态")
    assert [status[k] for k in retired] == ["禁用", "禁用"]  # marked inactive, never deleted
    assert status[SURVIVOR] == "正常"
    orders_after = _column(world.orders, "单据编号", "客户编码")
    assert [orders_after[k] for k in moved] == [SURVIVOR] * len(moved)
    assert {k: v for k, v in orders_after.items() if k not in moved} == {
        k: v for k, v in orders_before.items() if k not in moved
    }
    golden = {g["field"]: g["value"] for g in plan.golden}
    crm_key = plan.survivors["CRM"]
    assert _column(world.crm, "客户ID", "客户名称")[crm_key] == golden["customer"]
    assert [(r.old_id, r.surviving_id) for r in crosswalk(workspace)] == [
        (r.old_id, r.surviving_id) for r in plan.crosswalk
    ]
    assert {f.state for f in merge_fixes(workspace, merge_id)} == {"written"}

    merge_cases.unmerge(workspace, merge_id)
    assert world.snapshot() == original
    assert {f.state for f in merge_fixes(workspace, merge_id)} == {"rolled_back"}
    assert crosswalk(workspace) == []  # an unmerged merge retires nothing
    with workspace.session() as db:
        assert audit.verify(db).ok
        actions = [row[3] for row in audit.rows(db)]
    for action in ("propose merge", "merge approved", "merge written", "unmerge"):
        assert action in actions


def test_unmerge_is_refused_with_the_records_that_changed_since(tmp_path, workspace):
    folder = tmp_path / "erp"
    folder.mkdir()
    customers, orders = folder / "客户档案.csv", folder / "销售订单.csv"
    _demo(CUSTOMERS).to_csv(customers, index=False)
    _demo(ORDERS).to_csv(orders, index=False)
    shutil.copy2(SAMPLES / "CRM客户.csv", folder / "CRM客户.csv")
    world = World(f"ERP={customers}", str(orders), f"CRM={folder / 'CRM客户.csv'}", lambda: None)
    merge_id, plan = _propose(workspace, world)
    approve_merge(workspace, merge_id, "boss")
    merge_cases.write(workspace, merge_id)
    retired = plan.crosswalk[0].old_id
    text = customers.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(retired + ","))
    customers.write_text(text.replace(line, line.replace("禁用", "正常")), encoding="utf-8")
    edited = customers.read_bytes()
    with pytest.raises(InputError) as refused:
        merge_cases.unmerge(workspace, merge_id)
    message = str(refused.value)
    assert f"merge {merge_id} cannot be unmerged" in message
    assert f"{retired} 状态: now '正常'" in message and "'禁用'" in message
    assert customers.read_bytes() == edited  # nothing rolled back half-way

    # Someone else's edit to another customer does not block the unmerge: it goes cell by
    # cell and leaves their edit alone.
    other = next(
        x for x in text.splitlines()[1:] if not x.startswith(tuple(k for _, k in plan.members))
    )
    customers.write_text(text.replace(other, other.replace("正常", "冻结")), encoding="utf-8")
    merge_cases.unmerge(workspace, merge_id)
    status = _column(world.erp, "客户编码", "状态")
    assert status[other.split(",")[0]] == "冻结"
    assert (
        status[retired]
        == _column(f"{SAMPLES / 'ERP销售数据.xlsx'}#{CUSTOMERS}", "客户编码", "状态")[retired]
    )
    assert set(_column(world.orders, "单据编号", "客户编码").values()) >= {retired}


def test_a_table_with_duplicates_needs_its_inactive_column_mapped(tmp_path, workspace):
    erp = tmp_path / "ERP销售数据.xlsx"
    shutil.copy2(SAMPLES / "ERP销售数据.xlsx", erp)
    tables = [load(f"ERP={erp}#{CUSTOMERS}"), load(f"CRM={SAMPLES / 'CRM客户.csv'}")]
    session = run_tables(workspace, tables, DEDUPE, load_settings(None, {})).session
    group = next(
        k
        for k, g in enumerate(session.result.groups)
        if ("ERP", session.keys["ERP"].index(SURVIVOR)) in g.members
    )
    with pytest.raises(InputError, match=r"--deactivate ERP=状态:禁用"):
        plan_merge(session, group, {})
    with pytest.raises(InputError, match="no column '停用标志'"):
        plan_merge(session, group, {"ERP": Deactivation("停用标志", "是")})
    with pytest.raises(InputError, match="not a record of this cluster"):
        plan_merge(
            session, group, {"ERP": Deactivation("状态", "禁用")}, survivors={"ERP": "C00001"}
        )
    # A cluster held by the ERP alone writes nothing to the CRM.
    erp_only = next(
        k
        for k, g in enumerate(session.result.groups)
        if len(g.members) > 1 and {label for label, _ in g.members} == {"ERP"}
    )
    plan = plan_merge(session, erp_only, {"ERP": Deactivation("状态", "禁用")})
    assert set(plan.survivors) == {"ERP"}
    assert {c.target.location for c in plan.changes.changes} == {str(erp)}


def test_a_merge_survivor_can_be_chosen_and_a_value_typed(tmp_path, workspace):
    erp = tmp_path / "ERP销售数据.xlsx"
    shutil.copy2(SAMPLES / "ERP销售数据.xlsx", erp)
    world = World(
        f"ERP={erp}#{CUSTOMERS}", f"{erp}#{ORDERS}", f"CRM={SAMPLES / 'CRM客户.csv'}", lambda: None
    )
    first, plan = _propose(workspace, world)
    other = plan.crosswalk[0].old_id
    withdraw_merge(workspace, first)  # the steward changes their mind about the survivor
    _, chosen = _propose(
        workspace, world, survivors={"ERP": other}, overrides={"contact": "王经理"}
    )
    assert chosen.survivors["ERP"] == other
    assert {r.surviving_id for r in chosen.crosswalk} == {other}
    typed = [c for c in chosen.changes.changes if c.key == other and c.column == "联系人"]
    assert [c.new for c in typed] == ["王经理"] and "typed" in typed[0].reason
    states = {f.merge_id: f.state for f in fixes(workspace) if f.merge_id is not None}
    assert states == {first: "rejected", first + 1: "proposed"}


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("状态", ["正常", "禁用"], ("状态", "禁用")),
        ("状态", ["正常"], ("状态", "停用")),
        ("Status", ["active"], ("Status", "inactive")),
        ("是否禁用", ["否"], ("是否禁用", "是")),
        ("Active", ["Y", "N"], ("Active", "N")),
        ("IsActive", ["1"], ("IsActive", "0")),
    ],
)
def test_the_inactive_column_is_suggested_from_the_table(tmp_path, header, values, expected):
    path = tmp_path / "t.csv"
    path.write_text(
        "编码,名称," + header + "\n" + "".join(f"K{k},甲{k},{v}\n" for k, v in enumerate(values)),
        encoding="utf-8",
    )
    suggestion = suggest_deactivation(load(str(path)))
    assert suggestion is not None and (suggestion.column, suggestion.value) == expected


def test_no_inactive_column_is_suggested_where_there_is_none():
    assert suggest_deactivation(load(str(SAMPLES / "CRM客户.csv"))) is None


def test_the_readme_merge_example(tmp_path, monkeypatch, capsys):
    """The README's worked example, command by command, on copies of the demo files."""
    from app.cli import main

    for name in ("ERP销售数据.xlsx", "CRM客户.csv"):
        shutil.copy2(SAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCORD_WORKSPACE", str(tmp_path / "team.concord"))
    before = _files(tmp_path / "ERP销售数据.xlsx", tmp_path / "CRM客户.csv")()
    sources = ["ERP=ERP销售数据.xlsx#客户档案", "CRM=CRM客户.csv"]
    assert main(["merge", "propose", *sources, "--record", "ERP:C00206", "--quiet"]) == 1
    assert "--deactivate ERP=状态:禁用" in capsys.readouterr().err
    propose = ["merge", "propose", *sources, "--record", "ERP:C00206", "--quiet"]
    mapping = ["--deactivate", "ERP=状态:禁用"]
    repoint = ["--repoint", "ERP:客户编码=ERP销售数据.xlsx#销售订单"]
    assert main([*propose, *mapping, *repoint, "--user", "steward"]) == 0
    out = capsys.readouterr().out
    assert "merge 1 proposed" in out and "retire ERP C00283 → C00206" in out
    assert main(["merge", "approve", "1", "--user", "steward"]) == 1
    assert main(["user", "add", "boss", "--role", "approver"]) == 0
    assert main(["merge", "approve", "1", "--user", "boss"]) == 0
    assert main(["merge", "apply", "1", "--dry-run"]) == 0
    assert _files(tmp_path / "ERP销售数据.xlsx", tmp_path / "CRM客户.csv")() == before
    assert main(["apply"]) == 0 and "nothing approved" in capsys.readouterr().out
    assert main(["merge", "apply", "1", "--user", "boss"]) == 0
    assert "merge 1 written (write-back 1)" in capsys.readouterr().out
    assert main(["merge", "export-crosswalk", "--out", "crosswalk.xlsx"]) == 0
    assert main(["merge", "export-crosswalk", "1", "--out", "crosswalk.csv"]) == 0
    exported = load(str(tmp_path / "crosswalk.xlsx")).frame
    assert list(exported.columns) == ["system", "old_id", "surviving_id", "name"]
    assert sorted(exported["old_id"]) == ["C00283", "C00338"]
    assert set(exported["surviving_id"]) == {"C00206"}
    assert load(str(tmp_path / "crosswalk.csv")).frame.equals(exported)
    assert main(["merge", "list", "--state", "written"]) == 0
    assert "\twritten\t" in capsys.readouterr().out
    assert main(["merge", "unmerge", "1", "--user", "boss"]) == 0
    assert _files(tmp_path / "ERP销售数据.xlsx", tmp_path / "CRM客户.csv")() == before
    assert main(["merge", "unmerge", "1"]) == 1
    assert "merge 1 is unmerged" in capsys.readouterr().err
    assert main(["audit", "verify"]) == 0


def test_without_its_backups_a_merge_is_rolled_back_cell_by_cell(tmp_path, workspace):
    """Two sheets of one workbook were written; with the backups gone the rollback goes
    through the cells of both, each checked against what the write-back left."""
    from app.store.writebacks import rollback_plan
    from app.writeback.rollback import roll_back

    erp = tmp_path / "ERP销售数据.xlsx"
    shutil.copy2(SAMPLES / erp.name, erp)
    world = World(
        f"ERP={erp}#{CUSTOMERS}", f"{erp}#{ORDERS}", f"CRM={tmp_path / 'CRM.csv'}", lambda: None
    )
    shutil.copy2(SAMPLES / "CRM客户.csv", tmp_path / "CRM.csv")
    before = (_column(world.erp, "客户编码", "状态"), _column(world.orders, "单据编号", "客户编码"))
    merge_id, _ = _propose(workspace, world)
    approve_merge(workspace, merge_id, "boss")
    writeback_id = merge_cases.write(workspace, merge_id).writeback_id
    for backup in tmp_path.glob("*.bak*"):
        backup.unlink()
    inverse, files = rollback_plan(workspace, writeback_id)
    assert {Path(f.location).name for f in files} == {"ERP销售数据.xlsx", "CRM.csv"}
    result = roll_back(inverse, files)
    assert result.restored == [] and len(result.cells.results) == 3
    assert (
        _column(world.erp, "客户编码", "状态"),
        _column(world.orders, "单据编号", "客户编码"),
    ) == before


def test_columns_holding_a_systems_ids_are_found_by_content():
    """The ERP's sales orders quote its customer codes: that column is offered for
    re-pointing; the systems' own key columns and columns of other values are not."""
    from app.decide.merging import reference_candidates
    from app.decide.session import ReviewSession
    from app.reconcile.pipeline import link_tables
    from app.reconcile.settings import Settings
    from app.sources import read_tables
    from app.sources.table import Table

    tables = [
        load(f"erp={SAMPLES / 'ERP销售数据.xlsx'}#客户档案"),
        load(f"crm={SAMPLES / 'CRM客户.csv'}"),
    ]
    session = ReviewSession(link_tables(tables, DEDUPE, Settings()))
    beside = [
        table
        for path in sorted(SAMPLES.glob("*.*"))
        for table in read_tables(path)
        if isinstance(table, Table)
    ]
    found = reference_candidates(session, beside)
    assert [(c.table.sheet, c.column, c.label) for c in found] == [("销售订单", "客户编码", "erp")]
    assert found[0].found == found[0].filled > 100
