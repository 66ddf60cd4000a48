"""From tables to groups and conflicts: the matching pipeline behind reconcile and dedupe.

    profile columns → align fields → normalise → candidates → estimate → score → group → conflicts

Progress is reported through the callback (stage, fraction), which is also where a caller
cancels (see :mod:`app.progress`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, combinations_with_replacement

import numpy as np

from app import workers
from app.collector import few_collections
from app.errors import InputError
from app.mapping.align import Field, Mapping, align, rekey
from app.mapping.detect import profile_table
from app.mapping.profiles import ProfileStore, profile_with_store
from app.mapping.types import SemanticType as T
from app.match import blocking
from app.match.model import MatchModel, PairLevels, compute_levels, estimate, probability
from app.match.prepare import FieldValues, Prepared, prepare
from app.progress import Progress, no_progress, scaled
from app.reconcile import inventory
from app.reconcile.chain import KINDS as CHAIN_KINDS
from app.reconcile.chain import Documents, chain_exceptions, documents, roles
from app.reconcile.conflicts import Conflict, find_conflicts
from app.reconcile.groups import Constraints, Group, ScoredPairs, clusters, one_to_one
from app.reconcile.lines import LINE, as_documents, line_cell, line_findings
from app.reconcile.settings import FieldOverride, Settings
from app.sources.table import Table

RECONCILE = "reconcile"
DEDUPE = "dedupe"


@dataclass
class PairResult:
    """Everything about one pair of tables: candidates, their levels, the model."""

    a: str
    b: str
    levels: PairLevels
    model: MatchModel
    scored: ScoredPairs
    rules: dict[str, int]


@dataclass
class LinkResult:
    mode: str
    tables: list[Table]
    mapping: Mapping
    prepared: Prepared
    pairs: list[PairResult]
    groups: list[Group]
    conflicts: list[Conflict]
    timings: dict[str, float] = field(default_factory=dict)
    documents: Documents | None = None  # each record's document state (reconcile)
    roles: dict[str, str] = field(default_factory=dict)  # erp/crm/oa → table label
    inventory: dict[str, object] | None = None  # stock lists: accuracy (app.reconcile.inventory)
    _raw: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def candidates(self) -> int:
        return sum(len(p.levels.i) for p in self.pairs)

    def table(self, label: str) -> Table:
        return next(t for t in self.tables if t.label == label)

    def pair(self, a: str, b: str) -> PairResult | None:
        return next((p for p in self.pairs if (p.a, p.b) in ((a, b), (b, a))), None)

    def conflict_cells(self, conflict: Conflict) -> list[tuple[str, int, str, str]]:
        """(table, row, column, raw value) of each record of a conflict; for a chain
        exception the record's status columns and words, joined with " + "."""
        cells = []
        for label, row in conflict.members:
            if conflict.kind == LINE:
                column, raw = line_cell(self.table(label), row, conflict.field)
            elif conflict.kind in CHAIN_KINDS and self.documents is not None:
                column = " + ".join(self.documents.columns[label])
                raw = self.documents.words[label][row]
            else:
                column = self.prepared.fields[conflict.field].field.columns[label]
                if (label, column) not in self._raw:  # a Series lookup per cell is slow
                    self._raw[(label, column)] = self.table(label).values(column).to_numpy()
                raw = str(self._raw[(label, column)][row])
            cells.append((label, row, column, raw))
        return cells


def _check_labels(tables: Sequence[Table], settings: Settings) -> None:
    labels = [t.label for t in tables]
    for label in labels:
        if labels.count(label) > 1:
            raise InputError(
                f"two sources are labelled {label!r}",
                hint="give each a label of its own: LABEL=PATH",
            )
    named = [
        *settings.keys,
        *(label for f in settings.fields for label in f.columns),
        *(label for _role, label in settings.chain.roles),
        *settings.documents,
    ]
    for label in named:
        if label not in labels:
            raise InputError(
                f"unknown table label {label!r}", hint="labels given: " + ", ".join(labels)
            )


def _apply_overrides(
    mapping: Mapping, tables: Sequence[Table], overrides: Sequence[FieldOverride]
) -> None:
    for override in overrides:
        for label, column in override.columns.items():
            table = next(t for t in tables if t.label == label)
            if column not in [c.name for c in table.columns]:
                raise InputError(
                    f"table {label!r} has no column {column!r}",
                    path=table.path,
                    sheet=table.sheet,
                    hint="columns: " + ", ".join(c.name for c in table.columns),
                )
            for existing in mapping.fields:
                if existing.columns.get(label) == column:
                    del existing.columns[label]
        mapping.fields = [f for f in mapping.fields if f.columns]
        mapping.fields.append(Field(override.name, override.type, dict(override.columns), 1.0))


def _compared_fields(mapping: Mapping, mode: str) -> list[Field]:
    if mode == RECONCILE:
        return [f for f in mapping.fields if len(f.columns) >= 2]
    return [f for f in mapping.fields if not _is_own_key(mapping, f)]


def _is_own_key(mapping: Mapping, f: Field) -> bool:
    """A single table's key: unique by construction, never evidence within that table."""
    return len(f.columns) == 1 and all(
        mapping.profiles[label].key == column for label, column in f.columns.items()
    )


def _pair_fields(
    prepared: Prepared, mapping: Mapping, a: str, b: str, mode: str
) -> dict[str, FieldValues]:
    """The fields that are evidence for a match between records of ``a`` and ``b``.

    Not a single table's own key against itself, not fields that describe a record's
    handling (salesperson, remark), and in dedupe neither a status nor the time a record
    was created (two accounts opened the same minute are not one company). In reconcile a
    status is evidence: a pending approval goes with a pending order.
    """
    chosen = {}
    for name, values in prepared.fields.items():
        columns = values.field.columns
        if a not in columns or b not in columns or not values.field.evidence:
            continue
        if a == b and mapping.profiles[a].key == columns[a]:
            continue
        if mode == DEDUPE and (values.field.concept == "time" or values.kind == "status"):
            continue
        chosen[name] = values
    return chosen


_IDENTIFIERS = frozenset({T.USCC, T.KEY, T.REFERENCE})


def _score_pair(
    prepared: Prepared, mapping: Mapping, a: str, b: str, settings: Settings, mode: str
) -> PairResult | None:
    fields = _pair_fields(prepared, mapping, a, b, mode)
    if not fields:
        return None
    found = blocking.candidates(
        prepared,
        a,
        b,
        list(fields),
        per_record=settings.max_pairs_per_record,
        window=settings.window,
        regional=mode == DEDUPE,
    )
    levels = compute_levels(fields, a, b, found.i, found.j)
    sizes = (prepared.sizes[a], prepared.sizes[b])
    model = estimate(
        fields, a, b, sizes, levels, one_to_one=mode == RECONCILE, ruled_out=found.ruled_out
    )
    if mode == DEDUPE:  # the records are companies: told by their names or identifiers
        model.named_by = tuple(n for n, v in fields.items() if v.kind == "company")
        model.identifiers = tuple(n for n, v in fields.items() if v.field.type in _IDENTIFIERS)
    weight = model.weights(levels)
    references = [levels.levels[n] == 0 for n, v in fields.items() if v.kind == "id"]
    contradicts = np.logical_or.reduce(references) if mode == RECONCILE and references else None
    scored = ScoredPairs(a, b, found.i, found.j, weight, probability(weight), contradicts)
    return PairResult(a, b, levels, model, scored, found.rules)


def _scorer(prepared: Prepared, mapping: Mapping, results: list[PairResult]):  # type: ignore[no-untyped-def]
    """Probabilities for pairs of records that were no candidates, for the dedupe
    chaining guard: compared field by field and weighed by their tables' model."""
    by_tables = {(r.a, r.b): r for r in results}
    fields = {pair: _pair_fields(prepared, mapping, *pair, DEDUPE) for pair in by_tables}

    def score(a: str, i: np.ndarray, b: str, j: np.ndarray) -> np.ndarray:
        if (a, b) not in by_tables:
            a, i, b, j = b, j, a, i
        result = by_tables.get((a, b))
        if result is None:
            return np.zeros(len(i))
        levels = compute_levels(fields[(a, b)], a, b, i, j)
        return probability(result.model.weights(levels))

    return score


def _sort_groups(groups: list[Group], labels: list[str]) -> list[Group]:
    """Groups in the order of their first record, as the matched groups come."""
    order = {label: k for k, label in enumerate(labels)}
    return sorted(groups, key=lambda g: min((order[label], row) for label, row in g.members))


@few_collections()
def link_tables(
    tables: Sequence[Table],
    mode: str,
    settings: Settings,
    progress: Progress = no_progress,
    store: ProfileStore | None = None,
    constraints: Constraints | Callable[[Mapping], Constraints] | None = None,
) -> LinkResult:
    """Match the records of ``tables``: one-to-one (reconcile) or clusters (dedupe)."""
    if mode == RECONCILE and len(tables) < 2:
        raise InputError(
            "reconcile needs at least two tables", hint="name two or more sources, or use dedupe"
        )
    _check_labels(tables, settings)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        clock = now

    progress("profile columns", 0.0)
    tables = [as_documents(t, settings.documents.get(t.label)) for t in tables]
    stock = mode == RECONCILE and inventory.is_stock(tables)
    if stock:  # a product line per row: batches and bins summed
        tables = inventory.by_product(tables)
    profiles = []
    for table in tables:
        profile = profile_table(table, key=settings.keys.get(table.label))
        profile_with_store(
            profile, [c.name for c in table.columns], store, settings.keys.get(table.label)
        )
        profiles.append(profile)
    mapping = align(tables, profiles)
    rekey(mapping, settings.keys)
    overrides = list(settings.fields)
    if stock:  # the quantities compared: one field, the counted one of a count sheet
        columns = {t.label: inventory.stock_columns(t).quantity for t in tables}  # type: ignore[union-attr]
        overrides.append(FieldOverride(inventory.STOCK_FIELD, T.QUANTITY, columns))
    _apply_overrides(mapping, tables, overrides)
    if callable(constraints):  # decisions need the key columns, known only now
        constraints = constraints(mapping)
    lap("mapping")
    progress("normalise values", 0.1)
    prepared = prepare(tables, mapping, _compared_fields(mapping, mode))
    lap("normalise")
    labels = [t.label for t in tables]
    pairing = combinations if mode == RECONCILE else combinations_with_replacement
    table_pairs = [] if stock else list(pairing(labels, 2))  # product lines: nothing to score
    results = []
    scoring = scaled(progress, 0.35, 0.85)
    with workers.threads(len(table_pairs)) as pool:  # erp ↔ erp beside erp ↔ crm: 1.5×
        scores = [
            pool.submit(_score_pair, prepared, mapping, a, b, settings, mode)
            for a, b in table_pairs
        ]
        for k, ((a, b), score) in enumerate(zip(table_pairs, scores, strict=True)):
            scoring(f"match {a} ↔ {b}", k / len(table_pairs))
            result = score.result()
            if result is not None:
                results.append(result)
    lap("match")
    progress("group records", 0.85)
    sizes = {t.label: len(t) for t in tables}
    scored = [r.scored for r in results]
    if stock:  # product lines join on their code and warehouse, nothing to score
        groups = _sort_groups(inventory.product_groups(tables), labels)
    elif mode == RECONCILE:
        groups = one_to_one(sizes, scored, settings.review, settings.auto, constraints)
    else:
        scorer = _scorer(prepared, mapping, results)
        groups = clusters(sizes, scored, settings.review, settings.auto, scorer, constraints)
    lap("group")
    progress("find conflicts", 0.95)
    only = set(settings.conflict_fields) if settings.conflict_fields is not None else None
    if stock:
        only = {inventory.STOCK_FIELD}
    chained = mode == RECONCILE and not stock and (only is None or "status" in only)
    conflicts = find_conflicts(groups, prepared.fields, settings.tolerance, only, chained)
    docs, cast = None, {}
    if chained:
        docs = documents(tables, mapping)
        cast = roles(tables, mapping, docs, settings.chain.roles)
        conflicts += [
            Conflict(e.group, "status", e.members, e.kind, e.behind, e.age_days)
            for e in chain_exceptions(groups, docs, cast, settings.chain)
        ]
    if mode == RECONCILE and (only is None or LINE in only):
        conflicts += line_findings(groups, {t.label: t for t in tables})
    conflicts.sort(key=lambda c: (c.group, c.field))
    lap("conflicts")
    progress("done", 1.0)
    result = LinkResult(mode, list(tables), mapping, prepared, results, groups, conflicts, timings)
    result.documents, result.roles = docs, cast
    if stock:
        result.inventory = inventory.accuracy(groups, conflicts, list(tables))
    return result
