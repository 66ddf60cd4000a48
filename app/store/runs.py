"""Record a run in the workspace: its sources, groups (with stable ids), conflicts, metrics.

Groups keep their id from run to run: a new group takes the id of the earlier group most
of its records belonged to. Conflicts are keyed by group and field; one that was resolved
stays resolved while its records are unchanged, one that no longer appears is closed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from app.reconcile.pipeline import LinkResult
from app.store import audit
from app.store.identity import Identities
from app.store.schema import Conflict, Group, Member, Run, Source
from app.store.workspace import Workspace


@dataclass
class RecordedRun:
    run_id: int
    stable_ids: list[str]  # per group of the result
    metrics: dict[str, Any]


def _next_number(session: Any) -> int:
    last = session.scalar(select(func.max(Group.stable_id)))
    return int(last[1:]) + 1 if last else 1


def assign_stable_ids(
    previous: dict[tuple[str, str], str], groups: list[list[tuple[str, str]]], first_number: int
) -> list[str]:
    """Each group's id: the earlier group most of its records were in, unless a larger
    share of another new group claims that id first; otherwise a new id."""
    claims: list[tuple[int, int, str]] = []
    for index, members in enumerate(groups):
        counts = Counter(previous[m] for m in members if m in previous)
        for stable_id, overlap in counts.items():
            claims.append((-overlap, index, stable_id))
    assigned: dict[int, str] = {}
    taken: set[str] = set()
    for _, index, stable_id in sorted(claims):
        if index not in assigned and stable_id not in taken:
            assigned[index] = stable_id
            taken.add(stable_id)
    ids = []
    number = first_number
    for index in range(len(groups)):
        if index in assigned:
            ids.append(assigned[index])
        else:
            ids.append(f"G{number:07d}")
            number += 1
    return ids


def record_run(
    workspace: Workspace,
    result: LinkResult,
    identities: Identities,
    counts: dict[str, Any],
    *,
    job_id: int | None = None,
    settings: dict[str, Any] | None = None,
) -> RecordedRun:
    now = datetime.now()
    with workspace.session() as session:
        run = Run(
            job_id=job_id,
            mode=result.mode,
            started=now,
            finished=now,
            status="done",
            user=workspace.user,
            settings=settings or {},
            timings={k: round(v, 3) for k, v in result.timings.items()},
            metrics={},
        )
        session.add(run)
        session.flush()
        for table in result.tables:
            session.add(
                Source(
                    run_id=run.id,
                    label=table.label,
                    location=str(table.path),
                    sheet=table.sheet,
                    kind=table.file_format,
                    file_hash=table.file_hash,
                    header_row=table.header_row or 1,
                    key_column=result.mapping.profiles[table.label].key,
                    rows=len(table),
                    imported=now,
                )
            )
        # Groups carry their ids from the last run of the same work (job, or mode when no
        # job): a customer dedupe in the workspace of the daily orders keeps its own.
        same_work = select(Run.id).where(
            Run.mode == result.mode,
            Run.job_id.is_(None) if job_id is None else Run.job_id == job_id,
        )
        previous = {
            (m.table_label, m.record_key): stable
            for m, stable in session.execute(
                select(Member, Group.stable_id)
                .join(Group, Group.id == Member.group_id)
                .where(Member.run_id.in_(same_work))
            )
        }
        members = [[identities.key(label, row) for label, row in g.members] for g in result.groups]
        stable_ids = assign_stable_ids(previous, members, _next_number(session))
        known = dict(session.execute(select(Group.stable_id, Group.id)).all())
        new_groups, updates = [], []
        for stable_id, group in zip(stable_ids, result.groups, strict=True):
            values = {"last_run": run.id, "band": group.band, "probability": group.probability}
            if stable_id in known:
                updates.append({"id": known[stable_id], **values})
            else:
                new_groups.append(
                    {"stable_id": stable_id, "first_run": run.id, "state": "open", **values}
                )
        if updates:  # bulk UPDATE by primary key, not one ORM object per group
            session.execute(update(Group), updates)
        if new_groups:
            session.execute(insert(Group), new_groups)
        id_of = dict(session.execute(select(Group.stable_id, Group.id)).all())
        group_ids = [id_of[s] for s in stable_ids]
        session.execute(delete(Member).where(Member.run_id.in_(same_work)))
        rows = [
            {
                "group_id": gid,
                "run_id": run.id,
                "table_label": label,
                "record_key": identities.keys[label][row],
                "content_hash": identities.hashes[label][row],
                "row": int(row),
            }
            for gid, group in zip(group_ids, result.groups, strict=True)
            for label, row in group.members
        ]
        if rows:
            session.execute(insert(Member), rows)
        opened, closed, ages = _record_conflicts(
            session, result, identities, group_ids, run.id, now
        )
        run.metrics = {
            **counts,
            "conflicts_opened": opened,
            "conflicts_closed": closed,
            "open_item_age_days": round(sum(ages) / len(ages), 2) if ages else 0.0,
            "candidates": result.candidates,
        }
        audit.append(session, workspace.user, "run", f"run {run.id}", after=run.metrics)
        return RecordedRun(run.id, stable_ids, dict(run.metrics))


def _record_conflicts(
    session: Any,
    result: LinkResult,
    identities: Identities,
    group_ids: list[int],
    run_id: int,
    now: datetime,
) -> tuple[int, int, list[float]]:
    current = {}
    for conflict in result.conflicts:
        raw = {
            f"{label}|{identities.keys[label][row]}": value
            for label, row, _column, value in result.conflict_cells(conflict)
        }
        current[(group_ids[conflict.group], conflict.field)] = (raw, conflict)
    known = {
        (c.group_id, c.field): c
        for c in session.scalars(select(Conflict).where(Conflict.state != "closed"))
    }
    opened = closed = 0
    for key, (values, found) in current.items():
        row = known.get(key)
        if row is None:
            row = session.scalar(
                select(Conflict).where(Conflict.group_id == key[0], Conflict.field == key[1])
            )
        if row is None:
            row = Conflict(
                group_id=key[0],
                field=key[1],
                opened_run=run_id,
                state="open",
                opened=now,
            )
            session.add(row)
            opened += 1
        elif row.state == "closed":
            row.state, row.opened_run, row.opened, row.closed_run = "open", run_id, now, None
            opened += 1
        elif row.state == "resolved" and row.values != values:
            row.state = "recheck"
        row.last_run, row.values = run_id, values
        row.kind, row.behind, row.age_days = found.kind, found.behind, found.age_days
    read = {t.label for t in result.tables}
    this = session.get(Run, run_id)
    kinds = {
        r.id: (r.job_id, r.mode)
        for r in session.scalars(
            select(Run).where(Run.id.in_({c.last_run for c in known.values()}))
        )
    }
    for key, row in known.items():
        # Gone from this run — but only a run of the same job (or mode) that read every
        # table of the conflict can say so (a customer dedupe says nothing about
        # yesterday's order conflicts, even of an ERP record alone).
        tables = {cell.split("|", 1)[0] for cell in row.values}
        same_work = kinds.get(row.last_run) == (this.job_id, this.mode)
        if key not in current and tables <= read and same_work:
            row.state, row.closed_run = "closed", run_id
            closed += 1
    ages = [(now - c.opened).total_seconds() / 86400 for c in known.values() if c.state == "open"]
    return opened, closed, ages
