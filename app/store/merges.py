"""Merges in the workspace: proposed, approved (four-eyes), written back, unmerged.

A merge's cells are ordinary fixes tagged with the merge, so they are approved, audited
and written like every fix — but on their own: ``concord apply`` leaves them alone, and a
merge is written as one write-back, which is exactly what unmerging rolls back (the files
byte for byte when nobody touched them since, the cells otherwise — refused, with the
list, where a record changed since).

How each table marks a record inactive is mapped once per table label and kept in the
workspace settings, so the next merge of that system needs nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.decide.merging import CrosswalkRow, Deactivation, MergePlan
from app.errors import InputError
from app.store import audit
from app.store.fixes import APPROVER_ROLES, add_fixes, approve, four_eyes
from app.store.schema import Fix, MergeRecord, Setting
from app.store.workspace import Workspace

_DEACTIVATION = "merge_deactivation"


def deactivations(workspace: Workspace) -> dict[str, Deactivation]:
    """Per table label, how it marks a record inactive (as mapped by a steward)."""
    with workspace.session() as db:
        row = db.get(Setting, _DEACTIVATION)
        stored = row.value if row else {}
    return {label: Deactivation(**value) for label, value in stored.items()}


def map_deactivation(workspace: Workspace, label: str, deactivation: Deactivation) -> None:
    with workspace.session() as db:
        row = db.get(Setting, _DEACTIVATION)
        value = {**(row.value if row else {}), label: vars(deactivation)}
        if row is None:
            db.add(Setting(name=_DEACTIVATION, value=value))
        else:
            row.value = value
        audit.append(
            db, workspace.user, "setting", f"inactive column of {label}", after=value[label]
        )


def propose_merge(workspace: Workspace, plan: MergePlan, group_stable_id: str | None = None) -> int:
    """Store a merge and its cells as proposed fixes; returns the merge's id. Refused
    while the cluster has a merge proposed, approved or written."""
    live = merge_of_group(workspace, group_stable_id) if group_stable_id else None
    if live is not None and live.state in ("proposed", "approved", "written"):
        raise InputError(
            f"this cluster already has merge {live.id} ({live.state})",
            hint=f"withdraw or unmerge it first (concord merge show {live.id})",
        )
    with workspace.session() as db:
        record = MergeRecord(
            name=plan.name,
            group_stable_id=group_stable_id,
            plan=plan.stored(),
            state="proposed",
            proposed_by=workspace.user,
            proposed=datetime.now(),
        )
        db.add(record)
        db.flush()
        add_fixes(db, workspace.user, plan.changes.changes, merge_id=record.id)
        audit.append(
            db,
            workspace.user,
            "propose merge",
            f"merge {record.id}",
            after={
                "name": plan.name,
                "survivors": plan.survivors,
                "retired": len(plan.crosswalk),
                "cells": len(plan.changes.changes),
            },
        )
        return record.id


def merges(workspace: Workspace, state: str | None = None) -> list[MergeRecord]:
    with workspace.session() as db:
        query = select(MergeRecord).order_by(MergeRecord.id)
        if state is not None:
            query = query.where(MergeRecord.state == state)
        return list(db.scalars(query))


def get_merge(workspace: Workspace, merge_id: int) -> MergeRecord:
    with workspace.session() as db:
        record = db.get(MergeRecord, merge_id)
    if record is None:
        raise InputError(f"there is no merge {merge_id}", hint="see: concord merge list")
    return record


def merge_fixes(workspace: Workspace, merge_id: int) -> list[Fix]:
    with workspace.session() as db:
        return list(db.scalars(select(Fix).where(Fix.merge_id == merge_id).order_by(Fix.id)))


def approve_merge(
    workspace: Workspace,
    merge_id: int,
    approver: str | None = None,
    verdict: str = "approved",
    note: str = "",
) -> None:
    """Approve (or reject) every cell of a merge at once, under the fixes' rules: an
    approver's role, and four-eyes — whoever proposed the merge cannot approve it."""
    record = check_state(workspace, merge_id, ("proposed", "approved", "rejected"), "approved")
    approver = approver or workspace.user
    if verdict == "approved" and record.proposed_by == approver and four_eyes(workspace):
        raise InputError(
            f"four-eyes: {approver} proposed merge {merge_id} and cannot approve it",
            hint="another approver must approve it",
        )
    ids = [f.id for f in merge_fixes(workspace, merge_id)]
    if ids:
        approve(workspace, ids, approver, verdict, note)
    elif workspace.role(approver) not in APPROVER_ROLES:
        raise InputError(f"{approver} may not approve merges", hint="ask an approver")
    _set_state(workspace, record.id, verdict, approver, f"merge {verdict}")


def withdraw_merge(workspace: Workspace, merge_id: int) -> None:
    """Drop a merge not written yet (the steward changed their mind): its cells are
    rejected and nothing reaches the systems."""
    check_state(workspace, merge_id, ("proposed", "approved"), "withdrawn")
    with workspace.session() as db:
        for fix in db.scalars(select(Fix).where(Fix.merge_id == merge_id)):
            fix.state = "rejected"
    _set_state(workspace, merge_id, "rejected", workspace.user, "merge withdrawn")


def merge_of_group(workspace: Workspace, group_stable_id: str) -> MergeRecord | None:
    """The latest merge of a cluster, if any."""
    with workspace.session() as db:
        return db.scalar(
            select(MergeRecord)
            .where(MergeRecord.group_stable_id == group_stable_id)
            .order_by(MergeRecord.id.desc())
            .limit(1)
        )


def mark_written(workspace: Workspace, merge_id: int, writeback_id: int, cells: int) -> None:
    with workspace.session() as db:
        record = db.get(MergeRecord, merge_id)
        assert record is not None
        record.state, record.writeback_id = "written", writeback_id
        audit.append(
            db,
            workspace.user,
            "merge written",
            f"merge {merge_id}",
            after={"write-back": writeback_id, "cells": cells},
        )


def mark_unmerged(workspace: Workspace, merge_id: int) -> None:
    _set_state(workspace, merge_id, "unmerged", workspace.user, "unmerge")


def crosswalk(workspace: Workspace, merge_ids: list[int] | None = None) -> list[CrosswalkRow]:
    """Old ID → surviving ID per system, of the given merges or else of every merge
    written and not unmerged (what the systems' own merge tools need)."""
    if merge_ids:
        chosen = [get_merge(workspace, k) for k in merge_ids]
    else:
        chosen = merges(workspace, "written")
    return [CrosswalkRow(**row) for record in chosen for row in record.plan["crosswalk"]]


def check_state(
    workspace: Workspace, merge_id: int, states: tuple[str, ...], goal: str
) -> MergeRecord:
    record = get_merge(workspace, merge_id)
    if record.state not in states:
        raise InputError(
            f"merge {merge_id} is {record.state}, so it cannot be {goal}",
            hint="see: concord merge show " + str(merge_id),
        )
    return record


def _set_state(workspace: Workspace, merge_id: int, state: str, actor: str, action: str) -> None:
    with workspace.session() as db:
        record = db.get(MergeRecord, merge_id)
        assert record is not None
        before = record.state
        record.state = state
        audit.append(
            db, actor, action, f"merge {merge_id}", before={"state": before}, after={"state": state}
        )
