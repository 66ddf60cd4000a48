"""Run a reconciliation against a workspace: earlier decisions in, a recorded run out.

1. read today's sources (newest file per pattern, or the database tables);
2. match, with the links people accepted and kept apart as constraints (for records whose
   content is unchanged);
3. record the run (stable group ids, conflicts opened and closed, metrics);
4. re-apply every earlier decision whose records are unchanged, and mark the others for
   re-check — so only new or changed items reach the review queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.decide.session import ReviewSession
from app.jobs.jobs import JobSpec, resolve
from app.mapping.align import Mapping
from app.mapping.profiles import ProfileStore
from app.progress import Progress, no_progress, scaled
from app.reconcile.groups import Constraints
from app.reconcile.pipeline import link_tables
from app.reconcile.settings import Settings, settings_from
from app.sources import Table, load
from app.store.decisions import active_decisions, apply_rules, constraints, reapply
from app.store.fixes import propose_new
from app.store.identity import Identities
from app.store.runs import RecordedRun, record_run
from app.store.workspace import Workspace


@dataclass
class JobRun:
    recorded: RecordedRun
    session: ReviewSession
    identities: Identities
    reapplied: dict[str, int]
    sources: list[str]

    @property
    def run_id(self) -> int:
        return self.recorded.run_id


def run_job(
    workspace: Workspace,
    spec: JobSpec,
    *,
    job_id: int | None = None,
    base: Path | None = None,
    progress: Progress = no_progress,
    store: ProfileStore | None = None,
) -> JobRun:
    """Run a saved job: today's files for its patterns, then :func:`run_tables`."""
    sources = [resolve(source, base) for source in spec.sources]
    tables = []
    for k, text in enumerate(sources):
        progress("read", 0.2 * k / len(sources))
        tables.append(load(text))
    settings = settings_from(spec.settings, spec.keys)
    done = run_tables(
        workspace,
        tables,
        spec.mode,
        settings,
        job_id=job_id,
        record=spec.as_dict(),
        progress=scaled(progress, 0.2, 1.0),
        store=store,
    )
    done.sources = sources
    return done


def run_tables(
    workspace: Workspace,
    tables: list[Table],
    mode: str,
    settings: Settings,
    *,
    job_id: int | None = None,
    record: dict[str, Any] | None = None,
    progress: Progress = no_progress,
    store: ProfileStore | None = None,
) -> JobRun:
    """Match tables already read, with the workspace's decisions, and record the run."""
    decisions = active_decisions(workspace)
    found: dict[str, Identities] = {}

    def decided(mapping: Mapping) -> Constraints:
        found["identities"] = Identities(
            tables, {label: p.key for label, p in mapping.profiles.items()}
        )
        return constraints(decisions, found["identities"])

    result = link_tables(tables, mode, settings, scaled(progress, 0.0, 0.9), store, decided)
    identities = found["identities"]
    progress("record the run", 0.9)
    recorded = record_run(workspace, result, identities, job_id=job_id, settings=record or {})
    session = ReviewSession(result, user=workspace.user)
    counts = reapply(workspace, session, identities, decisions)
    counts["by_rule"] = apply_rules(session, decisions)
    counts["fixes_proposed"] = len(propose_new(workspace, session.fixes().changes))
    progress("done", 1.0)
    return JobRun(recorded, session, identities, counts, [str(t.path) for t in tables])
