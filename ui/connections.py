"""Database connections the user registered: names and URLs in QSettings, passwords in
the OS keyring (never in settings, workspaces or logs)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from sqlalchemy.engine import make_url

from app.sources.secrets import store_password, without_password

GROUP = "connections"


def connections() -> dict[str, str]:
    """Name → URL without password."""
    settings = QSettings()
    settings.beginGroup(GROUP)
    found = {name: str(settings.value(name)) for name in settings.childKeys()}
    settings.endGroup()
    return found


def save_connection(name: str, url: str, password: str = "") -> str:
    """Register a connection; a password goes to the keyring. Returns the stored URL."""
    parsed = make_url(url)
    clean = without_password(url)
    secret = password or parsed.password or ""
    if secret:
        store_password(clean, parsed.username or "", secret)
    QSettings().setValue(f"{GROUP}/{name}", clean)
    return clean


def remove_connection(name: str) -> None:
    QSettings().remove(f"{GROUP}/{name}")
