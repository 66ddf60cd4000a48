"""Claims: two clerks never decide the same item at once.

A claim is a row per item with its owner and an expiry; taking one is a single atomic
statement (an insert that fails on an existing live claim), so two processes racing for
the same item get one winner. An expired claim (a laptop closed mid-review) is taken over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.store.schema import Claim
from app.store.workspace import Workspace

TTL = timedelta(minutes=15)


def claim(workspace: Workspace, item: str, user: str | None = None, ttl: timedelta = TTL) -> bool:
    """Take ``item`` for ``user`` (default: the workspace user); False if someone else holds it."""
    user = user or workspace.user
    now = datetime.now()
    with workspace.session() as db:
        # Renew our own claim, or take over an expired one, in one conditional update.
        taken = db.execute(
            update(Claim)
            .where(Claim.item == item, (Claim.user == user) | (Claim.expires < now))
            .values(user=user, expires=now + ttl)
        ).rowcount
        if taken:
            return True
    try:
        with workspace.session() as db:
            db.add(Claim(item=item, user=user, expires=now + ttl))
        return True
    except IntegrityError:
        return False


def release(workspace: Workspace, item: str, user: str | None = None) -> None:
    with workspace.session() as db:
        db.execute(delete(Claim).where(Claim.item == item, Claim.user == (user or workspace.user)))


def holder(workspace: Workspace, item: str) -> str | None:
    with workspace.session() as db:
        row = db.scalar(select(Claim).where(Claim.item == item, Claim.expires >= datetime.now()))
        return row.user if row else None
