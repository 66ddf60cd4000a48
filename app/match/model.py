"""Fellegi–Sunter match weights, estimated without labels (DESIGN.md step 5).

For each field and comparison level, ``m`` is the chance of that level among true
matches and ``u`` among non-matches. ``u`` is measured on random pairs (almost all
non-matches); the prior share of matches ``λ`` from an *anchor* — the candidates that agree
fully on two or more telling fields — as Splink estimates it; ``m`` by the EM M-step on the
anchor's responsibilities (``EM_ITERATIONS`` steps; ``u`` and ``λ`` held fixed). Further EM
steps over blocked candidates were measured to drift towards a class of look-alikes (orders
of one customer or one day, people sharing a common name) and lose precision, so they are
not taken by default. Exact agreement on a name is worth more when the name is rare: the
``u`` of the top level is replaced by the value's own frequency (term-frequency
adjustment, bounded to ``TF_CLIP`` bits; for a person's name only downwards).

A pair's match weight is ``log2(λ / (1-λ)) + Σ log2(m/u)`` over its fields, so every score
decomposes into per-field contributions: :meth:`MatchModel.explain`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.match.compare import KINDS, MISSING, levels
from app.match.prepare import FieldValues

RANDOM_PAIRS = 200_000
EM_ITERATIONS = (
    1  # the M-step on the anchored pairs; more steps on blocked pairs drift (see estimate)
)
TF_KINDS = frozenset({"company", "name", "text"})
RECALL_OF_ANCHOR = 0.8
TELLING = 0.01  # a field is telling when fewer than 1 % of random pairs agree on it
TF_CLIP = 3.0  # bits a rare (or common) name may add to (or take from) exact agreement
_FLOOR = 1e-6
NAMES_DIFFER = -1.0  # the most weight a pair of differently named companies may have
_OTHER_REGION = KINDS["company"].levels.index("same name, other region")


@dataclass
class FieldModel:
    name: str
    kind: str
    m: np.ndarray
    u: np.ndarray

    @property
    def bits(self) -> np.ndarray:
        bits = np.log2(np.maximum(self.m, _FLOOR) / np.maximum(self.u, _FLOOR))
        if self.kind == "company":
            # Random pairs almost never share a trade name, so u makes "same name, other
            # region" look like strong evidence; but a name is registered per region, and
            # among records that share one, another region is what tells two companies
            # apart. The level is no evidence for a match: the other fields decide.
            bits[_OTHER_REGION] = min(bits[_OTHER_REGION], 0.0)
        return bits


@dataclass
class Contribution:
    """One field's part of a pair's match weight."""

    field: str
    level: str
    bits: float  # log2 Bayes factor: > 0 for evidence of a match


@dataclass
class PairLevels:
    """Comparison levels of a set of pairs, per field, plus term frequencies."""

    i: np.ndarray
    j: np.ndarray
    levels: dict[str, np.ndarray]
    tf_bits: dict[str, np.ndarray]  # per field: the adjustment for exact agreement


def _term_frequency(values: FieldValues, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    """Per record of a and b: the share of non-empty values (both tables) equal to it.
    Computed once per field and table pair, then looked up: the chaining guard of a
    dedupe asks for a handful of pairs at a time, thousands of times."""
    if (a, b) not in values.shares:
        values.shares[(a, b)] = _shares(values, a, b)
    return values.shares[(a, b)]


def _shares(values: FieldValues, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    codes = np.concatenate([values.codes[a], values.codes[b]] if a != b else [values.codes[a]])
    valid = codes[codes >= 0]
    if not len(valid):
        return np.zeros(len(values.codes[a])), np.zeros(len(values.codes[b]))
    counts = np.bincount(valid)
    share = counts / len(valid)

    def lookup(c: np.ndarray) -> np.ndarray:
        return np.where(c >= 0, share[np.maximum(c, 0)], 0.0)

    return lookup(values.codes[a]), lookup(values.codes[b])


def compute_levels(
    fields: dict[str, FieldValues], a: str, b: str, i: np.ndarray, j: np.ndarray
) -> PairLevels:
    """Levels of every field for the pairs (i in a, j in b)."""
    result: dict[str, np.ndarray] = {}
    tf: dict[str, np.ndarray] = {}
    for name, values in fields.items():
        result[name] = levels(values, a, b, i, j)
        if values.kind in TF_KINDS:
            share_a, share_b = _term_frequency(values, a, b)
            tf[name] = np.maximum(share_a[i], share_b[j])
    return PairLevels(i, j, result, tf)


@dataclass
class MatchModel:
    """Weights for one pair of tables (or one table against itself)."""

    a: str
    b: str
    fields: list[FieldModel]
    prior: float  # λ: share of candidate pairs that are matches
    # Dedupe of companies: the name fields that tell two companies apart, and the
    # identifier fields (USCC, keys) whose agreement makes a match whatever the names say.
    named_by: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()

    def weights(self, pairs: PairLevels) -> np.ndarray:
        total = self._sum(pairs)
        unnamed = self._names_differ(pairs.levels)
        if unnamed is not None:
            total[unnamed] = np.minimum(total[unnamed], NAMES_DIFFER)
        return total

    def _names_differ(self, levels: dict[str, np.ndarray]) -> np.ndarray | None:
        """The pairs whose company names differ outright and that share no identifier.

        Records of two companies share an address (one office building), a switchboard,
        a contact or an agent's e-mail often enough, and each of those fields is rare
        among random pairs, so together they would outweigh the names. A company is told
        by its name or its registered identifiers: without either, the pair stays below
        the review band, whatever else it shares."""
        if not self.named_by:
            return None
        differ = [levels[name] == 0 for name in self.named_by]
        differ += [levels[name] != 1 for name in self.identifiers]
        return np.logical_and.reduce(differ)

    def _sum(self, pairs: PairLevels) -> np.ndarray:
        total = np.full(len(pairs.i), np.log2(self.prior / (1 - self.prior)))
        for model in self.fields:
            level = pairs.levels[model.name]
            known = level != MISSING
            total[known] += model.bits[level[known]]
            if model.name in pairs.tf_bits:
                top = len(model.m) - 1
                exact = level == top
                tf = np.maximum(pairs.tf_bits[model.name][exact], _FLOOR)
                total[exact] += np.clip(np.log2(model.u[top] / tf), -TF_CLIP, _bonus(model))
        return total

    def explain(self, pairs: PairLevels, index: int) -> list[Contribution]:
        """Why pair ``index`` scored as it did: the prior, then one entry per field."""
        out = [Contribution("prior", "", float(np.log2(self.prior / (1 - self.prior))))]
        for model in self.fields:
            level = int(pairs.levels[model.name][index])
            if level == MISSING:
                out.append(Contribution(model.name, "missing", 0.0))
                continue
            bits = float(model.bits[level])
            if model.name in pairs.tf_bits and level == len(model.m) - 1:
                tf = max(float(pairs.tf_bits[model.name][index]), _FLOOR)
                bits += float(np.clip(np.log2(model.u[level] / tf), -TF_CLIP, _bonus(model)))
            out.append(Contribution(model.name, KINDS[model.kind].levels[level], bits))
        unnamed = self._names_differ({k: v[index : index + 1] for k, v in pairs.levels.items()})
        total = sum(c.bits for c in out)
        if unnamed is not None and unnamed[0] and total > NAMES_DIFFER:
            out.append(Contribution("names differ", "no identifier agrees", NAMES_DIFFER - total))
        return out


def _bonus(model: FieldModel) -> float:
    """The most a rare value may add to exact agreement: nothing for a person's name (two
    companies' contacts share a rare-looking name often enough among a million records)."""
    return 0.0 if model.kind == "name" else TF_CLIP


def probability(weight: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.power(2.0, -np.clip(weight, -60, 60)))


def _random_pairs(
    size_a: int, size_b: int, same: bool, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    count = min(RANDOM_PAIRS, size_a * size_b)
    i = rng.integers(0, size_a, count)
    j = rng.integers(0, size_b, count)
    if same:
        keep = i != j
        i, j = i[keep], j[keep]
    return i, j


def _distribution(level: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    known = level != MISSING
    w = np.ones(len(level)) if weights is None else weights
    counts = np.bincount(level[known].astype(np.int64), weights=w[known], minlength=size)
    counts = counts + 0.5  # a pseudo-count keeps unseen levels possible
    return counts / counts.sum()


def _initial_m(size: int) -> np.ndarray:
    """Before EM: matches mostly agree fully, with a tail of partial agreement."""
    m = np.array([0.5 ** (size - 1 - k) for k in range(size)], dtype=float)
    m[-1] = 4.0
    return m / m.sum()


def estimate(
    fields: dict[str, FieldValues],
    a: str,
    b: str,
    sizes: tuple[int, int],
    candidates: PairLevels,
    seed: int = 0,
    one_to_one: bool = False,
    ruled_out: int = 0,
) -> MatchModel:
    """Fit u on random pairs, λ from the anchor (the pairs agreeing fully on two telling
    fields, taken as 80 % of the matches), and m by EM started from the anchor.

    ``one_to_one`` (reconcile): a record matches at most one record of the other table, so
    each E-step (when more than one step is taken) scales a record's match probabilities
    to sum to at most one: its many weak look-alikes cannot together outweigh its match.
    ``ruled_out``: pairs blocking considered but left out as no evidence, counted with
    the candidates for the prior (leaving them out of the count would raise every pair's
    odds).
    """
    rng = np.random.default_rng(seed)
    ri, rj = _random_pairs(sizes[0], sizes[1], a == b, rng)
    random_levels = compute_levels(fields, a, b, ri, rj)
    models = []
    for name, values in fields.items():
        size = len(KINDS[values.kind].levels)
        u = _distribution(random_levels.levels[name], size)
        models.append(FieldModel(name, values.kind, _initial_m(size), u))
    n = len(candidates.i)
    considered = n + ruled_out
    ceiling = min(0.999, max(min(sizes) / max(considered, 1), 1e-6))
    model = MatchModel(a, b, models, prior=min(0.5, ceiling))
    if n == 0:
        return model
    agreeing, needed = _agreements(candidates, models, min(sizes))
    # λ from the anchor, as Splink estimates it (anchored pairs taken as 80 % of all
    # matches), held fixed; m from the anchored pairs, then a few EM steps. Left to run
    # longer, EM on blocked pairs drifts to another class of look-alikes (orders of one
    # customer, orders of one day, people sharing a common name).
    p = np.where(agreeing >= needed, 0.95, 0.0)
    anchored = float((agreeing >= needed).sum())
    model.prior = float(np.clip(max(anchored / RECALL_OF_ANCHOR, 1.0) / considered, 1e-6, ceiling))
    plain = PairLevels(candidates.i, candidates.j, candidates.levels, {})
    for _ in range(EM_ITERATIONS):
        previous = [f.m.copy() for f in models]
        for field in models:
            field.m = _distribution(candidates.levels[field.name], len(field.m), p)
        change = max(
            float(np.abs(f.m - old).max()) for f, old in zip(models, previous, strict=True)
        )
        if change < 1e-5:
            break
        p = probability(model.weights(plain))
        if one_to_one:
            p = _at_most_one(p, candidates.i, candidates.j)
    return model


def _agreements(
    candidates: PairLevels, models: list[FieldModel], smallest: int
) -> tuple[np.ndarray, int]:
    """How many telling fields each pair agrees on fully, and how many make an anchor.

    A field is telling when random pairs rarely agree on it (below 1 %, or 2 in the
    smaller table's size for small tables): a name, a phone, an amount to the cent — not a
    province or a gender.
    """
    agreeing = np.zeros(len(candidates.i), dtype=np.int64)
    telling = [f for f in models if f.u[-1] < max(TELLING, 2 / max(smallest, 1))]
    for field in telling:
        agreeing += candidates.levels[field.name] == len(field.m) - 1
    return agreeing, 2 if len(telling) > 1 else 1


def _at_most_one(p: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Scale probabilities so that each record's sum over its candidates is at most one."""
    per_i = np.bincount(i, weights=p)
    per_j = np.bincount(j, weights=p)
    return p / np.maximum(1.0, np.maximum(per_i[i], per_j[j]))
