"""Desktop app speed: start-up to a usable window, the review queue on 1,000,000 groups,
and, with a long audit log, one decision and a bulk accept with its undo (offscreen)."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def startup() -> float:
    """Seconds from process start to the main window shown (median of three)."""
    runs = []
    for _ in range(3):
        output = subprocess.run(
            [sys.executable, "-m", "ui.entry", "self-test", "--startup-benchmark"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(float(re.search(r"shown ([0-9.]+) s", output).group(1)))  # type: ignore[union-attr]
    return statistics.median(runs)


def queue_of(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    bands = np.array(["auto", "review", "orphan"])[rng.integers(0, 3, rows)]
    return pd.DataFrame(
        {
            "entity": [f"E{k:07d}" for k in range(rows)],
            "band": bands,
            "probability": rng.random(rows),
            "tables": "erp crm oa",
            "conflicts": np.where(rng.random(rows) < 0.1, "amount", ""),
            "at_stake": rng.random(rows) * 1000,
            "state": "open",
            "label": [f"SO{k:07d} 北京华信科技有限公司" for k in range(rows)],
        }
    )


def review_queue(rows: int = 1_000_000) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from ui.app import make_application
    from ui.models.qt_frame_model import QtFrameModel

    app = make_application()
    frame = queue_of(rows)
    view = QTableView()
    model = QtFrameModel()
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    started = time.perf_counter()
    model.set_frame(frame)
    app.processEvents()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    model.sort(5, Qt.SortOrder.DescendingOrder)
    app.processEvents()
    sorted_in = time.perf_counter() - started
    started = time.perf_counter()
    model.set_mask((frame["band"] == "review").to_numpy() & (frame["conflicts"] != "").to_numpy())
    app.processEvents()
    filtered = time.perf_counter() - started
    view.close()
    return {
        "rows": rows,
        "open_seconds": opened,
        "sort_seconds": sorted_in,
        "filter_seconds": filtered,
    }


def decisions(
    count: int = 100, audit_entries: int = 20_000, orders: int | None = None
) -> dict[str, float]:
    """On the demo (or a world of ``orders`` deals in a workspace of its own), whose audit
    log already holds ``audit_entries`` entries (a year of work): milliseconds per decision
    (through the use case: stored, audited, undo command, repaint), and seconds for
    "accept every auto-matched group" (one step) and for its undo."""
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QEventLoop

    from app.decide.decisions import Decision
    from app.store import audit
    from app.usecases.review import auto_accept_candidates
    from bench.datagen import generate, write_samples
    from bench.quality import sources
    from ui.app import make_application, make_window
    from ui.qt_state import Reconciliation
    from ui.qt_worker import wait_for_workers

    app = make_application()
    window = make_window()
    window.show()
    loop = QEventLoop()
    window.state.sessionChanged.connect(loop.quit)
    folder = Path(tempfile.mkdtemp(prefix="concord-ui-bench-"))
    if orders is None:
        window.open_demo()
    else:
        world = generate(n_customers=max(250, orders // 20), n_orders=orders, seed=7)
        write_samples(world, folder, fast=True)
        window.state.open_workspace(folder / "bench.concord")
        window.state.run(Reconciliation(sources(folder, ("erp", "crm", "oa"))))
    loop.exec()
    customers = window.state.customers
    if orders is None and customers is not None and customers.session is None:
        # the demo dedupes its customer masters next: let it finish before the audit log
        # is filled in one long transaction it would wait behind
        then = QEventLoop()
        customers.sessionChanged.connect(then.quit)
        customers.failed.connect(then.quit)
        then.exec()
    actor = window.state.user  # the workspace's own user: a stranger changes nothing
    with window.state.workspace.session() as db:
        for k in range(audit_entries):
            audit.append(db, actor, "decide accept", f"G{k:07d}", after={"bench": k})
    review = window.pages["review"]
    window.show_page("review")
    review.filter_to("all")
    review.select_row(0)
    started = time.perf_counter()
    for _ in range(count):
        review.accept()
        app.processEvents()
    one = (time.perf_counter() - started) * 1000 / count
    window.state.undo_stack.clear()
    bulk = _step(app, window.state, review.accept_auto)
    groups = int((window.state.session.queue()["state"] == "accepted").sum())
    undo = _step(app, window.state, window.state.undo_stack.undo)
    ten = auto_accept_candidates(window.state.session)[:10_000]  # the issue's own size
    bulk_ten = _step(
        app,
        window.state,
        lambda: window.state.decide([Decision("accept", g, user=actor) for g in ten], "bench"),
    )
    undo_ten = _step(app, window.state, window.state.undo_stack.undo)
    started = time.perf_counter()
    window.show_page("history")  # the whole log read and checked once
    app.processEvents()
    history_first = time.perf_counter() - started
    history = window.pages["history"]
    while history.checking:  # the whole chain, a slice between events
        app.processEvents()
    chain_checked = time.perf_counter() - started
    window.show_page("review")
    review.accept()
    started = time.perf_counter()
    window.show_page("history")  # then only what was appended since
    app.processEvents()
    history_again = time.perf_counter() - started
    wait_for_workers()
    window.close()
    return {
        "groups": len(window.state.session.result.groups),
        "decision_ms": one,
        "bulk_groups": groups,
        "bulk_seconds": bulk,
        "undo_seconds": undo,
        "bulk_10000_groups": len(ten),
        "bulk_10000_seconds": bulk_ten,
        "undo_10000_seconds": undo_ten,
        "history_first_seconds": history_first,
        "chain_checked_seconds": chain_checked,
        "history_again_seconds": history_again,
    }


def _step(app, state, make) -> float:  # type: ignore[no-untyped-def]
    """Seconds from asking for a step until it is recorded and shown (a large one is
    recorded on a worker thread while the window waits)."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    state.stepEnded.connect(loop.quit)
    started = time.perf_counter()
    make()
    if state.pending is not None:
        loop.exec()
    app.processEvents()
    seconds = time.perf_counter() - started
    state.stepEnded.disconnect(loop.quit)
    return seconds


def main() -> dict[str, object]:
    figures = {
        "startup_seconds": startup(),
        "queue": review_queue(),
        "decisions": decisions(),
        "decisions_at_scale": decisions(audit_entries=100_000, orders=100_000),
    }
    queue = figures["queue"]
    print(f"start-up to the main window: {figures['startup_seconds']:.2f} s")
    print(
        f"review queue of {queue['rows']:,} groups: open {queue['open_seconds'] * 1000:.0f} ms, "  # type: ignore[index]
        f"sort {queue['sort_seconds'] * 1000:.0f} ms, filter {queue['filter_seconds'] * 1000:.0f} ms"
    )  # type: ignore[index]
    for name, entries in (("decisions", "20,000"), ("decisions_at_scale", "100,000")):
        _print_decisions(figures[name], entries)  # type: ignore[arg-type]
    return figures


def _print_decisions(made: dict[str, float], entries: str) -> None:
    print(
        f"{made['groups']:,} groups, {entries} audit entries: one decision "
        f"{made['decision_ms']:.1f} ms; "
        f"accept {made['bulk_groups']:,} auto-matched groups in one step "  # type: ignore[index]
        f"{made['bulk_seconds']:.2f} s, its undo {made['undo_seconds']:.2f} s; {made['bulk_10000_groups']:,} groups "  # type: ignore[index]
        f"{made['bulk_10000_seconds']:.2f} s, undo {made['undo_10000_seconds']:.2f} s; "  # type: ignore[index]
        f"History opened {made['history_first_seconds']:.2f} s (whole chain checked between "  # type: ignore[index]
        f"events by "
        f"{made['chain_checked_seconds']:.2f} s), again after a decision "  # type: ignore[index]
        f"{made['history_again_seconds'] * 1000:.0f} ms"  # type: ignore[index]
    )


if __name__ == "__main__":
    main()
