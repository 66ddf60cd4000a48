"""Build the workbooks in tests/fixtures/libreoffice/, each one saved by LibreOffice.

The write-back tests (tests/test_writeback_libreoffice.py) check that writing one cell
into a workbook another program saved leaves every other part of it alone. openpyxl
cannot make such a workbook: whatever it saves is laid out the way openpyxl lays it out.
So this script drives LibreOffice Calc through its own API (Python-UNO): it builds each
workbook in a headless LibreOffice -- an order table, formulas, and the features listed
in WORKBOOKS below (charts, a pivot table, an image, comments, conditional formats, data
validation, named ranges, a VBA project) -- and has LibreOffice save it as .xlsx/.xlsm.
Every package is then checked for the parts those features must leave in it.

It needs LibreOffice and a Python that has LibreOffice's ``uno`` module; on Debian:

    apt-get install libreoffice-calc python3-uno
    python3 scripts/make_libreoffice_workbooks.py

The cells are the same on every run. What LibreOffice makes up as it saves differs
from run to run: the save time in docProps/core.xml, the ids of chart axes and the
random bytes of the VBA project's protection fields.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "libreoffice"
SHEET = "订单"
HEADER = ("单据编号", "客户名称", "价税合计", "单据日期", "审核状态", "双倍金额")
CUSTOMERS = (
    "北京华信科技有限公司",
    "上海鼎盛贸易有限公司",
    "深圳远航物流有限公司",
    "广州恒通电子有限公司",
    "杭州青禾食品有限公司",
    "成都蜀山机械有限公司",
    "武汉长江建材有限公司",
)
STATUSES = ("已审核", "待审核", "已审核", "已驳回", "已审核")
FIRST_DAY = dt.date(2026, 1, 5)
EXCEL_EPOCH = dt.date(1899, 12, 30)
MONEY = "#,##0.00"
DATE = "YYYY-MM-DD"
XLSX_FILTER = "Calc MS Excel 2007 XML"
XLSM_FILTER = "Calc MS Excel 2007 VBA XML"  # writes the Basic modules as xl/vbaProject.bin
# LibreOffice writes VBA source in code page 1252, as Excel does for a Western project,
# so the module keeps to ASCII and spells the status with ChrW.
VBA_MODULE = """Option VBASupport 1
Option Explicit

' Totals the amounts of the approved orders on the first sheet.
Function ApprovedTotal() As Double
    Dim approved As String, row As Long, total As Double
    approved = ChrW(&H5DF2) & ChrW(&H5BA1) & ChrW(&H6838)
    With ThisWorkbook.Worksheets(1)
        For row = 2 To .UsedRange.Rows.Count
            If .Cells(row, 5).Value = approved Then total = total + .Cells(row, 3).Value
        Next row
    End With
    ApprovedTotal = total
End Function

Sub ShowApprovedTotal()
    MsgBox "Approved total: " & Format(ApprovedTotal(), "#,##0.00")
End Sub
"""


# --- the order table ---------------------------------------------------------------


def order_rows(count: int) -> list[tuple[str, str, float, int, str]]:
    """``count`` orders: key, customer, amount, date (a spreadsheet serial) and status;
    the same on every run."""
    rows = []
    for index in range(count):
        amount = round(((index * 7919) % 9000 + 150) * 1.13 + (index % 4) * 0.25, 2)
        day = FIRST_DAY + dt.timedelta(days=index * 3 % 61)
        rows.append(
            (
                f"SO{index + 1:07d}",
                CUSTOMERS[index % len(CUSTOMERS)],
                amount,
                (day - EXCEL_EPOCH).days,
                STATUSES[index % len(STATUSES)],
            )
        )
    return rows


def tiny_png(size: int = 24) -> bytes:
    """A small PNG (a blue square with a white diagonal), made here so the script needs
    no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    lines = b"".join(
        b"\x00"
        + b"".join(b"\xff\xff\xff" if abs(x - y) < 2 else b"\x1f\x4e\x9a" for x in range(size))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(lines, 9))
        + chunk(b"IEND", b"")
    )


# --- talking to LibreOffice ----------------------------------------------------------


class Office:
    """A headless LibreOffice with a profile of its own, driven through Python-UNO."""

    def __init__(self, soffice: str, work: Path) -> None:
        import uno  # LibreOffice's bridge; see the module docstring

        self.uno = uno
        self.work = work
        pipe = f"concord_{uuid.uuid4().hex}"
        profile = (work / "profile").as_uri()
        self.process = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={profile}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                self.context = resolver.resolve(
                    f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
                )
                break
            except Exception:  # NoConnectException until soffice listens
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise SystemExit("LibreOffice did not start (is soffice installed?)") from None
                time.sleep(0.5)
        self.desktop = self.service("com.sun.star.frame.Desktop")

    def service(self, name: str):
        return self.context.ServiceManager.createInstanceWithContext(name, self.context)

    def close(self) -> None:
        desktop = getattr(self, "desktop", None)
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops as soffice exits
                desktop.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # UNO values

    def props(self, **values: object) -> tuple:
        found = []
        for name, value in values.items():
            prop = self.uno.createUnoStruct("com.sun.star.beans.PropertyValue")
            prop.Name, prop.Value = name, value
            found.append(prop)
        return tuple(found)

    def enum(self, kind: str, value: str):
        return self.uno.Enum(f"com.sun.star.{kind}", value)

    def struct(self, kind: str, **fields: object):
        value = self.uno.createUnoStruct(f"com.sun.star.{kind}")
        for name, field in fields.items():
            setattr(value, name, field)
        return value

    def cell(self, sheet: int, column: int, row: int):
        return self.struct("table.CellAddress", Sheet=sheet, Column=column, Row=row)

    def area(self, sheet: int, first_col: int, first_row: int, last_col: int, last_row: int):
        return self.struct(
            "table.CellRangeAddress",
            Sheet=sheet,
            StartColumn=first_col,
            StartRow=first_row,
            EndColumn=last_col,
            EndRow=last_row,
        )

    def new_workbook(self):
        return self.desktop.loadComponentFromURL(
            "private:factory/scalc", "_blank", 0, self.props(Hidden=True)
        )

    def save(self, doc, path: Path) -> None:
        when = self.struct("util.DateTime", Year=2026, Month=1, Day=5, Hours=9)
        properties = doc.DocumentProperties
        properties.CreationDate = when  # LibreOffice stamps the save time as modified
        kind = XLSM_FILTER if path.suffix == ".xlsm" else XLSX_FILTER
        path.unlink(missing_ok=True)
        doc.storeToURL(path.resolve().as_uri(), self.props(FilterName=kind, Overwrite=True))


# --- building a workbook -------------------------------------------------------------


@dataclass
class Book:
    """One workbook being built: the document and what has been put in it."""

    office: Office
    doc: object
    rows: int  # data rows of the order table

    @property
    def orders(self):
        return self.doc.Sheets.getByIndex(0)

    @property
    def last_row(self) -> int:
        """The 1-based row of the last order."""
        return self.rows + 1

    def number_format(self, code: str) -> int:
        formats = self.doc.NumberFormats
        locale = self.office.struct("lang.Locale", Language="en", Country="US")
        key = formats.queryKey(code, locale, False)
        return key if key != -1 else formats.addNew(code, locale)

    def add_sheet(self, name: str):
        sheets = self.doc.Sheets
        sheets.insertNewByName(name, sheets.Count)
        return sheets.getByName(name)


def order_table(office: Office, rows: int) -> Book:
    """A new workbook whose first sheet holds ``rows`` orders and a formula column."""
    book = Book(office, office.new_workbook(), rows)
    sheet = book.orders
    sheet.Name = SHEET
    data = order_rows(rows)
    sheet.getCellRangeByName(f"A1:F{book.last_row}").setDataArray(
        (HEADER, *((*row, 0.0) for row in data))
    )
    for line in range(2, book.last_row + 1):
        sheet.getCellRangeByName(f"F{line}").setFormula(f"=C{line}*2")
    header = sheet.getCellRangeByName("A1:F1")
    header.CharWeight = 150.0  # bold
    header.CellBackColor = 0xDDEBF7
    sheet.getCellRangeByName(f"C2:C{book.last_row}").NumberFormat = book.number_format(MONEY)
    sheet.getCellRangeByName(f"F2:F{book.last_row}").NumberFormat = book.number_format(MONEY)
    sheet.getCellRangeByName(f"D2:D{book.last_row}").NumberFormat = book.number_format(DATE)
    for column, width in enumerate((2800, 6200, 3000, 2800, 2200, 3000)):
        sheet.Columns.getByIndex(column).Width = width  # 1/100 mm
    return book


def summary_sheet(book: Book) -> None:
    """A second sheet of formulas over the orders: numbers, a count and a text result."""
    sheet = book.add_sheet("汇总")
    last = book.last_row
    cells = {
        "A1": "项目",
        "B1": "数值",
        "A2": "合计",
        "B2": f"=SUM(${SHEET}.C2:C{last})",
        "A3": "已审核笔数",
        "B3": f'=COUNTIF(${SHEET}.E2:E{last};"已审核")',
        "A4": "最大客户",
        "B4": f"=INDEX(${SHEET}.B2:B{last};MATCH(MAX(${SHEET}.C2:C{last});${SHEET}.C2:C{last};0))",
        "A5": "首单日期",
        "B5": f"=MIN(${SHEET}.D2:D{last})",
    }
    for at, text in cells.items():
        target = sheet.getCellRangeByName(at)
        if text.startswith("="):
            target.setFormula(text)
        else:
            target.setString(text)
    sheet.getCellRangeByName("A1:B1").CharWeight = 150.0  # bold
    sheet.getCellRangeByName("B2").NumberFormat = book.number_format(MONEY)
    sheet.getCellRangeByName("B5").NumberFormat = book.number_format(DATE)


def add_chart(book: Book, name: str, at_x: int) -> None:
    """A column chart of the first ten orders' amounts, beside the table."""
    office = book.office
    rectangle = office.struct("awt.Rectangle", X=at_x, Y=500, Width=12000, Height=7000)
    ranges = (office.area(0, 0, 0, 0, 10), office.area(0, 2, 0, 2, 10))
    book.orders.Charts.addNewByName(name, rectangle, ranges, True, True)


def add_image(book: Book, at_x: int) -> None:
    """A small PNG placed on the order sheet."""
    office = book.office
    image = office.work / "logo.png"
    image.write_bytes(tiny_png())
    graphic = office.service("com.sun.star.graphic.GraphicProvider").queryGraphic(
        office.props(URL=image.as_uri())
    )
    shape = book.doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
    shape.Graphic = graphic
    book.orders.DrawPage.add(shape)
    shape.Name = "公司标志"
    shape.setSize(office.struct("awt.Size", Width=1500, Height=1500))
    shape.setPosition(office.struct("awt.Point", X=at_x, Y=8000))


def add_comments(book: Book, cells: dict[str, str]) -> None:
    """Comments (LibreOffice's annotations) on the order sheet."""
    notes = book.orders.Annotations
    for at, text in cells.items():
        address = book.orders.getCellRangeByName(at).CellAddress
        notes.insertNew(address, text)


def add_conditional_formats(book: Book) -> None:
    """Large amounts and rejected orders highlighted."""
    office = book.office
    last = book.last_row
    rules = (
        (f"C2:C{last}", "GREATER", "5000", "Accent 3"),
        (f"E2:E{last}", "EQUAL", '"已驳回"', "Bad"),
        (f"F2:F{last}", "BETWEEN", "1000", "Good"),
    )
    for ref, operator, formula, style in rules:
        cells = book.orders.getCellRangeByName(ref)
        entries = cells.ConditionalFormat
        condition = {"Operator": office.enum("sheet.ConditionOperator", operator)}
        condition |= {"Formula1": formula, "StyleName": style}
        if operator == "BETWEEN":
            condition["Formula2"] = "3000"
        entries.addNew(office.props(**condition))
        cells.ConditionalFormat = entries


def add_validation(book: Book) -> None:
    """A list of statuses to pick from, and amounts that must not be negative."""
    office = book.office
    last = book.last_row
    statuses = book.orders.getCellRangeByName(f"E2:E{last}")
    rule = statuses.Validation
    rule.Type = office.enum("sheet.ValidationType", "LIST")
    rule.setFormula1('"待审核";"已审核";"已驳回"')
    rule.ShowErrorMessage = True
    rule.ErrorTitle = "审核状态"
    rule.ErrorMessage = "请选择列表中的状态"
    statuses.Validation = rule
    amounts = book.orders.getCellRangeByName(f"C2:C{last}")
    rule = amounts.Validation
    rule.Type = office.enum("sheet.ValidationType", "DECIMAL")
    rule.setOperator(office.enum("sheet.ConditionOperator", "GREATER_EQUAL"))
    rule.setFormula1("0")
    rule.ShowInputMessage = True
    rule.InputTitle = "价税合计"
    rule.InputMessage = "含税金额，不可为负"
    amounts.Validation = rule


def add_names(book: Book) -> None:
    """Workbook-level names: the amount column, the order table and a tax rate, and a
    formula using them."""
    names = book.doc.NamedRanges
    origin = book.office.cell(0, 0, 0)
    last = book.last_row
    names.addNewByName("订单金额", f"${SHEET}.$C$2:$C${last}", origin, 0)
    names.addNewByName("Orders", f"${SHEET}.$A$1:$F${last}", origin, 0)
    names.addNewByName("TaxRate", "0.13", origin, 0)
    sheet = book.doc.Sheets.getByName("汇总")
    sheet.getCellRangeByName("A6").setString("不含税合计")
    sheet.getCellRangeByName("B6").setFormula("=ROUND(SUM(订单金额)/(1+TaxRate);2)")
    sheet.getCellRangeByName("B6").NumberFormat = book.number_format(MONEY)


def add_pivot(book: Book) -> None:
    """A pivot table (LibreOffice's DataPilot) on a sheet of its own: amounts summed by
    customer."""
    office = book.office
    sheet = book.add_sheet("透视")
    index = book.doc.Sheets.Count - 1
    tables = sheet.DataPilotTables
    descriptor = tables.createDataPilotDescriptor()
    descriptor.SourceRange = office.area(0, 0, 0, 5, book.last_row - 1)
    fields = descriptor.DataPilotFields
    customer = fields.getByIndex(1)
    customer.Orientation = office.enum("sheet.DataPilotFieldOrientation", "ROW")
    amount = fields.getByIndex(2)
    amount.Orientation = office.enum("sheet.DataPilotFieldOrientation", "DATA")
    amount.Function = office.enum("sheet.GeneralFunction", "SUM")
    tables.insertNewByName("按客户汇总", office.cell(index, 0, 0), descriptor)


def add_vba(book: Book) -> None:
    """A VBA module. LibreOffice writes xl/vbaProject.bin from the document's Basic
    library when the library container is in VBA compatibility mode."""
    libraries = book.doc.BasicLibraries
    libraries.VBACompatibilityMode = True
    libraries.ProjectName = "VBAProject"
    if not libraries.hasByName("VBAProject"):
        libraries.createLibrary("VBAProject")
    library = libraries.getByName("VBAProject")
    info = book.office.struct("script.ModuleInfo")
    info.ModuleType = 1  # com.sun.star.script.ModuleType.NORMAL: a standard module
    library.insertModuleInfo("OrderTools", info)
    library.insertByName("OrderTools", VBA_MODULE)


# --- the workbooks -------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    name: str
    rows: int
    build: Callable[[Book], None]
    expect: tuple[str, ...]  # features check() looks for in the saved package


def _chart_image_comments(book: Book) -> None:
    summary_sheet(book)
    add_chart(book, "金额图", 19000)
    add_image(book, 19000)
    add_comments(book, {"B3": "大客户，月结 60 天", "C5": "含运费", "E6": "财务复核中"})


def _pivot_names(book: Book) -> None:
    summary_sheet(book)
    add_names(book)
    add_pivot(book)


def _rules(book: Book) -> None:
    summary_sheet(book)
    add_conditional_formats(book)
    add_validation(book)
    add_names(book)
    add_comments(book, {"A2": "首单"})


def _macros(book: Book) -> None:
    summary_sheet(book)
    add_vba(book)
    add_chart(book, "金额图", 19000)
    add_comments(book, {"B4": "催款"})


def _everything(book: Book) -> None:
    summary_sheet(book)
    add_chart(book, "金额图", 19000)
    add_image(book, 32000)
    add_comments(book, {"B3": "大客户", "E10": "等待合同"})
    add_conditional_formats(book)
    add_validation(book)
    add_names(book)
    add_pivot(book)
    add_vba(book)


WORKBOOKS = (
    Spec("chart_image_comments.xlsx", 30, _chart_image_comments, ("chart", "image", "comments")),
    Spec("pivot_names.xlsx", 42, _pivot_names, ("pivot", "names")),
    Spec("rules.xlsx", 24, _rules, ("conditional", "validation", "names", "comments")),
    Spec("macros.xlsm", 36, _macros, ("vba", "chart", "comments")),
    Spec(
        "everything.xlsm",
        48,
        _everything,
        (
            "chart",
            "image",
            "comments",
            "conditional",
            "validation",
            "names",
            "pivot",
            "vba",
        ),
    ),
)


# --- checking what LibreOffice wrote -------------------------------------------------


def check(path: Path, expect: tuple[str, ...]) -> list[str]:
    """What is missing from the saved package: each expected feature's part, and a
    stored result for every formula."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        sheets = {n: package.read(n).decode() for n in names if n.startswith("xl/worksheets/s")}
        book = package.read("xl/workbook.xml").decode()
    first = sheets.get("xl/worksheets/sheet1.xml", "")
    tests = {
        "chart": any(n.startswith("xl/charts/chart") for n in names),
        "image": any(n.startswith("xl/media/") for n in names),
        "comments": any(n.startswith("xl/comments") for n in names),
        "pivot": any(n.startswith("xl/pivotTables/") for n in names)
        and any(n.startswith("xl/pivotCache/") for n in names),
        "conditional": "<conditionalFormatting" in first,
        "validation": "<dataValidation " in first,
        "names": "<definedName " in book,
        "vba": "xl/vbaProject.bin" in names,
    }
    missing = [feature for feature in expect if not tests[feature]]
    formulas = sum(len(re.findall(r"<f[\s>/]", text)) for text in sheets.values())
    results = sum(len(re.findall(r"</f><v>[^<]+</v>", text)) for text in sheets.values())
    if not formulas or formulas != results:
        missing.append(f"stored results ({results} of {formulas} formulas)")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soffice", default="soffice", help="the LibreOffice program")
    parser.add_argument("--out", type=Path, default=OUT, help="where the workbooks go")
    options = parser.parse_args()
    try:
        import uno  # noqa: F401  (only to fail early with a helpful message)
    except ImportError:
        print(
            "this script needs LibreOffice's Python bridge (the 'uno' module): run it with "
            "the Python that has it, e.g. python3 on Debian after "
            "'apt-get install python3-uno'",
            file=sys.stderr,
        )
        return 2
    if shutil.which(options.soffice) is None:
        print(f"{options.soffice} not found: install LibreOffice", file=sys.stderr)
        return 2
    options.out.mkdir(parents=True, exist_ok=True)
    problems = []
    with tempfile.TemporaryDirectory(prefix="concord-lo-") as work:
        office = Office(options.soffice, Path(work))
        try:
            for spec in WORKBOOKS:
                book = order_table(office, spec.rows)
                try:
                    spec.build(book)
                    book.doc.calculateAll()
                    office.save(book.doc, options.out / spec.name)
                finally:
                    book.doc.close(True)
        finally:
            office.close()
    for spec in WORKBOOKS:
        path = options.out / spec.name
        missing = check(path, spec.expect)
        size = path.stat().st_size
        print(f"{spec.name}: {size:,} bytes; " + ", ".join(spec.expect))
        if missing:
            problems.append(f"{spec.name} lacks: {', '.join(missing)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
