"""Leases: which live process holds a piece of shared work right now.

A write-back, a rollback, an unmerge and a job's run each take a lease by name before
they start. The lease names its owner — host, process id and that process's start time
(so a reused process id is not mistaken for the owner) — and a heartbeat the owner
renews while it works. Another process may take the lease over only when the owner is
gone: on the same host, when that process no longer exists (a paused process still
does, so it keeps its lease); on another host, when its heartbeat is older than
:data:`STALE`.

Taking a lease is one transaction under the workspace's write lock
(:func:`serialise`), so two clerks racing for it get one winner.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import psutil
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from app.errors import Abandoned, InputError
from app.store.schema import Lease
from app.store.workspace import Workspace

STALE = timedelta(seconds=90)  # another host's owner is gone after this long without a beat
BEAT = 15.0  # seconds between heartbeats
WRITE = "write-back"  # the lease of every write to the systems: write-back, rollback, unmerge


def serialise(db: Session, name: str = "workspace") -> None:
    """Take the workspace's write lock for ``name`` until the transaction ends, so what
    the transaction reads next is not changed by anyone else before it commits.

    PostgreSQL: a transaction-level advisory lock. SQLite: ``BEGIN IMMEDIATE`` (one
    writer per file) when the transaction has not begun yet; a transaction that already
    wrote holds that lock anyway.
    """
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        key = zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class Owner:
    """Who takes a lease: a process, and within it one holder (two threads of the desktop
    app are two holders: one never settles the other's write-back)."""

    host: str
    pid: int
    started: float  # the process's start time (seconds since the epoch)
    user: str
    holder: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def token(self) -> str:
        return f"{self.host}:{self.pid}:{self.started:.2f}:{self.holder}"


def me(user: str) -> Owner:
    return Owner(socket.gethostname(), os.getpid(), _start_time(os.getpid()) or 0.0, user)


def _start_time(pid: int) -> float | None:
    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.Error, OSError):
        return None


def alive(row: Lease, now: datetime | None = None) -> bool:
    """Whether the owner of a lease still exists (see the module's docstring)."""
    if row.host == socket.gethostname():
        started = _start_time(row.pid)
        return started is not None and abs(started - row.started) < 0.05
    return (now or datetime.now()) - row.heartbeat < STALE


class LeaseBusy(InputError):
    """Someone else holds the lease; the message says who, since when and what."""


@dataclass
class Held:
    """A lease this process holds."""

    workspace: Workspace
    name: str
    owner: Owner

    def check(self, db: Session) -> None:
        """Inside a transaction: refuse to go on if the lease was taken over meanwhile
        (this process was paused longer than :data:`STALE` on another host's watch)."""
        row = db.get(Lease, self.name)
        if row is None or row.token != self.owner.token:
            raise LeaseLost(
                f"another process took over {self.name!r} while this one was paused; "
                "it stopped without writing anything more",
                hint="see what happened with: concord fixes list",
            )


class LeaseLost(Abandoned):
    """This process's lease was taken over: it must stop at once and undo nothing."""


def try_acquire(workspace: Workspace, name: str, what: str) -> Held | LeaseBusy:
    owner = me(workspace.user)
    now = datetime.now()
    with workspace.session() as db:
        serialise(db, f"lease {name}")
        row = db.get(Lease, name)
        if row is not None and row.token != owner.token and alive(row, now):
            return LeaseBusy(
                f"{row.user} is {row.what} (since {row.acquired:%H:%M:%S}, process {row.pid} "
                f"on {row.host}); this has to wait until that has finished",
                hint="try again in a moment",
            )
        if row is None:
            row = Lease(name=name)
            db.add(row)
        row.token, row.host, row.pid, row.started = (
            owner.token,
            owner.host,
            owner.pid,
            owner.started,
        )
        row.user, row.what, row.acquired, row.heartbeat = owner.user, what, now, now
    return Held(workspace, name, owner)


def acquire(workspace: Workspace, name: str, what: str, wait: float | None = None) -> Held:
    """Take the lease ``name`` for work described by ``what`` ("writing back 12 fixes"),
    waiting up to ``wait`` seconds (default ``$CONCORD_LOCK_WAIT``, else 30) for a live
    owner to finish; raises :class:`LeaseBusy` naming who holds it."""
    if wait is None:
        wait = float(os.environ.get("CONCORD_LOCK_WAIT", "30"))
    deadline = time.monotonic() + wait
    while True:
        got = try_acquire(workspace, name, what)
        if isinstance(got, Held):
            return got
        if time.monotonic() >= deadline:
            raise got
        time.sleep(min(0.25, max(0.0, deadline - time.monotonic())))


def release(held: Held) -> None:
    with held.workspace.session() as db:
        db.execute(delete(Lease).where(Lease.name == held.name, Lease.token == held.owner.token))


def _beat(held: Held, stop: threading.Event) -> None:
    while not stop.wait(BEAT):
        try:
            with held.workspace.session() as db:
                row = db.get(Lease, held.name)
                if row is None or row.token != held.owner.token:
                    return
                row.heartbeat = datetime.now()
        except Exception:  # a missed beat is retried; the work itself reports real errors
            continue


@contextmanager
def holding(
    workspace: Workspace, name: str, what: str, wait: float | None = None
) -> Iterator[Held]:
    """Hold a lease for the block, with heartbeats; released however the block ends."""
    held = acquire(workspace, name, what, wait)
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(held, stop), daemon=True)
    beat.start()
    try:
        yield held
    finally:
        stop.set()
        beat.join(timeout=5)
        release(held)
