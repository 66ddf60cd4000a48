"""A steward's merges: proposed with how each system marks a duplicate inactive, approved
under four-eyes, written and unmerged through :mod:`app.usecases.writing`."""

from __future__ import annotations

from pathlib import Path

from app.decide.merging import Deactivation, MergePlan, Reference, plan_merge
from app.store import merges as stored
from app.store.workspace import Workspace
from app.usecases.runs import JobRun
from app.usecases.writing import Written, unmerge, write_back

__all__ = [
    "approve",
    "map_deactivation",
    "propose",
    "propose_cluster",
    "unmerge",
    "withdraw",
    "write",
]


def map_deactivation(workspace: Workspace, label: str, deactivation: Deactivation) -> None:
    """How table ``label`` marks a record inactive, kept for every later merge."""
    stored.map_deactivation(workspace, label, deactivation)


def propose(workspace: Workspace, plan: MergePlan, group_stable_id: str | None) -> int:
    return stored.propose_merge(workspace, plan, group_stable_id)


def propose_cluster(
    workspace: Workspace,
    run: JobRun,
    group: int,
    deactivation: dict[str, Deactivation],
    references: list[Reference],
    survivors: dict[str, str] | None = None,
) -> int:
    """Plan the merge of a run's cluster and propose it; how each system with a survivor
    marks a record inactive is kept for the next merge. ``survivors``: the record key
    each system keeps, where the steward chose (else its most complete record). Refused
    (nothing stored) when the plan cannot be made."""
    plan = plan_merge(run.session, group, deactivation, references, survivors=survivors)
    for label, how in deactivation.items():
        if label in plan.survivors:
            stored.map_deactivation(workspace, label, how)
    return stored.propose_merge(workspace, plan, run.recorded.stable_ids[group])


def approve(workspace: Workspace, merge_id: int, *, reject: bool = False, note: str = "") -> None:
    """Approve (or reject) a merge as the workspace's user, never one they proposed
    while four-eyes is on."""
    verdict = "rejected" if reject else "approved"
    stored.approve_merge(workspace, merge_id, workspace.user, verdict, note)


def withdraw(workspace: Workspace, merge_id: int) -> None:
    stored.withdraw_merge(workspace, merge_id)


def write(
    workspace: Workspace, merge_id: int, *, dry_run: bool = False, backup_dir: Path | None = None
) -> Written:
    return write_back(workspace, merge_id=merge_id, dry_run=dry_run, backup_dir=backup_dir)
