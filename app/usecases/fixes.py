"""Fixes, people and rules: approving, the four-eyes setting, users and roles, standing
rules. Who acts is always the workspace's user; roles come from the workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.decide.changes import Change
from app.errors import InputError
from app.normalise.status import CANONICAL_STATES
from app.store import audit
from app.store import fixes as stored
from app.store.decisions import add_rule as store_rule
from app.store.schema import User
from app.store.workspace import Workspace

ROLES = ("clerk", "approver", "admin")


def approve(
    workspace: Workspace, fix_ids: list[int], *, reject: bool = False, note: str = ""
) -> int:
    """Approve (or reject) fixes as the workspace's user: an approver or admin, and under
    four-eyes never the fixes they proposed. Returns how many."""
    stored.approve(workspace, fix_ids, workspace.user, "rejected" if reject else "approved", note)
    return len(set(fix_ids))


def four_eyes(workspace: Workspace) -> bool:
    return stored.four_eyes(workspace)


def set_four_eyes(workspace: Workspace, on: bool) -> None:
    """Only an admin turns four-eyes on or off; the change is audited."""
    stored.set_four_eyes(workspace, on)


def seal_audit(workspace: Workspace) -> audit.Verification:
    """Seal the audit log as it stands, with this machine's key (made now if it holds
    none): an admin's task, itself audited."""
    if workspace.role() != "admin":
        raise InputError(
            f"only an admin seals the audit log ({workspace.who()})",
            hint=workspace.ask_an_admin(),
        )
    with workspace.session() as db:
        audit.reseal(db)
        audit.append(db, workspace.user, "seal", "audit log")
    with workspace.session() as db:
        return audit.verify(db)


def propose(workspace: Workspace, changes: list[Change]) -> list[int]:
    """Propose fixes (each cell and value once, whatever else runs at the same time)."""
    with workspace.session() as db:
        return stored.propose_new(db, workspace.user, changes)


def users(workspace: Workspace) -> list[User]:
    with workspace.session() as db:
        return list(db.scalars(select(User).order_by(User.name)))


def add_user(workspace: Workspace, name: str, role: str = "clerk") -> str:
    """Add a person, or change their role: an admin's task. Returns what happened, for a
    person to read."""
    if role not in ROLES:
        raise InputError(f"there is no role {role!r}", hint="roles: " + ", ".join(ROLES))
    name = name.strip()
    if not name:
        raise InputError("a user needs a name")
    if workspace.role() != "admin":
        raise InputError(
            f"only an admin adds people or changes a role ({workspace.who()})",
            hint=workspace.ask_an_admin(),
        )
    with workspace.session() as db:
        user = db.scalar(select(User).where(User.name == name))
        before = user.role if user is not None else None
        if before == role:
            return f"{name} is already {role}"
        if user is None:
            db.add(User(name=name, role=role, created=datetime.now()))
        else:
            user.role = role
        audit.append(
            db, workspace.user, "user", name, before={"role": before}, after={"role": role}
        )
    return f"{name}: {role}"


def add_rule(
    workspace: Workspace, field: str, trust: str, words: dict[str, str] | None = None
) -> int:
    """A standing rule ("amount: trust erp"), applied to every later run's open conflicts;
    ``words`` (state → word) for target columns that have no word of their own for a state."""
    for state in words or {}:
        if state not in CANONICAL_STATES:
            raise InputError(
                f"{state!r} is not a document state",
                hint="states: " + ", ".join(CANONICAL_STATES) + " (as in --set rejected=关闭)",
            )
    return store_rule(workspace, field, trust, words)
