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
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import to_excel

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CALC = re.compile(r"<(\w+:)?calcPr\b[^>]*?/?>")
_ROW_START = re.compile(r"<(\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(/?)>")


class UnexpectedPackage(Exception):
    """The package is not laid out as a spreadsheet should be: edit it another way."""


def sheet_part(package: zipfile.ZipFile, title: str) -> str:
    """The part name of the worksheet called ``title`` (``xl/worksheets/sheet1.xml``)."""
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rid = next(
        (
            s.get(f"{{{RELATIONSHIPS}}}id")
            for s in workbook.iter(f"{{{MAIN}}}sheet")
            if s.get("name") == title
        ),
        None,
    )
    relations = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship"):
        if relation.get("Id") == rid:
            target = relation.get("Target") or ""
            return (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    raise UnexpectedPackage(f"no part for sheet {title!r}")


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


_ANY_CELL = re.compile(
    r'<(?P<p>(?:\w+:)?)c\b(?=[^>]*?\br="(?P<r>[A-Z]+\d+)")[^>]*?(?:/>|>.*?</(?P=p)c>)', re.S
)


def put_cells(sheet: str, make: Callable[[str, str | None], str], coordinates: set[str]) -> str:
    """The sheet XML with each cell in ``coordinates`` replaced by ``make(coordinate,
    its style index)``: one pass over the sheet however many cells change."""
    found = {m.group("r"): m for m in _ANY_CELL.finditer(sheet) if m.group("r") in coordinates}
    pieces, last = [], 0
    for coordinate, match in sorted(found.items(), key=lambda item: item[1].start()):
        head = match.group(0)[: match.group(0).find(">")]
        style = re.search(r'\bs="(\d+)"', head)
        element = make(coordinate, style.group(1) if style else None)
        if match.group("p"):
            element = re.sub(r"<(/?)(c|v|is|t)\b", rf"<\1{match.group('p')}\2", element)
        pieces += [sheet[last : match.start()], element]
        last = match.end()
    sheet = "".join(pieces) + sheet[last:]
    for coordinate in sorted(coordinates - set(found)):  # empty cells: made in place
        sheet = _insert_cell(sheet, coordinate, make(coordinate, None))
    return sheet


def put_cell(sheet: str, coordinate: str, element: str) -> str:
    """The sheet XML with the cell at ``coordinate`` replaced by ``element`` (inserted in
    column order, and its row made, when the cell was not there)."""
    return put_cells(sheet, lambda _at, _style: element, {coordinate})


def _insert_cell(sheet: str, coordinate: str, element: str) -> str:
    """``element`` put where a missing cell belongs: in its row, in column order."""
    letters, row = coordinate_from_string(coordinate)
    column = column_index_from_string(letters)
    for match in _ROW_START.finditer(sheet):
        number = int(match.group(2))
        if number == row:
            return _insert_in_row(sheet, match, column, element)
        if number > row:
            return (
                sheet[: match.start()] + f'<row r="{row}">{element}</row>' + sheet[match.start() :]
            )
    end = re.search(r"</(\w+:)?sheetData>", sheet)
    if end is not None:
        return sheet[: end.start()] + f'<row r="{row}">{element}</row>' + sheet[end.start() :]
    empty = re.search(r"<(\w+:)?sheetData\s*/>", sheet)
    if empty is None:
        raise UnexpectedPackage("the sheet has no sheetData")
    return (
        sheet[: empty.start()]
        + f'<sheetData><row r="{row}">{element}</row></sheetData>'
        + (sheet[empty.end() :])
    )


def _insert_in_row(sheet: str, row: re.Match[str], column: int, element: str) -> str:
    if row.group(3) == "/":  # <row r="5"/>: no cells yet
        opening = row.group(0)[:-2] + ">"
        return sheet[: row.start()] + opening + element + "</row>" + sheet[row.end() :]
    close = sheet.index("</row>" if not row.group(1) else f"</{row.group(1)}row>", row.end())
    for cell in re.finditer(r'<(\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"', sheet[row.end() : close]):
        if column_index_from_string(cell.group(2)) > column:
            at = row.end() + cell.start()
            return sheet[:at] + element + sheet[at:]
    return sheet[:close] + element + sheet[close:]


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
