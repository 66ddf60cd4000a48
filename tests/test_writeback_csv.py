"""Delimited-text write-back: only the changed fields' bytes change."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError
from app.sources import read_tables
from app.sources.encoding import detect_encoding
from app.writeback.csv_records import iter_records, scan_column
from app.writeback.files import file_sha256
from app.writeback.preview import apply_file_changes

ROWS = [
    ["客户订单"],  # a title line above the header
    ["编号", "客户", "金额", "备注"],
    ["K1", "北京,华信", "1200", "多行\n备注"],
    ["K2", "上海鼎盛", "-5", ""],
    ["K3", '深圳"大"', "7", "ok"],
]


def render(rows: list[list[str]], newline: str, quote_all: bool, delimiter: str = ",") -> str:
    """Rows as an exporter writes them: minimal quoting (or all), one line ending."""

    def field(value: str) -> str:
        needs = quote_all or any(ch in value for ch in (delimiter, '"', "\n", "\r"))
        value = value.replace("\n", newline)
        return '"' + value.replace('"', '""') + '"' if needs else value

    return newline.join(delimiter.join(field(v) for v in row) for row in rows)


def write_back(
    path: Path, *edits: tuple[str, str, str, str], header_row: int = 2, key: str = "编号"
):
    goal = Target("csv", str(path), None, key, header_row, file_sha256(path))
    return apply_file_changes(
        goal, [Change(goal, k, column, old, new) for k, column, old, new in edits]
    )


ENCODINGS = {
    "utf-8": ("utf-8", b""),
    "utf-8-sig": ("utf-8", b"\xef\xbb\xbf"),
    "gb18030": ("gb18030", b""),
    "utf-16": ("utf-16-le", b"\xff\xfe"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("quote_all", [False, True])
@pytest.mark.parametrize("final_newline", [False, True])
def test_only_changed_fields_change(
    tmp_path: Path, encoding: str, newline: str, quote_all: bool, final_newline: bool
) -> None:
    codec, mark = ENCODINGS[encoding]
    end = newline if final_newline else ""
    path = tmp_path / "orders.csv"
    path.write_bytes(mark + (render(ROWS, newline, quote_all) + end).encode(codec))
    write_back(path, ("K2", "客户", "上海鼎盛", "上海,鼎盛"), ("K1", "金额", "1200", "1300"))
    expected = [row[:] for row in ROWS]
    expected[3][1] = "上海,鼎盛"
    expected[2][2] = "1300"
    assert path.read_bytes() == mark + (render(expected, newline, quote_all) + end).encode(codec)


def test_tsv_and_semicolons_keep_their_delimiter(tmp_path: Path) -> None:
    for name, delimiter in (("orders.tsv", "\t"), ("orders.txt", ";")):
        path = tmp_path / name
        path.write_text(render(ROWS, "\n", False, delimiter) + "\n", encoding="utf-8")
        write_back(path, ("K3", "备注", "ok", "好"))
        expected = [row[:] for row in ROWS]
        expected[4][3] = "好"
        assert path.read_text(encoding="utf-8") == render(expected, "\n", False, delimiter) + "\n"


def test_untouched_bytes_stay_identical_even_when_unusual(tmp_path: Path) -> None:
    # Spaces around values, a quote inside an unquoted field, a blank line, mixed endings.
    text = '编号,客户 ,金额\r\nK1, 甲 ,5\n\nK2,乙"丙,6\r\nK3,"丁",7'
    path = tmp_path / "odd.csv"
    path.write_bytes(text.encode("utf-8"))
    write_back(path, ("K3", "金额", "7", "8"), header_row=1)
    assert path.read_bytes() == text[:-1].encode("utf-8") + b"8"


def test_a_quoted_field_stays_quoted_and_quotes_are_doubled(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('编号,客户\nK1,"甲"\nK2,乙\n', encoding="utf-8")
    write_back(
        path, ("K1", "客户", "甲", "甲乙"), ("K2", "客户", "乙", 'say "hi"\nbye'), header_row=1
    )
    assert path.read_text(encoding="utf-8") == '编号,客户\nK1,"甲乙"\nK2,"say ""hi""\nbye"\n'


def test_a_short_record_gets_the_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("编号,客户,备注\nK1,甲\nK2,乙,x\n", encoding="utf-8")
    write_back(path, ("K1", "备注", "", "补上"), header_row=1)
    assert path.read_text(encoding="utf-8") == "编号,客户,备注\nK1,甲,补上\nK2,乙,x\n"


def test_rows_are_counted_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(render(ROWS, "\r\n", False), encoding="utf-8")
    result = write_back(path, ("K3", "备注", "ok", "done"))
    (table,) = read_tables(path)
    assert result.cells[0].row == int(table.rows[2]) == 5
    assert result.cells[0].column == "D"
    assert table.frame["备注"].tolist() == ["多行\r\n备注", "", "done"]


def test_two_row_header_names(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("编号,金额,\n,含税,不含税\nK1,117,100\n", encoding="utf-8")
    write_back(path, ("K1", "金额/不含税", "100", "101"))
    assert path.read_text(encoding="utf-8") == "编号,金额,\n,含税,不含税\nK1,117,101\n"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '"\'=HYPERLINK(""http://evil"",""x"")"'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\r=1", '"\'\r=1"'),
        ("-12.5", "-12.5"),  # a plain number is a number, not a formula
        ("+86", "+86"),
        ("a=b", "a=b"),
    ],
)
def test_formula_like_values_are_neutralised(tmp_path: Path, value: str, written: str) -> None:
    path = tmp_path / "inject.csv"
    path.write_text("编号,备注\nK1,x\n", encoding="utf-8")
    result = write_back(path, ("K1", "备注", "x", value), header_row=1)
    assert path.read_bytes() == f"编号,备注\nK1,{written}\n".encode()
    assert result.cells[0].new == (value if written in (value,) else "'" + value)


def test_rollback_restores_the_exact_bytes(tmp_path: Path) -> None:
    path = tmp_path / "undo.csv"
    original = render(ROWS, "\r\n", False).encode("gb18030")
    path.write_bytes(original)
    result = write_back(path, ("K1", "备注", "多行\r\n备注", "=1+1"), ("K2", "金额", "-5", "1,000"))
    inverse: ChangeSet = result.inverse
    (goal,) = inverse.by_target()
    apply_file_changes(goal, inverse.changes)
    assert path.read_bytes() == original


def test_neutralised_value_still_matches_its_unquoted_old_value(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("编号,备注\nK1,'=1+1\n", encoding="utf-8")
    write_back(path, ("K1", "备注", "=1+1", "ok"), header_row=1)
    assert path.read_text(encoding="utf-8") == "编号,备注\nK1,ok\n"


def test_utf16_without_a_mark_stays_so(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("name,city\nA,Zürich\n".encode("utf-16-le"))
    write_back(path, ("A", "city", "Zürich", "Genève"), header_row=1, key="name")
    assert path.read_bytes() == "name,city\nA,Genève\n".encode("utf-16-le")


def test_a_value_the_encoding_cannot_hold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    lines = "".join(f"A{i},Zürich café naïve\n" for i in range(20))
    path.write_bytes(("name,city\n" + lines).encode("cp1252"))
    encoding = detect_encoding(path.read_bytes())
    assert encoding not in (None, "utf-8", "gb18030")  # a single-byte code page
    old = "Zürich café naïve".encode("cp1252").decode(encoding)
    before = path.read_bytes()
    with pytest.raises(InputError, match="cannot store"):
        write_back(path, ("A3", "city", old, "北京"), header_row=1, key="name")
    assert path.read_bytes() == before
    write_back(path, ("A3", "city", old, "Zurich"), header_row=1, key="name")
    assert path.read_bytes() == before.replace(b"A3,Z\xfcrich caf\xe9 na\xefve", b"A3,Zurich")


def test_records_follow_the_csv_module() -> None:
    text = 'a,"b""c",d\r\n"x\ny",z\n\n"q"r,s,"t'
    expected = list(csv.reader(io.StringIO(text, newline="")))
    got = [[f.value for f in fields] for fields in iter_records(text, ",")]
    assert [r for r in got if r != [""]] == [r for r in expected if r]
    assert [value for _start, value in scan_column(text, ",", 1)] == [
        r[1] if len(r) > 1 else "" for r in got
    ]
    for start, _value in scan_column(text, ",", 0):
        assert text[start:].startswith(("a", '"x', "\n", '"q'))
