"""Candidate pairs: which records are worth comparing (DESIGN.md step 4).

Never all pairs. Each *rule* is a join on one field's normalised codes (identifiers,
USCC, phones, names, amounts to the cent) or on the rarest character bigrams of a name,
plus a sorted neighbourhood on amounts and dates. A rule whose joins would produce more
than a set multiple of the table size is too unselective to help (a status, a province)
and is skipped, and within a rule an over-full block (a very common surname) is left
out, so the candidate count grows linearly with the tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app.match.arrays import DENSE, distinct, expand, sorted_ranges
from app.match.compare import region_clash
from app.match.prepare import FieldValues, Prepared

MAX_PAIRS_PER_RECORD = 10  # a rule may add at most this many pairs per record
MAX_BLOCK = 400  # pairs from one key value (20 × 20)
WINDOW = 2  # sorted-neighbourhood reach on each side
MIN_BUDGET = 100_000  # small tables may afford looser rules
WEEK = 7.0


@dataclass
class Candidates:
    """Pairs (i in table ``a``, j in table ``b``); for dedupe of one table a == b, i < j."""

    a: str
    b: str
    i: np.ndarray
    j: np.ndarray
    rules: dict[str, int] = field(default_factory=dict)  # pairs each rule contributed
    # Pairs a rule joined and then ruled out as no evidence (one name in two regions):
    # considered all the same, so they count where the model estimates its prior.
    ruled_out: int = 0

    def __len__(self) -> int:
        return len(self.i)


def join(
    rows_a: np.ndarray,
    codes_a: np.ndarray,
    rows_b: np.ndarray,
    codes_b: np.ndarray,
    max_block: int = MAX_BLOCK,
    limit: int | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """All (row_a, row_b) whose codes are equal (codes < 0 are missing and never join);
    None when that would be more than ``limit`` pairs (counted before over-full blocks
    are left out)."""
    keep_a, keep_b = codes_a >= 0, codes_b >= 0
    rows_a, codes_a, rows_b, codes_b = (
        rows_a[keep_a],
        codes_a[keep_a],
        rows_b[keep_b],
        codes_b[keep_b],
    )
    order, left, counts = sorted_ranges(codes_b, codes_a)
    if limit is not None and int(counts.sum()) > limit:
        return None
    if max_block and len(codes_a):
        counts = np.where(_occurrences(codes_a) * counts > max_block, 0, counts)
    owner, position = expand(left, counts)
    return rows_a[owner].astype(np.int64), rows_b[order][position].astype(np.int64)


def _occurrences(codes: np.ndarray) -> np.ndarray:
    """For each element, how many elements hold its code (codes >= 0)."""
    if codes.max() <= DENSE * len(codes):  # codes, not composite keys: count them
        return np.bincount(codes)[codes]
    return pd.Series(codes).groupby(codes).transform("size").to_numpy()


def _grams(values: FieldValues) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value's character bigrams as (value code, bigram id) pairs, ids in
    the bigrams' sorted order, pairs ordered by value; worked out once per field, for every
    pair of tables."""
    with values.filling:
        if values.bigrams is None:
            each, texts = values.distinct()
            owner, pair = _pair_codes(["".join(t.split()) for t in texts])
            ids, vocabulary = pd.factorize(pair, sort=True)  # codes sort as their bigrams do
            width = max(len(vocabulary), 1)
            key = distinct(owner * width + ids)  # each bigram once per value
            values.bigrams = (each[key // width], key % width)
        return values.bigrams


GRAM_BLOCK = 100_000  # values whose bigrams are taken apart in one array
LONG_TEXT = 64  # characters; a longer value (rare) is taken apart on its own


def _pair_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(index into ``texts``, code) of every character bigram of every text, the code
    ``ord(first) << 21 | ord(second)`` (code points need 21 bits), so codes sort as the
    bigrams do. Texts up to ``LONG_TEXT`` characters go through numpy a block at a time,
    as rows of code points."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    owners, codes = [], []
    short = np.flatnonzero(lengths <= LONG_TEXT)
    for start in range(0, len(short), GRAM_BLOCK):
        rows = short[start : start + GRAM_BLOCK]
        width = int(lengths[rows].max(initial=0))
        if width < 2:
            continue
        block = np.array([texts[r] for r in rows.tolist()], dtype=f"<U{width}")
        points = block.view(np.uint32).reshape(len(rows), width).astype(np.int64)
        pairs = points[:, :-1] << 21 | points[:, 1:]
        # bigrams that end inside their text, not in the padding after it
        codes.append(pairs[np.arange(1, width) < lengths[rows][:, None]])
        owners.append(np.repeat(rows, np.maximum(lengths[rows] - 1, 0)))
    for r in np.flatnonzero(lengths > LONG_TEXT).tolist():
        text = texts[r]
        owners.append(np.full(len(text) - 1, r, dtype=np.int64))
        pairs = [ord(a) << 21 | ord(b) for a, b in itertools.pairwise(text)]
        codes.append(np.array(pairs, dtype=np.int64))
    if not codes:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(owners), np.concatenate(codes)


def _bigram_codes(
    values: FieldValues, labels: list[str], keep: int = 2
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each record's ``keep`` rarest character bigrams (rarity counted over all rows of
    ``labels``; ties go to the bigram that sorts first)."""
    owner, gram = _grams(values)
    size = values.code_count()
    codes = np.concatenate([values.codes[label] for label in labels])
    rows_of = np.bincount(codes[codes >= 0], minlength=size)  # rows holding each value
    present = rows_of[owner] > 0
    owner, gram = owner[present], gram[present]
    counts = np.bincount(gram, weights=rows_of[owner])
    rarest = np.lexsort((np.arange(len(counts)), counts))  # bigrams, rarest first
    rank = np.empty(len(counts), dtype=np.int64)
    rank[rarest] = np.arange(len(counts))
    chosen = np.full((size, keep), -1, dtype=np.int64)
    if len(owner):  # a value's bigrams lie together (``_grams``): take the rarest per run
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        lengths = np.diff(np.r_[starts, len(owner)])
        ranks, taken = rank[gram], len(counts)
        for slot in range(keep):
            low = np.minimum.reduceat(ranks, starts)
            found = low < taken
            chosen[owner[starts[found]], slot] = rarest[low[found]]
            ranks = np.where(ranks == np.repeat(low, lengths), taken, ranks)
    out = {}
    for label in labels:
        row_codes = values.codes[label]
        rows = np.flatnonzero(row_codes >= 0)
        flat = chosen[row_codes[rows]].ravel()
        rows = np.repeat(rows, keep)
        out[label] = (rows[flat >= 0], flat[flat >= 0])
    return out


def _equal_names(values: FieldValues, a: str, b: str) -> int:
    """The fewest pairs the bigram rule joins (as :func:`join` counts them): every two
    records with one name of two or more characters, whose rarest bigrams are the same."""
    size = values.code_count(a, b)
    rows, codes, counts = [], [], []
    for label in (a, b):
        rows.append(np.flatnonzero(values.codes[label] >= 0))
        codes.append(values.codes[label][rows[-1]])
        counts.append(np.bincount(codes[-1], minlength=size))
    shared = np.flatnonzero(counts[0] * counts[1])  # values in both tables
    one = np.empty(size, dtype=np.int64)  # a row of ``a`` holding each value
    one[codes[0]] = rows[0]
    texts = values.text[a][one[shared]].tolist()
    named = np.fromiter(map(len, texts), np.int64, len(texts)) >= 2
    return int(counts[0][shared[named]] @ counts[1][shared[named]])


SAMPLE_EVERY = 16  # one value in this many gauges a bigram rule before it is worked out
GAUGED_FROM = 100_000  # distinct values; with fewer a sample says too little, and the
# rule costs little to work out


def _bigram_pairs(values: FieldValues, a: str, b: str) -> int:
    """How many pairs the bigram rule joins, counted as :func:`join` counts them."""
    grams = _bigram_codes(values, [a, b] if a != b else [a])
    return int(sorted_ranges(grams[b][1], grams[a][1])[2].sum())


def _too_loose(values: FieldValues, a: str, b: str, limit: int) -> bool:
    """Whether the bigram rule would join far more than ``limit`` pairs, judged before
    every value's rarest bigrams are worked out (seconds at a million records, for a
    rule then dropped): the pairs of equal names exactly, the others from the values
    whose code is a multiple of ``SAMPLE_EVERY``, scaled up by its square, and twice the
    limit allowed for the error of a sample."""
    equal = _equal_names(values, a, b)
    if equal > limit or values.code_count(a, b) < GAUGED_FROM:
        return equal > limit
    text, codes = {}, {}
    for label in {a, b}:
        rows = np.flatnonzero(values.codes[label] % SAMPLE_EVERY == 0)  # missing: -1, out
        text[label], codes[label] = values.text[label][rows], values.codes[label][rows]
    sample = FieldValues(values.field, values.kind, text, codes)
    others = _bigram_pairs(sample, a, b) - _equal_names(sample, a, b)
    return equal + others * SAMPLE_EVERY**2 > 2 * limit


def _rules(
    values: FieldValues, a: str, b: str, limit: int
) -> Iterator[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(rule name, rows_a, codes_a, rows_b, codes_b) for one field; no bigram rule when
    it would join more than ``limit`` pairs."""
    name = values.field.name
    if values.kind == "status":
        return
    if values.multi is not None:
        (ra, ca), (rb, cb) = values.multi[a], values.multi[b]
        yield f"{name}=", ra, ca, rb, cb
        return
    ca, cb = values.codes[a], values.codes[b]
    yield f"{name}=", np.arange(len(ca)), ca, np.arange(len(cb)), cb
    if values.kind in ("company", "name", "text") and not _too_loose(values, a, b, limit):
        grams = _bigram_codes(values, [a, b] if a != b else [a])
        (ra, ca2), (rb, cb2) = grams[a], grams[b]
        yield f"{name}~bigram", ra, ca2, rb, cb2


def _neighbourhood(
    values: FieldValues, a: str, b: str, window: int = WINDOW
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of records close in sort order of a number (amount, date)."""
    assert values.number is not None
    xa, xb = values.number[a], values.number[b]
    same = a == b
    keys = xa if same else np.concatenate([xa, xb])
    source = (
        np.zeros(len(xa), dtype=bool)
        if same
        else np.concatenate([np.zeros(len(xa), bool), np.ones(len(xb), bool)])
    )
    rows = np.arange(len(xa)) if same else np.concatenate([np.arange(len(xa)), np.arange(len(xb))])
    valid = ~np.isnan(keys)
    order = np.flatnonzero(valid)[np.argsort(keys[valid], kind="stable")]
    found_a, found_b = [], []
    for offset in range(1, window + 1):
        left, right = order[:-offset], order[offset:]
        if same:
            found_a.append(rows[left])
            found_b.append(rows[right])
            continue
        cross = source[left] != source[right]
        left, right = left[cross], right[cross]
        first_is_a = ~source[left]
        found_a.append(np.where(first_is_a, rows[left], rows[right]))
        found_b.append(np.where(first_is_a, rows[right], rows[left]))
    return np.concatenate(found_a), np.concatenate(found_b)


def _combine(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """One code for a pair of codes (-1 when either is missing)."""
    return np.where((left >= 0) & (right >= 0), left * np.int64(1 << 24) + right, -1)


def _week(values: FieldValues, label: str, shift: float) -> np.ndarray:
    days = values.number[label]  # type: ignore[index]
    return np.where(np.isnan(days), -1, np.floor((np.nan_to_num(days) + shift) / WEEK)).astype(
        np.int64
    )


def _identity(prepared: Prepared, names: list[str]) -> FieldValues | None:
    """The field naming who a record is: its company or person name."""
    return next(
        (prepared.fields[n] for n in names if prepared.fields[n].kind in ("company", "name")), None
    )


def _composites(  # type: ignore[no-untyped-def]
    prepared: Prepared, names: list[str], a: str, b: str, placed: FieldValues | None
):
    """Composite keys, selective where each part alone is not: a trade name many cities
    share, a customer with many orders, a standard price many orders share, a busy day.
    The same company name in the same region; the same name and amount; the same name in
    the same week; the same amount in the same week (weeks on two grids half a week apart,
    so that dates a day apart always share one). ``placed``: the company name whose
    regions place the records (a dedupe of companies), or None."""
    kinds = {n: prepared.fields[n].kind for n in names}
    identity = _identity(prepared, names)
    moneys = [prepared.fields[n] for n in names if kinds[n] == "money"]
    times = [prepared.fields[n] for n in names if kinds[n] == "date"]
    rows_a, rows_b = np.arange(prepared.sizes[a]), np.arange(prepared.sizes[b])
    if placed is not None:
        assert placed.region is not None  # what placing means
        # A trade name recurs in many cities (华信科技); within one region it is one
        # company. Not for orders: a customer's orders in its region are all its orders,
        # a block that only adds look-alikes (100k own orders: conflicts P 0.949 → 0.919).
        yield (
            f"{placed.field.name}+region",
            rows_a,
            _combine(placed.codes[a], placed.region[a]),
            rows_b,
            _combine(placed.codes[b], placed.region[b]),
        )
    for money in moneys:
        if identity is not None:
            rule = f"{identity.field.name}+{money.field.name}"
            yield (
                rule,
                rows_a,
                _combine(identity.codes[a], money.codes[a]),
                rows_b,
                _combine(identity.codes[b], money.codes[b]),
            )
    for time in times:
        for shift in (0.0, WEEK / 2):
            mark = "~week+" if shift else "~week"
            for part in ([identity] if identity is not None else []) + moneys:
                rule = f"{part.field.name}+{time.field.name}{mark}"
                yield (
                    rule,
                    rows_a,
                    _combine(part.codes[a], _week(time, a, shift)),
                    rows_b,
                    _combine(part.codes[b], _week(time, b, shift)),
                )


def candidates(
    prepared: Prepared,
    a: str,
    b: str,
    fields: list[str] | None = None,
    *,
    per_record: int = MAX_PAIRS_PER_RECORD,
    window: int = WINDOW,
    regional: bool = False,
) -> Candidates:
    """Candidate pairs between tables ``a`` and ``b`` (``a == b``: within one table);
    ``regional`` (records that are companies): a company name joins records in its own
    region or of no known region, and also within its region alone when the name on its
    own is too common to join."""
    size_a, size_b = prepared.sizes[a], prepared.sizes[b]
    budget = max(per_record * max(size_a, size_b, 1), MIN_BUDGET)
    names = [
        name
        for name, values in prepared.fields.items()
        if (fields is None or name in fields)
        and a in values.field.columns
        and b in values.field.columns
    ]
    found_i, found_j, rules = [], [], {}
    ruled_out = 0

    def keep(rule: str, i: np.ndarray, j: np.ndarray) -> None:
        found_i.append(i)
        found_j.append(j)
        rules[rule] = len(i)

    loose = budget * 4  # a rule as loose as that: no help
    joins = [rule for name in names for rule in _rules(prepared.fields[name], a, b, loose)]
    placed = _identity(prepared, names) if regional else None
    if placed is not None and placed.region is None:  # a person's name: no region
        placed = None
    joins += list(_composites(prepared, names, a, b, placed))
    for rule, ra, ca, rb, cb in joins:
        found = join(ra, ca, rb, cb, limit=loose)
        if found is None or len(found[0]) > budget:
            continue
        if placed is not None and rule == f"{placed.field.name}=":
            # One trade name in two known regions is two companies (华信科技 of 西安 and
            # of 株洲), and that name is no evidence either way: only an identifier, a phone
            # or an address, joined by their own rules, can link them.
            elsewhere = region_clash(placed, a, b, *found)
            found = found[0][~elsewhere], found[1][~elsewhere]
            # Both orders of a pair when a == b, each pair once otherwise (a record has
            # one name); as if no other rule joined them, which few do.
            ruled_out += int(elsewhere.sum()) // (2 if a == b else 1)
        keep(rule, *found)
    for name in names:
        values = prepared.fields[name]
        if values.number is not None and values.kind == "money":
            keep(f"{name}~sorted", *_neighbourhood(values, a, b, window))
    return _union(a, b, found_i, found_j, size_b, rules, ruled_out)


def _union(
    a: str,
    b: str,
    found_i: list[np.ndarray],
    found_j: list[np.ndarray],
    size_b: int,
    rules: dict[str, int],
    ruled_out: int,
) -> Candidates:
    if not found_i:
        empty = np.array([], dtype=np.int64)
        return Candidates(a, b, empty, empty, rules, ruled_out)
    i = np.concatenate(found_i)
    j = np.concatenate(found_j)
    if a == b:
        i, j = np.minimum(i, j), np.maximum(i, j)
        keep = i != j
        i, j = i[keep], j[keep]
    encoded = distinct(i * np.int64(max(size_b, 1)) + j)
    i, j = encoded // max(size_b, 1), encoded % max(size_b, 1)
    return Candidates(a, b, i, j, rules, ruled_out)
