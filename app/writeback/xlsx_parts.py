"""A workbook changed cell by cell: only the target cells' XML is rewritten.

openpyxl reads a workbook into its own model and writes a new package from it, so a save
drops or rewrites whatever it does not model — chart languages and axes, page setup,
printer settings, drawing alt text, and the stored results of every formula. Here the
package is copied part for part; in the edited sheet only the ``<c>`` elements of the
changed cells are replaced (their style index kept), new text goes in as an inline
string (the shared strings stay as they were), and ``workbook.xml`` asks Excel to
recalculate on load when the workbook has formulas, so cells depending on a changed
value are right the next time it is opened.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple
from xml.etree import ElementTree
from xml.sax.saxutils import escape, unescape

from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel

_CALC = re.compile(r"<(\w+:)?calcPr\b[^>]*?/?>")
_QUOTES = {"&quot;": '"', "&apos;": "'"}
_ROW_START = re.compile(r"<(\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(/?)>")


class UnexpectedPackage(Exception):
    """The package is not laid out as a spreadsheet should be: edit it another way."""


class Package:
    """An xlsx package read part by part, however its writer spelt it: part names with
    backslashes or in another case, the workbook anywhere the package's relationships put
    it, transitional or strict (ISO) namespaces."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self._entries = {_normal(name): name for name in self.zip.namelist()}
        found = self.related("", "officeDocument")
        self.workbook = found[0] if found else "xl/workbook.xml"

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_: object) -> None:
        self.zip.close()

    def entry(self, part: str) -> str:
        """The zip entry holding ``part``; KeyError when there is none."""
        return self._entries[_normal(part)]

    def read(self, part: str) -> bytes:
        return self.zip.read(self.entry(part))

    def parts(self) -> list[str]:
        return list(self._entries)

    def relations(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type's last word, target part) of each internal relationship of ``part``
        ("" for the package itself)."""
        folder, name = posixpath.split(part)
        try:
            root = ElementTree.fromstring(
                self.read(posixpath.join(folder, "_rels", f"{name}.rels"))
            )
        except KeyError:
            return []
        return [
            (
                r.get("Id") or "",
                (r.get("Type") or "").rsplit("/", 1)[-1],
                _part_name(folder, r.get("Target") or ""),
            )
            for r in root.iterfind("{*}Relationship")
            if r.get("TargetMode") != "External"
        ]

    def related(self, part: str, kind: str) -> list[str]:
        return [target for _id, found, target in self.relations(part) if found == kind]


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def _attribute(element: ElementTree.Element, local: str) -> str | None:
    """An attribute by its local name, in whichever namespace (``r:id``)."""
    return next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == local), None)


def sheet_part(package: Package, title: str) -> str:
    """The part name of the worksheet called ``title`` (``xl/worksheets/sheet1.xml``)."""
    workbook = ElementTree.fromstring(package.read(package.workbook))
    rid = next(
        (_attribute(s, "id") for s in workbook.iterfind(".//{*}sheet") if s.get("name") == title),
        None,
    )
    for found, _kind, target in package.relations(package.workbook):
        if found == rid:
            return target
    raise UnexpectedPackage(f"no part for sheet {title!r}")


def _part_name(folder: str, target: str) -> str:
    """The part a relationship's target names, relative to ``folder`` or absolute."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def cell_xml(coordinate: str, value: object, style: str | None, epoch: dt.datetime) -> str:
    """A ``<c>`` element holding ``value`` (number, date, boolean or text, never a
    formula), with the cell's style index kept."""
    attributes = f' r="{coordinate}"' + (f' s="{style}"' if style is not None else "")
    if value is None or value == "":
        return f"<c{attributes}/>"
    if isinstance(value, bool):
        return f'<c{attributes} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"<c{attributes}><v>{to_excel(value, epoch)!r}</v></c>"
    if isinstance(value, int | float | Decimal):
        number = repr(value) if isinstance(value, float) else str(value)
        return f"<c{attributes}><v>{number}</v></c>"
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c{attributes} t="inlineStr"><is><t{space}>{text}</t></is></c>'


class CellXml(NamedTuple):
    """Where a cell's ``<c>`` element lies and what it says beyond its value."""

    start: int
    end: int
    prefix: str  # the namespace prefix of the sheet's elements ("x:"), usually none
    style: str | None  # the style index (``s``), kept when the value changes
    formula: str | None  # the formula text, "" for a shared formula's follower


def read_cells(sheet: str, coordinates: set[str]) -> dict[str, CellXml]:
    """Each cell in ``coordinates`` that the sheet XML holds. One search that skips every
    other column's cells in native code, which matters on a sheet of a million cells."""
    if not coordinates:
        return {}
    letters = sorted({coordinate_from_string(c)[0] for c in coordinates}, key=len, reverse=True)
    pattern = re.compile(
        r'<(?P<p>(?:\w+:)?)c\b(?=[^>]*?\br="(?P<r>(?:' + "|".join(letters) + r')\d+)")'
        r"(?P<head>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)c>)",
        re.S,
    )
    found = {}
    for match in pattern.finditer(sheet):
        if match.group("r") not in coordinates:
            continue
        style = re.search(r'\bs="(\d+)"', match.group("head"))
        body = match.group("body") or ""
        formula = re.search(r"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", body, re.S)
        found[match.group("r")] = CellXml(
            match.start(),
            match.end(),
            match.group("p"),
            style.group(1) if style else None,
            None if formula is None else unescape(formula.group(1) or "", _QUOTES),
        )
    return found


def put_cells(
    sheet: str,
    make: Callable[[str, str | None], str],
    found: dict[str, CellXml],
    coordinates: set[str],
) -> str:
    """The sheet XML with each cell in ``coordinates`` replaced by ``make(coordinate,
    its style index)``; ``found`` is what :func:`read_cells` found of them."""
    pieces, last = [], 0
    for coordinate, cell in sorted(found.items(), key=lambda item: item[1].start):
        element = make(coordinate, cell.style)
        if cell.prefix:
            element = re.sub(r"<(/?)(c|v|is|t)\b", rf"<\1{cell.prefix}\2", element)
        pieces += [sheet[last : cell.start], element]
        last = cell.end
    sheet = "".join(pieces) + sheet[last:]
    missing = coordinates - set(found)  # empty cells: made in place
    return _insert_cells(sheet, {at: make(at, None) for at in missing}) if missing else sheet


def put_cell(sheet: str, coordinate: str, element: str) -> str:
    """The sheet XML with the cell at ``coordinate`` replaced by ``element`` (inserted in
    column order, and its row made, when the cell was not there)."""
    wanted = {coordinate}
    return put_cells(sheet, lambda _at, _style: element, read_cells(sheet, wanted), wanted)


def _insert_cells(sheet: str, made: dict[str, str]) -> str:
    """Each element of ``made`` (coordinate → ``<c>``) put where its missing cell belongs:
    in its row in column order, its row made when there is none. One pass over the rows,
    however many cells (filling an empty column touches every row)."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for coordinate, element in made.items():
        letters, row = coordinate_from_string(coordinate)
        by_row.setdefault(row, []).append((column_index_from_string(letters), element))
    todo = sorted(by_row)
    pieces: list[str] = []
    last = k = 0
    for match in _ROW_START.finditer(sheet):
        if k == len(todo):
            break
        number = int(match.group(2))
        while k < len(todo) and todo[k] < number:  # rows that do not exist yet
            pieces += [sheet[last : match.start()], _new_row(todo[k], by_row[todo[k]])]
            last, k = match.start(), k + 1
        if k < len(todo) and todo[k] == number:
            end = match.end() if match.group(3) == "/" else _row_end(sheet, match)
            row = sheet[match.start() : end]
            for column, element in sorted(by_row[number]):
                row = _insert_in_row(row, _ROW_START.match(row), column, element)  # type: ignore[arg-type]
            pieces += [sheet[last : match.start()], row]
            last, k = end, k + 1
    rest = "".join(_new_row(number, by_row[number]) for number in todo[k:])
    sheet = "".join(pieces) + sheet[last:]
    if not rest:
        return sheet
    close = re.search(r"</(\w+:)?sheetData>", sheet)
    if close is not None:
        return sheet[: close.start()] + rest + sheet[close.start() :]
    empty = re.search(r"<(\w+:)?sheetData\s*/>", sheet)
    if empty is None:
        raise UnexpectedPackage("the sheet has no sheetData")
    return sheet[: empty.start()] + f"<sheetData>{rest}</sheetData>" + sheet[empty.end() :]


def _new_row(number: int, cells: list[tuple[int, str]]) -> str:
    return f'<row r="{number}">' + "".join(e for _, e in sorted(cells)) + "</row>"


def _row_end(sheet: str, row: re.Match[str]) -> int:
    """Where the row element that ``row`` opens ends."""
    closing = f"</{row.group(1) or ''}row>"
    return sheet.index(closing, row.end()) + len(closing)


def _insert_in_row(sheet: str, row: re.Match[str], column: int, element: str) -> str:
    if row.group(3) == "/":  # <row r="5"/>: no cells yet
        opening = row.group(0)[:-2] + ">"
        return sheet[: row.start()] + opening + element + "</row>" + sheet[row.end() :]
    close = _row_end(sheet, row) - len(f"</{row.group(1) or ''}row>")
    for cell in re.finditer(r'<(\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"', sheet[row.end() : close]):
        if column_index_from_string(cell.group(2)) > column:
            at = row.end() + cell.start()
            return sheet[:at] + element + sheet[at:]
    return sheet[:close] + element + sheet[close:]


def array_ranges(sheet: str) -> list[str]:
    """The ranges array formulas fill."""
    heads = re.findall(r"<(?:\w+:)?f\b([^>]*)>", sheet)
    return [
        ref.group(1)
        for head in heads
        if re.search(r'\bt="array"', head) and (ref := re.search(r'\bref="([^"]+)"', head))
    ]


class Managed(NamedTuple):
    """A table or pivot table on a sheet: cells Excel manages as one whole."""

    kind: str  # "table" or "pivot"
    name: str
    ref: str
    header_rows: int


def managed_ranges(package: Package, part: str) -> list[Managed]:
    """The Excel tables and pivot tables placed on the sheet ``part``."""
    found = []
    for _id, kind, target in package.relations(part):
        if kind not in ("table", "pivotTable"):
            continue
        root = ElementTree.fromstring(package.read(target))
        if kind == "table":
            rows = int(root.get("headerRowCount", "1"))
            label = root.get("displayName") or root.get("name") or ""
            found.append(Managed("table", label, root.get("ref") or "", rows))
        else:
            location = root.find("{*}location")
            ref = location.get("ref") if location is not None else None
            if ref:
                found.append(Managed("pivot", root.get("name") or "", ref, 0))
    return found


def number_formats(package: Package) -> list[str]:
    """The number format of each cell style index (``s``), as Excel's format codes."""
    found = package.related(package.workbook, "styles")
    if not found:
        return []
    styles = ElementTree.fromstring(package.read(found[0]))
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode") or "General"
        for f in styles.iterfind(".//{*}numFmt")
    }
    cells = styles.find("{*}cellXfs")
    return [
        custom.get(int(x.get("numFmtId", "0")))
        or BUILTIN_FORMATS.get(int(x.get("numFmtId", "0")))
        or "General"
        for x in (cells if cells is not None else [])
    ]


def epoch(package: Package) -> dt.datetime:
    """The date system of the workbook: 1900 (Windows), or 1904 (old Mac workbooks)."""
    book = package.read(package.workbook)
    mac = re.search(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"', book)
    return CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900


def has_formulas(package: Package, part: str, sheet: str) -> bool:
    """Whether any worksheet holds a formula (whose stored result a change may make
    stale); ``sheet`` is the text of the worksheet ``part``, already read."""
    return bool(re.search(r"<(?:\w+:)?f[\s>/]", sheet)) or any(
        re.search(rb"<(?:\w+:)?f[\s>/]", package.read(other))
        for other in package.related(package.workbook, "worksheet")
        if other != part
    )


def _all_referenced(sheet: str) -> bool:
    """Whether every row and cell has its ``r``: counted in native code when each
    element starts with it (as nearly every writer does), else searched for."""
    if not re.search(r"<\w+:(?:c|row)[\s>/]", sheet):  # no prefixed elements
        cells = sheet.count("<c ") + sheet.count("<c>") + sheet.count("<c/>")
        rows = sheet.count("<row ") + sheet.count("<row>") + sheet.count("<row/>")
        if cells == sheet.count('<c r="') and rows == sheet.count('<row r="'):
            return True
    return not re.search(r'<(?:\w+:)?(?:c|row)(?=[\s>/])(?![^>]*\br=")', sheet)


def with_references(sheet: str) -> str:
    """The sheet XML with every row and cell given its ``r`` attribute (optional in the
    format, and left out by some exporters), so cells can be found by coordinate."""
    if _all_referenced(sheet):
        return sheet
    row, column, pieces, last = 0, 0, [], 0
    for match in re.finditer(r"<(?P<p>(?:\w+:)?)(?P<tag>c|row)(?=[\s>/])(?P<attrs>[^>]*)>", sheet):
        attrs = match.group("attrs")
        reference = re.search(r'\br="([A-Z]*)(\d+)"', attrs)
        if match.group("tag") == "row":
            row, column = (int(reference.group(2)) if reference else row + 1), 0
            if reference:
                continue
            element = f'<{match.group("p")}row r="{row}"{attrs}>'
        else:
            column = column_index_from_string(reference.group(1)) if reference else column + 1
            if reference:
                continue
            element = f'<{match.group("p")}c r="{get_column_letter(column)}{row}"{attrs}>'
        pieces += [sheet[last : match.start()], element]
        last = match.end()
    return "".join(pieces) + sheet[last:]


def recalculate_on_load(workbook: str) -> str:
    """``workbook.xml`` asking Excel to recompute every formula when it opens the file."""
    found = _CALC.search(workbook)
    if found is None:
        end = re.search(r"</(\w+:)?workbook>", workbook)
        if end is None:
            raise UnexpectedPackage("workbook.xml has no end")
        prefix = end.group(1) or ""
        return (
            workbook[: end.start()]
            + f'<{prefix}calcPr fullCalcOnLoad="1"/>'
            + workbook[end.start() :]
        )
    element = found.group(0)
    if "fullCalcOnLoad=" in element:
        element = re.sub(r'fullCalcOnLoad="[^"]*"', 'fullCalcOnLoad="1"', element)
    else:
        element = re.sub(r"(/?>)$", r' fullCalcOnLoad="1"\1', element)
    return workbook[: found.start()] + element + workbook[found.end() :]


def repackage(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The package with the ``replaced`` parts' new contents and every other part's
    content unchanged (entry names, order, dates and compression kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replaced.get(info.filename)
            target.writestr(info, source.read(info) if content is None else content)
    return out.getvalue()
