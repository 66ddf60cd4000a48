"""``concord report RUN``: a workbook a supervisor reads — summary with the trend across
runs, open conflicts, a sheet per chain exception kind, orphans, decisions and fixes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Row, select

from app.errors import InputError
from app.reports.audit_log import anchor_rows
from app.reports.xlsx import write_sheet_workbook
from app.store.schema import Conflict, Decision, Fix, Group, Member, Run, Source
from app.store.workspace import Workspace

SUMMARY = (  # the run's counts (app.usecases.runs.RunCounts), as every screen shows them
    ("groups", "Groups"),
    ("matched", "Matched"),
    ("review", "To review"),
    ("orphans", "Orphans"),
    ("auto_match_rate", "Auto-match rate"),
    ("conflicts", "Conflicts"),
    ("conflict_groups", "Groups with conflicts"),
    ("inventory_accuracy", "Inventory accuracy"),
    ("conflicts_opened", "Conflicts opened"),
    ("conflicts_closed", "Conflicts closed"),
    ("open_item_age_days", "Age of open items (days)"),
)


def _summary(run: Run, runs: list[Run], sources: list[Source]) -> list[list[Any]]:
    rows: list[list[Any]] = [["Run", run.id], ["Started", run.started], ["By", run.user]]
    rows += [
        [
            f"Source {s.label}",
            f"{Path(s.location).name}{'#' + s.sheet if s.sheet else ''} ({s.rows} rows)",
        ]
        for s in sources
    ]
    rows += [[label, run.metrics.get(key)] for key, label in SUMMARY]
    rows.append(["", ""])
    stock = any(r.metrics.get("inventory_accuracy") is not None for r in runs)
    trend = "auto-match rate · open conflicts · orphans"
    rows.append(["Trend", trend + (" · inventory accuracy" if stock else "")])
    for earlier in runs:
        metrics = earlier.metrics
        accuracy = metrics.get("inventory_accuracy")
        rows.append(
            [
                f"run {earlier.id} ({earlier.started:%Y-%m-%d})",
                f"{metrics.get('auto_match_rate', 0):.1%} · {metrics.get('conflicts', 0)} · "
                f"{metrics.get('orphans', 0)}"
                + (f" · {accuracy:.1%}" if accuracy is not None else ""),
            ]
        )
    return rows


# One sheet per chain exception kind, in the order a clerk chases them.
CHAIN_SHEETS = {
    "booked_without_approval": "Booked without approval",
    "approved_not_booked": "Approved not booked",
    "won_not_submitted": "Won not submitted",
    "contradiction": "Contradictions",
}


def _kind_counts(conflicts: Sequence[Row[tuple[Conflict, str]]]) -> list[list[Any]]:
    counts = Counter(c.kind for c, _ in conflicts if c.state != "closed")
    return [[f"Open conflicts: {kind or 'other'}", n] for kind, n in sorted(counts.items())]


def _chain_sheets(
    conflicts: Sequence[Row[tuple[Conflict, str]]],
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Per chain exception kind: each group with the system behind, its age in days and
    every record's status words; oldest first."""
    sheets = {}
    for kind, title in CHAIN_SHEETS.items():
        rows = [
            [
                stable_id,
                c.behind,
                c.age_days,
                c.state,
                " · ".join(f"{key.replace('|', ' ')}: {words}" for key, words in c.values.items()),
            ]
            for c, stable_id in conflicts
            if c.kind == kind
        ]
        rows.sort(key=lambda row: -(row[2] if row[2] is not None else -1))
        if rows:
            sheets[title] = (["Group", "Behind", "Age (days)", "State", "Records"], rows)
    return sheets


def write_report(workspace: Workspace, run_id: int, out: Path) -> Path:
    with workspace.session() as db:
        run = db.get(Run, run_id)
        if run is None:
            raise InputError(
                f"there is no run {run_id}", hint="see the runs with: concord job show JOB"
            )
        runs = list(
            db.scalars(
                select(Run).where(Run.job_id == run.job_id, Run.id <= run_id).order_by(Run.id)
            )
        )
        sources = list(db.scalars(select(Source).where(Source.run_id == run_id)))
        labels = {s.label for s in sources}
        conflicts = db.execute(
            select(Conflict, Group.stable_id)
            .join(Group, Group.id == Conflict.group_id)
            .where(Conflict.last_run == run_id)
            .order_by(Group.stable_id, Conflict.field)
        ).all()
        members: dict[str, list[tuple[str, str]]] = {}
        for member, stable_id in db.execute(
            select(Member, Group.stable_id).join(Group, Group.id == Member.group_id)
        ):
            members.setdefault(stable_id, []).append((member.table_label, member.record_key))
        decisions = list(db.scalars(select(Decision).order_by(Decision.id)))
        fixes = list(db.scalars(select(Fix).order_by(Fix.id)))
        anchor = anchor_rows(db)
    conflict_rows = [
        [
            stable_id,
            c.field,
            c.kind,
            c.state,
            key.split("|", 1)[0],
            key.split("|", 1)[1],
            value,
            c.opened,
            (run.started - c.opened).days,
        ]
        for c, stable_id in conflicts
        for key, value in c.values.items()
    ]
    orphan_rows = [
        [
            stable_id,
            ", ".join(sorted(labels - {t for t, _ in records})),
            " · ".join(f"{t} {k}" for t, k in records),
        ]
        for stable_id, records in sorted(members.items())
        if run.mode == "reconcile" and {t for t, _ in records} != labels
    ]
    decision_rows = [
        [
            d.id,
            d.kind,
            d.group_stable_id,
            d.field,
            d.payload.get("source") or d.payload.get("value"),
            d.decided_by,
            d.decided,
            d.state,
        ]
        for d in decisions
    ]
    fix_rows = [
        [
            f.id,
            Path(f.target["location"]).name,
            f.record_key,
            f.column,
            f.old,
            f.new,
            f.reason,
            f.proposed_by,
            f.state,
        ]
        for f in fixes
    ]
    return write_sheet_workbook(
        out,
        {
            "Summary": (
                ["Item", "Value"],
                [
                    *_summary(run, runs, sources),
                    ["", ""],
                    *_kind_counts(conflicts),
                    ["", ""],
                    *anchor,
                ],
            ),
            "Conflicts": (
                [
                    "Group",
                    "Field",
                    "Kind",
                    "State",
                    "Table",
                    "Record",
                    "Value",
                    "Opened",
                    "Age (days)",
                ],
                conflict_rows,
            ),
            **_chain_sheets(conflicts),
            "Orphans": (["Group", "Missing in", "Records"], orphan_rows),
            "Decisions": (
                ["Id", "Kind", "Group", "Field", "Choice", "By", "At", "State"],
                decision_rows,
            ),
            "Fixes": (
                [
                    "Id",
                    "Target",
                    "Record",
                    "Column",
                    "Old value",
                    "New value",
                    "Reason",
                    "Proposed by",
                    "State",
                ],
                fix_rows,
            ),
        },
    )
