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
    """The order that sorts ``keys``, and for each wanted key its start and count there
    (a key not there: count 0)."""
    order = np.argsort(keys, kind="stable")
    if len(keys) and keys.min() >= 0 and keys.max() <= DENSE * (len(keys) + len(wanted)):
        # codes, not arbitrary numbers: count them instead of searching (a binary search
        # per wanted key misses the cache at every step over millions)
        counts = np.bincount(keys)
        begins = np.cumsum(counts) - counts
        known = (wanted >= 0) & (wanted < len(counts))
        at = np.where(known, wanted, 0)
        return order, np.where(known, begins[at], 0), np.where(known, counts[at], 0)
    ordered = keys[order]
    start = np.searchsorted(ordered, wanted, side="left")
    end = np.searchsorted(ordered, wanted, side="right")
    return order, start, end - start


DENSE = 4  # keys up to this many times the elements count as codes


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array. ``np.unique`` gives the same, but
    in numpy 2.4 it hashes first and takes seconds where a sort takes milliseconds."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered
