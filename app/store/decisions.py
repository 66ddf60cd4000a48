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

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.reconcile.groups import Constraints
from app.store import audit
from app.store.identity import Identities
from app.store.schema import Decision as StoredDecision
from app.store.schema import Fix
from app.store.workspace import Workspace


def save_decisions(
    db: Session,
    user: str,
    session: ReviewSession,
    identities: Identities,
    decisions: list[Decision],
    stable_ids: list[str],
    run_id: int | None,
) -> list[int]:
    """Store decisions (in the caller's transaction) with their records' keys and hashes,
    under one audit entry; returns their ids in order."""
    rows = []
    for decision in decisions:
        records = [
            [label, identities.keys[label][row], identities.hashes[label][row]]
            for label, row in session.members(decision.group)
        ]
        rows.append(
            {
                "kind": decision.kind,
                "group_stable_id": stable_ids[decision.group],
                "field": decision.field,
                "payload": {"source": decision.source, "value": decision.value},
                "records": records,
                "decided_by": decision.user or user,
                "decided": decision.at or datetime.now(),
                "state": "active",
                "run_id": run_id,
            }
        )
    if not rows:
        return []
    ids = list(
        db.scalars(
            insert(StoredDecision).returning(StoredDecision.id, sort_by_parameter_order=True),
            rows,
        )
    )
    first, kinds = rows[0], sorted({d.kind for d in decisions})
    if len(rows) == 1:
        item = first["group_stable_id"]
        details = {"field": first["field"], **first["payload"], "records": first["records"]}
    else:
        item = f"{len(rows)} groups"
        details = {"groups": [r["group_stable_id"] for r in rows], "field": first["field"]}
    audit.append(
        db,
        str(first["decided_by"]),
        f"decide {'/'.join(kinds)}",
        item,
        before={"state": decisions[0].previous} if len(rows) == 1 else {},
        after=details,
    )
    return ids


def _parts(ids: list[int], size: int = 10_000) -> list[list[int]]:
    """``ids`` in slices a database takes as bound parameters (PostgreSQL: 65,535)."""
    return [ids[k : k + size] for k in range(0, len(ids), size)]


def withdraw_decisions(db: Session, user: str, decision_ids: list[int]) -> list[str]:
    """Undo (in the caller's transaction): the decisions no longer apply, and the fixes
    they proposed and nobody wrote yet are withdrawn — all kept in the log, never
    deleted. Returns the groups they were about."""
    rows, withdrawn = [], []
    for part in _parts(decision_ids):
        rows += db.execute(
            select(StoredDecision.id, StoredDecision.group_stable_id, StoredDecision.kind).where(
                StoredDecision.id.in_(part), StoredDecision.state == "active"
            )
        ).all()
        withdrawn += db.scalars(
            select(Fix.id).where(Fix.decision_id.in_(part), Fix.state.in_(("proposed", "approved")))
        ).all()
    # Set-wise UPDATEs, not one per row: a bulk accept's undo touches tens of thousands.
    for part in _parts([row.id for row in rows]):
        db.execute(
            update(StoredDecision).where(StoredDecision.id.in_(part)).values(state="superseded")
        )
    for part in _parts(withdrawn):
        db.execute(update(Fix).where(Fix.id.in_(part)).values(state="withdrawn"))
    groups = [row.group_stable_id or "" for row in rows]
    if rows:
        audit.append(
            db,
            user,
            "withdraw decision",
            groups[0] if len(rows) == 1 else f"{len(rows)} groups",
            before={"kinds": sorted({r.kind for r in rows})},
            after={
                "state": "superseded",
                "groups": groups,
                "fixes withdrawn": withdrawn,
            },
        )
    return groups


VALUE_KINDS = ("take", "edit")


def supersede_values(db: Session, user: str, fields: set[tuple[str, str]]) -> list[int]:
    """Withdraw (in the caller's transaction) the active value decisions on these
    (group, field) pairs and their unwritten fixes: a new value for a field replaces the
    earlier one, so no cell keeps two live fixes with different values. Returns their ids."""
    if not fields:
        return []
    candidates = db.scalars(
        select(StoredDecision).where(
            StoredDecision.kind.in_(VALUE_KINDS),
            StoredDecision.state == "active",
            StoredDecision.group_stable_id.in_({group for group, _ in fields}),
        )
    )
    earlier = [row.id for row in candidates if (row.group_stable_id, row.field) in fields]
    withdraw_decisions(db, user, earlier)
    return earlier


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
            session.apply(
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


def add_rule(
    workspace: Workspace, field: str, trust: str, words: dict[str, str] | None = None
) -> int:
    """A standing rule ("amount: trust erp"): every run takes that table's value for every
    open conflict on the field, and proposes the fixes. ``words`` (state → word) say what
    to write where a target column has no word of its own for a state (U8 has no word
    for rejected: write 关闭)."""
    with workspace.session() as db:
        row = StoredDecision(
            kind="rule",
            group_stable_id=None,
            field=field,
            payload={"trust": trust, "words": words or {}},
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
            after={"field": field, "trust": trust, "words": words or {}},
        )
        return row.id
