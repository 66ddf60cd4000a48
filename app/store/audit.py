"""The audit log: append-only, hash-chained, exportable.

Each entry's hash covers its content and the previous entry's hash, so editing or
deleting any entry breaks the chain from there on; :func:`verify` finds the first break.
Entries are appended under a lock on the log's last row, so two clerks writing at once
still form one chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.leases import serialise
from app.store.schema import AuditEntry

GENESIS = "0" * 64
COLUMNS = ("id", "at", "actor", "action", "item", "before", "after", "prev_hash", "hash")


def _digest(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    item: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, item, before, after],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise appends: the workspace's write lock, so the second writer sees the first
    one's new entry (a row lock would not)."""
    serialise(session, "audit")


def append(
    session: Session,
    actor: str,
    action: str,
    item: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the chain (inside the caller's transaction)."""
    _lock_chain(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev_hash = last.hash if last is not None else GENESIS
    at = datetime.now()
    before, after = before or {}, after or {}
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        item=item,
        before=before,
        after=after,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, actor, action, item, before, after),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    entries: int
    broken_at: int | None  # id of the first entry that does not fit the chain
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> Verification:
    """Walk the chain; report the first entry that was edited, removed or inserted."""
    prev_hash = GENESIS
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if entry.prev_hash != prev_hash:
            return Verification(count, entry.id, "the entry before it was changed or deleted")
        expected = _digest(
            entry.prev_hash,
            entry.at,
            entry.actor,
            entry.action,
            entry.item,
            entry.before,
            entry.after,
        )
        if entry.hash != expected:
            return Verification(count, entry.id, "its content was changed")
        prev_hash = entry.hash
    return Verification(count, None)


def rows(session: Session) -> list[list[Any]]:
    out = []
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        out.append(
            [
                e.id,
                e.at.isoformat(sep=" ", timespec="seconds"),
                e.actor,
                e.action,
                e.item,
                json.dumps(e.before, ensure_ascii=False, default=str),
                json.dumps(e.after, ensure_ascii=False, default=str),
                e.prev_hash,
                e.hash,
            ]
        )
    return out
