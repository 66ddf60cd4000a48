"""Normalised, columnar values of every compared field (input to blocking and scoring).

Each field's values from all tables are normalised once per distinct raw value and
factorised into shared integer codes, so exact comparisons and blocking joins run on
integers. Numbers and dates get a float view (days since 1970 for dates).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.mapping.align import Field, Mapping
from app.mapping.types import SemanticType as T
from app.normalise import (
    analyse_company,
    canonical_status,
    find_references,
    is_branch,
    normalise_address,
    normalise_company,
    normalise_email,
    normalise_person,
    normalise_phone,
    normalise_product_code,
    normalise_reference,
    normalise_text,
    normalise_uscc,
    parse_date,
    parse_datetime,
    parse_money,
    parse_quantity,
    place_region,
)
from app.normalise.bulk import cached_column, map_distinct, map_unique, normalised_column
from app.normalise.money import header_scale
from app.normalise.regions import PROVINCE_OF
from app.sources.table import Table

EPOCH = dt.date(1970, 1, 1)

# How each type is compared: the comparison kind (see app.match.compare).
KINDS: dict[T, str] = {
    T.COMPANY: "company",
    T.PERSON: "name",
    T.TEXT: "text",
    T.ADDRESS: "text",
    T.PRODUCT_CODE: "exact",
    T.EMAIL: "exact",
    T.USCC: "exact",
    T.PHONE: "phone",
    T.KEY: "id",
    T.REFERENCE: "id",
    T.MONEY: "money",
    T.QUANTITY: "number",
    T.DATE: "date",
    T.DATETIME: "date",
    T.STATUS: "status",
}

_TEXT_NORMALISERS: dict[T, Callable[[str], str]] = {
    T.COMPANY: normalise_company,
    T.PERSON: normalise_person,
    T.TEXT: normalise_text,
    T.ADDRESS: normalise_address,
    T.PRODUCT_CODE: normalise_product_code,
    T.EMAIL: normalise_email,
    T.USCC: normalise_uscc,
    T.PHONE: normalise_phone,
    T.KEY: normalise_reference,
    T.REFERENCE: normalise_reference,
    T.STATUS: canonical_status,
}


def _to_days(value: str) -> float:
    parsed = parse_datetime(value)
    if parsed is not None:
        return (parsed - dt.datetime(1970, 1, 1)).total_seconds() / 86400
    day = parse_date(value)
    return float((day - EPOCH).days) if day is not None else np.nan


def _money(value: str) -> float:
    parsed = parse_money(value)
    return float(parsed) if parsed is not None else np.nan


def _quantity(value: str) -> float:
    parsed = parse_quantity(value)
    return float(parsed) if parsed is not None else np.nan


_NUMBER_PARSERS: dict[T, Callable[[str], float]] = {  # module-level: workers can run them
    T.MONEY: _money,
    T.QUANTITY: _quantity,
    T.DATE: _to_days,
    T.DATETIME: _to_days,
}


@dataclass
class FieldValues:
    """One field's normalised values in every table that has it."""

    field: Field
    kind: str
    text: dict[str, np.ndarray]  # label → normalised strings ("" when missing)
    codes: dict[str, np.ndarray]  # label → shared int codes (-1 when missing)
    number: dict[str, np.ndarray] | None = None  # label → float (NaN when missing)
    region: dict[str, np.ndarray] | None = None  # company fields: label → region codes
    province: dict[str, np.ndarray] | None = None  # the code of the province holding each region
    multi: dict[str, tuple[np.ndarray, np.ndarray]] | None = None  # embedded IDs: rows, codes
    # Term frequencies per table pair, computed once per run (app.match.model).
    shares: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = dataclasses.field(
        default_factory=dict, repr=False, compare=False
    )
    # Every distinct value's bigrams (value codes, bigram ids), for blocking (app.match.blocking).
    bigrams: tuple[np.ndarray, np.ndarray] | None = dataclasses.field(
        default=None, repr=False, compare=False
    )
    # Phone fields: per table, each row's code for its number's last seven digits
    # (app.match.compare).
    tails: dict[str, np.ndarray] | None = dataclasses.field(default=None, repr=False, compare=False)
    # Held while one of the caches above is filled: two pairs of tables are scored at once
    # (app.reconcile.pipeline), and the second waits rather than doing the work again.
    filling: threading.Lock = dataclasses.field(
        default_factory=threading.Lock, repr=False, compare=False
    )

    def labels(self) -> list[str]:
        return list(self.field.columns)

    def code_count(self, *labels: str) -> int:
        """One more than the highest code in the tables ``labels`` (all when none): the
        length of an array indexed by code (codes are shared across tables)."""
        return 1 + max(
            (int(self.codes[label].max(initial=-1)) for label in labels or self.codes), default=-1
        )

    def distinct(self) -> tuple[np.ndarray, list[str]]:
        """Every code in use, ascending, with its normalised text (work done once per
        value rather than once per row)."""
        codes = np.concatenate(list(self.codes.values()))
        texts = np.concatenate(list(self.text.values()))
        each, first = np.unique(codes, return_index=True)
        present = each >= 0
        return each[present], texts[first[present]].tolist()


@dataclass
class Prepared:
    """Every compared field of every table, ready for blocking and comparison."""

    sizes: dict[str, int]
    fields: dict[str, FieldValues]


def _factorise(parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    labels = list(parts)
    joined = (
        np.concatenate([parts[label] for label in labels]) if labels else np.array([], dtype=object)
    )
    codes, _ = pd.factorize(joined)
    codes = codes.astype(np.int64)
    codes[joined == ""] = -1
    out, start = {}, 0
    for label in labels:
        size = len(parts[label])
        out[label] = codes[start : start + size]
        start += size
    return out


def _prepare_embedded(field: Field, tables: dict[str, Table]) -> FieldValues:
    """Identifier fields where some tables carry the IDs inside free text."""
    text: dict[str, np.ndarray] = {}
    exploded_rows: dict[str, np.ndarray] = {}
    exploded_values: dict[str, np.ndarray] = {}
    for label, column in field.columns.items():
        values = tables[label].values(column)
        if label in field.embedded:
            found = map_unique(values, lambda v: tuple(find_references(v)))
            text[label] = np.array([" ".join(refs) for refs in found], dtype=object)
            lengths = np.fromiter((len(refs) for refs in found), dtype=np.int64, count=len(found))
            exploded_rows[label] = np.repeat(np.arange(len(found)), lengths)
            exploded_values[label] = np.array([r for refs in found for r in refs], dtype=object)
        else:
            normal = normalised_column(tables[label], column, normalise_reference)
            text[label] = normal
            exploded_rows[label] = np.arange(len(normal))
            exploded_values[label] = normal
    codes = _factorise(exploded_values)
    multi = {}
    single = {}
    for label in field.columns:
        keep = codes[label] >= 0
        multi[label] = (exploded_rows[label][keep], codes[label][keep])
        first = np.full(len(text[label]), -1, dtype=np.int64)
        rows, row_codes = multi[label]
        first[rows[::-1]] = row_codes[::-1]  # the first ID of each row
        single[label] = first
    return FieldValues(field, "id", text, single, multi=multi)


@dataclass
class _Joint:
    """A function of a field's values, worked out once per distinct value across all its
    tables (ERP and CRM mostly hold the same names): the results, and each table's rows
    as indices into them."""

    results: np.ndarray
    rows: dict[str, np.ndarray]

    def per_row(self, results: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """The results (or another array of one entry per result) row by row."""
        source = self.results if results is None else results
        return {label: source[where] for label, where in self.rows.items()}

    def codes(self, texts: np.ndarray) -> dict[str, np.ndarray]:
        """Shared codes of texts given per result (-1 where empty), row by row: factorised
        over the distinct results, not over every row, numbered as :func:`_factorise`
        numbers the rows' texts."""
        codes, _ = pd.factorize(texts)
        codes = codes.astype(np.int64)
        codes[texts == ""] = -1
        return self.per_row(codes)


def _joint(tables: dict[str, Table], field: Field, function: Callable[[str], object]) -> _Joint:
    """``function`` of every value of a field, once per distinct value, unless aligning
    the tables already computed it column by column (IDs, phones, e-mails)."""
    cached = {
        label: cached_column(tables[label], column, function)
        for label, column in field.columns.items()
    }
    parts: list = list(cached.values())
    if any(values is None for values in parts):
        parts = [tables[label].values(column) for label, column in field.columns.items()]
        results, where = map_distinct(pd.concat(parts, ignore_index=True), function)
    else:
        results = np.concatenate(parts)
        where = np.arange(len(results))
    rows, start = {}, 0
    for label, part in zip(field.columns, parts, strict=True):
        rows[label] = where[start : start + len(part)]
        start += len(part)
    return _Joint(results, rows)


def _company_regions(
    names: _Joint, tables: dict[str, Table], mapping: Mapping
) -> dict[str, np.ndarray]:
    """Each record's region: the one its name carries, else the city column's or the
    address's (华信科技 in a record of 西安 is not 广州华信科技). Not for a branch: its name
    carries the head office's region, its address the branch's."""
    places = [f for f in mapping.fields if f.concept == "city"]
    places += [f for f in mapping.fields if f.type == T.ADDRESS]
    regions = names.per_row(np.array([region for _, region in names.results], dtype=object))
    branches = names.per_row(np.array([is_branch(name) for name, _ in names.results], dtype=bool))
    for label, found in regions.items():
        for place in places:
            missing = (found == "") & ~branches[label]
            if place.columns.get(label) is None or not missing.any():
                continue
            around = normalised_column(tables[label], place.columns[label], place_region)
            found[missing] = around[missing]
    return regions


def _region_codes(
    regions: dict[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Each record's region as a code, and the code of the province that holds it (-1 for
    a province, a municipality or no region), both in one code space."""
    holders = {
        f"{label}\0province": np.array([PROVINCE_OF.get(r, "") for r in values], dtype=object)
        for label, values in regions.items()
    }
    codes = _factorise({**regions, **holders})
    return {k: codes[k] for k in regions}, {k: codes[f"{k}\0province"] for k in regions}


def prepare(tables: Sequence[Table], mapping: Mapping, fields: Sequence[Field]) -> Prepared:
    """Normalise the values of ``fields`` in every table."""
    by_label = {t.label: t for t in tables}
    prepared: dict[str, FieldValues] = {}
    for field in fields:
        if field.embedded:
            prepared[field.name] = _prepare_embedded(field, by_label)
            continue
        number = None
        region = province = None
        if field.type in _NUMBER_PARSERS:
            number = {
                k: v.astype(np.float64)
                * (header_scale(field.columns[k]) if field.type == T.MONEY else 1)
                for k, v in _joint(by_label, field, _NUMBER_PARSERS[field.type]).per_row().items()
            }
            text = {
                k: np.where(np.isnan(v), "", v.astype(str)).astype(object)
                for k, v in number.items()
            }
            codes = _factorise(text)
        elif field.type == T.COMPANY:
            both = _joint(by_label, field, analyse_company)
            names = np.array([name for name, _ in both.results], dtype=object)
            text, codes = both.per_row(names), both.codes(names)
            region, province = _region_codes(_company_regions(both, by_label, mapping))
        elif field.type in (T.KEY, T.REFERENCE):  # already normalised when aligning IDs
            text = {
                label: normalised_column(by_label[label], column, normalise_reference)
                for label, column in field.columns.items()
            }
            codes = _factorise(text)
        else:
            found = _joint(by_label, field, _TEXT_NORMALISERS.get(field.type, normalise_text))
            text, codes = found.per_row(), found.codes(found.results)
        prepared[field.name] = FieldValues(
            field, KINDS[field.type], text, codes, number, region, province
        )
    return Prepared({t.label: len(t) for t in tables}, prepared)
