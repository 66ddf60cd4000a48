"""Running a reconciliation against a workspace, and the one definition of a run's counts.

1. read today's sources (newest file per pattern, or the database tables);
2. match, with the links people accepted and kept apart as constraints (for records whose
   content is unchanged);
3. record the run (stable group ids, conflicts opened and closed, its counts);
4. re-apply every earlier decision whose records are unchanged, mark the others for
   re-check, apply the standing rules, and propose the fixes they imply — each cell and
   value once, whatever else runs at the same time.

Runs of one job are serialised by a lease: a second run waits for the first, or refuses
and says who is running it.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.decide.session import ReviewSession
from app.errors import InputError
from app.jobs.jobs import JobSpec, load_job, resolve
from app.mapping.align import Mapping
from app.mapping.profiles import ProfileStore
from app.progress import Progress, no_progress, scaled
from app.reconcile.groups import Constraints
from app.reconcile.pipeline import RECONCILE, LinkResult, link_tables
from app.reconcile.settings import Settings, settings_from
from app.sources import Table, load
from app.store import leases
from app.store.decisions import active_decisions, constraints, reapply
from app.store.fixes import propose_new
from app.store.identity import Identities
from app.store.runs import RecordedRun, record_run
from app.store.workspace import Workspace
from app.usecases.review import rule_decisions


@dataclass(frozen=True)
class RunCounts:
    """What a run found, counted one way everywhere (Overview, History, the report,
    ``concord job show``). Each group is in exactly one of matched, review and orphans,
    as the review queue's band column shows it; ``conflicts`` counts fields that
    disagree (a group with two such fields counts twice)."""

    groups: int
    matched: int  # complete and auto-accepted
    review: int  # complete, to be looked at
    orphans: int  # reconcile: a table missing
    conflicts: int
    conflict_groups: int
    inventory_accuracy: float | None = None  # stock lists: product lines that agree

    @property
    def auto_match_rate(self) -> float:
        return round(self.matched / max(1, self.groups), 4)

    def as_metrics(self) -> dict[str, Any]:
        return {**asdict(self), "auto_match_rate": self.auto_match_rate}


def run_counts(result: LinkResult, table: str | None = None) -> RunCounts:
    """The counts of a run, or (``table``) of the groups holding a record of that table."""
    labels = {t.label for t in result.tables}
    groups = matched = review = orphans = 0
    for group in result.groups:
        tables = group.tables()
        if table is not None and table not in tables:
            continue
        groups += 1
        if result.mode == RECONCILE and tables != labels:
            orphans += 1
        elif group.band == "auto" and len(group.members) > 1:
            matched += 1
        elif group.band == "review":
            review += 1
    conflicts = [
        c for c in result.conflicts if table is None or any(m[0] == table for m in c.members)
    ]
    accuracy = result.inventory["accuracy"] if result.inventory and table is None else None
    return RunCounts(
        groups,
        matched,
        review,
        orphans,
        len(conflicts),
        len({c.group for c in conflicts}),
        accuracy,  # type: ignore[arg-type]
    )


def _check_storable(location: str) -> None:
    """A file name that is not valid text (bytes from another system's encoding) cannot
    be kept in the workspace, nor found again for a write-back: refused, by a name that
    can be printed."""
    try:
        location.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(location).decode("utf-8", "backslashreplace")
        raise InputError(
            f"{Path(shown).name}: the file name is not valid text (it was made on a system "
            "with another encoding)",
            hint="rename the file, then run again",
        ) from None


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
    name: str,
    *,
    base: Path | None = None,
    progress: Progress = no_progress,
    store: ProfileStore | None = None,
) -> JobRun:
    """Run a saved job on today's files, one run of it at a time."""
    with leases.holding(workspace, f"job {name}", f"running job {name!r}"):
        job_id, spec = load_job(workspace, name)
        return run_spec(workspace, spec, job_id=job_id, base=base, progress=progress, store=store)


def run_spec(
    workspace: Workspace,
    spec: JobSpec,
    *,
    job_id: int | None = None,
    base: Path | None = None,
    progress: Progress = no_progress,
    store: ProfileStore | None = None,
) -> JobRun:
    """A job's sources resolved to today's files, then :func:`run_tables`."""
    sources = [resolve(source, base) for source in spec.sources]
    tables = read_sources(sources, scaled(progress, 0.0, 0.2))
    done = run_tables(
        workspace,
        tables,
        spec.mode,
        settings_from(spec.settings, spec.keys),
        job_id=job_id,
        record=spec.as_dict(),
        progress=scaled(progress, 0.2, 1.0),
        store=store,
    )
    done.sources = sources
    return done


def read_sources(sources: list[str], progress: Progress = no_progress) -> list[Table]:
    """Read each source (``[LABEL=]PATH[#SHEET]`` or a database table) in turn."""
    tables = []
    for k, text in enumerate(sources):
        progress("read", k / len(sources))
        tables.append(load(text))
    return tables


def read_and_run(
    workspace: Workspace,
    sources: list[str],
    mode: str,
    settings: Settings,
    *,
    tables: list[Table] | None = None,
    name: str = "",
    progress: Progress = no_progress,
    store: ProfileStore | None = None,
) -> JobRun:
    """The desktop app's run: the sources read (unless ``tables`` were read already),
    matched and recorded, one run of the same reconciliation at a time."""
    label = name or "desktop"
    with leases.holding(workspace, f"job {label}", f"running {label!r}"):
        return run_tables(
            workspace,
            tables or read_sources(sources, scaled(progress, 0.0, 0.3)),
            mode,
            settings,
            record={"sources": sources},
            progress=scaled(progress, 0.3, 1.0),
            store=store,
        )


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
    for table in tables:
        _check_storable(str(table.path))
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
    recorded = record_run(
        workspace,
        result,
        identities,
        run_counts(result).as_metrics(),
        job_id=job_id,
        settings=record or {},
    )
    session = ReviewSession(result, user=workspace.user)
    counts = reapply(workspace, session, identities, decisions)
    by_rule = 0
    for rule in (d for d in decisions if d.kind == "rule"):
        session.words.setdefault(rule.field or "", {}).update(rule.payload.get("words") or {})
        for decision in rule_decisions(
            session, rule.field or "", str(rule.payload.get("trust")), rule.decided_by
        ):
            session.apply(decision)
            by_rule += 1
    counts["by_rule"] = by_rule
    with workspace.session() as db:
        counts["fixes_proposed"] = len(propose_new(db, workspace.user, session.fixes().changes))
    progress("done", 1.0)
    return JobRun(recorded, session, identities, counts, [str(t.path) for t in tables])
