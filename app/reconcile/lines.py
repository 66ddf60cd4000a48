"""Tables whose rows are lines of documents: a Kingdee 销售订单序时簿, a U8 order list.

Such an export holds one row per order line. The document number stands on every line
with the head fields (customer, date, status) repeated, or on the first line only with
the head fields blank below it. Either way a document is one record: :func:`as_documents`
turns the line table into a table of documents, one row per document (its first line's
row), head fields from that first line, amounts and quantities summed over its lines,
and keeps every line behind it (:class:`app.sources.table.Lines`).

A column is told to be a head field or a line field by how it behaves: a head field holds
one value per document, a line field (product, quantity, price) differs between the
lines of most documents. A document whose lines disagree on a head field (two customers
under one number) is reported with its rows; its first line's value is used.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from app.errors import InputError
from app.mapping.headers import match_header
from app.normalise.bulk import map_unique
from app.normalise.money import parse_quantity
from app.normalise.product import normalise_product_code
from app.reconcile.conflicts import Conflict
from app.reconcile.groups import Group
from app.sources.table import DataWarning, Lines, Table
from app.sources.vector import is_blank, plain_numbers

# Headers naming the number of a document (单据编号, 订单号, 发票号, Order Number).
_DOCUMENT_CONCEPTS = ("order_no", "invoice_no", "approval_no", "record_id")
# Line fields whose document value is their sum; a unit price or a rate is not summed.
_SUMMED_CONCEPTS = frozenset({"amount", "net_amount", "tax", "quantity"})
# A column is a line field when it differs within more than this share of documents ...
_VARIES = 0.05
# ... or, for a column whose header names something of the whole document (its
# customer, date, status, people), within most of them: a few documents whose lines
# disagree on it are reported, not read as lines.
_HEAD_CONCEPTS = frozenset(
    {
        "customer",
        "supplier",
        "customer_id",
        "contact",
        "salesperson",
        "applicant",
        "approver",
        "date",
        "time",
        "status",
        "department",
        "source_ref",
        "uscc",
    }
)
_HEAD_VARIES = 0.5
# Columns of a line whatever they hold: a document of equal lines still has a quantity
# per line (a head total is an amount repeated on each line, never a quantity).
_LINE_CONCEPTS = frozenset({"product_code", "product_name", "unit_price", "quantity"})
_SHOWN = 5  # documents named in one disagreement warning


def _document_ids(values: pd.Series) -> np.ndarray | None:
    """Each row's document (0, 1, …) when ``values`` reads as a document column, with
    blank cells below a number belonging to that number's document; else None."""
    text = values.str.strip()
    blank = (text == "").to_numpy()
    if len(text) < 2 or blank[0]:
        return None
    codes, uniques = pd.factorize(text.mask(blank).ffill())
    several = np.count_nonzero(np.bincount(codes) > 1)
    if len(uniques) < 2 or several < max(2, 0.02 * len(uniques)):  # a repeat or two: no lines
        return None
    runs = 1 + int(np.count_nonzero(codes[1:] != codes[:-1]))
    if runs > len(uniques) * 1.01:  # a document's lines stand together
        return None
    return codes


def _varying(frame: pd.DataFrame, ids: np.ndarray) -> dict[str, float]:
    """Per column, the share of documents of several lines in which it holds two or
    more different values (blank cells ignored)."""
    sizes = np.bincount(ids)
    several = sizes[ids] > 1
    if not several.any():
        return {}
    shares = {}
    grouped_ids = ids[several]
    for name in frame.columns:
        values = frame[name].str.strip()[several]
        distinct = values.mask(values == "").groupby(grouped_ids).nunique()
        shares[name] = float((distinct > 1).mean())
    return shares


def _concept(header: str) -> str | None:
    match = match_header(header)
    return match.concept.name if match is not None else None


def find_document_column(table: Table) -> tuple[str, np.ndarray] | None:
    """The document column of a line table and each row's document, or None when the
    table holds one record per row.

    The column's header names a document number; its values repeat over consecutive rows
    (or stand on a document's first row only); and some other column (a product, a
    quantity) differs between the lines of most documents, so repeated rows are lines,
    not duplicates. Where the number stands on first rows only, some head column must be
    blank below it too: a sparse number column in a table of records is no document.
    """
    for column in table.columns:
        if _concept(column.name) not in _DOCUMENT_CONCEPTS:
            continue
        values = table.values(column.name)
        ids = _document_ids(values)
        if ids is None:
            continue
        others = table.frame.drop(columns=[column.name])
        shares = _varying(others, ids)
        if not shares or max(shares.values()) < 0.5:
            continue
        continuation = (values.str.strip() == "").to_numpy()
        if continuation.any() and not _blank_below(others, continuation, shares):
            continue
        return column.name, ids
    return None


def _blank_below(frame: pd.DataFrame, continuation: np.ndarray, shares: dict[str, float]) -> bool:
    """Whether some head column is filled on first lines and blank on continuation ones."""
    for name, share in shares.items():
        if share > (_HEAD_VARIES if _concept(name) in _HEAD_CONCEPTS else _VARIES):
            continue
        blank = (frame[name].str.strip() == "").to_numpy()
        if blank[continuation].mean() >= 0.9 and (~blank[~continuation]).mean() >= 0.9:
            return True
    return False


def as_documents(table: Table, column: str | None = None) -> Table:
    """The table of documents behind a line table (``table`` itself when its rows are
    records). ``column`` names the document column and forces the reading
    (``[documents]`` in the settings); "" turns detection off."""
    if column == "":
        return table
    if column is None:
        found = find_document_column(table)
        if found is None:
            return table
        column, ids = found
    else:
        if column not in table.frame.columns:
            raise InputError(
                f"there is no column {column!r} to read documents by",
                path=table.path,
                sheet=table.sheet,
                hint="columns: " + ", ".join(c.name for c in table.columns),
            )
        forced = _document_ids(table.values(column))
        if forced is None:
            raise InputError(
                f"column {column!r} does not hold document numbers over lines (its first "
                "cell is blank, or hardly any number stands on more than one row)",
                path=table.path,
                sheet=table.sheet,
                hint="name the column whose number repeats on each line of a document",
            )
        ids = forced
    return collapse(table, column, ids)


def collapse(table: Table, column: str, ids: np.ndarray, blank_heads: bool = True) -> Table:
    """The table of the records ``ids`` numbers (one per distinct id, at its first row),
    read by ``column``: head fields from the first row, amounts and quantities summed.
    ``blank_heads``: a blank ``column`` may mark a continuation line (a document number
    on first lines only); not so where ``ids`` do not follow the rows (stock lines)."""
    frame = table.frame
    shares = _varying(frame.drop(columns=[column]), ids)
    first = pd.Series(ids).drop_duplicates().index.to_numpy()
    continuation = np.ones(len(ids), dtype=bool)
    continuation[first] = False
    # Where the number stands on first lines only, so do the head fields: a column
    # filled below them is a line's, however alike its values.
    below = (frame[column].str.strip() == "").to_numpy() & blank_heads
    summed, line_columns, heads = [], [], []
    for name in frame.columns:
        if name == column:
            continue
        concept = _concept(name)
        varies = _HEAD_VARIES if concept in _HEAD_CONCEPTS else _VARIES
        filled_below = (
            below.any() and (frame[name].str.strip() != "").to_numpy()[below].mean() > 0.5
        )
        if concept not in _LINE_CONCEPTS and not filled_below and shares.get(name, 0.0) <= varies:
            heads.append(name)
        elif concept in _SUMMED_CONCEPTS:
            summed.append(name)
        else:
            line_columns.append(name)
    documents = {column: frame[column].iloc[first].to_numpy()}
    filled_lines = frame.copy()
    filled = []
    warnings = list(table.warnings)
    for name in heads:
        values = frame[name]
        masked = values.mask(values.str.strip() == "")
        documents[name] = (
            masked.groupby(ids).first().reindex(range(len(first))).fillna("").to_numpy()
        )
        if continuation.any() and masked[continuation].isna().mean() >= 0.5:
            filled.append(name)
        filled_lines[name] = documents[name][ids]
        warnings.extend(_disagreements(table, column, name, masked, ids, first))
    filled_lines[column] = documents[column][ids]
    for name in summed:
        documents[name] = _sums(frame[name], ids, len(first))
    kept = [c for c in table.columns if c.name in documents]
    lines = Lines(
        column=column,
        frame=filled_lines,
        rows=table.rows,
        document=ids,
        summed=tuple(summed),
        line_columns=tuple(line_columns),
        filled=tuple(filled),
    )
    return replace(
        table,
        frame=pd.DataFrame({c.name: documents[c.name] for c in kept}),
        rows=table.rows[first],
        columns=kept,
        warnings=warnings,
        lines=lines,
        derived={},
    )


def _sums(values: pd.Series, ids: np.ndarray, count: int) -> np.ndarray:
    """Each document's total of a line column, written with as many decimals as its
    lines use; blank where no line holds a number."""
    numbers, decimals = _numbers(values)
    totals = pd.Series(numbers).groupby(ids).sum(min_count=1).reindex(range(count)).to_numpy()
    return np.array(["" if np.isnan(t) else f"{t:.{decimals}f}" for t in totals], dtype=object)


def _numbers(values: pd.Series) -> tuple[np.ndarray, int]:
    """The number in each cell (NaN where none) and the most decimals any cell writes
    (at most 4): plain numbers at once, the rest (bracket negatives, units, full-width
    digits) one by one."""
    numbers, places = plain_numbers(values)
    odd = np.flatnonzero(np.isnan(numbers) & ~is_blank(values))
    for index in odd:
        parsed = parse_quantity(values.iloc[index])
        numbers[index] = float(parsed) if parsed is not None else np.nan
    return numbers, min(4, places)


def _disagreements(
    table: Table, column: str, name: str, masked: pd.Series, ids: np.ndarray, first: np.ndarray
) -> list[DataWarning]:
    """Documents whose lines hold two values of a head field, each named with its rows."""
    distinct = masked.groupby(ids).nunique()
    bad = distinct.index[distinct > 1].to_numpy()
    if len(bad) == 0:
        return []
    shown = []
    rows: list[int] = []
    for document in bad[:_SHOWN]:
        lines = np.flatnonzero(ids == document)
        values = masked.iloc[lines]
        parts = [
            f"{value!s} (row {int(table.rows[lines[k]])})"
            for k, value in enumerate(values.tolist())
            if isinstance(value, str) and value not in values.iloc[:k].tolist()
        ]
        number = table.frame[column].iloc[first[document]].strip()
        shown.append(f"{number}: " + " / ".join(parts))
        rows.extend(int(r) for r in table.rows[lines])
    more = f" and {len(bad) - _SHOWN} more" if len(bad) > _SHOWN else ""
    return [
        DataWarning(
            name,
            f"{len(bad)} document{'s' if len(bad) > 1 else ''} with lines that disagree on {name} ({'; '.join(shown)}"
            f"{more}); each document takes its first line's value — correct the export "
            "where one document number holds two documents",
            tuple(rows),
        )
    ]


# --- the lines of matched documents ----------------------------------------------------

LINE = "line"  # the kind of a finding about one line of matched documents


def code_column(lines: Lines) -> str | None:
    return next((c for c in lines.line_columns if _concept(c) == "product_code"), None)


def quantity_column(lines: Lines) -> str | None:
    return next((c for c in lines.summed if _concept(c) == "quantity"), None)


def line_quantities(table: Table) -> pd.Series | None:
    """Each document's quantity per product, indexed by (document, normalised code);
    None when the table has no lines with product codes."""
    lines = table.lines
    code = code_column(lines) if lines is not None else None
    if lines is None or code is None:
        return None
    if "line_quantities" not in table.derived:
        codes = map_unique(lines.frame[code], normalise_product_code)
        quantity = quantity_column(lines)
        if quantity is None:
            numbers = np.ones(len(codes))
        else:
            numbers = np.nan_to_num(_numbers(lines.frame[quantity])[0])
        frame = pd.DataFrame({"document": lines.document, "code": codes, "quantity": numbers})
        frame = frame[frame["code"] != ""]
        table.derived["line_quantities"] = frame.groupby(["document", "code"])["quantity"].sum()
    return table.derived["line_quantities"]


def line_findings(groups: list[Group], tables: dict[str, Table]) -> list[Conflict]:
    """Where two or more tables hold the lines of a group's documents: every product
    that one document lacks or holds in another quantity, as a finding of kind ``line``
    on the field ``line CODE`` (CODE normalised, as product codes are compared)."""
    quantities = {label: q for label, t in tables.items() if (q := line_quantities(t)) is not None}
    if len(quantities) < 2:
        return []
    labels = list(quantities)
    member = np.zeros((len(groups), len(labels)), dtype=bool)  # group holds a document
    parts = []
    for k, label in enumerate(labels):
        group_of = np.full(len(tables[label]), -1)
        for index, group in enumerate(groups):
            for holder, row in group.members:
                if holder == label:
                    group_of[row] = index
        member[group_of[group_of >= 0], k] = True
        q = quantities[label]
        owner = group_of[q.index.get_level_values(0).to_numpy()]
        keep = owner >= 0
        codes = q.index.get_level_values(1).to_numpy()[keep]
        parts.append(pd.DataFrame({"group": owner[keep], "code": codes, label: q.to_numpy()[keep]}))
    shared = member.sum(axis=1) >= 2
    both = pd.concat(parts).groupby(["group", "code"]).sum(min_count=1)
    both = both[shared[both.index.get_level_values(0).to_numpy()]]
    values = both[labels].to_numpy()
    holds = member[both.index.get_level_values(0).to_numpy()]
    held = np.where(holds, values, np.nan)  # the quantities of the group's own documents
    lacking = (holds & np.isnan(values)).any(axis=1)
    differs = lacking | (np.nanmax(held, axis=1) - np.nanmin(held, axis=1) > 1e-9)
    found = []
    for group, code in both.index[differs]:
        members = tuple((label, row) for label, row in groups[group].members if label in quantities)
        found.append(Conflict(int(group), f"{LINE} {code}", members, LINE))
    return found


def line_cell(table: Table, document: int, field: str) -> tuple[str, str]:
    """The column and text of a line finding for one document: the product as its lines
    spell it with their quantity ("AB-1002 × 3"), "" when the document lacks it."""
    lines = table.lines
    assert lines is not None
    column = code_column(lines) or lines.column
    code = field.removeprefix(f"{LINE} ")
    quantity = quantity_column(lines)
    said = []
    for position in lines.of(document):
        spelt = lines.frame[column].iloc[position]
        if normalise_product_code(spelt) == code:
            amount = lines.frame[quantity].iloc[position].strip() if quantity else ""
            said.append(f"{spelt.strip()} × {amount}" if amount else spelt.strip())
    return column, "; ".join(said)
