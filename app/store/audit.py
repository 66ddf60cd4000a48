"""The audit log: append-only, hash-chained, exportable.

Each entry's hash covers its content and the previous entry's hash, so editing or
deleting any entry breaks the chain from there on; :func:`verify` finds the first break.
Entries are appended under a lock on the log's last row, so two clerks writing at once
still form one chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InputError
from app.store import seal
from app.store.leases import serialise
from app.store.schema import AuditEntry, Decision, Fix, Run, Setting, User

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
    """Add an entry to the chain (inside the caller's transaction). Every change is
    audited, so this is where a login the workspace does not know is stopped, whichever
    screen or command made the change."""
    _lock_chain(session)
    _check_actor(session, actor)
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
    _move_head(session, entry)
    return entry


def _check_actor(session: Session, actor: str) -> None:
    if session.scalar(select(User.id).where(User.name == actor)) is not None:
        return
    if session.scalar(select(User.id).limit(1)) is None:
        return  # a workspace from before users were kept
    admins = session.scalars(select(User.name).where(User.role == "admin")).all()
    raise InputError(
        f"{actor} is not a user of this workspace, so may look but not change anything",
        hint=f"ask its admin ({', '.join(admins) or 'none left'}) to add you: "
        f"concord user add {actor}",
    )


HEAD = "audit_head"  # the settings row holding the chain's length and last hash


def _move_head(session: Session, entry: AuditEntry) -> None:
    """Keep the chain's length and last hash beside it, so removing entries from the end
    (or all of them) no longer leaves a chain that checks out; sealed when this machine
    holds the seal's key."""
    head = session.get(Setting, HEAD)
    if head is None:
        count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        head = Setting(name=HEAD, value={})
        session.add(head)
    else:
        count = int(head.value["count"]) + 1
    head.value = _sealed({**head.value, "count": count, "hash": entry.hash}, session)


def _sealed(value: dict[str, Any], session: Session) -> dict[str, Any]:
    key = seal.key(session)
    if key is None:
        return value  # the last seal stays, covering the entries up to it
    count, digest = value["count"], value["hash"]
    return {
        **value,
        "sealed": {"count": count, "hash": digest, "mac": seal.mac(key, count, digest)},
    }


def reseal(session: Session) -> Verification:
    """Seal the log as it stands, with a new key if this machine holds none (an admin's
    ``concord audit seal``): refused for a broken chain, which sealing would bless."""
    check = verify(session)
    if not check.ok:
        raise InputError(
            f"the audit log is broken at entry {check.broken_at}: {check.reason}",
            hint="a broken log is not sealed; keep the workspace as it is and investigate",
        )
    if seal.key(session) is None:
        seal.create_key(session)
    head = session.get(Setting, HEAD)
    value = {"count": check.entries, "hash": check.head}
    if head is None:
        session.add(Setting(name=HEAD, value=_sealed(value, session)))
    else:
        head.value = _sealed({**head.value, **value}, session)
    session.flush()
    return verify(session)


@dataclass(frozen=True)
class Verification:
    entries: int
    broken_at: int | None  # id of the first entry that does not fit the chain (0: the end)
    reason: str = ""
    head: str = GENESIS  # the last entry's hash
    last_id: int = 0  # the last entry's id: where a later check may go on from
    seal: str = ""  # what the keyed seal says: sealed up to N, not checked here, none
    finished: bool = True  # False: intact so far, the walk stopped at its limit

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    @property
    def anchor(self) -> str:
        """What to keep outside the workspace (a report prints it) and check later with
        ``concord audit verify --anchor``: the length and the last hash."""
        return f"{self.entries}:{self.head[:16]}"


_ENTRY_COLUMNS = (
    AuditEntry.id,
    AuditEntry.prev_hash,
    AuditEntry.hash,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.item,
    AuditEntry.before,
    AuditEntry.after,
)


def verify(
    session: Session,
    anchor: str | None = None,
    since: Verification | None = None,
    limit: int | None = None,
) -> Verification:
    """Walk the chain; report the first entry that was edited, removed or inserted, and
    entries removed from the end (against the head kept beside the chain, and against
    ``anchor`` — "COUNT:HASH" as an earlier report printed it — when given). ``since``,
    an earlier intact check, walks only the entries appended after it (what a screen
    showing a growing log needs; a full walk finds an edit further back). ``limit``
    walks at most that many entries: an unfinished result goes on from there as
    ``since`` (a screen checks a long log a slice at a time)."""
    wanted = _parse_anchor(anchor) if anchor else None
    start = since if since is not None and since.ok else Verification(0, None)
    prev_hash, count = start.head, start.entries
    last_id = start.last_id
    # Columns, not ORM objects: building an object per entry cost more than the hashing.
    query = (
        select(*_ENTRY_COLUMNS)
        .where(AuditEntry.id > last_id)
        .order_by(AuditEntry.id)
        .limit(limit)
        .execution_options(yield_per=5_000)
    )
    walked = 0
    for entry in session.execute(query):
        walked += 1
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
        if wanted is not None and count == wanted[0] and not entry.hash.startswith(wanted[1]):
            return Verification(
                count, entry.id, "it is not the entry the anchor names: the log was rewritten"
            )
        prev_hash, last_id = entry.hash, entry.id
    if limit is not None and walked == limit:
        return Verification(count, None, head=prev_hash, last_id=last_id, finished=False)
    head = session.get(Setting, HEAD)
    if head is not None and (head.value["count"], head.value["hash"]) != (count, prev_hash):
        lost = int(head.value["count"]) - count
        return Verification(
            count,
            0,
            f"{lost} entries were removed from the end"
            if lost > 0
            else "the log's end was rewritten",
        )
    if wanted is not None and count < wanted[0]:
        return Verification(
            count, 0, f"the anchor names entry {wanted[0]} but the log holds {count} entries"
        )
    if head is None and count == 0 and _work_recorded(session):
        return Verification(0, 0, "the log is empty but the workspace records work")
    sealed = head.value.get("sealed") if head is not None else None
    broken, note = _check_seal(session, sealed, count)
    if broken:
        return Verification(count, 0, broken)
    return Verification(count, None, head=prev_hash, last_id=last_id, seal=note)


def _check_seal(session: Session, sealed: dict[str, Any] | None, count: int) -> tuple[str, str]:
    """(why the seal fails, or ""; what to say about it when it holds)."""
    key = seal.key(session)
    if key is None:
        if sealed is None:
            return "", "not sealed (no seal key on this machine: concord audit seal)"
        return "", "sealed, but its key is not on this machine: not checked here"
    if sealed is None:
        if count == 0:
            return "", "sealed (empty)"
        return "the log's seal was removed", ""
    n, digest = int(sealed["count"]), str(sealed["hash"])
    if not hmac.compare_digest(seal.mac(key, n, digest), str(sealed["mac"])):
        return "the seal does not match its key: the log was re-hashed or the seal forged", ""
    if n > count or (n and _hash_of_entry(session, n) != digest):
        return f"the entries up to {n} were rewritten after they were sealed", ""
    return "", f"sealed up to entry {n} of {count}"


def _hash_of_entry(session: Session, n: int) -> str | None:
    """The hash of the log's ``n``-th entry (counted from 1)."""
    query = select(AuditEntry.hash).order_by(AuditEntry.id).offset(n - 1).limit(1)
    return session.scalar(query)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _parse_anchor(anchor: str) -> tuple[int, str]:
    count, _, digest = anchor.partition(":")
    if not count.isdigit() or len(digest) < 8 or any(c not in "0123456789abcdef" for c in digest):
        raise InputError(
            f"an anchor is COUNT:HASH as a report prints it, not {anchor!r}",
            hint="for example: concord audit verify --anchor 1204:3f9a0c4b7d21e655",
        )
    return int(count), digest


def _work_recorded(session: Session) -> bool:
    return any(
        session.scalar(select(table.id).limit(1)) is not None for table in (Run, Fix, Decision)
    )


def rows(session: Session, after_id: int = 0, latest: int | None = None) -> list[list[Any]]:
    """The entries (after ``after_id``; only the ``latest`` so many) as rows of
    :data:`COLUMNS`, oldest first."""
    out = []
    query = select(*_ENTRY_COLUMNS).where(AuditEntry.id > after_id).order_by(AuditEntry.id.desc())
    if latest is not None:
        query = query.limit(latest)
    for e in reversed(session.execute(query).all()):
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
