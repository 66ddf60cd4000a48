"""The multi-core path gives exactly the single-core result; a run keeps the cycle
collector out of the way and gives it back."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import numpy as np
import pytest

from app import workers
from app.collector import few_collections
from app.errors import InputError
from app.reconcile.pipeline import DEDUPE, LinkResult, link_tables
from app.reconcile.settings import load_settings
from app.sources import SourceSpec, load_source
from bench import datagen_clusters


def _shout(value: str) -> str:
    return value.upper() + "!"


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Worker processes for any list longer than one value."""
    monkeypatch.setenv(workers.ENV, "2")
    monkeypatch.setattr(workers, "MIN_VALUES", 2)
    yield
    workers.shutdown()


def test_map_values_keeps_the_order_across_workers(two_workers: None) -> None:
    values = [f"v{k}" for k in range(1_000)]
    assert workers.map_values(_shout, values) == [v.upper() + "!" for v in values]
    assert workers._pool is not None  # the work really went to other processes


def test_map_values_runs_a_closure_here(two_workers: None) -> None:
    suffix = "?"
    assert workers.map_values(lambda v: v + suffix, ["a", "b", "c"]) == ["a?", "b?", "c?"]
    assert workers._pool is None


def test_one_worker_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.ENV, "1")
    assert workers.cores() == 1
    monkeypatch.setenv(workers.ENV, "")
    assert workers.cores() >= 1


def _dedupe(folder: Path) -> LinkResult:
    erp, crm = datagen_clusters.write(datagen_clusters.generate(1_500, seed=3), folder)
    tables = [load_source(SourceSpec("erp", erp)), load_source(SourceSpec("crm", crm))]
    return link_tables(tables, DEDUPE, load_settings(None))


def test_steps_in_threads_not_started_when_the_run_stops_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(workers.ENV, "2")
    done = []

    def step(k: int) -> int:
        if k:
            time.sleep(0.3)  # the two threads are busy when the run stops
        done.append(k)
        return k

    with pytest.raises(KeyboardInterrupt), workers.threads(5) as pool:
        steps = [pool.submit(step, k) for k in range(5)]
        assert steps[0].result() == 0
        raise KeyboardInterrupt  # a cancelled run
    assert 0 in done and 1 in done and 3 not in done and 4 not in done  # 2 may have started
    assert steps[3].cancelled() and steps[4].cancelled()


def test_a_dedupe_on_two_workers_equals_one_on_a_single_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(workers.ENV, "1")
    single = _dedupe(tmp_path / "single")
    monkeypatch.setenv(workers.ENV, "2")
    monkeypatch.setattr(workers, "MIN_VALUES", 2)
    try:
        several = _dedupe(tmp_path / "several")
        assert workers._pool is not None
    finally:
        workers.shutdown()
    assert [(g.members, g.probability, g.band) for g in several.groups] == [
        (g.members, g.probability, g.band) for g in single.groups
    ]
    assert sum(len(g.members) > 2 for g in single.groups) > 50  # clusters, not only pairs
    for name, values in single.prepared.fields.items():
        for label, text in values.text.items():
            assert np.array_equal(several.prepared.fields[name].text[label], text)
    for one, other in zip(single.pairs, several.pairs, strict=True):
        assert np.array_equal(one.scored.weight, other.scored.weight)


def test_a_run_pauses_the_cycle_collector_and_restores_it_even_when_refused() -> None:
    assert gc.isenabled()
    with few_collections():
        with few_collections():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer run is still going
    assert gc.isenabled()
    with pytest.raises(InputError):
        link_tables([], "reconcile", load_settings(None, {}))
    assert gc.isenabled()
    gc.disable()
    try:
        with few_collections():
            pass
        assert not gc.isenabled()  # someone else's choice is kept
    finally:
        gc.enable()
    try:
        with few_collections(then_freeze=True):  # a command that ends its process
            made = [[k] for k in range(1_000)]
        assert gc.isenabled() and gc.get_freeze_count() >= len(made)
    finally:
        gc.unfreeze()
