"""The workspace schema (SQLAlchemy 2.x): what a team keeps between runs.

A record's identity is its table label plus key; a content hash shows whether it changed.
Groups keep a stable id across runs. Decisions remember the records (and their hashes)
they were made on, so a later run can re-apply them or ask for a re-check. The audit log
is append-only and hash-chained (see :mod:`app.store.audit`).

Every change to this module needs an Alembic migration in ``app/store/migrations``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="clerk")  # clerk, approver, admin
    created: Mapped[datetime]


class Setting(Base):
    __tablename__ = "settings"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict[str, Any]]


class Profile(Base):
    """A mapping profile: the user's corrections for one header signature."""

    __tablename__ = "profiles"
    signature: Mapped[str] = mapped_column(String(40), primary_key=True)
    headers: Mapped[list[Any]]
    types: Mapped[dict[str, Any]]
    fields: Mapped[dict[str, Any]]
    key: Mapped[str | None] = mapped_column(String(200))
    updated: Mapped[datetime]


class Job(Base):
    """A saved reconciliation: sources as patterns or queries, settings and rules."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    mode: Mapped[str] = mapped_column(String(20))  # reconcile or dedupe
    spec: Mapped[dict[str, Any]]
    created: Mapped[datetime]
    updated: Mapped[datetime]


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    mode: Mapped[str] = mapped_column(String(20))
    started: Mapped[datetime]
    finished: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")  # running, done, failed
    user: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict[str, Any]]
    timings: Mapped[dict[str, Any]]
    metrics: Mapped[dict[str, Any]]


class Source(Base):
    """One table read by a run: where from, what it held."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    location: Mapped[str] = mapped_column(Text)  # file path, or database URL without password
    sheet: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # csv, xlsx, …, sql
    file_hash: Mapped[str | None] = mapped_column(String(64))
    header_row: Mapped[int] = mapped_column(Integer, default=1)
    key_column: Mapped[str | None] = mapped_column(String(200))
    rows: Mapped[int]
    imported: Mapped[datetime]


class Group(Base):
    """An entity across runs, with a stable id; members are its latest records."""

    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    stable_id: Mapped[str] = mapped_column(String(40), unique=True)
    first_run: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    band: Mapped[str] = mapped_column(String(20))  # auto, review, none
    probability: Mapped[float]
    state: Mapped[str] = mapped_column(String(20), default="open")  # open, decided, recheck


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    table_label: Mapped[str] = mapped_column(String(120))
    record_key: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(32))
    row: Mapped[int]
    __table_args__ = (Index("ix_members_record", "table_label", "record_key"),)


class Conflict(Base):
    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    field: Mapped[str] = mapped_column(String(120))
    opened_run: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    closed_run: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    state: Mapped[str] = mapped_column(
        String(20), default="open"
    )  # open, resolved, recheck, closed
    opened: Mapped[datetime]
    values: Mapped[dict[str, Any]]  # "table|key" → raw value, as last seen
    kind: Mapped[str] = mapped_column(String(40), default="", server_default="")
    behind: Mapped[str] = mapped_column(String(120), default="", server_default="")
    age_days: Mapped[int | None]  # a chain exception's age, as last seen
    __table_args__ = (UniqueConstraint("group_id", "field"),)


class Decision(Base):
    """What a person decided, on which records (with their hashes at the time)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # accept, reject, split, merge, value, rule
    group_stable_id: Mapped[str | None] = mapped_column(String(40), index=True)
    field: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]]
    records: Mapped[list[Any]]  # [[table, key, content hash], …]
    decided_by: Mapped[str] = mapped_column(String(120))
    decided: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default="active")  # active, recheck, superseded
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))


class Fix(Base):
    """A proposed change to a source system, from a decision."""

    __tablename__ = "fixes"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    target: Mapped[dict[str, Any]]
    record_key: Mapped[str] = mapped_column(String(200))
    column: Mapped[str] = mapped_column(String(200))
    old: Mapped[str] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    row: Mapped[int | None]
    line: Mapped[list[Any] | None] = mapped_column(JSON, default=None)  # a document's line
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    # proposed, approved, rejected, withdrawn (its decision was undone), written, rolled_back
    merge_id: Mapped[int | None] = mapped_column(ForeignKey("merges.id"), index=True)


class MergeRecord(Base):
    """A merge of duplicate records carried into their systems: its plan (survivors,
    golden values, deactivation, references, crosswalk) and, once written, the write-back
    that unmerging rolls back. Its cells are fixes (``Fix.merge_id``), approved like any."""

    __tablename__ = "merges"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # what the steward sees: key and company
    group_stable_id: Mapped[str | None] = mapped_column(String(40), index=True)
    plan: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    # proposed, approved, rejected, written, unmerged
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed: Mapped[datetime]
    writeback_id: Mapped[int | None] = mapped_column(ForeignKey("writebacks.id"))


class Approval(Base):
    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(primary_key=True)
    fix_id: Mapped[int] = mapped_column(ForeignKey("fixes.id"), index=True)
    approver: Mapped[str] = mapped_column(String(120))
    verdict: Mapped[str] = mapped_column(String(20))  # approved, rejected
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
    # What was approved (app.store.fixes.digest): a fix edited afterwards is not written.
    digest: Mapped[str | None] = mapped_column(String(64))


class WriteBack(Base):
    """One write-back: what it wrote, and the inverse to roll it back."""

    __tablename__ = "writebacks"
    id: Mapped[int] = mapped_column(primary_key=True)
    started: Mapped[datetime]
    finished: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(20))  # started, done, failed, rolled_back
    user: Mapped[str] = mapped_column(String(120))
    fixes: Mapped[list[Any]]  # fix ids
    targets: Mapped[list[Any]]  # per target: location, backup, hash before/after
    inverse: Mapped[list[Any]]  # the change set that undoes it
    # Before each file is replaced: its location, target, backup and hashes before and
    # after, so a crash can tell exactly which targets landed (a file's hash says so).
    journal: Mapped[list[Any] | None] = mapped_column(JSON, default=list)


class Lease(Base):
    """Who holds a piece of shared work (a write-back, a job's run): see app.store.leases."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    token: Mapped[str] = mapped_column(String(300))  # host:pid:process start
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int]
    started: Mapped[float] = mapped_column(Float)
    user: Mapped[str] = mapped_column(String(120))
    what: Mapped[str] = mapped_column(String(300))
    acquired: Mapped[datetime]
    heartbeat: Mapped[datetime]


class Golden(Base):
    """The golden record of a dedupe cluster, one row per field, with its source."""

    __tablename__ = "golden"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_stable_id: Mapped[str] = mapped_column(String(40), index=True)
    field: Mapped[str] = mapped_column(String(120))
    value: Mapped[str] = mapped_column(Text)
    source_table: Mapped[str | None] = mapped_column(String(120))
    source_key: Mapped[str | None] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(
        String(30)
    )  # trust, recent, complete, frequent, longest, manual
    __table_args__ = (UniqueConstraint("group_stable_id", "field"),)


class Claim(Base):
    """Who is working on an item right now; expires so a closed laptop frees it."""

    __tablename__ = "claims"
    item: Mapped[str] = mapped_column(String(80), primary_key=True)
    user: Mapped[str] = mapped_column(String(120))
    expires: Mapped[datetime]


class AuditEntry(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    item: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict[str, Any]]
    after: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
