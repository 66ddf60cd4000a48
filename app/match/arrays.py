"""Small vectorised building blocks shared by blocking and comparison."""

from __future__ import annotations

import numpy as np


def expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flatten ranges: for ranges ``[starts[k], starts[k] + counts[k])`` return, per
    element, the range's index ``k`` and the element's position."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offsets


def sorted_ranges(
    keys: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order that sorts ``keys``, and for each wanted key its start and count there."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    start = np.searchsorted(ordered, wanted, side="left")
    end = np.searchsorted(ordered, wanted, side="right")
    return order, start, end - start


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array. ``np.unique`` gives the same, but
    in numpy 2.4 it hashes first and takes seconds where a sort takes milliseconds."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered
