"""Opening a workspace as someone, and settling what a crashed process left behind."""

from __future__ import annotations

from pathlib import Path

from app.errors import InputError
from app.store import audit, leases, writebacks
from app.store.leases import LeaseBusy
from app.store.workspace import Workspace


def open_workspace(location: str | Path, user: str | None = None) -> tuple[Workspace, list[str]]:
    """The workspace opened as whoever is really there (the system login; on a
    PostgreSQL workspace the database login), and one line per interrupted write-back or
    rollback settled now. On a workspace file, acting as someone else (``user``, the
    command's ``--user``) is an admin's privilege, for scripts, recorded as "X acting as
    Y"; on PostgreSQL the login is who acts, always.

    Only write-backs whose process is gone are settled: while another clerk writes back,
    the write lease is theirs, and nothing is touched or said about it.
    """
    workspace = Workspace(location)
    if user and user != workspace.user:
        act_as(workspace, user)
    return workspace, settle(workspace)


def act_as(workspace: Workspace, user: str) -> None:
    """From now on the workspace acts as ``user``, if its login is an admin."""
    login = workspace.user
    if workspace.engine.dialect.name == "postgresql":
        workspace.close()
        raise InputError(
            f"on a shared workspace you act as your database login ({login})",
            hint=f"connect as {user} (their login in the workspace URL) instead of --user",
        )
    if workspace.role() != "admin":
        you = workspace.who()
        workspace.close()
        raise InputError(
            f"only an admin acts as someone else; you are {you}",
            hint="leave out --user: you act as yourself",
        )
    with workspace.session() as db:
        audit.append(db, login, "act as", user, after={"login": login})
    workspace.user = user
    workspace.ensure_user(user)  # an admin may add people


def settle(workspace: Workspace) -> list[str]:
    """Recover interrupted write-backs if the write lease is free right now (and the
    one opening is a user of the workspace: recovering is audited as theirs)."""
    if workspace.role() is None:
        return []
    held = leases.try_acquire(workspace, leases.WRITE, "checking for interrupted write-backs")
    if isinstance(held, LeaseBusy):
        return []
    try:
        return writebacks.recover(workspace)
    finally:
        leases.release(held)
