"""A job: a saved reconciliation whose sources are file patterns or database tables.

A file source names a pattern (``exports/CRM订单_*.csv``); each run takes the newest file
that matches, so the clerk only drops today's export into the folder. Backups written by
a write-back (``*.bak.*``) never count as exports.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import InputError
from app.sources.database import is_database_source
from app.store.schema import Job
from app.store.workspace import Workspace


@dataclass
class JobSpec:
    name: str
    mode: str
    sources: list[str]  # [LABEL=]PATTERN[#SHEET] or [LABEL=]URL#TABLE
    settings: dict[str, Any] = field(default_factory=dict)  # the TOML settings, as a table
    keys: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "settings": self.settings, "keys": self.keys}


def newest(pattern: str, base: Path | None = None) -> Path:
    """The newest file matching ``pattern`` (relative to ``base``), never a backup."""
    text = pattern if Path(pattern).is_absolute() or base is None else str(base / pattern)
    found = [Path(p) for p in glob.glob(text) if ".bak" not in Path(p).name and Path(p).is_file()]
    if not found:
        raise InputError(
            f"no file matches {pattern!r}",
            hint="put today's export in the folder, or fix the pattern",
        )
    return max(found, key=lambda p: (p.stat().st_mtime, p.name))


def resolve(source: str, base: Path | None = None) -> str:
    """A job source with its pattern replaced by today's file."""
    if is_database_source(source):
        return source
    label, rest = source.split("=", 1) if "=" in source else ("", source)
    pattern, hash_, sheet = rest.rpartition("#") if "#" in rest else (rest, "", "")
    path = newest(pattern, base)
    label = label or Path(pattern).stem.replace("*", "").strip("_- ") or path.stem
    return f"{label}={path}#{sheet}" if hash_ else f"{label}={path}"


def save_job(workspace: Workspace, spec: JobSpec) -> int:
    now = datetime.now()
    with workspace.session() as db:
        job = db.scalar(select(Job).where(Job.name == spec.name))
        if job is None:
            job = Job(name=spec.name, mode=spec.mode, spec=spec.as_dict(), created=now, updated=now)
            db.add(job)
        else:
            job.mode, job.spec, job.updated = spec.mode, spec.as_dict(), now
        db.flush()
        return job.id


def load_job(workspace: Workspace, name: str) -> tuple[int, JobSpec]:
    with workspace.session() as db:
        job = db.scalar(select(Job).where(Job.name == name))
        if job is None:
            names = ", ".join(db.scalars(select(Job.name))) or "none yet"
            raise InputError(f"there is no job named {name!r}", hint=f"jobs: {names}")
        return job.id, JobSpec(
            job.name,
            job.mode,
            list(job.spec["sources"]),
            dict(job.spec.get("settings", {})),
            dict(job.spec.get("keys", {})),
        )


def list_jobs(workspace: Workspace) -> list[Job]:
    with workspace.session() as db:
        return list(db.scalars(select(Job).order_by(Job.name)))
