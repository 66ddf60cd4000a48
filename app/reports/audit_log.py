"""The audit log as a file for an auditor."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.reports.xlsx import write_rows
from app.store import audit


def export(session: Session, path: Path) -> Path:
    """The whole log as .csv (UTF-8 with BOM, so Excel opens it) or .xlsx."""
    return write_rows(path, "Audit", audit.COLUMNS, audit.rows(session))
