"""Normalising whole columns: once per distinct value, cached on the table."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from app.sources.table import Table


def map_unique(values: pd.Series, function: Callable[[str], object]) -> np.ndarray:
    """``function`` applied once per distinct value, spread back to every row."""
    codes, uniques = pd.factorize(values)
    mapped = np.empty(len(uniques), dtype=object)
    for index, value in enumerate(uniques.tolist()):
        mapped[index] = function(value)
    return mapped[codes]


def normalised_column(table: Table, column: str, function: Callable[[str], object]) -> np.ndarray:
    """``function`` over a whole column, computed once per table, column and function."""
    key = (column, function.__module__, function.__qualname__)
    if key not in table.derived:
        table.derived[key] = map_unique(table.values(column), function)
    return table.derived[key]
