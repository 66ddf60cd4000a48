"""The audit log as a file for an auditor."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.reports.xlsx import write_rows
from app.store import audit


def export(session: Session, path: Path) -> Path:
    """The whole log as .csv (UTF-8 with BOM, so Excel opens it) or .xlsx (with its
    anchor and seal on a sheet of their own)."""
    return write_rows(path, "Audit", audit.COLUMNS, audit.rows(session), anchor_rows(session))


def anchor_rows(session: Session) -> list[list[str]]:
    """The log's anchor and seal as every report and export carries them: what to keep
    outside the workspace and check later with ``concord audit verify --anchor``."""
    chain = audit.verify(session)
    return [
        [
            "Audit anchor (check later: concord audit verify --anchor)",
            chain.anchor if chain.ok else f"BROKEN: {chain.reason}",
        ],
        ["Audit seal", chain.seal],
    ]
