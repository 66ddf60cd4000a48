"""Decisions in the workspace: kept with the records (and content hashes) they were made
on, turned into constraints for the next run, and re-applied when nothing changed.

A decision whose records all still hold the same content is applied again silently: the
group is decided, its conflict stays resolved. If any record changed, the decision is
marked "recheck" and the item comes back to the review queue.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations, pairwise
from typing import Any

from sqlalchemy import select

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.reconcile.groups import Constraints
from app.store import audit
from app.store.identity import Identities
from app.store.schema import Decision as StoredDecision
from app.store.workspace import Workspace


def save_decision(
    workspace: Workspace,
    session: ReviewSession,
    identities: Identities,
    decision: Decision,
    stable_id: str,
    run_id: int | None,
) -> int:
    """Store a decision with its records' keys and hashes; returns its id."""
    records = [
        [label, identities.keys[label][row], identities.hashes[label][row]]
        for label, row in session.members(decision.group)
    ]
    payload = {"source": decision.source, "value": decision.value}
    with workspace.session() as db:
        row = StoredDecision(
            kind=decision.kind,
            group_stable_id=stable_id,
            field=decision.field,
            payload=payload,
            records=records,
            decided_by=decision.user or workspace.user,
            decided=decision.at or datetime.now(),
            state="active",
            run_id=run_id,
        )
        db.add(row)
        db.flush()
        audit.append(
            db,
            row.decided_by,
            f"decide {decision.kind}",
            stable_id,
            before={"state": decision.previous},
            after={"field": decision.field, **payload, "records": records},
        )
        return row.id


def withdraw_decision(workspace: Workspace, decision_id: int) -> None:
    """Undo: the decision no longer applies (kept in the log, never deleted)."""
    with workspace.session() as db:
        row = db.get(StoredDecision, decision_id)
        if row is not None and row.state == "active":
            row.state = "superseded"
            audit.append(
                db,
                workspace.user,
                "withdraw decision",
                row.group_stable_id or "",
                before={"kind": row.kind, "field": row.field},
                after={"state": "superseded"},
            )


def active_decisions(workspace: Workspace) -> list[StoredDecision]:
    with workspace.session() as db:
        return list(
            db.scalars(
                select(StoredDecision)
                .where(StoredDecision.state.in_(("active", "recheck")))
                .order_by(StoredDecision.id)
            )
        )


def _unchanged(decision: StoredDecision, identities: Identities) -> bool:
    return all(
        identities.unchanged(label, key, content) for label, key, content in decision.records
    )


def constraints(decisions: list[StoredDecision], identities: Identities) -> Constraints:
    """Links people accepted and records they kept apart, for records still unchanged."""
    result = Constraints()
    for decision in decisions:
        if decision.kind not in ("accept", "reject") or not _unchanged(decision, identities):
            continue
        nodes = [(label, identities.row(label, key)) for label, key, _ in decision.records]
        present = [(label, row) for label, row in nodes if row is not None]
        if decision.kind == "accept":
            result.together.extend(pairwise(present))
        else:
            result.apart.extend(combinations(present, 2))
    return result


def reapply(
    workspace: Workspace,
    session: ReviewSession,
    identities: Identities,
    decisions: list[StoredDecision],
) -> dict[str, int]:
    """Set the session's decided state from earlier decisions; mark changed ones recheck.

    Returns counts: reapplied, recheck, gone (records no longer exported).
    """
    group_of: dict[tuple[str, str], int] = {}
    for index in range(len(session.result.groups)):
        for label, row in session.members(index):
            group_of[identities.key(label, row)] = index
    counts = {"reapplied": 0, "recheck": 0, "gone": 0}
    changed: list[int] = []
    for decision in decisions:
        if decision.kind == "rule":
            continue
        groups = {group_of.get((label, key)) for label, key, _ in decision.records} - {None}
        if not groups:
            counts["gone"] += 1
            continue
        group = min(g for g in groups if g is not None)
        if _unchanged(decision, identities):
            recorded = session.apply(
                Decision(
                    decision.kind,
                    group,
                    field=decision.field,
                    source=decision.payload.get("source"),
                    value=decision.payload.get("value"),
                    user=decision.decided_by,
                    at=decision.decided,
                )
            )
            session.stored[recorded] = decision.id
            counts["reapplied"] += 1
        else:
            session.state[group] = "recheck"
            changed.append(decision.id)
            counts["recheck"] += 1
    if changed:
        with workspace.session() as db:
            for row in db.scalars(select(StoredDecision).where(StoredDecision.id.in_(changed))):
                row.state = "recheck"
    return counts


def describe(decision: StoredDecision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "kind": decision.kind,
        "group": decision.group_stable_id,
        "field": decision.field,
        **decision.payload,
        "by": decision.decided_by,
        "at": decision.decided.isoformat(timespec="seconds"),
        "state": decision.state,
    }


def add_rule(workspace: Workspace, field: str, trust: str) -> int:
    """A standing rule ("amount: trust erp"): every run takes that table's value for every
    open conflict on the field, and proposes the fixes."""
    with workspace.session() as db:
        row = StoredDecision(
            kind="rule",
            group_stable_id=None,
            field=field,
            payload={"trust": trust},
            records=[],
            decided_by=workspace.user,
            decided=datetime.now(),
            state="active",
            run_id=None,
        )
        db.add(row)
        db.flush()
        audit.append(
            db,
            workspace.user,
            "rule",
            f"{field}: trust {trust}",
            after={"field": field, "trust": trust},
        )
        return row.id


def apply_rules(session: ReviewSession, decisions: list[StoredDecision]) -> int:
    """Take the trusted table's value for open conflicts covered by rules; returns how many."""
    applied = 0
    for rule in (d for d in decisions if d.kind == "rule"):
        trust = rule.payload.get("trust")
        for conflict in session.result.conflicts:
            if conflict.field != rule.field or session.state[conflict.group] != "open":
                continue
            if not any(label == trust for label, _ in conflict.members):
                continue
            session.apply(
                Decision(
                    "take", conflict.group, field=rule.field, source=trust, user=rule.decided_by
                )
            )
            applied += 1
    return applied
