"""Workbook write-back: only the target cells change, everything else survives."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from app.decide.changes import Change, Target
from app.errors import InputError
from app.sources import read_tables
from app.writeback.files import file_sha256
from app.writeback.preview import apply_file_changes
from app.writeback.xlsx import highlight_copy
from tests.conftest import CORPUS

SHEET = "订单"
RED = PatternFill(fill_type="solid", fgColor="FFFF0000")


def make_book(path: Path) -> Path:
    """A workbook with every feature a write-back must keep."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(["销售订单列表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["编号", "客户", "金额", "日期", "备注", "双倍"])
    rows = [
        ["K1", "北京华信", 1200, dt.datetime(2026, 1, 5), "ok"],
        ["K2", "上海鼎盛", 980.5, dt.datetime(2026, 1, 6), ""],
        ["K3", "深圳远航", 15, dt.datetime(2026, 1, 7), "加急"],
    ]
    for index, row in enumerate(rows, start=3):
        sheet.append([*row, f"=C{index}*2"])
        sheet[f"C{index}"].number_format = "#,##0.00"
        sheet[f"D{index}"].number_format = "yyyy-mm-dd"
    sheet.append(["合计", None, "=SUM(C3:C5)"])
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FF0000FF")
        cell.border = Border(bottom=Side(style="thin"))
    sheet["C4"].fill = RED
    sheet["C4"].font = Font(italic=True)
    sheet["B3"].alignment = Alignment(horizontal="center")
    sheet["B3"].comment = Comment("大客户", "张三")
    sheet.merge_cells("G3:H4")
    sheet.column_dimensions["B"].width = 31
    sheet.row_dimensions[4].height = 27
    sheet.freeze_panes = "B3"
    validation = DataValidation(type="list", formula1='"ok,加急"', allow_blank=True)
    validation.add("E3:E100")
    sheet.add_data_validation(validation)
    sheet.conditional_formatting.add(
        "C3:C100", CellIsRule(operator="greaterThan", formula=["1000"], fill=RED)
    )
    workbook.defined_names["Amounts"] = DefinedName("Amounts", attr_text=f"'{SHEET}'!$C$3:$C$5")
    other = workbook.create_sheet("汇总")
    other.append(["总额", f"=SUM('{SHEET}'!C3:C5)"])
    other.append(["备注", "不要改"])
    other["A1"].fill = RED
    workbook.save(path)
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_book(tmp_path / "orders.xlsx")


def target(path: Path, **kwargs: object) -> Target:
    options = {"sheet": SHEET, "key_column": "编号", "header_row": 2} | kwargs
    return Target("xlsx", str(path), file_hash=file_sha256(path), **options)  # type: ignore[arg-type]


def write(path: Path, *edits: tuple[str, str, str, str], **kwargs: object):
    goal = target(path, **kwargs)
    changes = [Change(goal, key, column, old, new) for key, column, old, new in edits]
    return apply_file_changes(goal, changes)


def values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in workbook}


def test_only_the_target_cell_changes(book: Path) -> None:
    before = values(book)
    result = write(book, ("K2", "金额", "980.5", "990"))
    after = values(book)
    before[SHEET][3] = (*before[SHEET][3][:2], 990, *before[SHEET][3][3:])
    assert after == before
    assert [(c.row, c.column, c.old, c.new) for c in result.cells] == [(4, "C", "980.5", "990")]


def test_styles_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    sheet = load_workbook(book)[SHEET]
    assert sheet["A2"].font.b and sheet["A2"].font.color.rgb == "FF0000FF"
    assert sheet["A2"].border.bottom.style == "thin"
    assert sheet["B3"].alignment.horizontal == "center"
    assert sheet["C4"].fill.fgColor.rgb == "FFFF0000"  # the changed cell keeps its own style
    assert sheet["C4"].font.i


def test_number_formats_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "1,234.5"), ("K1", "日期", "2026-01-05", "2026-02-01"))
    sheet = load_workbook(book)[SHEET]
    assert sheet["C4"].value == 1234.5 and sheet["C4"].number_format == "#,##0.00"
    assert sheet["C3"].number_format == "#,##0.00"
    assert (
        sheet["D3"].value == dt.datetime(2026, 2, 1) and sheet["D3"].number_format == "yyyy-mm-dd"
    )


def test_formulas_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    workbook = load_workbook(book)
    assert workbook[SHEET]["F4"].value == "=C4*2"
    assert workbook[SHEET]["C6"].value == "=SUM(C3:C5)"
    assert workbook["汇总"]["B1"].value == f"=SUM('{SHEET}'!C3:C5)"


def test_other_sheets_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    workbook = load_workbook(book)
    assert workbook.sheetnames == [SHEET, "汇总"]
    assert workbook["汇总"]["B2"].value == "不要改"
    assert workbook["汇总"]["A1"].fill.fgColor.rgb == "FFFF0000"


def test_merged_cells_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    ranges = {str(r) for r in load_workbook(book)[SHEET].merged_cells.ranges}
    assert ranges == {"A1:F1", "G3:H4"}


def test_widths_and_heights_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    sheet = load_workbook(book)[SHEET]
    assert sheet.column_dimensions["B"].width == 31
    assert sheet.row_dimensions[4].height == 27


def test_frozen_panes_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    assert load_workbook(book)[SHEET].freeze_panes == "B3"


def test_data_validation_survives(book: Path) -> None:
    write(book, ("K2", "备注", "", "ok"))
    (validation,) = load_workbook(book)[SHEET].data_validations.dataValidation
    assert validation.formula1 == '"ok,加急"'
    assert str(validation.sqref) == "E3:E100"


def test_conditional_formatting_survives(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    formatting = load_workbook(book)[SHEET].conditional_formatting
    (entry,) = list(formatting)
    assert str(entry.sqref) == "C3:C100"
    assert entry.rules[0].operator == "greaterThan" and entry.rules[0].formula == ["1000"]


def test_comments_survive(book: Path) -> None:
    write(book, ("K1", "客户", "北京华信", "北京华信科技"))
    comment = load_workbook(book)[SHEET]["B3"].comment
    assert comment is not None and comment.text == "大客户" and comment.author == "张三"


def test_defined_names_survive(book: Path) -> None:
    write(book, ("K2", "金额", "980.5", "990"))
    names = load_workbook(book).defined_names
    assert names["Amounts"].attr_text == f"'{SHEET}'!$C$3:$C$5"


@pytest.mark.corpus
def test_macros_survive_in_xlsm(tmp_path: Path) -> None:
    source = CORPUS / "vba.xlsm"
    if not source.exists():
        pytest.skip("the shared corpus is not here")
    path = tmp_path / "macros.xlsm"
    workbook = load_workbook(source, keep_vba=True)
    sheet = workbook.worksheets[0]
    sheet.delete_rows(1, sheet.max_row)
    sheet.append(["id", "amount"])
    sheet.append(["K1", 5])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        macros = archive.read("xl/vbaProject.bin")
    goal = Target("xlsx", str(path), sheet.title, "id")
    apply_file_changes(goal, [Change(goal, "K1", "amount", "5", "6")])
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/vbaProject.bin") == macros
    assert load_workbook(path, keep_vba=True).worksheets[0]["B2"].value == 6


# --- types ---------------------------------------------------------------------------


def test_numbers_stay_numbers(book: Path) -> None:
    write(book, ("K1", "金额", "1200", "1300"), ("K2", "金额", "980.5", "-12.25"))
    sheet = load_workbook(book)[SHEET]
    assert sheet["C3"].value == 1300 and sheet["C3"].data_type == "n"
    assert sheet["C4"].value == -12.25


def test_identifiers_stay_text_in_number_cells(book: Path) -> None:
    write(book, ("K1", "金额", "1200", "00123"), ("K2", "金额", "980.5", "123456789012345678"))
    sheet = load_workbook(book)[SHEET]
    assert sheet["C3"].value == "00123"
    assert sheet["C4"].value == "123456789012345678"


def test_dates_stay_dates(book: Path) -> None:
    write(book, ("K1", "日期", "2026-01-05", "2026/3/4"), ("K2", "日期", "2026-01-06", "不详"))
    sheet = load_workbook(book)[SHEET]
    assert sheet["D3"].value == dt.datetime(2026, 3, 4)
    assert sheet["D4"].value == "不详"


def test_text_stays_text(book: Path) -> None:
    write(book, ("K1", "备注", "ok", "1200"))
    assert load_workbook(book)[SHEET]["E3"].value == "1200"


def test_an_empty_cell_takes_its_columns_kind(book: Path) -> None:
    sheet_book = load_workbook(book)
    sheet_book[SHEET]["C4"].value = None
    sheet_book.save(book)
    write(book, ("K2", "金额", "", "77.5"), ("K3", "备注", "加急", ""))
    sheet = load_workbook(book)[SHEET]
    assert sheet["C4"].value == 77.5
    assert sheet["E5"].value is None


def test_booleans_stay_booleans(tmp_path: Path) -> None:
    path = tmp_path / "flags.xlsx"
    workbook = Workbook()
    workbook.active.append(["id", "active"])
    workbook.active.append(["A", True])
    workbook.save(path)
    goal = Target("xlsx", str(path), "Sheet", "id")
    apply_file_changes(goal, [Change(goal, "A", "active", "TRUE", "false")])
    assert load_workbook(path).active["B2"].value is False


def test_old_value_matches_however_it_is_written(book: Path) -> None:
    for old in ("1200", "1200.0", "1,200", " 1200 "):
        result = apply_file_changes(
            target(book), [Change(target(book), "K1", "金额", old, "1200")], dry_run=True
        )
        assert not result.stale, old


def test_the_importer_reads_back_what_was_written(book: Path) -> None:
    result = write(
        book, ("K2", "金额", "980.5", "1,000.25"), ("K3", "日期", "2026-01-07", "2026-1-9")
    )
    (table, *_) = read_tables(book, SHEET)
    assert table.frame["金额"].tolist()[:3] == ["1200", "1000.25", "15"]
    assert table.frame["日期"].tolist()[2] == "2026-01-09"
    assert [c.new for c in result.cells] == ["1000.25", "2026-01-09"]


# --- formulas as values --------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_like_text_is_stored_as_text(book: Path, text: str) -> None:
    write(book, ("K1", "备注", "ok", text))
    cell = load_workbook(book)[SHEET]["E3"]
    assert cell.value == text and cell.data_type == "s"
    with zipfile.ZipFile(book) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    element = re.search(r'<c r="E3"[^>]*>.*?</c>', xml)
    assert element is not None and "<f>" not in element[0]  # a string cell: shown, never run
    assert 't="inlineStr"' in element[0]


def test_a_formula_cell_is_not_overwritten(book: Path) -> None:
    before = book.read_bytes()
    with pytest.raises(InputError, match="formula"):
        write(book, ("K1", "双倍", "2400", "1"))
    assert book.read_bytes() == before


def test_a_merged_cell_is_not_overwritten(book: Path) -> None:
    sheet_book = load_workbook(book)
    sheet_book[SHEET]["E2"].value = "备注"
    sheet_book[SHEET].merge_cells("E4:E5")
    sheet_book.save(book)
    with pytest.raises(InputError, match="merged"):
        write(book, ("K2", "备注", "", "x"))


# --- finding the cell ----------------------------------------------------------------


def test_two_row_header_names_as_the_importer_does(xlsx) -> None:
    rows = [
        ["客户", "金额", None, "编号"],
        [None, "含税", "不含税", None],
        ["甲公司", 117, 100, "K1"],
    ]
    path = xlsx({"S": rows}, merged={"S": ["B1:C1", "A1:A2", "D1:D2"]})
    goal = Target("xlsx", str(path), "S", "编号", header_row=2)
    apply_file_changes(goal, [Change(goal, "K1", "金额/不含税", "100", "101")])
    assert load_workbook(path)["S"]["C3"].value == 101


def test_header_text_is_matched_without_surrounding_space(xlsx) -> None:
    path = xlsx({"S": [["  编号 ", "客户\u3000名称"], ["K1", "甲"]]})
    goal = Target("xlsx", str(path), "S", "编号")
    apply_file_changes(goal, [Change(goal, "K1", "客户 名称", "甲", "乙")])
    assert load_workbook(path)["S"]["B2"].value == "乙"


def test_the_row_hint_is_only_a_hint(book: Path) -> None:
    goal = target(book)
    change = Change(goal, "K3", "金额", "15", "16", row=3)  # the record moved to row 5
    result = apply_file_changes(goal, [change])
    assert result.cells[0].row == 5
    assert load_workbook(book)[SHEET]["C5"].value == 16


def test_a_key_shown_by_a_formula_is_found_by_its_result(tmp_path: Path) -> None:
    path = tmp_path / "keys.xlsx"
    workbook = Workbook()
    workbook.active.append(["id", "amount"])
    workbook.active.append(['="K"&1', 5])
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = re.sub(
        r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="str"><f>"K"&amp;1</f><v>K1</v></c>', sheet_xml
    )
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    goal = Target("xlsx", str(path), "Sheet", "id")
    apply_file_changes(goal, [Change(goal, "K1", "amount", "5", "6")])
    sheet = load_workbook(path).active
    assert sheet["B2"].value == 6 and sheet["A2"].value == '="K"&1'


def test_highlight_copy_marks_changed_cells(book: Path, tmp_path: Path) -> None:
    before = book.read_bytes()
    goal = target(book)
    out = highlight_copy(
        goal,
        [Change(goal, "K2", "金额", "980.5", "990", reason="ERP wins")],
        tmp_path / "review.xlsx",
    )
    assert book.read_bytes() == before
    cell = load_workbook(out)[SHEET]["C4"]
    assert cell.value == 990 and cell.fill.fgColor.rgb == "00FFFF00"
    assert (
        cell.comment is not None
        and "980.5" in cell.comment.text
        and "ERP wins" in cell.comment.text
    )


DRAWING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>
<xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
<xdr:to><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="Note"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>
<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>
<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>审核意见</a:t></a:r></a:p></xdr:txBody></xdr:sp>
<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"""


def add_text_box(path: Path) -> None:
    """Give the first sheet a text box, which openpyxl cannot carry."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(
        "<worksheet ",
        '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
        1,
    ).replace("</worksheet>", '<drawing r:id="rIdBox"/></worksheet>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rIdBox" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/>'
        b"</Relationships>"
    )
    parts["xl/drawings/drawing1.xml"] = DRAWING.encode()
    types = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
        )
    )
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_a_text_box_survives_because_only_the_cell_is_rewritten(xlsx) -> None:
    """openpyxl dropped drawings it does not model; a cell-by-cell edit keeps every part."""
    path = xlsx({"S": [["id", "amount"], ["K1", 5]]})
    add_text_box(path)
    goal = Target("xlsx", str(path), "S", "id")
    change = Change(goal, "K1", "amount", "5", "6")
    with zipfile.ZipFile(path) as archive:
        before = {name: archive.read(name) for name in archive.namelist()}
    apply_file_changes(goal, [change])
    assert load_workbook(path)["S"]["B2"].value == 6
    with zipfile.ZipFile(path) as archive:
        after = {name: archive.read(name) for name in archive.namelist()}
    assert list(after) == list(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"xl/worksheets/sheet1.xml"}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _without_cell(xml: str, coordinate: str) -> str:
    return re.sub(rf'<c r="{coordinate}"(?:[^>]*/>|[^>]*>.*?</c>)', "", xml, count=1, flags=re.S)


def test_formulas_keep_their_stored_results_and_excel_recalculates(book: Path) -> None:
    """A workbook saved by Excel stores each formula's result; other programs (pandas, an
    ERP's importer) read those. Writing one cell leaves every other cell's XML alone."""
    parts = _parts(book)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="F4"><f>C4*2</f><v /></c>', '<c r="F4"><f>C4*2</f><v>1961</v></c>')
    assert "<v>1961</v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    write(book, ("K1", "金额", "1200", "1250"))
    after = _parts(book)
    new_sheet = after["xl/worksheets/sheet1.xml"].decode()
    assert re.search(r'<c r="F4"[^>]*><f>C4\*2</f><v>1961</v></c>', new_sheet)
    assert _without_cell(new_sheet, "C3") == _without_cell(sheet, "C3")  # only the target
    assert 'fullCalcOnLoad="1"' in after["xl/workbook.xml"].decode()
    changed = {n for n in parts if parts[n] != after[n]}  # (openpyxl set the flag already)
    assert "xl/worksheets/sheet1.xml" in changed <= {"xl/worksheets/sheet1.xml", "xl/workbook.xml"}


@pytest.mark.corpus
def test_workbooks_written_by_other_programs_keep_every_other_part(tmp_path: Path) -> None:
    """Each workbook of the shared corpus (Excel, LibreOffice, WPS, Google Sheets and
    library-made): one cell written, or refused with one message — when written, every
    part but the edited sheet (and workbook.xml's recalculation flag) is byte-identical,
    and the sheet differs only in that cell."""
    import shutil

    from app.decide.session import target_of
    from app.sources import read_tables
    from app.writeback.xlsx_parts import with_references

    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    written = 0
    for source in sorted(CORPUS.iterdir()):
        if source.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        path = tmp_path / source.name
        shutil.copy(source, path)
        try:
            tables = [t for t in read_tables(path) if not isinstance(t, InputError)]
        except InputError:
            continue
        table = next((t for t in tables if len(t.columns) > 1 and len(t)), None)
        if table is None:
            continue
        key = table.columns[0].name
        keys = table.frame[key].astype(str)
        unique = keys[~keys.duplicated(keep=False) & (keys.str.strip() != "")]
        if unique.empty:
            continue
        row, column = unique.index[0], table.columns[1].name
        goal = target_of(table, key)
        change = Change(goal, keys[row], column, str(table.frame.at[row, column]), "Concord 写入")
        before = _parts(path)
        try:
            result = apply_file_changes(goal, [change])
        except InputError as error:
            assert "\n" not in str(error) and path.read_bytes() == b"".join([source.read_bytes()])
            continue
        after = _parts(path)
        assert list(after) == list(before), source.name
        changed = {n for n in before if before[n] != after[n]}
        named = {n.replace("\\", "/"): n for n in changed}  # some writers use backslashes
        sheets = [n for n in named if not n.endswith("workbook.xml")]  # the one sheet
        assert len(sheets) == 1 and sheets[0].endswith(".xml"), (source.name, changed)
        cell = f"{result.cells[0].column}{result.cells[0].row}"
        old, new = before[named[sheets[0]]].decode(), after[named[sheets[0]]].decode()
        # A sheet whose cells lack their optional r="A1" (never one Excel saved) gets
        # them: the only other difference allowed.
        old = with_references(old)
        assert _without_cell(new, cell) == _without_cell(old, cell), source.name
        written += 1
    assert written >= 20


def test_cells_go_in_where_a_spreadsheet_expects_them() -> None:
    from app.writeback.xlsx_parts import put_cell, recalculate_on_load

    sheet = '<sheetData><row r="2"><c r="A2"/><c r="C2"/></row><row r="4"/></sheetData>'
    assert put_cell(sheet, "B2", '<c r="B2"/>') == (
        '<sheetData><row r="2"><c r="A2"/><c r="B2"/><c r="C2"/></row><row r="4"/></sheetData>'
    )
    assert '</row><row r="3"><c r="A3"/></row><row r="4"/>' in put_cell(sheet, "A3", '<c r="A3"/>')
    assert '<row r="4"><c r="B4"/></row>' in put_cell(sheet, "B4", '<c r="B4"/>')
    assert put_cell(sheet, "A9", '<c r="A9"/>').endswith('<row r="9"><c r="A9"/></row></sheetData>')
    assert put_cell("<sheetData/>", "A1", '<c r="A1"/>') == (
        '<sheetData><row r="1"><c r="A1"/></row></sheetData>'
    )
    prefixed = (
        '<x:sheetData><x:row r="1"><x:c r="A1" s="3"><x:v>1</x:v></x:c></x:row></x:sheetData>'
    )
    assert put_cell(prefixed, "A1", '<c r="A1" s="3"><v>2</v></c>') == prefixed.replace(
        ">1<", ">2<"
    )
    assert 'fullCalcOnLoad="1"' in recalculate_on_load('<workbook><calcPr calcId="1"/></workbook>')
    assert recalculate_on_load("<workbook></workbook>") == (
        '<workbook><calcPr fullCalcOnLoad="1"/></workbook>'
    )


def test_cells_excel_manages_as_a_whole_are_refused_by_name(tmp_path: Path) -> None:
    """An array formula's range and an Excel table's header are not cells to overwrite;
    the refusal says which, in words (never an openpyxl object's repr)."""
    from openpyxl.worksheet.formula import ArrayFormula
    from openpyxl.worksheet.table import Table

    path = tmp_path / "managed.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "S"
    sheet.append(["id", "amount", "total"])
    sheet.append(["K1", 5, None])
    sheet.append(["K2", 7, None])
    sheet["C2"] = ArrayFormula("C2:C3", "=B2:B3*2")
    sheet.add_table(Table(displayName="Orders", ref="A1:C3"))
    workbook.save(path)
    goal = Target("xlsx", str(path), "S", "id", 1, file_sha256(path))
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        apply_file_changes(goal, [Change(goal, "K2", "total", "", "1")])
    assert "array formula" in str(caught.value) and "object at 0x" not in str(caught.value)
    assert path.read_bytes() == before
    assert apply_file_changes(goal, [Change(goal, "K1", "amount", "5", "6")]).cells  # data: fine


def test_packages_laid_out_by_other_writers_are_edited_in_place(xlsx) -> None:
    """Part names with backslashes (some Windows exporters) and cells without their
    optional r="A1": the cell is still found and only it changes."""
    path = xlsx({"S": [["id", "amount"], ["K1", 5], ["K2", 7]]})
    parts = _parts(path)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'(<c) r="[A-Z]+\d+"', r"\1", sheet)  # positions implied by order
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name.replace("/", "\\") if name.startswith("xl/") else name, data)
    goal = Target("xlsx", str(path), "S", "id", 1, file_sha256(path))
    apply_file_changes(goal, [Change(goal, "K2", "amount", "7", "8")])
    after = _parts(path)
    assert list(after) == [n.replace("/", "\\") if n.startswith("xl/") else n for n in parts]
    new_sheet = after["xl\\worksheets\\sheet1.xml"].decode()
    assert re.search(r'<c r="B3"[^>]*><v>8</v></c>', new_sheet)
    changed = {n for n in after if after[n] != _parts_by_name(parts, n)}
    assert changed == {"xl\\worksheets\\sheet1.xml"}


def _parts_by_name(parts: dict[str, bytes], name: str) -> bytes:
    return parts[name.replace("\\", "/")]


def test_many_missing_cells_go_in_at_once_where_one_by_one_would_put_them() -> None:
    """Filling an empty column makes a cell in every row: in one pass over the sheet,
    placed exactly as cell-by-cell insertion places them."""
    from app.writeback.xlsx_parts import put_cell, put_cells

    sheet = (
        '<sheetData><row r="2"><c r="A2"/><c r="C2"/></row><row r="4"/>'
        '<row r="6"><c r="B6"/></row></sheetData>'
    )
    wanted = ["B2", "D2", "A3", "A4", "C4", "A6", "C6", "A9", "B9"]
    together = put_cells(sheet, lambda at, _style: f'<c r="{at}"/>', {}, set(wanted))
    one_by_one = sheet
    for at in wanted:
        one_by_one = put_cell(one_by_one, at, f'<c r="{at}"/>')
    assert together == one_by_one
    assert '<row r="2"><c r="A2"/><c r="B2"/><c r="C2"/><c r="D2"/></row>' in together
    assert '</row><row r="3"><c r="A3"/></row><row r="4"><c r="A4"/><c r="C4"/></row>' in together
    assert together.endswith('<row r="9"><c r="A9"/><c r="B9"/></row></sheetData>')
