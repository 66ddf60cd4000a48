"""The demo data generator (bench/datagen.py): deterministic, committed samples up to date,
and a ground truth that agrees with the files it describes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bench.datagen import FILES, PROBLEM_RATES, TABLES, World, generate, write_samples
from bench.make_samples import SAMPLES, demo_world, write_all

GOING_AHEAD = {"已审核", "已关闭", "已通过", "赢单", "已成交"}
STOPPED = {"已驳回", "已撤回", "输单", "已取消"}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.fixture(scope="module")
def demo() -> World:
    return demo_world()


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _trimmed(row: tuple[object, ...]) -> tuple[object, ...]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Cell values per sheet, rows without trailing empty cells."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [_trimmed(row) for row in ws.iter_rows(values_only=True)]
            for ws in workbook.worksheets
        }
    finally:
        workbook.close()


def _assert_same_files(expected: Path, actual: Path, xlsx_bytes: bool) -> None:
    assert _files(expected) == _files(actual)
    for name in _files(expected):
        if name.endswith(".xlsx") and not xlsx_bytes:
            assert _cells(expected / name) == _cells(actual / name), name
        else:
            assert (expected / name).read_bytes() == (actual / name).read_bytes(), name


def test_same_seed_gives_the_same_bytes(tmp_path):
    for run in ("a", "b"):
        write_samples(generate(40, 150, seed=3), tmp_path / run)
    _assert_same_files(tmp_path / "a", tmp_path / "b", xlsx_bytes=True)


def test_another_seed_gives_another_world():
    one, other = generate(40, 150, seed=3), generate(40, 150, seed=4)
    assert not one.crm_orders.equals(other.crm_orders)


def test_committed_samples_equal_a_fresh_generation(tmp_path):
    write_all(tmp_path)
    _assert_same_files(SAMPLES, tmp_path, xlsx_bytes=False)


def test_fast_mode_writes_the_same_cells(tmp_path):
    world = generate(30, 120, seed=11)
    write_samples(world, tmp_path / "styled")
    write_samples(world, tmp_path / "fast", fast=True)
    _assert_same_files(tmp_path / "styled", tmp_path / "fast", xlsx_bytes=False)


def test_exports_look_like_exports(tmp_path):
    paths = write_samples(generate(30, 120, seed=11), tmp_path)
    erp = _cells(paths["erp"])
    assert erp["客户档案"][2][:2] == ("客户编码", "客户名称")
    assert erp["销售订单"][3][:2] == ("单据编号", "单据日期")
    assert erp["销售订单"][-1][0] == "合计"
    assert () in erp["销售订单"][4:-1]  # a blank row among the orders
    assert isinstance(erp["销售订单"][4][1], datetime)
    raw = paths["crm"].read_bytes()
    assert b"\r\n" in raw and raw.decode("gb18030").startswith("订单编号,")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_every_record_is_in_the_truth_exactly_once(demo):
    for truth, labels in (
        (demo.truth_orders, ("erp", "crm", "oa")),
        (demo.truth_customers, ("erp_customers", "crm_customers")),
    ):
        assert set(truth["table"]) == set(labels)
        assert not truth.duplicated(["table", "record_id"]).any()
        for label in labels:
            spec = TABLES[label]
            ids = getattr(demo, spec.attribute)[spec.key]
            assert ids.is_unique
            assert sorted(truth.loc[truth["table"] == label, "record_id"]) == sorted(ids)


def test_conflicts_refer_to_deals_and_name_their_kind(demo):
    """Field conflicts concern complete deals; chain exceptions any deal's records (an
    approval may be missing — that is the exception)."""
    conflicts, orders = demo.truth_conflicts, demo.truth_orders
    keys = set(orders.itertuples(index=False, name=None))
    assert set(conflicts["field"]) == {"amount", "status", "date"}
    for entity, _, table, record, _ in conflicts.itertuples(index=False, name=None):
        assert (entity, table, record) in keys
    tables = orders.groupby("entity_id")["table"].apply(frozenset)
    fields = conflicts[conflicts["field"] != "status"]
    for entity in set(fields["entity_id"]):
        assert tables[entity] == {"erp", "crm", "oa"}
    kinds = conflicts.groupby("field")["kind"].apply(set).to_dict()
    assert kinds == {
        "amount": {"money"},
        "date": {"date"},
        "status": {"booked_without_approval", "approved_not_booked", "won_not_submitted"},
    }
    assert not conflicts.duplicated(["entity_id", "field", "table"]).any()


def test_problems_are_planted_at_their_rates(demo):
    counts = demo.problem_counts()
    n = len(demo.deals)
    for problem, rate in PROBLEM_RATES.items():
        assert counts[problem] == round(rate * n)
    per_field = demo.truth_conflicts.groupby("field")["entity_id"].nunique()
    assert {p: per_field[p] for p in ("amount", "date")} == {
        p: counts[p] for p in ("amount", "date")
    }
    deals = demo.deals.set_index("entity_id")["problem"]
    truth = demo.truth_conflicts
    booked = set(truth.loc[truth["kind"] == "booked_without_approval", "entity_id"])
    planted = deals[deals.isin(["status", "erp_without_oa"])]
    assert set(planted.index) <= booked  # OA rejected or missing while ERP approved


def test_customers_are_duplicated_and_branches_kept_apart(demo):
    truth = demo.truth_customers
    codes = truth[truth["table"] == "erp_customers"]["entity_id"].value_counts()
    assert 0.06 < (codes > 1).mean() < 0.2
    assert codes.max() == 3
    entity = dict(zip(truth["record_id"], truth["entity_id"], strict=True))
    names = dict(zip(demo.erp_customers["客户名称"], demo.erp_customers["客户编码"], strict=False))
    branches = 0
    for name, code in names.items():
        stem = name.removesuffix("分公司")
        head = stem[: stem.rfind("公司") + 2]
        if stem != name and head in names:
            branches += 1
            assert entity[names[head]] != entity[code]
    assert branches >= 5


def test_credit_codes_have_valid_check_digits(demo):
    codes = [c for c in demo.erp_customers["统一社会信用代码"] if c]
    assert len(codes) > 200
    for code in codes:
        total = sum(USCC_CHARS.index(c) * w for c, w in zip(code, USCC_WEIGHTS, strict=False))
        assert len(code) == 18 and code[17] == USCC_CHARS[(31 - total % 31) % 31], code


def _money(value: object) -> Decimal:
    if isinstance(value, int | float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = str(value).strip().lstrip("￥¥").removesuffix("元").replace(",", "")
    scale = 10000 if text.endswith("万") else 1
    return (Decimal(text.removesuffix("万")) * scale).quantize(Decimal("0.01"))


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    text = str(value)
    for form in ("%Y/%m/%d", "%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise AssertionError(f"not a date: {text}")


def test_values_differ_only_where_a_problem_is_planted(demo):
    erp = demo.erp_orders.set_index("单据编号")
    crm = demo.crm_orders.set_index("订单编号")
    oa = demo.oa_approvals.set_index("审批编号")
    complete = demo.deals[
        (demo.deals["erp"] != "") & (demo.deals["crm"] != "") & (demo.deals["oa"] != "")
    ]
    assert len(complete) > 0.8 * len(demo.deals)
    for deal in complete.itertuples(index=False):
        e, c, o = erp.loc[deal.erp], crm.loc[deal.crm], oa.loc[deal.oa]
        assert _money(c["订单金额"]) == _money(o["金额"])
        assert (_money(e["价税合计"]) != _money(c["订单金额"])) == (deal.problem == "amount")
        days = [_day(o["提交时间"]), _day(c["下单日期"]), _day(e["单据日期"])]
        assert days == sorted(days)
        assert ((days[2] - days[0]).days > 7) == (deal.problem == "date")
        states = {e["审核状态"], c["订单状态"], o["审批状态"]}
        assert bool(states & GOING_AHEAD and states & STOPPED) == (deal.problem == "status")


def test_only_the_files_of_the_demo_are_written(tmp_path):
    paths = write_samples(generate(20, 40, seed=1), tmp_path)
    assert {p.name for p in paths.values()} == set(FILES.values())
    assert _files(tmp_path / "truth") == [
        "README.md",
        "conflicts.csv",
        "customers.csv",
        "orders.csv",
    ]
