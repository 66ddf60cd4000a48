"""The audit log's seal: a keyed hash (HMAC-SHA256) of the log's length and last hash.

The chain's own digest is public, so whoever can edit the workspace could rewrite an entry
and re-hash everything after it. The seal's key is kept outside the workspace, in the OS
keyring of the machine that made it (per workspace location), so such a rewrite no longer
matches the seal. Processes that hold the key move the seal forward with each entry they
append; entries appended elsewhere stay unsealed until a key holder appends or runs
``concord audit seal``. Where the key is not at hand the seal cannot be checked, and
:func:`app.store.audit.verify` says so rather than calling the log sealed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as random
from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import InputError
from app.sources import secrets

_keys: dict[str, bytes | None] = {}  # per workspace location, looked up once per process


def _account(session: Session) -> str:
    """Where the key is filed: the workspace file's full path, or the server and database
    (not the login: every clerk's login seals the same log)."""
    url = session.get_bind().url
    if url.get_backend_name() == "sqlite":
        return f"audit seal {Path(url.database or '').resolve()}"
    return f"audit seal {url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database}"


def key(session: Session) -> bytes | None:
    """This workspace's seal key, if this machine keeps it (None: no key, or no keyring)."""
    name = _account(session)
    if name not in _keys:
        try:
            stored = secrets.recall(name, "read the audit seal's key")
        except InputError:  # no keyring on this machine: nothing sealed or checked here
            stored = None
        _keys[name] = bytes.fromhex(stored) if stored else None
    return _keys[name]


def create_key(session: Session) -> bytes:
    """A new key for this workspace, kept in the keyring (raises with advice where none)."""
    fresh = random.token_bytes(32)
    name = _account(session)
    secrets.remember(name, fresh.hex(), "keep the audit seal's key")
    _keys[name] = fresh
    return fresh


def mac(secret: bytes, count: int, head: str) -> str:
    return hmac.new(secret, f"{count}:{head}".encode("ascii"), hashlib.sha256).hexdigest()
