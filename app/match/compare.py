"""Comparison levels: how alike two records are in one field (DESIGN.md step 5).

Each comparison *kind* maps a pair of normalised values to a small integer level, from
0 (different) up to the highest (equal); -1 means a value is missing, which the model
treats as no evidence either way. Levels are computed for whole arrays of pairs at once:
integer codes for equality, rapidfuzz's multi-threaded ``cpdist`` for string similarity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from app.match.arrays import distinct, expand, sorted_ranges
from app.match.prepare import FieldValues

MISSING = -1
PARALLEL_FROM = 2_000  # pairs; below this one thread compares faster than starting several


@dataclass(frozen=True)
class Kind:
    """A comparison kind: its level names, lowest (different) first."""

    name: str
    levels: tuple[str, ...]


KINDS = {
    "id": Kind("id", ("different", "equal")),
    "exact": Kind("exact", ("different", "equal")),
    "phone": Kind("phone", ("different", "same last 7 digits", "equal")),
    "company": Kind(
        "company", ("different", "similar", "very similar", "same name, other region", "equal")
    ),
    "name": Kind("name", ("different", "similar", "very similar", "equal")),
    "text": Kind("text", ("different", "similar", "very similar", "equal")),
    "money": Kind("money", ("different", "within 10%", "within 1%", "equal to the cent")),
    "number": Kind("number", ("different", "within 10%", "equal")),
    "date": Kind(
        "date", ("different", "within 30 days", "within 7 days", "within 1 day", "same day")
    ),
    "status": Kind("status", ("different", "equal")),
}


def _similarity(
    values: FieldValues, a: str, b: str, i: np.ndarray, j: np.ndarray, scorer: object
) -> np.ndarray:
    """``scorer`` over the pairs' texts, each distinct pair of values scored once: a city
    column repeats a few thousand pairs of values across millions of pairs of records."""
    width = np.int64(max(values.code_count(a, b), 1))
    which, pairs = pd.factorize(values.codes[a][i] * width + values.codes[b][j])
    one = np.empty(len(pairs), dtype=np.int64)  # a record pair holding each: any will do
    one[which] = np.arange(len(which))
    left = values.text[a][i[one]].tolist()
    right = values.text[b][j[one]].tolist()
    workers = -1 if len(left) > PARALLEL_FROM else 1  # threads cost more than a few pairs
    scores = process.cpdist(left, right, scorer=scorer, workers=workers, dtype=np.float32)  # type: ignore[arg-type]
    return scores[which]


def _thresholds(similarity: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    levels = np.zeros(len(similarity), dtype=np.int8)
    for level, cut in enumerate(cuts, start=1):
        levels[similarity >= cut] = level
    return levels


def levels(values: FieldValues, a: str, b: str, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The comparison level of every pair (i in ``a``, j in ``b``) for one field."""
    kind = values.kind
    code_a, code_b = values.codes[a][i], values.codes[b][j]
    missing = (code_a < 0) | (code_b < 0)
    equal = (code_a == code_b) & ~missing
    out = np.zeros(len(i), dtype=np.int8)
    if kind == "id" and values.multi is not None:
        equal = _shares_any(values, a, b, i, j)
        missing = _has_none(values, a, i) | _has_none(values, b, j)
        out[equal] = 1
    elif kind in ("id", "exact", "status"):
        out[equal] = 1
    elif kind == "phone":
        tails = _tails(values)
        out[(tails[a][i] == tails[b][j]) & ~missing] = 1
        out[equal] = 2
    elif kind in ("company", "name", "text"):
        todo = np.flatnonzero(~equal & ~missing)
        scorer = fuzz.token_set_ratio if kind == "text" else JaroWinkler.normalized_similarity
        similarity = _similarity(values, a, b, i[todo], j[todo], scorer)
        if kind == "text":
            similarity = similarity / 100.0
        cuts = (
            (0.80, 0.92) if kind == "company" else (0.70, 0.88) if kind == "name" else (0.6, 0.85)
        )
        out[todo] = _thresholds(similarity, cuts)
        top = len(KINDS[kind].levels) - 1
        out[equal] = top
        if kind == "company" and values.region is not None:
            out[equal & region_clash(values, a, b, i, j)] = top - 1
    elif kind in ("money", "number"):
        x, y = values.number[a][i], values.number[b][j]  # type: ignore[index]
        missing = np.isnan(x) | np.isnan(y)
        scale = np.maximum(np.abs(x), np.abs(y))
        with np.errstate(invalid="ignore", divide="ignore"):
            relative = np.where(scale > 0, np.abs(x - y) / scale, 0.0)
        if kind == "money":
            out = _thresholds(-relative, (-0.10, -0.01)).astype(np.int8)
            out[np.abs(x - y) < 0.005] = 3
        else:
            out[relative <= 0.10] = 1
            out[np.abs(x - y) < 1e-9] = 2
    elif kind == "date":
        x, y = values.number[a][i], values.number[b][j]  # type: ignore[index]
        missing = np.isnan(x) | np.isnan(y)
        gap = np.abs(np.floor(x) - np.floor(y))
        out = _thresholds(-gap, (-30, -7, -1, 0)).astype(np.int8)
    out[missing] = MISSING
    return out


def region_clash(values: FieldValues, a: str, b: str, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Which pairs' records lie in two known regions, neither holding the other (广东 holds
    广州: no clash; 陕西 and 株洲 clash). Company fields only (``values.region``)."""
    assert values.region is not None
    region_a, region_b = values.region[a][i], values.region[b][j]
    clash = (region_a >= 0) & (region_b >= 0) & (region_a != region_b)
    if values.province is not None:
        clash &= (values.province[a][i] != region_b) & (values.province[b][j] != region_a)
    return clash


def _tails(values: FieldValues) -> dict[str, np.ndarray]:
    """Per table, each row's code for the last seven digits of its number (a local
    number without its area code), worked out once per distinct number."""
    with values.filling:
        if values.tails is None:
            each, texts = values.distinct()
            tail, _ = pd.factorize(pd.Series([t[-7:] for t in texts], dtype=object))
            lookup = np.full(int(each.max(initial=0)) + 1, -1, dtype=np.int64)
            lookup[each] = tail
            values.tails = {
                label: np.where(row_codes >= 0, lookup[np.maximum(row_codes, 0)], -1)
                for label, row_codes in values.codes.items()
            }
        return values.tails


def _shares_any(values: FieldValues, a: str, b: str, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether the ID sets of the two records intersect (IDs found inside text)."""
    assert values.multi is not None
    rows_a, codes_a = values.multi[a]
    rows_b, codes_b = values.multi[b]
    width = np.int64(max(int(codes_a.max(initial=0)), int(codes_b.max(initial=0))) + 1)
    if len(i) * 64 < len(rows_b):  # a few pairs (one link explained): only their b rows
        keep = np.isin(rows_b, j)
        rows_b, codes_b = rows_b[keep], codes_b[keep]
    known_b = distinct(rows_b * width + codes_b)
    order, start, count = sorted_ranges(rows_a, i)
    pair, position = expand(start, count)
    ids = codes_a[order][position]
    hits = np.isin(j[pair] * width + ids, known_b)
    result = np.zeros(len(i), dtype=bool)
    result[pair[hits]] = True
    return result


def _has_none(values: FieldValues, label: str, rows: np.ndarray) -> np.ndarray:
    assert values.multi is not None
    present = np.zeros(len(values.text[label]), dtype=bool)
    present[values.multi[label][0]] = True
    return ~present[rows]
