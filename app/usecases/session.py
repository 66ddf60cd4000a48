"""Opening a workspace as someone, and settling what a crashed process left behind."""

from __future__ import annotations

from pathlib import Path

from app.store import leases, writebacks
from app.store.leases import LeaseBusy
from app.store.workspace import Workspace


def open_workspace(location: str | Path, user: str | None = None) -> tuple[Workspace, list[str]]:
    """The workspace, and one line per interrupted write-back or rollback settled now.

    Only write-backs whose process is gone are settled: while another clerk writes back,
    the write lease is theirs, and nothing is touched or said about it.
    """
    workspace = Workspace(location, user=user)
    return workspace, settle(workspace)


def settle(workspace: Workspace) -> list[str]:
    """Recover interrupted write-backs if the write lease is free right now."""
    held = leases.try_acquire(workspace, leases.WRITE, "checking for interrupted write-backs")
    if isinstance(held, LeaseBusy):
        return []
    try:
        return writebacks.recover(workspace)
    finally:
        leases.release(held)
