"""Database passwords, kept in the OS keyring and nowhere else.

Connection URLs are stored and shown without their password (workspace, settings, logs,
error messages); the password is looked up in the keyring only when a connection is
opened. An entry is keyed by user, database type, host, port and database, so
``postgresql://`` and ``postgresql+psycopg://`` to the same server share one password.

Headless machines often have no keyring backend. There, ``CONCORD_KEYRING=memory``
keeps passwords in this process only (tests use it); without it, storing a password is
refused with advice rather than written anywhere less safe.
"""

from __future__ import annotations

import os

import keyring
import keyring.errors
from sqlalchemy.engine import URL, make_url

from app.errors import InputError

SERVICE = "concord"
ENV_BACKEND = "CONCORD_KEYRING"

_memory: dict[str, str] = {}
_given: dict[str, str] = {}  # passwords written into a URL in this process, never stored

_NO_KEYRING_HINT = (
    "install and unlock a system keyring (Windows Credential Manager, GNOME Keyring or "
    "KWallet), or set CONCORD_KEYRING=memory to keep passwords for this session only"
)


def _in_memory() -> bool:
    return os.environ.get(ENV_BACKEND, "").strip().lower() == "memory"


def _parse(url: str | URL) -> URL:
    if isinstance(url, URL):
        return url
    try:
        return make_url(url)
    except Exception:  # ArgumentError, ValueError: not a URL at all
        raise InputError(
            "this is not a database URL",
            hint="write it like postgresql://user@host:5432/database",
        ) from None


def account(url: str | URL, username: str | None = None) -> str:
    """The keyring entry name for a user on a database, e.g. ``sa@postgresql://h:5432/erp``."""
    parsed = _parse(url)
    user = username if username is not None else (parsed.username or "")
    host = parsed.host or ""
    port = f":{parsed.port}" if parsed.port else ""
    return f"{user}@{parsed.get_backend_name()}://{host}{port}/{parsed.database or ''}"


def mask(url: str | URL) -> str:
    """The URL as text with any password replaced by ``***``: safe to show or store."""
    return _parse(url).render_as_string(hide_password=True)


def without_password(url: str | URL) -> str:
    """The URL as text with the password removed altogether (what the workspace keeps)."""
    return _parse(url)._replace(password=None).render_as_string(hide_password=False)


def _keyring_failed(error: Exception, action: str) -> InputError:
    if isinstance(error, keyring.errors.NoKeyringError) or _no_backend():
        return InputError(f"cannot {action}: no password store is available", hint=_NO_KEYRING_HINT)
    return InputError(
        f"cannot {action}: the password store refused ({error})",
        hint="unlock the system keyring and try again",
    )


def _no_backend() -> bool:
    backend = keyring.get_keyring()
    return float(getattr(backend, "priority", 0) or 0) <= 0


def remember(name: str, secret: str, action: str = "store the password") -> None:
    """Keep ``secret`` under ``name`` in the keyring (or this process's memory store)."""
    if _in_memory():
        _memory[name] = secret
        return
    try:
        keyring.set_password(SERVICE, name, secret)
    except keyring.errors.KeyringError as error:
        raise _keyring_failed(error, action) from None


def recall(name: str, action: str = "read the stored password") -> str | None:
    """The secret kept under ``name``, or None; raises when there is no keyring."""
    if _in_memory():
        return _memory.get(name)
    try:
        return keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError as error:
        raise _keyring_failed(error, action) from None


def store_password(url_without_password: str, username: str, password: str) -> None:
    """Remember ``password`` for ``username`` on that database, in the keyring."""
    remember(account(url_without_password, username), password)


def load_password(url_without_password: str, username: str | None = None) -> str | None:
    """The stored password, else one given in a URL earlier in this process, or None;
    raises when no keyring exists and no password was given."""
    name = account(url_without_password, username)
    try:
        stored = recall(name)
    except InputError:
        if name in _given:
            return _given[name]
        raise
    return stored if stored is not None else _given.get(name)


def delete_password(url_without_password: str, username: str | None = None) -> None:
    """Forget the stored password (nothing happens when there is none)."""
    name = account(url_without_password, username)
    if _in_memory():
        _memory.pop(name, None)
        return
    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        raise _keyring_failed(error, "forget the stored password") from None


def set_aside(url: str | URL, *, keep: bool = False) -> str:
    """The URL without its password, which is kept for this process (so a write-back to
    a table read from that URL logs in) and, with ``keep``, in the keyring for later
    runs — refused with advice where no keyring exists. Nothing else ever stores it."""
    parsed = _parse(url)
    bare = without_password(parsed)
    if parsed.password is not None and parsed.username:
        _given[account(bare, parsed.username)] = str(parsed.password)
        if keep:
            store_password(bare, parsed.username, str(parsed.password))
    return bare


def url_with_password(url: str | URL) -> URL:
    """The URL to connect with: its own password if it has one, else the keyring's.

    Lenient on purpose: a URL without user (SQLite) or a keyring without an entry, or no
    keyring at all, gives the URL unchanged, because many servers (trust or socket
    authentication) need no password; a server that does will say so when connecting.
    """
    parsed = _parse(url)
    if parsed.password is not None or not parsed.username:
        return parsed
    try:
        password = load_password(parsed.render_as_string(hide_password=False))
    except InputError:
        return parsed
    return parsed if password is None else parsed.set(password=password)


def has_keyring() -> bool:
    """Whether passwords can be stored (a real backend, or the memory store when asked)."""
    return _in_memory() or not _no_backend()
