"""Opening a workspace: a SQLite file (default, nothing to install) or a PostgreSQL URL.

Opening always brings the schema up to date with Alembic, so a workspace made by an older
Concord opens in a newer one. SQLite runs in WAL mode, so a reader (the desktop app) and a
writer (a scheduled ``concord run``) do not block each other.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import InputError
from app.store import seal
from app.store.schema import AuditEntry, User

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SUFFIX = ".concord"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def database_reason(error: OperationalError) -> str:
    """The database's own first line of ``error``, for a message of one line."""
    lines = str(error.orig).strip().splitlines() if error.orig else []
    return lines[0] if lines else "unreachable"


def make_engine(location: str | Path, schema: str | None = None) -> Engine:
    """An engine for a workspace file path or a database URL (``schema``: PostgreSQL only)."""
    text_location = str(location)
    if "://" not in text_location:
        path = Path(text_location)
        if path.is_dir():
            raise InputError(
                "a workspace is a file, not a folder", path=path, hint=f"name a {SUFFIX} file"
            )
        if not path.parent.is_dir():
            raise InputError(
                f"the folder {path.parent} does not exist",
                path=path,
                hint="create the folder first, or check the path (a new workspace file is "
                "made in an existing folder)",
            )
        # Used from the desktop app's worker thread and its GUI thread, one checkout at a time.
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        url = make_url(text_location)
    except ArgumentError:
        raise InputError(
            "this is not a workspace URL", hint="write it like postgresql://user@host/database"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    connect_args = {}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    try:
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as error:
        raise InputError(
            f"no database driver for a {url.drivername!r} workspace ({error})",
            hint="use postgresql:// (Concord ships psycopg) or a .concord file",
        ) from None


class Workspace:
    """A workspace: its engine, sessions, and the current user."""

    def __init__(
        self, location: str | Path, *, schema: str | None = None, user: str | None = None
    ) -> None:
        self.location = str(location)
        self.engine = make_engine(location, schema)
        try:
            if schema:
                with self.engine.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            self.upgrade()
        except OperationalError as error:
            raise InputError(
                f"cannot open the workspace ({database_reason(error)})",
                path=self.location if "://" not in self.location else None,
                hint="check the path or that the database server is running",
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.user = user or self.login()
        self.login_name = self.user  # who opened it, whoever ``user`` acts as later
        self._found()

    def login(self) -> str:
        """Who is really there: the database login on a server, else the system login."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as connection:
                return str(connection.execute(text("SELECT current_user")).scalar())
        return getpass.getuser()

    def upgrade(self) -> None:
        """Migrate the schema to the newest revision."""
        config = alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on an exception."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError:
            session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _found(self) -> None:
        """A new workspace's first user is its admin; everyone after is added by an admin.
        A new log gets its seal key here, where this machine has a keyring to keep it."""
        with self.session() as session:
            if session.scalar(select(User.id).limit(1)) is None:
                session.add(User(name=self.user, role="admin", created=datetime.now()))
                if session.scalar(select(AuditEntry.id).limit(1)) is None:
                    with suppress(InputError):  # no keyring: the log stays unsealed
                        seal.create_key(session)

    def ensure_user(self, name: str, role: str = "clerk") -> User:
        """The user ``name``, added with ``role`` if new (callers check who may add)."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                user = User(name=name, role=role, created=datetime.now())
                session.add(user)
            return user

    def role(self, name: str | None = None) -> str | None:
        """The user's role; None for a login the workspace's admin has not added."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.name == (name or self.user)))
            return user.role if user else None

    def admins(self) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(User.name).where(User.role == "admin")))

    def ask_an_admin(self) -> str:
        """The hint for a refusal that needs an admin: who the admins are, and, when an
        admin's login only acts as someone else, that leaving out ``--user`` is enough."""
        if self.user != self.login_name and self.role(self.login_name) == "admin":
            return f"you act as {self.user} (--user): leave it out to act as {self.login_name}"
        return f"ask an admin of this workspace ({', '.join(self.admins()) or 'none left'})"

    def who(self, name: str | None = None) -> str:
        """The user and their role, as messages name them: ``zhang (clerk)``."""
        name = name or self.user
        return f"{name} ({self.role(name) or 'not a user here'})"

    def close(self) -> None:
        self.engine.dispose()
