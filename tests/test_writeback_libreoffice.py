"""Workbooks saved by LibreOffice: writing one cell leaves every other part alone.

The fixtures in tests/fixtures/libreoffice/ were made and saved by LibreOffice Calc
(scripts/make_libreoffice_workbooks.py rebuilds them), so they are laid out the way
LibreOffice lays a package out -- its attribute order, shared strings, ``aca`` formula
flags, chart, drawing, pivot cache and VBA parts -- not the way openpyxl would. Each
test writes into a copy; LibreOffice is not needed to run them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.decide.changes import Change, Target
from app.decide.session import target_of
from app.errors import InputError
from app.sources import Table, read_tables
from app.writeback.preview import apply_file_changes

FIXTURES = Path(__file__).parent / "fixtures" / "libreoffice"
ORDERS = "订单"
KEY = "单据编号"
# What each workbook holds beyond the order table, as parts or markup in its package.
FEATURES = {
    "chart_image_comments.xlsx": ("chart", "image", "comments", "formulas"),
    "pivot_names.xlsx": ("pivot", "names", "formulas"),
    "rules.xlsx": ("conditional", "validation", "names", "comments", "formulas"),
    "macros.xlsm": ("vba", "chart", "comments", "formulas"),
    "everything.xlsm": (
        "chart",
        "image",
        "comments",
        "conditional",
        "validation",
        "names",
        "pivot",
        "vba",
        "formulas",
    ),
}
WORKBOOKS = sorted(FEATURES)
PIVOTED = [name for name, features in FEATURES.items() if "pivot" in features]
# Parts a one-cell write may touch; the sheet itself is compared cell by cell.
MAY_CHANGE = {"xl/sharedStrings.xml", "xl/workbook.xml", "[Content_Types].xml"}
# (column, record, new value, what openpyxl reads back, what the importer shows)
EDITS = {
    "number": ("价税合计", "SO0000004", "12345.67", 12345.67, "12345.67"),
    "text": ("审核状态", "SO0000009", "待复核", "待复核", "待复核"),
    "date": ("单据日期", "SO0000020", "2026-03-15", dt.datetime(2026, 3, 15), "2026-03-15"),
}


# --- reading packages ----------------------------------------------------------------


def parts(path: Path) -> dict[str, bytes]:
    """Every part of the package, in the order the zip holds them."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def cell_pattern(coordinate: str) -> re.Pattern[str]:
    """The ``<c>`` element of ``coordinate``, whatever the order of its attributes
    (``<c r="C5" s="3" t="n">``, ``<c s="3" r="C5">``), empty (``<c r="C5"/>``) or not,
    with or without a namespace prefix."""
    return re.compile(
        rf'<(?P<p>\w+:)?c\b(?=[^>]*?\sr="{coordinate}")[^>]*?(?:/>|>.*?</(?P=p)?c>)', re.S
    )


def cell_element(xml: str, coordinate: str) -> str:
    found = [match.group(0) for match in cell_pattern(coordinate).finditer(xml)]
    assert len(found) == 1, f"{coordinate} appears {len(found)} times"
    return found[0]


def without_cell(xml: str, coordinate: str) -> str:
    """The sheet XML with the one element of ``coordinate`` taken out."""
    text, count = cell_pattern(coordinate).subn("", xml)
    assert count == 1, f"{coordinate} appears {count} times"
    return text


def attributes(element: str) -> dict[str, str]:
    head = re.match(r"<(?:\w+:)?c\b([^>]*?)/?>", element)
    assert head is not None
    return dict(re.findall(r'(\w+)="([^"]*)"', head.group(1)))


def formulas(package: dict[str, bytes]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Each formula cell of every worksheet: (part, cell) -> (formula, stored result)."""
    found = {}
    for name, data in package.items():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        for cell in re.finditer(r"<c\b[^>]*?(?:/>|>.*?</c>)", data.decode(), re.S):
            formula = re.search(r"<f\b[^>]*>(.*?)</f>", cell.group(0), re.S)
            if formula is None:
                continue
            coordinate = attributes(cell.group(0))["r"]
            stored = re.search(r"<v>(.*?)</v>", cell.group(0), re.S)
            found[name, coordinate] = (formula.group(1), stored.group(1) if stored else None)
    return found


def calc_settings_removed(workbook: bytes) -> str:
    return re.sub(r"<calcPr\b[^>]*/>", "", workbook.decode())


# --- importing and writing -----------------------------------------------------------


def copy(name: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    return path


def table(path: Path, sheet: str = ORDERS) -> Table:
    found = [t for t in read_tables(path) if isinstance(t, Table) and t.sheet == sheet]
    assert len(found) == 1, f"{path.name} has no table on {sheet!r}"
    return found[0]


def shown(imported: Table, key_column: str, key: str, column: str) -> str:
    frame = imported.frame
    rows = frame.index[frame[key_column] == key]
    assert len(rows) == 1, f"{key} is not one record"
    return str(frame.at[rows[0], column])


def change(path: Path, key: str, column: str, new: str, *, sheet: str = ORDERS, key_column=KEY):
    """The Target and Change the review screen would make for this edit."""
    imported = table(path, sheet)
    goal: Target = target_of(imported, key_column)
    return goal, Change(goal, key, column, shown(imported, key_column, key, column), new)


# --- the fixtures themselves -----------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_the_fixtures_hold_what_they_are_for(name: str) -> None:
    """Guards the fixtures: each was saved by LibreOffice and carries its features."""
    package = parts(FIXTURES / name)
    assert (FIXTURES / name).stat().st_size < 200_000
    names = list(package)
    orders = package["xl/worksheets/sheet1.xml"].decode()
    assert "LibreOffice" in package["docProps/app.xml"].decode()
    checks = {
        "chart": any(n.startswith("xl/charts/chart") for n in names),
        "image": any(n.startswith("xl/media/") for n in names),
        "comments": any(n.startswith("xl/comments") for n in names),
        "pivot": any(n.startswith("xl/pivotTables/") for n in names)
        and any(n.startswith("xl/pivotCache/pivotCacheRecords") for n in names),
        "conditional": "<conditionalFormatting " in orders,
        "validation": "<dataValidation " in orders,
        "names": "<definedName " in package["xl/workbook.xml"].decode(),
        "vba": "xl/vbaProject.bin" in names,
        "formulas": bool(formulas(package))
        and all(stored is not None for _, stored in formulas(package).values()),
    }
    assert [f for f in FEATURES[name] if not checks[f]] == []
    assert re.search(r'<c r="C2" s="\d+" t="n"><v>', orders)  # LibreOffice's own layout


def test_the_cell_helper_ignores_attribute_order() -> None:
    sheet = (
        '<row r="5"><c r="B5" t="s"><v>1</v></c><c s="3" r="C5" t="n"><v>9</v></c>'
        '<c r="C50" s="3"/><x:c r="D5"/></row>'
    )
    assert cell_element(sheet, "C5") == '<c s="3" r="C5" t="n"><v>9</v></c>'
    assert cell_element(sheet, "C50") == '<c r="C50" s="3"/>'
    assert cell_element(sheet, "D5") == '<x:c r="D5"/>'
    assert without_cell(sheet, "C5") == (
        '<row r="5"><c r="B5" t="s"><v>1</v></c><c r="C50" s="3"/><x:c r="D5"/></row>'
    )
    assert attributes('<c r="C5" s="3" t="n">') == {"r": "C5", "s": "3", "t": "n"}


# --- one cell written ----------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(EDITS))
@pytest.mark.parametrize("name", WORKBOOKS)
def test_one_cell_written_leaves_every_other_part_alone(
    name: str, kind: str, tmp_path: Path
) -> None:
    column, key, new, read_back, imported_text = EDITS[kind]
    path = copy(name, tmp_path)
    goal, edit = change(path, key, column, new)
    before = parts(path)

    result = apply_file_changes(goal, [edit])

    after = parts(path)
    assert list(after) == list(before)  # the same parts, in the same order
    changed = {part for part in before if before[part] != after[part]}
    sheet = "xl/worksheets/sheet1.xml"
    assert sheet in changed and changed - {sheet} <= MAY_CHANGE, changed
    # workbook.xml: at most the request to recalculate on load
    assert calc_settings_removed(after["xl/workbook.xml"]) == calc_settings_removed(
        before["xl/workbook.xml"]
    )
    assert len(result.cells) == 1
    at = f"{result.cells[0].column}{result.cells[0].row}"
    old_xml, new_xml = before[sheet].decode(), after[sheet].decode()
    assert without_cell(new_xml, at) == without_cell(old_xml, at)  # nothing but the cell
    old_cell, new_cell = (
        attributes(cell_element(old_xml, at)),
        attributes(cell_element(new_xml, at)),
    )
    assert new_cell.get("s") == old_cell.get("s")  # the cell's style (its number format)
    if kind != "text":  # numbers and dates stay numbers, in the same style
        assert new_cell.get("t", "n") == "n"
        assert re.search(r"<v>-?[\d.]+(?:E[-+]?\d+)?</v>", cell_element(new_xml, at))
    assert formulas(before) and formulas(after) == formulas(before)  # stored results kept

    workbook = load_workbook(path, keep_vba=name.endswith(".xlsm"))
    value = workbook[ORDERS][at].value
    assert value == read_back and type(value) is type(read_back)
    assert shown(table(path), KEY, key, column) == imported_text


@pytest.mark.parametrize("name", [n for n in WORKBOOKS if n.endswith(".xlsm")])
def test_the_vba_project_is_kept_byte_for_byte(name: str, tmp_path: Path) -> None:
    path = copy(name, tmp_path)
    project = parts(path)["xl/vbaProject.bin"]
    goal, edit = change(path, "SO0000002", "价税合计", "100")
    apply_file_changes(goal, [edit])
    assert parts(path)["xl/vbaProject.bin"] == project
    assert load_workbook(path, keep_vba=True).vba_archive is not None


# --- cells that are not the user's to overwrite --------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_formula_cell_is_refused_and_the_file_untouched(name: str, tmp_path: Path) -> None:
    path = copy(name, tmp_path)
    goal, edit = change(path, "SO0000003", "双倍金额", "1")
    before = path.read_bytes()
    with pytest.raises(InputError, match="formula"):
        apply_file_changes(goal, [edit])
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_summary_formula_with_a_text_result_is_refused(name: str, tmp_path: Path) -> None:
    path = copy(name, tmp_path)
    goal, edit = change(path, "最大客户", "数值", "某公司", sheet="汇总", key_column="项目")
    before = path.read_bytes()
    with pytest.raises(InputError, match="formula"):
        apply_file_changes(goal, [edit])
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", PIVOTED)
def test_a_pivot_table_cell_is_refused_and_the_file_untouched(name: str, tmp_path: Path) -> None:
    path = copy(name, tmp_path)
    goal, edit = change(
        path, "北京华信科技有限公司", "Sum - 价税合计", "1", sheet="透视", key_column="客户名称"
    )
    before = path.read_bytes()
    with pytest.raises(InputError, match="pivot table") as caught:
        apply_file_changes(goal, [edit])
    assert "按客户汇总" in str(caught.value)
    assert path.read_bytes() == before
