"""Re-running a daily job: 100,000 orders per system with 10,000 earlier decisions,
against a fresh run of the same job; and the workspace file's size."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from app.decide.decisions import Decision
from app.jobs.jobs import JobSpec, save_job
from app.store.workspace import Workspace
from app.usecases.review import decide
from app.usecases.runs import run_spec
from bench.datagen import generate, write_samples
from bench.scale import DATA

DECISIONS = 10_000


def main(orders: int = 100_000) -> dict[str, float]:
    folder = DATA / f"datagen_{orders}"
    if not (folder / "truth" / "orders.csv").exists():
        write_samples(
            generate(n_customers=orders // 20, n_orders=orders, seed=5), folder, fast=True
        )
    spec = JobSpec(
        "daily",
        "reconcile",
        [
            f"erp={folder}/ERP*.xlsx#销售订单",
            f"crm={folder}/CRM订单*.csv",
            f"oa={folder}/OA审批*.xlsx",
        ],
    )
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "team.concord"
        workspace = Workspace(path, user="clerk")
        job_id = save_job(workspace, spec)
        started = time.perf_counter()
        first = run_spec(workspace, spec, job_id=job_id)
        fresh = time.perf_counter() - started
        session = first.session
        linked = [k for k, g in enumerate(session.result.groups) if len(g.members) > 1][:DECISIONS]
        decide(workspace, first, [Decision("accept", group, user="clerk") for group in linked])
        started = time.perf_counter()
        second = run_spec(workspace, spec, job_id=job_id)
        rerun = time.perf_counter() - started
        size = path.stat().st_size / 1024**2
        workspace.close()
    figures = {
        "fresh_seconds": fresh,
        "rerun_seconds": rerun,
        "ratio": rerun / fresh,
        "reapplied": second.reapplied["reapplied"],
        "workspace_mb": size,
    }
    print(
        f"re-run with {DECISIONS:,} decisions: {rerun:.1f} s against a fresh run's {fresh:.1f} s "
        f"({figures['ratio']:.2f}×), {second.reapplied['reapplied']:,} re-applied; workspace {size:.0f} MB"
    )
    return figures


if __name__ == "__main__":
    main()
