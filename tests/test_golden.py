"""Golden records, merge and unmerge on a real dedupe run: one company under three ERP
codes (three spellings, three phone formats, three dates) plus its CRM account."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.decide.golden import (
    RULES,
    GoldenValue,
    SurvivorshipRules,
    golden_record,
    merge,
    merged_rows,
    unmerge,
)
from app.reconcile.groups import Group
from app.reconcile.pipeline import DEDUPE, LinkResult, link_tables
from app.reconcile.settings import load_settings
from app.sources import read_tables
from app.sources.table import Column, Table

USCC = "91110108MA01ABCD2H"  # check digit valid

ERP_HEADER = [
    "客户编码",
    "客户名称",
    "统一社会信用代码",
    "联系人",
    "联系电话",
    "地址",
    "最后修改时间",
    "备注",
]
CRM_HEADER = ["客户ID", "客户名称", "联系人", "手机", "邮箱", "地址", "最后修改时间", "ERP客户编码"]

# rows 0-2: one company. Completeness (fields filled, keys aside): 5, 5, 6.
ERP_CLUSTER = [
    ["C001", "北京华信科技有限公司", "", "张伟", "010-62345678", "北京市海淀区中关村大街1号", "2023-05-10", ""],
    ["C002", "华信科技有限责任公司", USCC, "", "13812345678", "北京市海淀区中关村大街1号", "2024-11-02", ""],
    ["C003", "北京華信科技有限公司", USCC, "張偉", "+86 138-1234-5678", "海淀区中关村大街1号", "2022/01/15", ""],
]  # fmt: skip
CRM_ACCOUNT = [
    "A1001",
    "北京华信科技有限公司",
    "张伟",
    "13812345678",
    "zhangwei@huaxin.cn",
    "北京市海淀区中关村大街1号院",
    "2025-01-20 09:30",
    "C001",
]
OTHERS = [
    ("上海鼎盛贸易有限公司", "91310115MA1K3YJ2X5", "李娜", "13900001111", "上海市浦东新区张江路88号"),
    ("深圳恒通电子有限公司", "", "王强", "0755-88886666", "深圳市南山区科技园南区3栋"),
    ("杭州瑞丰机械有限公司", "", "赵敏", "13811110000", "杭州市西湖区文三路1号"),
    ("成都金桥物流有限公司", "", "刘洋", "028-66667777", "成都市武侯区天府大道100号"),
    ("武汉宏达建材有限公司", "", "陈静", "13722223333", "武汉市洪山区珞喻路50号"),
    ("广州新元电子有限公司", "", "杨帆", "020-87654321", "广州市天河区体育西路20号"),
]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    erp = [list(row) for row in ERP_CLUSTER]
    crm = [list(CRM_ACCOUNT)]
    for k, (name, uscc, person, phone, address) in enumerate(OTHERS):
        remark = "月结30天" if k % 2 else ""
        erp.append([f"C{k + 4:03d}", name, uscc, person, phone, address, f"2024-0{k + 1}-1{k}", remark])  # fmt: skip
        crm.append(
            [f"A{1002 + k}", name, person, phone, f"user{k}@example.cn", address,
             f"2025-02-0{k + 1} 10:00", f"C{k + 4:03d}"]
        )  # fmt: skip
    return {
        "erp": write_csv(tmp_path / "erp.csv", ERP_HEADER, erp),
        "crm": write_csv(tmp_path / "crm.csv", CRM_HEADER, crm),
    }


@pytest.fixture
def result(files: dict[str, Path]) -> LinkResult:
    tables = []
    for path in files.values():
        table = read_tables(path)[0]
        assert isinstance(table, Table)
        tables.append(table)
    return link_tables(tables, DEDUPE, load_settings(None))


def field_name(result: LinkResult, label: str, column: str) -> str:
    found = result.mapping.field_of(label, column)
    assert found is not None, column
    return found.name


def by_column(
    golden: list[GoldenValue], result: LinkResult, label: str, column: str
) -> GoldenValue:
    name = field_name(result, label, column)
    return next(g for g in golden if g.field == name)


def where(value: GoldenValue) -> tuple[str | None, int | None, str | None]:
    return value.table, value.record, value.column


# --- the run the golden record works on ----------------------------------------------


def test_the_cluster_is_one_company_in_both_systems(result):
    assert sorted(result.groups[0].members) == [("crm", 0), ("erp", 0), ("erp", 1), ("erp", 2)]
    assert field_name(result, "erp", "最后修改时间") == field_name(result, "crm", "最后修改时间")


# --- default rules ---------------------------------------------------------------------


def test_defaults_pick_the_agreed_spelling_the_trusted_phone_and_the_latest_date(result):
    golden = golden_record(result, 0, SurvivorshipRules())
    name = by_column(golden, result, "erp", "客户名称")
    # three of four records spell it 北京华信科技有限公司 (one in traditional characters);
    # of the raw spellings the simplified one is commonest, and ERP row 0 is trusted first
    assert (name.value, name.rule, where(name)) == ("北京华信科技有限公司", "frequent", ("erp", 0, "客户名称"))  # fmt: skip
    assert name.alternatives == (
        ("erp", 0, "北京华信科技有限公司"),
        ("erp", 1, "华信科技有限责任公司"),
        ("erp", 2, "北京華信科技有限公司"),
        ("crm", 0, "北京华信科技有限公司"),
    )
    contact = by_column(golden, result, "erp", "联系人")
    assert (contact.value, where(contact)) == ("张伟", ("erp", 0, "联系人"))
    assert ("erp", 1, "") not in contact.alternatives  # empty cells are not candidates
    # phone: trust, ERP first (load order); the ERP rows all have one, row 2 is fullest
    phone = by_column(golden, result, "erp", "联系电话")
    assert (phone.value, phone.rule, where(phone)) == ("+86 138-1234-5678", "trust", ("erp", 2, "联系电话"))  # fmt: skip
    # the dates: the latest record is the CRM account, whatever the format
    updated = by_column(golden, result, "erp", "最后修改时间")
    assert (updated.value, updated.rule, where(updated)) == ("2025-01-20 09:30", "recent", ("crm", 0, "最后修改时间"))  # fmt: skip
    address = by_column(golden, result, "erp", "地址")
    assert (address.value, where(address)) == ("北京市海淀区中关村大街1号", ("erp", 0, "地址"))
    email = by_column(golden, result, "crm", "邮箱")
    assert (email.value, where(email)) == ("zhangwei@huaxin.cn", ("crm", 0, "邮箱"))


def test_golden_record_follows_mapping_order_and_leaves_out_keys_and_empty_fields(result):
    golden = golden_record(result, 0, SurvivorshipRules())
    order = [f.name for f in result.mapping.fields]
    names = [g.field for g in golden]
    assert names == sorted(names, key=order.index)
    assert result.mapping.field_of("erp", "客户编码").name not in names
    assert result.mapping.field_of("crm", "客户ID").name not in names
    assert field_name(result, "erp", "备注") not in names  # no member has a remark
    for value in golden:
        assert value.column not in ("客户编码", "客户ID")


def test_provenance_points_at_the_cell_that_holds_the_value(result):
    for rule in RULES:
        for value in golden_record(result, 0, SurvivorshipRules(default=rule, by_type={})):
            assert value.table is not None and value.record is not None and value.column
            assert result.table(value.table).frame[value.column].iat[value.record] == value.value
            assert (value.table, value.record, value.value) in value.alternatives


# --- each rule -------------------------------------------------------------------------


def test_trust_order_is_respected(result):
    erp_first = golden_record(result, 0, SurvivorshipRules(trust=["erp", "crm"]))
    crm_first = golden_record(result, 0, SurvivorshipRules(trust=["crm", "erp"]))
    assert where(by_column(erp_first, result, "erp", "联系电话")) == ("erp", 2, "联系电话")
    phone = by_column(crm_first, result, "erp", "联系电话")
    assert (phone.value, where(phone)) == ("13812345678", ("crm", 0, "手机"))
    # CRM has no USCC: the next table in trust order supplies it
    assert where(by_column(crm_first, result, "erp", "统一社会信用代码"))[0] == "erp"


def test_trust_breaks_a_tie_inside_a_table_by_the_most_complete_record(result):
    uscc = by_column(
        golden_record(result, 0, SurvivorshipRules()), result, "erp", "统一社会信用代码"
    )
    # rows 1 and 2 both carry the USCC; row 2 fills six fields, row 1 five
    assert (uscc.value, where(uscc)) == (USCC, ("erp", 2, "统一社会信用代码"))
    assert uscc.alternatives == (("erp", 1, USCC), ("erp", 2, USCC))


def test_per_field_trust_order(result):
    phone = field_name(result, "erp", "联系电话")
    rules = SurvivorshipRules(trust=["erp", "crm"], field_trust={phone: ["crm"]})
    golden = golden_record(result, 0, rules)
    assert where(by_column(golden, result, "erp", "联系电话")) == ("crm", 0, "手机")
    assert where(by_column(golden, result, "erp", "统一社会信用代码"))[0] == "erp"


def test_recent_ranks_records_by_the_date_field(result):
    updated = field_name(result, "erp", "最后修改时间")
    rules = SurvivorshipRules(default="recent", by_type={}, recency_field=updated)
    golden = golden_record(result, 0, rules)
    # the CRM account (2025-01-20 09:30) is the latest record and has a phone
    assert where(by_column(golden, result, "erp", "联系电话")) == ("crm", 0, "手机")
    # no USCC in CRM: of the ERP rows with one, 2024-11-02 beats 2022/01/15
    uscc = by_column(golden, result, "erp", "统一社会信用代码")
    assert (uscc.rule, where(uscc)) == ("recent", ("erp", 1, "统一社会信用代码"))
    name = by_column(golden, result, "erp", "客户名称")
    assert (name.value, where(name)) == ("北京华信科技有限公司", ("crm", 0, "客户名称"))


def test_recent_needs_a_date_field(result):
    phone = field_name(result, "erp", "联系电话")
    with pytest.raises(ValueError, match="date"):
        golden_record(result, 0, SurvivorshipRules(default="recent", recency_field=phone))


def test_complete_takes_the_fullest_record_and_ties_go_to_trust(result):
    address = field_name(result, "erp", "地址")
    # ERP row 2 and the CRM account both fill six fields
    erp_first = SurvivorshipRules(per_field={address: "complete"}, trust=["erp", "crm"])
    value = by_column(golden_record(result, 0, erp_first), result, "erp", "地址")
    assert (value.value, value.rule, where(value)) == ("海淀区中关村大街1号", "complete", ("erp", 2, "地址"))  # fmt: skip
    crm_first = dataclasses.replace(erp_first, trust=["crm"])
    value = by_column(golden_record(result, 0, crm_first), result, "erp", "地址")
    assert where(value) == ("crm", 0, "地址")


def test_frequent_counts_normalised_forms_and_keeps_the_commonest_spelling(result):
    phone = field_name(result, "erp", "联系电话")
    golden = golden_record(result, 0, SurvivorshipRules(per_field={phone: "frequent"}))
    value = by_column(golden, result, "erp", "联系电话")
    # 138 1234 5678 three times (two spelled "13812345678"), the landline once
    assert (value.value, value.rule, where(value)) == ("13812345678", "frequent", ("erp", 1, "联系电话"))  # fmt: skip


def test_frequent_tie_goes_to_trust(result):
    name = field_name(result, "erp", "客户名称")
    rules = SurvivorshipRules(per_field={name: "frequent"}, trust=["crm", "erp"])
    value = by_column(golden_record(result, 0, rules), result, "erp", "客户名称")
    # the simplified spelling: ERP row 0 and the CRM account; CRM is trusted first now
    assert where(value) == ("crm", 0, "客户名称")


def test_longest_takes_the_fullest_address(result):
    address = field_name(result, "erp", "地址")
    golden = golden_record(result, 0, SurvivorshipRules(per_field={address: "longest"}))
    value = by_column(golden, result, "erp", "地址")
    assert (value.value, value.rule, where(value)) == ("北京市海淀区中关村大街1号院", "longest", ("crm", 0, "地址"))  # fmt: skip


# --- the steward's word ----------------------------------------------------------------


def test_overrides_win_over_every_rule(result):
    name = field_name(result, "erp", "客户名称")
    for rule in RULES:
        rules = SurvivorshipRules(per_field={name: rule})
        golden = golden_record(result, 0, rules, overrides={name: "北京华信科技股份有限公司"})
        value = by_column(golden, result, "erp", "客户名称")
        assert (value.value, value.rule, where(value)) == ("北京华信科技股份有限公司", "manual", (None, None, None))  # fmt: skip
        assert len(value.alternatives) == 4


def test_an_override_fills_a_field_no_record_has(result):
    remark = field_name(result, "erp", "备注")
    golden = golden_record(result, 0, SurvivorshipRules(), overrides={remark: "集团客户"})
    value = next(g for g in golden if g.field == remark)
    assert (value.value, value.rule, value.alternatives) == ("集团客户", "manual", ())


def test_manual_without_a_typed_value_falls_back_to_trust(result):
    name = field_name(result, "erp", "客户名称")
    golden = golden_record(result, 0, SurvivorshipRules(per_field={name: "manual"}))
    value = by_column(golden, result, "erp", "客户名称")
    assert (value.rule, where(value)) == ("trust", ("erp", 2, "客户名称"))


def test_bad_rules_and_overrides_are_refused(result):
    with pytest.raises(ValueError, match="rule"):
        SurvivorshipRules(default="newest")
    with pytest.raises(ValueError, match="rule"):
        SurvivorshipRules(per_field={"phone": "majority"})
    key = result.mapping.field_of("crm", "客户ID").name
    with pytest.raises(ValueError, match="override"):
        golden_record(result, 0, SurvivorshipRules(), overrides={key: "A9999"})
    with pytest.raises(ValueError, match="override"):
        golden_record(result, 0, SurvivorshipRules(), overrides={"no such field": "x"})


# --- merge, merged rows, unmerge -------------------------------------------------------


def test_merge_keeps_the_fullest_record_of_each_table(result):
    merged = merge(result, 0, SurvivorshipRules())
    assert merged.group == 0
    assert merged.survivors == {"erp": 2, "crm": 0}
    assert list(merged.golden) == golden_record(result, 0, SurvivorshipRules())


def test_merge_takes_the_chosen_survivor_and_refuses_a_stranger(result):
    assert merge(result, 0, SurvivorshipRules(), survivors={"erp": 0}).survivors == {
        "erp": 0,
        "crm": 0,
    }
    with pytest.raises(ValueError, match="not a member"):
        merge(result, 0, SurvivorshipRules(), survivors={"erp": 5})


def test_unmerge_returns_the_rows_exactly_as_in_the_files(result, files):
    name = field_name(result, "erp", "客户名称")
    merged = merge(result, 0, SurvivorshipRules(), overrides={name: "北京华信科技股份有限公司"})
    erp, crm = read_csv_rows(files["erp"]), read_csv_rows(files["crm"])
    expected = [("erp", 0, erp[0]), ("erp", 1, erp[1]), ("erp", 2, erp[2]), ("crm", 0, crm[0])]
    restored = unmerge(merged)
    assert restored == expected
    restored[0][2]["客户名称"] = "changed by the caller"
    assert unmerge(merged) == expected  # the merge's own record is untouched


def test_merged_rows_write_golden_values_into_survivors_only(result):
    merged = merge(result, 0, SurvivorshipRules())
    after = merged_rows(merged, result)
    before = {(label, row): values for label, row, values in unmerge(merged)}
    assert set(after) == set(before)
    assert after[("erp", 0)] == before[("erp", 0)]
    assert after[("erp", 1)] == before[("erp", 1)]
    erp = after[("erp", 2)]
    assert erp["客户编码"] == "C003"  # keys never change
    assert erp["客户名称"] == "北京华信科技有限公司"
    assert erp["联系人"] == "张伟"
    assert erp["地址"] == "北京市海淀区中关村大街1号"
    assert erp["最后修改时间"] == "2025-01-20 09:30"
    assert erp["备注"] == ""
    crm = after[("crm", 0)]
    assert crm["手机"] == "+86 138-1234-5678"
    assert crm["地址"] == "北京市海淀区中关村大街1号"
    assert crm["客户ID"] == "A1001" and crm["ERP客户编码"] == "C001"
    changed = {
        (label, column)
        for (label, row), values in after.items()
        for column, value in values.items()
        if value != before[(label, row)][column]
    }
    assert changed == {
        ("erp", "客户名称"),
        ("erp", "联系人"),
        ("erp", "地址"),
        ("erp", "最后修改时间"),
        ("crm", "手机"),
        ("crm", "地址"),
    }


def test_merge_of_another_group_is_its_own(result):
    merged = merge(result, 1, SurvivorshipRules())
    assert {label for label, _, _ in merged.members} == {"erp", "crm"}
    assert merged.members[0][2]["客户名称"] == "上海鼎盛贸易有限公司"


# --- property: merge then unmerge is the identity --------------------------------------

CELL = st.one_of(
    st.just(""),
    st.sampled_from(
        ["北京华信科技有限公司", "華信", " 张伟 ", "13812345678", "2024-11-02", "=1+1"]
    ),
    st.text(alphabet="华信科技有限公司0123456789-/ :+（）()\t", max_size=12),
)


def _table(label: str, header: list[str], cells: list[list[str]]) -> Table:
    frame = pd.DataFrame({name: [row[k] for row in cells] for k, name in enumerate(header)})
    return Table(
        path=Path(f"{label}.csv"),
        sheet=None,
        frame=frame.astype("str"),
        rows=np.arange(len(cells)) + 2,
        header_rows=(1,),
        columns=[Column(name, k) for k, name in enumerate(header)],
        label=label,
    )


@st.composite
def clusters(draw: st.DrawFn) -> tuple[list[list[str]], list[list[str]], list[tuple[str, int]]]:
    erp = draw(st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=1, max_size=4))
    crm = draw(st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=0, max_size=3))
    nodes = [("erp", k) for k in range(len(erp))] + [("crm", k) for k in range(len(crm))]
    members = draw(st.lists(st.sampled_from(nodes), min_size=1, unique=True))
    return erp, crm, members


def test_merge_then_unmerge_is_the_identity(result):
    @settings(max_examples=150, deadline=None)
    @given(
        clusters(),
        st.sampled_from(RULES),
        st.permutations(["erp", "crm"]),
        st.booleans(),
    )
    def check(cluster, rule, trust, typed):
        erp, crm, members = cluster
        tables = [_table("erp", ERP_HEADER, erp), _table("crm", CRM_HEADER, crm)]
        run = dataclasses.replace(result, tables=tables, groups=[Group(list(members))])
        name = field_name(result, "erp", "客户名称")
        overrides = {name: "人工录入"} if typed else None
        rules = SurvivorshipRules(default=rule, trust=list(trust))
        merged = merge(run, 0, rules, overrides)
        original = [
            (label, row, dict(zip(header, rows[row], strict=True)))
            for label, header, rows in (("erp", ERP_HEADER, erp), ("crm", CRM_HEADER, crm))
            for row in range(len(rows))
            if (label, row) in members
        ]
        assert unmerge(merged) == original
        after = merged_rows(merged, run)
        golden = {g.field: g.value for g in merged.golden}
        for label, row, values in original:
            survivor = merged.survivors[label] == row
            for column, value in values.items():
                found = run.mapping.field_of(label, column)
                if survivor and found is not None and found.name in golden:
                    assert after[(label, row)][column] == golden[found.name]
                else:
                    assert after[(label, row)][column] == value
        for value in merged.golden:
            if value.rule == "manual":
                assert value.table is None
            else:
                assert (value.table, value.record, value.value) in value.alternatives
                cell = run.table(value.table).frame[value.column].iat[value.record]
                assert cell == value.value

    check()
