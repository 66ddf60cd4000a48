"""Pure functions over many values, spread over the workstation's cores.

Normalising a million distinct company names is CPU-bound Python, and one process uses
one core. :func:`map_values` hands a long list to worker processes in chunks and puts
the results back in order, so the result is exactly what one process computes. Short
lists, a single core, ``CONCORD_WORKERS=1`` or a function that cannot be sent to another
process (a lambda, a closure) stay in this process.

Steps that spend their time in numpy and rapidfuzz (scoring one pair of tables beside
another) share the process instead: :func:`threads`.

Workers are started once (``spawn``: safe from a GUI thread and on Windows) and kept for
the life of the process; a frozen build must call :func:`multiprocessing.freeze_support`
first thing in its entry point.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

ENV = "CONCORD_WORKERS"
MIN_VALUES = 50_000  # below this, starting and feeding workers costs more than it saves
CHUNKS_PER_WORKER = 4

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def cores() -> int:
    """Worker processes to use: ``CONCORD_WORKERS`` if set, else the cores this process
    may run on."""
    setting = os.environ.get(ENV, "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _portable(function: Callable[[Any], Any]) -> bool:
    try:
        pickle.dumps(function)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        shutdown()
        _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        _pool_size = workers
    return _pool


def shutdown() -> None:
    """Stop the workers (they are started again when next needed)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


@contextmanager
def threads(tasks: int) -> Iterator[ThreadPoolExecutor]:
    """Threads for up to ``tasks`` independent steps that spend their time in numpy and
    rapidfuzz, which let go of the interpreter lock (one per core). Steps not started
    when the block is left early (a cancelled run, an error) are dropped."""
    pool = ThreadPoolExecutor(max(1, min(cores(), tasks)), thread_name_prefix="concord")
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _apply(function: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [function(value) for value in chunk]


def map_values(function: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``[function(v) for v in values]``, on several cores when the list is long
    (``MIN_VALUES`` or more)."""
    workers = cores()
    if workers <= 1 or len(values) < max(MIN_VALUES, 2) or not _portable(function):
        return _apply(function, values)
    size = -(-len(values) // (workers * CHUNKS_PER_WORKER))
    chunks = [values[start : start + size] for start in range(0, len(values), size)]
    try:
        parts = list(_executor(workers).map(_apply, [function] * len(chunks), chunks))
    except BrokenProcessPool:  # a worker was killed (out of memory, say): do it here
        shutdown()
        return _apply(function, values)
    return [result for part in parts for result in part]
