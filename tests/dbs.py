"""Databases for tests: SQLite always, PostgreSQL and MariaDB when their servers run.

Load with ``pytest_plugins = ["tests.dbs"]`` (import ``Db`` only for type checking, so
the plugin is imported by pytest and its asserts are rewritten). The ``db`` fixture runs a test once per
database; a server that is not running skips its run with a reason saying so. Every
table a test makes gets a unique name (the servers are shared) and is dropped afterwards.
Override the server URLs with CONCORD_TEST_POSTGRES / CONCORD_TEST_MARIADB.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.sources import secrets

POSTGRES_URL = os.environ.get(
    "CONCORD_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARIADB_URL = os.environ.get(
    "CONCORD_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"
)
SERVERS = {"postgresql": ("PostgreSQL", POSTGRES_URL), "mariadb": ("MariaDB", MARIADB_URL)}


_servers: dict[str, Engine | str] = {}


def _server_engine(kind: str) -> Engine | str:
    """A session-wide engine for a server, or why the server cannot be used (checked once)."""
    if kind not in _servers:
        _servers[kind] = _connect(kind)
    return _servers[kind]


def _connect(kind: str) -> Engine | str:
    title, url = SERVERS[kind]
    parsed = sa.make_url(url)
    where = f"{parsed.host}:{parsed.port}"
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 0), 1.0):
            pass
    except OSError:
        return f"{title} not reachable on {where}"
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except sa.exc.SQLAlchemyError as error:
        engine.dispose()
        return f"{title} on {where} refused the test login: {str(error).splitlines()[0]}"
    return engine


def server_engine(kind: str) -> Engine:
    """The server's engine, or skip the test with the reason it is unavailable."""
    found = _server_engine(kind)
    if isinstance(found, str):
        pytest.skip(found)
    return found


@dataclass
class Db:
    """One database under test, with helpers to make, fill, read and drop tables."""

    kind: str  # "sqlite", "postgresql" or "mariadb"
    url: str  # what a user would type (no password)
    engine: Engine
    made: list[str] = field(default_factory=list)

    def name(self, stem: str = "t") -> str:
        """A table name no other test (or other run on a shared server) uses."""
        name = f"{stem}_{uuid.uuid4().hex[:8]}"
        self.made.append(name)
        return name

    def create(self, stem: str, *columns: sa.Column[Any] | sa.Constraint) -> sa.Table:
        table = sa.Table(self.name(stem), sa.MetaData(), *columns, mysql_charset="utf8mb4")
        table.create(self.engine)
        return table

    def insert(self, table: sa.Table, rows: Sequence[Mapping[str, object]]) -> None:
        """Rows written untyped, as another program would (SQLite gets plain text dates)."""
        raw = sa.table(table.name, *(sa.column(c.name) for c in table.columns))
        values = [{k: self._raw(v) for k, v in row.items()} for row in rows]
        with self.engine.begin() as connection:
            for row in values:
                connection.execute(raw.insert().values(row))

    def _raw(self, value: object) -> object:
        if self.kind != "sqlite":
            return value
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value) if isinstance(value, Decimal) else value

    def rows(self, table: sa.Table, order_by: str) -> list[tuple[Any, ...]]:
        """Every row as the driver returns it (untyped), ordered by one column."""
        raw = sa.table(table.name, *(sa.column(c.name) for c in table.columns))
        with self.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(sa.select(raw).order_by(raw.c[order_by]))]

    def exists(self, name: str) -> bool:
        return sa.inspect(self.engine).has_table(name)

    def quote(self, name: str) -> str:
        return self.engine.dialect.identifier_preparer.quote(name)

    def drop_all(self) -> None:
        with self.engine.begin() as connection:
            for name in reversed(self.made):
                sa.Table(name, sa.MetaData()).drop(connection, checkfirst=True)


def sqlite_db(path: Path) -> Db:
    url = f"sqlite:///{path}"
    return Db("sqlite", url, sa.create_engine(url))


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """The test runs once per database: SQLite, PostgreSQL, MariaDB."""
    if request.param == "sqlite":
        database = sqlite_db(tmp_path / "test.db")
    else:
        database = Db(request.param, SERVERS[request.param][1], server_engine(request.param))
    try:
        yield database
    finally:
        database.drop_all()
        if database.kind == "sqlite":
            database.engine.dispose()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Db]:
    """A fresh SQLite file, for tests about SQLite alone."""
    database = sqlite_db(tmp_path / "single.db")
    yield database
    database.engine.dispose()


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Db]:
    database = Db("postgresql", POSTGRES_URL, server_engine("postgresql"))
    yield database
    database.drop_all()


@pytest.fixture
def mariadb(tmp_path: Path) -> Iterator[Db]:
    database = Db("mariadb", MARIADB_URL, server_engine("mariadb"))
    yield database
    database.drop_all()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Passwords kept in this process only, and forgotten after the test."""
    monkeypatch.setenv(secrets.ENV_BACKEND, "memory")
    secrets._memory.clear()
    yield
    secrets._memory.clear()


@atexit.register
def _dispose_servers() -> None:
    for found in _servers.values():
        if isinstance(found, Engine):
            found.dispose()


def ensure_login(connection: sa.Connection, name: str) -> None:
    """A login role for a test clerk on the PostgreSQL server (made once, kept: roles
    belong to the whole server). Superuser, so the test needs no grants; trust
    authentication, so no password."""
    known = connection.execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}
    ).scalar()
    if not known:
        connection.execute(sa.text(f'CREATE ROLE "{name}" LOGIN SUPERUSER'))
