"""CSV, TSV and TXT exports: encodings, delimiters, quoting, layout and provenance."""

from __future__ import annotations

import codecs

import pytest

from app.errors import InputError
from app.sources import read_tables

ORDERS = '订单编号,客户名称,金额,备注\nSO-001,北京华信科技有限公司,"1,200.00",加急\nSO-002,上海鼎盛贸易有限公司,980,\n'


def only(path):
    (table,) = read_tables(path)
    assert not isinstance(table, InputError), table
    return table


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-16-le", "utf-16-le"),  # no BOM: found by its NUL pattern
    ],
)
def test_encodings(text_file, encoding, reported):
    table = only(text_file(ORDERS, encoding=encoding))
    assert table.encoding == reported
    assert table.frame["客户名称"].tolist() == ["北京华信科技有限公司", "上海鼎盛贸易有限公司"]
    assert table.frame["金额"].tolist() == ["1,200.00", "980"]


def test_gb18030_characters_outside_gbk(text_file):
    table = only(text_file("名称,编号\n𠮷野家餐饮有限公司,A1\n", encoding="gb18030"))
    assert table.encoding == "gb18030"
    assert table.frame["名称"].iloc[0] == "𠮷野家餐饮有限公司"


@pytest.mark.parametrize(
    ("delimiter", "name"), [("\t", "x.txt"), (";", "x.csv"), ("|", "x.csv"), ("\t", "x.tsv")]
)
def test_delimiters(text_file, delimiter, name):
    text = "编号{d}名称{d}金额\nA1{d}甲公司{d}1,5\nA2{d}乙公司{d}2,5\n".replace("{d}", delimiter)
    table = only(text_file(text, name=name))
    assert table.delimiter == delimiter
    assert table.frame["金额"].tolist() == ["1,5", "2,5"]


def test_quoted_newlines_keep_rows_as_a_spreadsheet_counts_them(text_file):
    text = '编号,备注,金额\nA1,"第一行\n第二行",10\nA2,"he said ""hi""",20\n'
    table = only(text_file(text, newline="\r\n"))
    assert table.frame["备注"].tolist() == ["第一行\r\n第二行", 'he said "hi"']
    assert table.rows.tolist() == [2, 3]
    assert str(table.cell(1, "金额")) == "export.csv C3"


def test_title_lines_blank_rows_totals_and_footer(text_file):
    text = (
        "销售订单列表\n导出时间：2026-11-24 18:00\n\n"
        "单据编号,客户,价税合计\nSO1,甲,100\n\nSO2,乙,200\n合计,,300\n制表人：王芳,,\n"
    )
    table = only(text_file(text, encoding="gb18030"))
    assert table.header_rows == (4,)
    assert table.frame["单据编号"].tolist() == ["SO1", "SO2"]
    assert table.rows.tolist() == [5, 7]
    reasons = {(s.row, s.reason) for s in table.skipped}
    assert reasons == {
        (1, "title"),
        (2, "title"),
        (3, "blank"),
        (6, "blank"),
        (8, "totals"),
        (9, "footer"),
    }


def test_two_row_header_is_joined(text_file):
    text = "客户,金额,,日期\n,含税,不含税,\n甲,117,100,2026-01-05\n"
    table = only(text_file(text))
    assert [c.name for c in table.columns] == ["客户", "金额/含税", "金额/不含税", "日期"]
    assert table.frame["金额/不含税"].tolist() == ["100"]


def test_long_ids_stay_text_and_damage_is_reported(text_file):
    text = "身份证号,订单号\n110101199003071234,1.23457E+17\n110101199003075678,1.23457E+17\n"
    table = only(text_file(text))
    assert table.frame["身份证号"].tolist() == ["110101199003071234", "110101199003075678"]
    (warning,) = table.warnings
    assert warning.column == "订单号" and "scientific notation" in warning.message


def test_precision_loss_is_reported(text_file):
    text = "证件号\n110101199003071000\n320102198805122000\n440301197701013000\n"
    (warning,) = only(text_file(text)).warnings
    assert "15th digit" in warning.message


def test_trailing_delimiters_are_harmless(text_file):
    table = only(text_file("编号,名称,\nA1,甲,\nA2,乙,\n"))
    assert [c.name for c in table.columns] == ["编号", "名称"]
    assert len(table) == 2


def test_short_rows_are_padded(text_file):
    table = only(text_file("编号,名称,金额\nA1,甲\nA2,乙,3\n"))
    assert table.frame["金额"].tolist() == ["", "3"]


def test_ragged_row_is_refused_with_its_row(text_file):
    with pytest.raises(InputError) as caught:
        read_tables(text_file("编号,名称,金额\nA1,甲,1\nA2,乙,丙,2\n"))
    assert caught.value.row == 3
    assert "delimiter" in str(caught.value)


def test_ragged_row_far_below_the_head_is_refused(text_file):
    body = "".join(f"A{i},名{i},{i}\n" for i in range(200))
    with pytest.raises(InputError) as caught:
        read_tables(text_file("编号,名称,金额\n" + body + "A9,x,y,z\n"))
    assert caught.value.row == 202


def test_raw_text_is_kept_exactly(text_file):
    table = only(
        text_file("编号,金额,日期\n 007 ,¥1,200.50,2026/3/5\n".replace("¥1,200.50", '"¥1,200.50"'))
    )
    assert table.frame.iloc[0].tolist() == [" 007 ", "¥1,200.50", "2026/3/5"]


def test_bom_is_not_part_of_the_first_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "编号,名称\nA1,甲\n".encode())
    assert [c.name for c in only(path).columns] == ["编号", "名称"]


def test_typed_view_beside_the_raw_text(text_file):
    import datetime as dt
    from decimal import Decimal

    from app.normalise.bulk import typed_column

    table = only(
        text_file('金额,日期,电话\n"¥1,200.50",2026年3月5日,+86 138-1234-5678\n坏数据,,\n')
    )
    assert typed_column(table, "金额", "money").tolist() == [Decimal("1200.50"), None]
    assert typed_column(table, "日期", "date").tolist() == [dt.date(2026, 3, 5), None]
    assert typed_column(table, "电话", "phone").tolist() == ["13812345678", None]
    assert table.frame["金额"].tolist() == ["¥1,200.50", "坏数据"]
