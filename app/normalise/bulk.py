"""Normalising whole columns: once per distinct value, cached on the table."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from app.normalise.phone import normalise_phone, phone_digits, phone_forms
from app.sources.table import Table
from app.workers import map_values


def map_distinct(
    values: pd.Series, function: Callable[[str], object]
) -> tuple[np.ndarray, np.ndarray]:
    """``function`` applied once per distinct value (on several cores when there are
    many: :mod:`app.workers`): the results in order of first appearance, and each row's
    index into them."""
    codes, uniques = pd.factorize(values)
    mapped = np.empty(len(uniques), dtype=object)
    for index, result in enumerate(map_values(function, uniques.tolist())):
        mapped[index] = result  # one by one: a list of tuples would become a 2-d array
    return mapped, codes


def map_unique(values: pd.Series, function: Callable[[str], object]) -> np.ndarray:
    """``function`` applied once per distinct value, spread back to every row."""
    mapped, codes = map_distinct(values, function)
    return mapped[codes]


def _key(column: str, function: Callable[[str], object]) -> tuple[str, str, str]:
    return column, function.__module__, function.__qualname__


def cached_column(
    table: Table, column: str, function: Callable[[str], object]
) -> np.ndarray | None:
    """``function`` over a whole column if an earlier step computed it, else None."""
    return table.derived.get(_key(column, function))


# Functions whose columns are wanted together, worked out in one pass over the values:
# function -> (the joint function, the functions whose results it returns, in order).
_TOGETHER: dict[Callable[[str], object], tuple[Callable[[str], tuple], tuple]] = {
    f: (phone_forms, (phone_digits, normalise_phone)) for f in (phone_digits, normalise_phone)
}


def normalised_column(table: Table, column: str, function: Callable[[str], object]) -> np.ndarray:
    """``function`` over a whole column, computed once per table, column and function
    (with the functions it shares its work with, :data:`_TOGETHER`)."""
    key = _key(column, function)
    if key not in table.derived:
        if function in _TOGETHER:
            joint, parts = _TOGETHER[function]
            results = map_unique(table.values(column), joint)
            for k, part in enumerate(parts):
                table.derived[_key(column, part)] = _part(results, k)
        else:
            table.derived[key] = map_unique(table.values(column), function)
    return table.derived[key]


def _part(results: np.ndarray, k: int) -> np.ndarray:
    out = np.empty(len(results), dtype=object)
    out[:] = [result[k] for result in results.tolist()]
    return out


def typed_column(table: Table, column: str, type_name: str) -> pd.Series:
    """The typed view of a column: Decimal for money and quantities, date or datetime
    for dates, canonical text for everything else (a normaliser's output); None where a
    value is empty or cannot be read as the type. The raw text stays in the table."""
    from app.normalise import (
        normaliser_for,
        parse_date,
        parse_datetime,
        parse_money,
        parse_quantity,
    )

    parsers = {
        "money": parse_money,
        "quantity": parse_quantity,
        "date": parse_date,
        "datetime": parse_datetime,
    }
    parse = parsers.get(type_name)
    if parse is None:
        normalise = normaliser_for(type_name)

        def parse(value: str) -> object:
            return normalise(value) or None

    return pd.Series(
        normalised_column(table, column, parse), index=table.frame.index, name=column, dtype=object
    )
