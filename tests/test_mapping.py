"""Column types from headers and content, key detection, alignment and mapping profiles."""

from __future__ import annotations

import pytest

from app.mapping.align import align
from app.mapping.detect import profile_table
from app.mapping.headers import match_header
from app.mapping.profiles import MappingProfile, ProfileStore, profile_with_store
from app.mapping.types import SemanticType as T
from app.sources import read_tables


def table_from(text_file, text, name="t.csv"):
    (table,) = read_tables(text_file(text, name=name))
    table.label = name.split(".")[0]
    return table


@pytest.mark.parametrize(
    ("header", "concept", "type_"),
    [
        ("联系人电话", "phone", T.PHONE),
        ("客户联络方式", "phone", T.PHONE),
        ("手机", "mobile", T.PHONE),
        ("Contact Phone", "phone", T.PHONE),
        ("客戶名稱", "customer", T.COMPANY),  # traditional characters
        ("ＣＵＳＴＯＭＥＲ　ＮＡＭＥ", "customer", T.COMPANY),  # full width
        ("价税合计(元)", "amount", T.MONEY),
        ("统一社会信用代码", "uscc", T.USCC),
        ("审批状态", "status", T.STATUS),
        ("提交时间", "time", T.DATETIME),
        ("单据编号", "order_no", T.KEY),
        ("源单编号", "source_ref", T.REFERENCE),
        ("单据号", "order_no", T.KEY),  # U8's lists
        ("预计回款日期", "due_date", T.DATE),
        ("Expected Payment Date", "due_date", T.DATE),  # a plan, whatever it names
        ("计划开票日期", "due_date", T.DATE),
        ("交货日期", "delivery_date", T.DATE),
    ],
)
def test_headers(header, concept, type_):
    match = match_header(header)
    assert match is not None and match.concept.name == concept and match.concept.type == type_


def test_short_english_synonyms_do_not_match_inside_words():
    assert match_header("provider") is None


ORDERS = (
    "单号,客户,联系方式,邮箱,信用代码,金额,日期,状态,备注\n"
    'SO-1,北京华信科技有限公司,138 1234 5678,a@x.cn,91110108MA01ABCD2X,"¥1,200.00",2026/9/5,已审核,加急\n'
    "SO-2,上海鼎盛贸易有限公司,(021)5555-1234,b@y.cn,,980元,2026年9月6日,未审核,\n"
    'SO-3,深圳恒通电子有限公司,+86 139-8765-4321,c@z.com,,"12,000",20260907,已关闭,\n'
)


def test_types_from_header_and_content(text_file):
    profile = profile_table(table_from(text_file, ORDERS))
    types = {c.name: c.type for c in profile.columns}
    assert types == {
        "单号": T.KEY,
        "客户": T.COMPANY,
        "联系方式": T.PHONE,
        "邮箱": T.EMAIL,
        "信用代码": T.USCC,
        "金额": T.MONEY,
        "日期": T.DATE,
        "状态": T.STATUS,
        "备注": T.TEXT,
    }
    assert profile.key == "单号"
    assert all(0 < c.confidence <= 1 for c in profile.columns)


def test_content_decides_for_unknown_headers(text_file):
    text = (
        "甲,乙,丙,丁\n"
        "zhang@a.com,2026-09-05 14:30,13812345678,杭州华信科技有限公司\n"
        "li@b.cn,2026-09-06 09:10,13998765432,苏州鼎盛贸易有限公司\n"
    )
    types = [c.type for c in profile_table(table_from(text_file, text)).columns]
    assert types == [T.EMAIL, T.DATETIME, T.PHONE, T.COMPANY]


def test_non_unique_code_is_a_reference_not_the_key(text_file):
    text = "客户编码,单据编号,金额\nC1,S1,10\nC1,S2,20\nC2,S3,30\n"
    profile = profile_table(table_from(text_file, text))
    assert profile.key == "单据编号"
    assert profile.column("客户编码").type == T.REFERENCE


def test_key_override(text_file):
    text = "客户编码,单据编号,金额\nC1,S1,10\nC2,S2,20\n"
    profile = profile_table(table_from(text_file, text), key="客户编码")
    assert profile.key == "客户编码"
    assert profile.column("单据编号").type == T.REFERENCE


def test_alignment_by_values_headers_and_concepts(text_file):
    erp = table_from(
        text_file,
        "单据编号,源单编号,购货单位,价税合计,单据日期\n"
        "XS-1,CRM-2026-001,甲公司,100,2026-09-05\nXS-2,,乙公司,200,2026-09-06\n",
        "erp.csv",
    )
    crm = table_from(
        text_file,
        "订单编号,客户名称,订单金额,下单日期\n"
        "CRM2026001,甲公司,100,2026/9/4\nCRM2026002,丙公司,50,2026/9/5\n",
        "crm.csv",
    )
    oa = table_from(
        text_file,
        "审批编号,标题,客户,金额,提交时间\n"
        "OA1,关于甲公司订单(CRM-2026-001)的审批,甲公司,100,2026-09-03 10:00\n"
        "OA2,丙公司合同审批 CRM2026002,丙公司,50,2026-09-04 11:00\n",
        "oa.csv",
    )
    tables = [erp, crm, oa]
    mapping = align(tables, [profile_table(t) for t in tables])
    by_erp = {f.columns.get("erp"): f for f in mapping.fields}
    crm_id = by_erp["源单编号"]
    assert crm_id.columns == {"erp": "源单编号", "crm": "订单编号", "oa": "标题"}
    assert crm_id.embedded == {"oa"}
    assert by_erp["购货单位"].columns == {"erp": "购货单位", "crm": "客户名称", "oa": "客户"}
    assert by_erp["价税合计"].name == "amount"
    assert by_erp["单据日期"].columns == {"erp": "单据日期", "crm": "下单日期", "oa": "提交时间"}
    assert by_erp["单据编号"].columns == {"erp": "单据编号"}  # keys of other systems do not join


def test_profile_is_saved_and_reapplied(text_file, tmp_path):
    table = table_from(text_file, "代码,名称,备注\nA1,甲,x\nA2,乙,y\n")
    store = ProfileStore(tmp_path / "profiles")
    headers = [c.name for c in table.columns]
    assert not profile_with_store(profile_table(table), headers, store)
    store.save(
        MappingProfile(headers, types={"备注": T.STATUS}, fields={"名称": "customer"}, key="代码")
    )
    profile = profile_table(table)
    assert profile_with_store(profile, headers, store)
    assert profile.column("备注").type == T.STATUS and profile.column("备注").confidence == 1.0
    assert profile.column("名称").field == "customer"
    assert profile.key == "代码"


def test_demo_like_febrl_headers_are_sensible(text_file):
    text = (
        "rec_id, given_name, surname, street_number, address_1, suburb, postcode, state, date_of_birth, soc_sec_id\n"
        "rec-1-org, michaela, neumann, 8, stanley street, winston hills, 4223, nsw, 19151111, 5304218\n"
        "rec-2-org, courtney, painter, 12, pinkerton circuit, richlands, 4560, vic, 19161214, 4066625\n"
    )
    profile = profile_table(table_from(text_file, text))
    types = {c.name: c.type for c in profile.columns}
    assert profile.key == "rec_id"
    assert types["given_name"] == types["surname"] == T.PERSON
    assert types["date_of_birth"] == T.DATE
    assert types["address_1"] == T.ADDRESS


def test_one_table_alignment_gives_a_field_per_column(text_file):
    table = table_from(text_file, ORDERS)
    mapping = align([table], [profile_table(table)])
    assert sorted(len(f.columns) for f in mapping.fields) == [1] * len(table.columns)


def test_amounts_align_by_the_amounts_they_share(text_file):
    """A Kingdee order's 金额 is before tax and its 价税合计 the total: the OA's 金额 (the
    total) joins 价税合计 by the amounts they share, not 金额 by the header; a CRM's
    已回款金额 (what was paid so far) joins no one."""
    erp_rows, crm_rows, oa_rows = [], [], []
    for k in range(25):
        total = 1000 + 137 * k + 0.5
        net = round(total / 1.13, 2)
        erp_rows.append(f"XS{k},{net},{total - net:.2f},{total},CRM{k}")
        crm_rows.append(f"CRM{k},{total},{round(total * 0.3, 2) if k % 5 else 0}")
        oa_rows.append(f'OA{k},合同审批 CRM{k},"{total:,.2f}元"')
    erp = table_from(
        text_file, "单据编号,金额,税额,价税合计,源单编号\n" + "\n".join(erp_rows), "erp.csv"
    )
    crm = table_from(text_file, "合同编号,合同金额,已回款金额\n" + "\n".join(crm_rows), "crm.csv")
    oa = table_from(text_file, "流程编号,流程标题,金额\n" + "\n".join(oa_rows), "oa.csv")
    tables = [erp, crm, oa]
    mapping = align(tables, [profile_table(t) for t in tables])
    by_erp = {f.columns.get("erp"): f for f in mapping.fields}
    assert by_erp["价税合计"].name == "amount"
    assert by_erp["价税合计"].columns == {"erp": "价税合计", "crm": "合同金额", "oa": "金额"}
    assert "crm" not in by_erp["金额"].columns and "oa" not in by_erp["金额"].columns
    paid = next(f for f in mapping.fields if f.columns.get("crm") == "已回款金额")
    assert list(paid.columns) == ["crm"]


def test_a_planned_date_does_not_join_the_document_date(text_file):
    """预计回款日期 (when payment is expected) is no document date, though it says 日期:
    the OA's 发起时间 joins the orders' date instead."""
    erp = table_from(
        text_file,
        "单据编号,单据日期,客户名称\nXS1,2026-09-05,甲公司\nXS2,2026-09-06,乙公司\n",
        "erp.csv",
    )
    crm = table_from(
        text_file, "合同编号,客户名称,签约日期\nHT1,甲公司,2026/9/5\nHT2,乙公司,2026/9/6\n", "crm.csv"
    )
    oa = table_from(
        text_file,
        "审批编号,客户名称,预计回款日期,发起时间,完成时间\n"
        "OA1,甲公司,2026-11-05,2026-09-04 10:00,2026-09-12 10:00\n"
        "OA2,乙公司,2026-12-06,2026-09-05 11:00,2026-09-15 10:00\n",
        "oa.csv",
    )
    tables = [erp, crm, oa]
    mapping = align(tables, [profile_table(t) for t in tables])
    date = next(f for f in mapping.fields if f.columns.get("erp") == "单据日期")
    assert date.columns == {"erp": "单据日期", "crm": "签约日期", "oa": "发起时间"}
