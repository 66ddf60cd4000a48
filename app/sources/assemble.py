"""Turn a parsed sheet (header layout plus body rows) into a :class:`Table`.

Shared by every reader: names the columns, drops blank, totals and footer rows (keeping a
record of each), and checks the values for damage done before the file reached us.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from app.sources.layout import Layout, blank_mask, footer_count, totals_mask, unique_names
from app.sources.table import Column, DataWarning, SkippedRow, Table
from app.sources.vector import matches

_SCIENTIFIC = r"^ *-?[0-9](\.[0-9]+)?[eE]\+?[0-9]{1,3} *$"
_LONG_NUMBER = r"^[0-9]{16,}$"


def assemble(
    *,
    path: Path,
    sheet: str | None,
    layout: Layout,
    head: Sequence[Sequence[str]],
    body: pd.DataFrame,
    rows: np.ndarray,
    encoding: str | None,
    delimiter: str | None,
    file_format: str,
    warnings: Sequence[DataWarning] = (),
) -> Table:
    """Build the table; ``body`` has one column per header position, ``rows`` its file rows."""
    names = unique_names(layout.names)
    keep = [
        position
        for position, raw in enumerate(layout.names)
        if raw or (position in body.columns and bool((body[position].str.strip() != "").any()))
    ]
    frame = body[keep].copy()
    frame.columns = [names[p] for p in keep]
    skipped = [
        SkippedRow(
            i + 1,
            "title" if any(c.strip() for c in head[i]) else "blank",
            " ".join(c.strip() for c in head[i] if c.strip())[:80],
        )
        for i in layout.skipped_above
    ]
    blank = blank_mask(frame)
    totals = totals_mask(frame) & ~blank
    footer = np.zeros(len(frame), dtype=bool)
    count = footer_count(frame[~(blank | totals)])
    if count:
        footer[np.flatnonzero(~(blank | totals))[-count:]] = True
    drop = blank | totals | footer
    for index in np.flatnonzero(totals | footer):
        text = " ".join(v for v in frame.iloc[index].tolist() if v.strip())[:80]
        reason = "totals" if totals[index] else "footer"
        skipped.append(SkippedRow(int(rows[index]), reason, text))
    skipped.extend(SkippedRow(int(rows[index]), "blank") for index in np.flatnonzero(blank))
    skipped.sort(key=lambda s: s.row)
    frame = frame[~drop].reset_index(drop=True)
    kept_rows = rows[~drop]
    columns = [Column(names[p], p) for p in keep]
    table = Table(
        path=path,
        sheet=sheet,
        frame=frame,
        rows=kept_rows,
        header_rows=tuple(i + 1 for i in layout.header_rows),
        columns=columns,
        encoding=encoding,
        delimiter=delimiter,
        file_format=file_format,
        skipped=skipped,
        warnings=list(warnings),
    )
    table.warnings.extend(damaged_ids(table))
    return table


def damaged_ids(table: Table) -> list[DataWarning]:
    """Columns whose long numbers were already mangled by Excel before the export.

    Two kinds of damage: scientific notation (1.23457E+17: the digits are gone) and
    precision loss (Excel keeps 15 significant digits, so 18-digit IDs end in zeros).
    """
    found = []
    for column in table.columns:
        values = table.frame[column.name]
        scientific = matches(values, _SCIENTIFIC)
        if scientific.sum() >= max(1, 0.05 * (values != "").sum()):
            rows = tuple(int(r) for r in table.rows[scientific][:5])
            found.append(
                DataWarning(
                    column.name,
                    f"{int(scientific.sum())} values are in scientific notation (such as "
                    f"{values[scientific].iloc[0].strip()}): Excel shortened long numbers and "
                    "their digits are lost; export again with this column formatted as text",
                    rows,
                )
            )
            continue
        long_numbers = values[matches(values, _LONG_NUMBER)]
        if len(long_numbers) >= 2:
            zeroed = matches(long_numbers, r"^[0-9]{15}0+$")
            if zeroed.sum() >= 2 and zeroed.mean() > 0.05:
                index = long_numbers.index[zeroed]
                rows = tuple(int(r) for r in table.rows[index.to_numpy()][:5])
                found.append(
                    DataWarning(
                        column.name,
                        f"{int(zeroed.sum())} long numbers end in zeros after the 15th digit "
                        "(Excel keeps only 15 digits): these IDs were damaged before export; "
                        "export again with this column formatted as text",
                        rows,
                    )
                )
    return found
