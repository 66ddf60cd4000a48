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

import numpy as np

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


@dataclass
class Group:
    """Records judged to be one entity, with the weakest link that holds them."""

    members: list[Node]
    probability: float = 1.0  # of the weakest accepted link (1.0 for a single record)
    band: str = "none"  # auto, review, or none (a single record)
    links: list[tuple[Node, Node, float]] = field(default_factory=list)

    def tables(self) -> set[str]:
        return {label for label, _ in self.members}


class _Forest:
    """Union–find over (table, row) nodes, tracking each group's tables and members."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.offset: dict[str, int] = {}
        total = 0
        for label, size in sizes.items():
            self.offset[label] = total
            total += size
        self.labels = list(sizes)
        self.parent = np.arange(total)
        self.members: dict[int, list[int]] = {}
        self.weakest: dict[int, float] = {}
        self.links: dict[int, list[tuple[int, int, float]]] = {}

    def node(self, label: str, row: int) -> int:
        return self.offset[label] + row

    def label_row(self, node: int) -> Node:
        for label in reversed(self.labels):
            if node >= self.offset[label]:
                return label, node - self.offset[label]
        raise ValueError(node)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[x] != root:
            self.parent[x], x = root, int(self.parent[x])
        return root

    def group(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def union(self, x: int, y: int, probability: float) -> None:
        rx, ry = self.find(x), self.find(y)
        if len(self.group(rx)) < len(self.group(ry)):
            rx, ry = ry, rx
        self.members[rx] = self.group(rx) + self.group(ry)
        self.members.pop(ry, None)
        self.weakest[rx] = min(self.weakest.get(rx, 1.0), self.weakest.pop(ry, 1.0), probability)
        self.links[rx] = self.links.get(rx, []) + self.links.pop(ry, []) + [(x, y, probability)]
        self.parent[ry] = rx

    def groups(self, auto: float) -> list[Group]:
        roots: dict[int, list[int]] = {}
        for node in range(len(self.parent)):
            roots.setdefault(self.find(node), []).append(node)
        out = []
        for root, nodes in roots.items():
            members = [self.label_row(n) for n in sorted(nodes)]
            if len(members) == 1:
                out.append(Group(members))
                continue
            weakest = self.weakest.get(root, 1.0)
            links = [
                (self.label_row(x), self.label_row(y), p) for x, y, p in self.links.get(root, [])
            ]
            out.append(Group(members, weakest, "auto" if weakest >= auto else "review", links))
        return out


def _ordered_edges(
    scored: list[ScoredPairs], threshold: float
) -> list[tuple[float, str, int, str, int, float]]:
    edges = []
    for pairs in scored:
        keep = pairs.probability >= threshold
        for i, j, w, p in zip(
            pairs.i[keep].tolist(),
            pairs.j[keep].tolist(),
            pairs.weight[keep].tolist(),
            pairs.probability[keep].tolist(),
            strict=True,
        ):
            edges.append((w, pairs.a, i, pairs.b, j, p))
    edges.sort(key=lambda e: (-e[0], e[1], e[2], e[3], e[4]))
    return edges


def one_to_one(
    sizes: dict[str, int], scored: list[ScoredPairs], review: float, auto: float
) -> list[Group]:
    """Reconcile: groups with at most one record per table."""
    forest = _Forest(sizes)
    bit = {label: 1 << k for k, label in enumerate(sizes)}
    tables_of: dict[int, int] = {}
    for _, a, i, b, j, p in _ordered_edges(scored, review):
        x, y = forest.node(a, i), forest.node(b, j)
        rx, ry = forest.find(x), forest.find(y)
        if rx == ry:
            continue
        mask_x = tables_of.get(rx, bit[a])
        mask_y = tables_of.get(ry, bit[b])
        if mask_x & mask_y:
            continue
        forest.union(x, y, p)
        tables_of[forest.find(x)] = mask_x | mask_y
    return forest.groups(auto)


PairScorer = Callable[[list[Node], list[Node]], np.ndarray]


def clusters(
    sizes: dict[str, int], scored: list[ScoredPairs], review: float, auto: float, score: PairScorer
) -> list[Group]:
    """Dedupe: clusters, merged strongest link first, guarded against chaining.

    ``score(left, right)`` returns the match probability of each (left[k], right[k]) pair;
    it is asked only when two multi-record groups would merge.
    """
    forest = _Forest(sizes)
    for _, a, i, b, j, p in _ordered_edges(scored, review):
        x, y = forest.node(a, i), forest.node(b, j)
        rx, ry = forest.find(x), forest.find(y)
        if rx == ry:
            continue
        left, right = forest.group(rx), forest.group(ry)
        if len(left) > 1 or len(right) > 1:
            a_nodes = [forest.label_row(n) for n in left for _ in right]
            b_nodes = [forest.label_row(n) for _ in left for n in right]
            if float(np.mean(score(a_nodes, b_nodes))) < review:
                continue
        forest.union(x, y, p)
    return forest.groups(auto)
