"""Groups of records that are one real-world thing (DESIGN.md step 6).

*Reconcile*: one-to-one across tables. Scored pairs are taken strongest first; a pair
joins two groups only if the result still holds at most one record of each table, so an
ERP order, its CRM order and its OA approval end up together and a weaker, contradicting
pair is left out.

*Dedupe*: clusters within and across tables, also strongest first, with a guard against
chaining: two groups that already hold several records merge only when, on average,
their records match each other — one weak link does not glue two clusters together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
import pandas as pd

from app.match.arrays import distinct

Node = tuple[str, int]  # (table label, row)


@dataclass
class ScoredPairs:
    """Pairs between two tables with their match weight and probability."""

    a: str
    b: str
    i: np.ndarray
    j: np.ndarray
    weight: np.ndarray
    probability: np.ndarray
    # Pairs whose own references name other records (an OA approval quoting another
    # CRM contract): never joined through a third record (reconcile).
    contradicts: np.ndarray | None = None


@dataclass
class Group:
    """Records judged to be one entity, with the weakest link that holds them."""

    members: list[Node]  # in the order of the tables, then of their rows
    probability: float = 1.0  # of the weakest accepted link (1.0 for a single record)
    band: str = "none"  # auto, review, or none (a single record)
    links: list[tuple[Node, Node, float]] = field(default_factory=list)

    def tables(self) -> set[str]:
        return {label for label, _ in self.members}


@dataclass
class Constraints:
    """What people decided earlier: records that belong together, and records that do
    not. Decided links are taken before any scored one; a scored link that would put two
    records kept apart into one group is skipped."""

    together: list[tuple[Node, Node]] = field(default_factory=list)
    apart: list[tuple[Node, Node]] = field(default_factory=list)


class _Forest:
    """Union–find over (table, row) nodes numbered table after table.

    Plain lists, not arrays: the greedy merge is a Python loop, and list indexing is
    several times faster there than numpy scalar access.
    """

    def __init__(self, sizes: dict[str, int]) -> None:
        self.labels = list(sizes)
        self.starts = [int(x) for x in np.cumsum([0, *sizes.values()])]
        self.parent = list(range(self.starts[-1]))
        self.members: dict[int, list[int]] = {}
        self.links: dict[int, list[tuple[int, int, float]]] = {}
        self.banned: dict[int, set[int]] = {}  # root → nodes its group must not take in

    def forbid(self, constraints: Constraints) -> None:
        for a, b in constraints.apart:
            x, y = self.node(*a), self.node(*b)
            self.banned.setdefault(x, set()).add(y)
            self.banned.setdefault(y, set()).add(x)

    def allowed(self, rx: int, ry: int) -> bool:
        if not self.banned:
            return True
        left, right = self.banned.get(rx), self.banned.get(ry)
        return not (
            (left and left.intersection(self.group(ry)))
            or (right and right.intersection(self.group(rx)))
        )

    def node(self, label: str, row: int) -> int:
        return self.starts[self.labels.index(label)] + row

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def group(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def union(self, rx: int, ry: int, link: tuple[int, int, float]) -> int:
        """Merge two roots (the smaller group into the larger, in place); returns the new
        root."""
        members, links = self.members, self.links
        if len(members.get(rx, (rx,))) < len(members.get(ry, (ry,))):
            rx, ry = ry, rx
        kept = members.setdefault(rx, [rx])
        kept.extend(members.pop(ry, (ry,)))
        chain = links.setdefault(rx, [])
        chain.extend(links.pop(ry, ()))
        chain.append(link)
        if ry in self.banned or rx in self.banned:
            self.banned[rx] = self.banned.get(rx, set()) | self.banned.pop(ry, set())
        self.parent[ry] = rx
        return rx

    def groups(self, auto: float) -> list[Group]:
        """Every group, in the order of its first record (tables in order, then rows)."""
        nodes = np.arange(self.starts[-1])
        table = np.searchsorted(self.starts, nodes, side="right") - 1
        rows = nodes - np.asarray(self.starts)[table]
        labels = np.asarray(self.labels, dtype=object)[table].tolist()
        named = list(zip(labels, rows.tolist(), strict=True))
        alone = np.asarray(self.parent) == nodes
        alone[list(self.members)] = False
        singles = np.flatnonzero(alone)
        out = [Group([named[n]]) for n in singles.tolist()]
        firsts = []
        for root, members in self.members.items():
            links = [(named[x], named[y], p) for x, y, p in self.links.get(root, [])]
            weakest = min(p for _, _, p in links)
            band = "auto" if weakest >= auto else "review"
            members.sort()
            firsts.append(members[0])
            out.append(Group([named[n] for n in members], weakest, band, links))
        order = np.argsort(np.concatenate([singles, np.array(firsts, dtype=np.int64)]))
        return [out[k] for k in order.tolist()]  # a node is in one group: no ties


def _ordered_edges(
    forest: _Forest, scored: list[ScoredPairs], threshold: float, best: int | None = None
) -> list[tuple[int, int, float]]:
    """Edges (node, node, probability) at or above ``threshold``, strongest first.

    With ``best``, only edges among the ``best`` strongest of both their nodes: in a
    one-to-one assignment a node's sixth-best partner is practically never the one left.
    """
    xs, ys, ws, ps = [], [], [], []
    for pairs in scored:
        keep = pairs.probability >= threshold
        xs.append(pairs.i[keep] + forest.node(pairs.a, 0))
        ys.append(pairs.j[keep] + forest.node(pairs.b, 0))
        ws.append(pairs.weight[keep])
        ps.append(pairs.probability[keep])
    if not xs:
        return []
    x, y, w, p = (np.concatenate(v) for v in (xs, ys, ws, ps))
    order = np.lexsort((y, x, -w))
    if best is not None and len(order):
        x, y, w, p = x[order], y[order], w[order], p[order]
        rank_x = pd.Series(x).groupby(x).cumcount().to_numpy()
        rank_y = pd.Series(y).groupby(y).cumcount().to_numpy()
        keep = (rank_x < best) & (rank_y < best)
        return list(zip(x[keep].tolist(), y[keep].tolist(), p[keep].tolist(), strict=True))
    return list(zip(x[order].tolist(), y[order].tolist(), p[order].tolist(), strict=True))


def _decided_edges(
    forest: _Forest, constraints: Constraints | None
) -> list[tuple[int, int, float]]:
    if constraints is None:
        return []
    forest.forbid(constraints)
    return [(forest.node(*a), forest.node(*b), 1.0) for a, b in constraints.together]


def one_to_one(
    sizes: dict[str, int],
    scored: list[ScoredPairs],
    review: float,
    auto: float,
    constraints: Constraints | None = None,
) -> list[Group]:
    """Reconcile: groups with at most one record per table."""
    forest = _Forest(sizes)
    table_bit = [0] * len(forest.parent)
    for k in range(len(forest.labels)):
        for n in range(forest.starts[k], forest.starts[k + 1]):
            table_bit[n] = 1 << k
    decided = _decided_edges(forest, constraints)
    apart = _contradictions(forest, scored, review)
    nodes = len(forest.parent)

    def contradicts(rx: int, ry: int) -> bool:
        return any(
            (a * nodes + b if a < b else b * nodes + a) in apart
            for a in forest.group(rx)
            for b in forest.group(ry)
        )

    def take(x: int, y: int, p: float) -> None:
        rx, ry = forest.find(x), forest.find(y)
        if rx == ry or table_bit[rx] & table_bit[ry] or not forest.allowed(rx, ry):
            return
        if apart and contradicts(rx, ry):
            return
        root = forest.union(rx, ry, (x, y, p))
        table_bit[root] = table_bit[rx] | table_bit[ry]

    for x, y, p in decided + _ordered_edges(forest, scored, review, best=5):
        take(x, y, p)
    # Leftovers: a record still alone whose best remaining partner (also its partner's
    # best) is a weaker match — usually the same deal with a real conflict (the amount
    # differs) — joins for review rather than becoming two false orphans.
    for x, y, p in _leftover_edges(forest, scored, review * LEFTOVER, review, table_bit):
        take(x, y, p)
    return forest.groups(auto)


LEFTOVER = 0.1  # leftover pairs need a tenth of the review probability


def _contradictions(forest: _Forest, scored: list[ScoredPairs], review: float) -> set[int]:
    """Pairs of nodes (``low * nodes + high``) whose references contradict and that do
    not match on their own: they stay apart, whatever third record each matches — the
    CRM contract an OA approval does not quote is not its deal because both share the
    ERP order's customer and week."""
    nodes, keys = len(forest.parent), []
    for pairs in scored:
        if pairs.contradicts is None:
            continue
        keep = pairs.contradicts & (pairs.probability < review)
        x = pairs.i[keep].astype(np.int64) + forest.node(pairs.a, 0)
        y = pairs.j[keep].astype(np.int64) + forest.node(pairs.b, 0)
        keys.append(np.minimum(x, y) * nodes + np.maximum(x, y))
    return set(np.concatenate(keys).tolist()) if keys else set()


def _leftover_edges(
    forest: _Forest, scored: list[ScoredPairs], low: float, high: float, table_bit: list[int]
) -> list[tuple[int, int, float]]:
    """Weaker edges between groups that could still merge, each the best of both ends."""
    edges = [
        (x, y, p)
        for x, y, p in _ordered_edges(forest, scored, low)
        if p < high and not table_bit[forest.find(x)] & table_bit[forest.find(y)]
    ]
    best: dict[int, int] = {}
    for index, (x, y, _) in enumerate(edges):
        best.setdefault(forest.find(x), index)
        best.setdefault(forest.find(y), index)
    return [
        e for k, e in enumerate(edges) if best[forest.find(e[0])] == k == best[forest.find(e[1])]
    ]


PairScorer = Callable[[str, np.ndarray, str, np.ndarray], np.ndarray]
COMPONENT_LIMIT = 40  # records; every pair of a smaller component is scored up front
CHUNK = 4_096  # edges whose candidate pairs are looked up together
CHUNK_COMPONENT = 12  # records a chunk's edges may join and have every pair settled
KNOWN_LIMIT = 2_000_000  # pairs of large components kept from chunk to chunk


def _components(size: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per node, the smallest node of its connected component over the edges (x, y):
    each round hooks the larger label of every edge onto the smaller, then follows
    labels to their roots, so long chains take only a few rounds."""
    label = np.arange(size)
    while True:
        low, high = label[x], label[y]
        apart = low != high
        if not apart.any():
            return label
        low, high = np.minimum(low, high)[apart], np.maximum(low, high)[apart]
        np.minimum.at(label, high, low)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped


class _Guard:
    """Whether two groups match each other on average: the chaining guard.

    Most pairs it asks about were candidates, already scored, and are looked up; the
    others are compared with ``score(a, i, b, j)`` (the probability of each pair i[k] in
    a, j[k] in b), which costs far more. Two groups can only merge inside one connected
    component of the edge graph, so every pair of a component of up to
    ``COMPONENT_LIMIT`` records is settled before the greedy pass, in one call per pair of
    tables. In larger components (a popular name shared by many companies) the pairs a
    chunk of edges could ask about are settled together; a pair asked about that is still
    unknown is compared only when the known pairs leave the answer open.
    """

    def __init__(
        self,
        forest: _Forest,
        scored: list[ScoredPairs],
        score: PairScorer,
        edges: list[tuple[int, int, float]],
    ) -> None:
        self.forest, self.score = forest, score
        self.width = width = len(forest.parent)  # pair key: smaller node * width + larger
        keys, probabilities = [np.zeros(0, np.int64)], [np.zeros(0)]
        for pairs in scored:
            x, y = pairs.i + forest.node(pairs.a, 0), pairs.j + forest.node(pairs.b, 0)
            keys.append(np.minimum(x, y) * width + np.maximum(x, y))
            probabilities.append(pairs.probability)
        all_keys = np.concatenate(keys)
        order = np.argsort(all_keys, kind="stable")
        self.keys, self.probabilities = all_keys[order], np.concatenate(probabilities)[order]
        self.fixed: dict[int, float] = {}  # every pair of each small component
        self.known: dict[int, float] = {}  # candidate pairs of large ones, recent chunks
        self.large = self._components(edges)

    def _components(self, edges: list[tuple[int, int, float]]) -> list[bool]:
        """Settle every pair of each small component; which nodes lie in a large one."""
        x, y = (np.fromiter(map(itemgetter(k), edges), np.int64, len(edges)) for k in (0, 1))
        nodes = distinct(np.concatenate([x, y]))
        roots = _components(self.width, x, y)[nodes]
        order = np.argsort(roots, kind="stable")
        nodes, roots = nodes[order], roots[order]
        starts = np.flatnonzero(np.r_[True, roots[1:] != roots[:-1]]) if len(nodes) else nodes
        sizes = np.diff(np.r_[starts, len(nodes)])
        large = [False] * self.width
        for node in nodes[np.repeat(sizes > COMPONENT_LIMIT, sizes)].tolist():
            large[node] = True
        keys = [nodes[:0]]
        for size in range(3, COMPONENT_LIMIT + 1):  # two records alone need no guard
            chosen = starts[sizes == size]
            if len(chosen):
                members = nodes[chosen[:, None] + np.arange(size)]  # one row per component
                left, right = np.triu_indices(size, 1)
                keys.append((members[:, left] * self.width + members[:, right]).ravel())
        self._settle(np.sort(np.concatenate(keys)), self.fixed, compare=True)
        return large

    def _settle(self, keys: np.ndarray, into: dict[int, float], compare: bool) -> None:
        """Probabilities of pair keys (sorted, for a cache-friendly search) into ``into``:
        candidates looked up, the others compared if ``compare``, else left out."""
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        found = self.keys[at] == keys if len(self.keys) else np.zeros(len(keys), dtype=bool)
        into.update(zip(keys[found].tolist(), self.probabilities[at[found]].tolist(), strict=True))
        new = keys[~found]
        if not compare or not len(new):
            return
        x, y = new // self.width, new % self.width
        starts = np.array(self.forest.starts)
        table_x = np.searchsorted(starts, x, side="right") - 1
        table_y = np.searchsorted(starts, y, side="right") - 1
        for tx, ty in set(zip(table_x.tolist(), table_y.tolist(), strict=True)):
            chosen = (table_x == tx) & (table_y == ty)
            labels = self.forest.labels
            found_p = self.score(
                labels[tx], x[chosen] - starts[tx], labels[ty], y[chosen] - starts[ty]
            )
            into.update(zip(new[chosen].tolist(), found_p.tolist(), strict=True))

    def prefetch(self, chunk: list[tuple[int, int, float]]) -> None:
        """Settle the pairs the chunk's edges inside large components will ask about:
        where its edges join current groups into a few records (``CHUNK_COMPONENT``), every
        pair across them; elsewhere the pairs across the two groups of each edge."""
        find, group, large = self.forest.find, self.forest.group, self.large
        link: dict[int, int] = {}

        def top(root: int) -> int:
            while link.get(root, root) != root:
                root = link[root]
            return root

        inside = []
        for x, y, _ in chunk:
            if large[x]:
                a, b = find(x), find(y)
                if a != b:  # an edge inside one group asks nothing
                    inside.append((x, y))
                    a, b = top(a), top(b)
                    link.setdefault(a, a)
                    if a != b:
                        link[b] = a
        components: dict[int, list[int]] = {}
        for root in link:
            components.setdefault(top(root), []).append(root)
        keys: list[int] = []
        width = self.width

        def across(left: list[int], right: list[int]) -> None:
            keys.extend(a * width + b if a < b else b * width + a for a in left for b in right)

        small = set()
        for root, roots in components.items():
            groups = [group(r) for r in roots]
            if len(groups) > 1 and sum(map(len, groups)) <= CHUNK_COMPONENT:
                small.add(root)
                for k, left in enumerate(groups):
                    for right in groups[k + 1 :]:
                        across(left, right)
        for x, y in inside:
            rx, ry = find(x), find(y)
            left, right = group(rx), group(ry)
            if rx != ry and len(left) + len(right) > 2 and top(rx) not in small:
                across(left, right)
        if len(self.known) > KNOWN_LIMIT:  # earlier chunks' pairs are rarely asked again
            self.known = {}
        self._settle(distinct(np.array(keys, dtype=np.int64)), self.known, compare=True)

    def passes(self, left: list[int], right: list[int], threshold: float) -> bool:
        """Whether the average probability of every pair between two groups reaches
        ``threshold``."""
        known = self.known if self.large[left[0]] else self.fixed
        total, missing, width = 0.0, [], self.width
        for a in left:
            for b in right:
                key = a * width + b if a < b else b * width + a
                p = known.get(key)
                if p is None:
                    missing.append(key)
                else:
                    total += p
        needed = threshold * len(left) * len(right)
        if total >= needed or total + len(missing) < needed:
            return total >= needed  # probabilities lie in [0, 1]: the rest cannot change it
        self._settle(np.array(missing, dtype=np.int64), known, compare=True)
        return total + sum(known[key] for key in missing) >= needed


def clusters(
    sizes: dict[str, int],
    scored: list[ScoredPairs],
    review: float,
    auto: float,
    score: PairScorer,
    constraints: Constraints | None = None,
) -> list[Group]:
    """Dedupe: clusters, merged strongest link first, guarded against chaining.

    Two groups that already hold several records merge only when their records match
    each other on average (``score``, see :class:`_Guard`).
    """
    forest = _Forest(sizes)
    edges = _decided_edges(forest, constraints) + _ordered_edges(forest, scored, review)
    guard = _Guard(forest, scored, score, edges)
    refused: set[tuple[int, int, int, int]] = set()  # groups are only ever enlarged, so a
    # refusal holds while both roots keep their sizes (many edges join the same two groups)
    find, group, allowed = forest.find, forest.group, forest.allowed  # a hot loop
    for start in range(0, len(edges), CHUNK):
        chunk = edges[start : start + CHUNK]
        guard.prefetch(chunk)
        for x, y, p in chunk:
            rx, ry = find(x), find(y)
            if rx == ry or not allowed(rx, ry):
                continue
            left, right = group(rx), group(ry)
            if p < 1.0 and (len(left) > 1 or len(right) > 1):
                seen = (
                    (rx, ry, len(left), len(right)) if rx < ry else (ry, rx, len(right), len(left))
                )
                if seen in refused:
                    continue
                if not guard.passes(left, right, review):
                    refused.add(seen)
                    continue
            forest.union(rx, ry, (x, y, p))
    return forest.groups(auto)
