"""SQL tables and queries as sources, read through SQLAlchemy into a :class:`Table`.

Every value becomes the text a person would see in a database tool (see
:func:`cell_text`), so matching, conflicts and write-back treat a database exactly like
an export. Rows are streamed in chunks with a server-side cursor and each chunk is turned
into compact Arrow strings at once, so a million-row table never holds the driver's
rows and the frame side by side. Names are always quoted by the dialect, never pasted
into SQL text.

On the command line a database source reads ``[LABEL=]URL#[SCHEMA.]TABLE`` or
``[LABEL=]URL#SELECT …`` (see :func:`parse_database_source`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from app.errors import InputError
from app.progress import Progress
from app.sources.layout import unique_names
from app.sources.secrets import set_aside, url_with_password
from app.sources.table import Column, DataWarning, Table

CHUNK_ROWS = 20_000
MAX_LISTED_TABLES = 20
CONNECT_TIMEOUT = 10  # seconds; a server that is down should not hang the app
# Drivers shipped with Concord, used when the URL names none and the default is missing.
FALLBACK_DRIVERS = {"mysql": "pymysql", "mariadb": "pymysql", "postgresql": "psycopg"}
_READ_ONLY = {"select", "with", "values", "table", "show"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_LABEL = re.compile(r"^([^=:/#\\]+)=(?=[A-Za-z][A-Za-z0-9+.-]*://)")


if sys.platform == "win32":
    from pathlib import WindowsPath as _ConcretePath
else:
    from pathlib import PosixPath as _ConcretePath


class DatabaseLocation(_ConcretePath):
    """``Table.path`` for a database: prints as the masked URL, named after the database.

    ``Table.path`` is a path, but a URL squeezed through ``Path`` loses its ``//``. This
    keeps the exact (password-free) URL for ``str()`` while ``.name`` and ``.stem`` give
    the database name, which is what messages and labels want. File operations see the
    URL text, so ``exists()`` is False and ``open()`` fails: it is not a file.
    """

    url = ""

    def __new__(cls, url: str, database: str | None = None) -> DatabaseLocation:
        location = super().__new__(cls, Path(database or "database").name or "database")
        location.url = url
        return location

    def __init__(self, url: str, database: str | None = None) -> None:
        # Python 3.12+ initialises paths in __init__; 3.11 ignores the arguments here.
        with suppress(TypeError):
            super().__init__(Path(database or "database").name or "database")  # type: ignore[call-arg]

    def __str__(self) -> str:
        return self.url or super().__str__()

    def __reduce__(self) -> tuple[type[DatabaseLocation], tuple[str, str]]:
        return DatabaseLocation, (self.url, self.name)

    def __repr__(self) -> str:
        return f"DatabaseLocation({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatabaseLocation) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def location(url: str | URL) -> DatabaseLocation:
    """Where a table lives, for ``Table.path``, fix targets and messages: the URL without
    its password (which write-back finds again through :func:`set_aside`)."""
    bare = set_aside(url)
    return DatabaseLocation(bare, sa.make_url(bare).database)


# --- command-line form -------------------------------------------------------------


class DatabaseSource(NamedTuple):
    """A database source named on the command line."""

    label: str
    url: str
    table_or_query: str

    @property
    def is_query(self) -> bool:
        return is_query(self.table_or_query)


def is_database_source(text: str) -> bool:
    """Whether a SOURCE argument names a database (``[LABEL=]scheme://…``), not a file."""
    return bool(_SCHEME.match(_LABEL.sub("", text, count=1)))


def keep_password_aside(text: str) -> str:
    """A SOURCE to save (a job's): a database URL's password goes to the keyring and the
    SOURCE keeps the URL without it; file sources are returned as they are."""
    if not is_database_source(text):
        return text
    match = _LABEL.match(text)
    prefix = match.group(0) if match else ""
    url, hash_, rest = text[len(prefix) :].partition("#")
    return prefix + set_aside(url, keep=True) + hash_ + rest


def parse_database_source(text: str) -> DatabaseSource:
    """Split ``[LABEL=]URL#[SCHEMA.]TABLE`` or ``[LABEL=]URL#SELECT …`` into its parts.

    Examples: ``erp=postgresql://sa@db01/erp#sales.orders``,
    ``crm=sqlite:///C:/data/crm.db#customers``,
    ``oa=mysql+pymysql://oa@10.0.0.5/oa#SELECT id, title FROM approvals WHERE year = 2026``.
    A URL cannot hold a bare ``#`` (a password with one is written ``%23``), so the first
    ``#`` ends the URL. The label defaults to the table name, or ``query``. The caller
    passes the parts to :func:`read_database` (or uses :func:`read_database_source`).
    """
    label = ""
    match = _LABEL.match(text)
    if match:
        label, text = match.group(1).strip(), text[match.end() :]
    url, _, rest = text.partition("#")
    rest = rest.strip()
    if not _SCHEME.match(url):
        raise InputError(
            "this is not a database URL",
            path=text,
            hint="write it like postgresql://user@host/database#table",
        )
    if not rest:
        raise InputError(
            "the database source names no table",
            path=location(url) if _parses(url) else None,
            hint="add #TABLE (or #SCHEMA.TABLE, or #SELECT …) after the URL",
        )
    if not label:
        label = "query" if is_query(rest) else rest.rsplit(".", 1)[-1]
    return DatabaseSource(label, url, rest)


def read_database_source(text: str, *, limit: int | None = None) -> Table:
    """The table a command-line database source names."""
    source = parse_database_source(text)
    if source.is_query:
        return read_database(
            source.url, query=source.table_or_query, label=source.label, limit=limit
        )
    return read_database(source.url, table=source.table_or_query, label=source.label, limit=limit)


def _parses(url: str) -> bool:
    try:
        sa.make_url(url)
    except Exception:
        return False
    return True


def is_query(text: str) -> bool:
    """Whether text is a SQL statement rather than a table name (a keyword and more)."""
    word = _first_word(text)
    return word in _READ_ONLY | {"insert", "update", "delete"} and text.strip().lower() != word


def _first_word(sql: str) -> str:
    text = sql
    while True:
        text = text.lstrip().lstrip("(").lstrip()
        if text.startswith("--"):
            text = text.partition("\n")[2]
        elif text.startswith("/*"):
            text = text.partition("*/")[2]
        else:
            break
    word = re.match(r"[A-Za-z]+(?=[\s(*]|$)", text)
    return word.group(0).lower() if word else ""


# --- connecting ----------------------------------------------------------------------


def open_engine(url: str | URL) -> Engine:
    """An engine for the URL: password from the keyring, a shipped driver, a timeout.

    Raises :class:`InputError` for a malformed URL, an unknown database type or driver,
    or a SQLite file that does not exist (SQLite would silently create an empty one).
    """
    parsed = url_with_password(url)
    masked = location(parsed)
    _check_sqlite_file(parsed)
    try:
        return _create(parsed)
    except NoSuchModuleError:
        raise InputError(
            f"unknown database type {parsed.drivername!r}",
            path=masked,
            hint="use postgresql://, mysql+pymysql://, mariadb+pymysql:// or sqlite:///",
        ) from None
    except ImportError as error:
        raise InputError(
            f"the database driver for {parsed.drivername!r} is not installed ({error.name})",
            path=masked,
            hint="use postgresql+psycopg:// or mysql+pymysql://, which Concord ships",
        ) from None
    except (ArgumentError, TypeError, ValueError) as error:
        raise InputError(f"the database URL is not valid ({error})", path=masked) from None


def _create(url: URL) -> Engine:
    try:
        engine = sa.create_engine(url, connect_args=_connect_args(url))
    except ImportError:
        fallback = FALLBACK_DRIVERS.get(url.drivername)
        if fallback is None:
            raise
        url = url.set(drivername=f"{url.drivername}+{fallback}")
        engine = sa.create_engine(url, connect_args=_connect_args(url))
    return engine


def _connect_args(url: URL) -> dict[str, Any]:
    backend = url.get_backend_name()
    if backend in {"postgresql", "mysql", "mariadb"} and "connect_timeout" not in url.query:
        return {"connect_timeout": CONNECT_TIMEOUT}
    if backend == "sqlite" and "timeout" not in url.query:
        return {"timeout": CONNECT_TIMEOUT}
    return {}


def _check_sqlite_file(url: URL) -> None:
    if url.get_backend_name() != "sqlite":
        return
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if not Path(database).is_file():
        raise InputError(
            "the SQLite database file does not exist",
            path=database,
            hint="check the path after sqlite:/// (three slashes, then the file)",
        )


_LOGIN_REFUSED = re.compile(
    r"password authentication failed|access denied|no password supplied|"
    r'authentication failed|role ".*" does not exist'
)
_NO_DATABASE = re.compile(r'database ".*" does not exist|unknown database')
_CONNECT_FAILURES = (  # (what the driver says, what we tell the user)
    (r"resolve host|name or service not known|translate host|nodename nor servname",
     "host name not found"),
    (r"refused", "connection refused"),
    (r"timeout|timed out", "no answer in time"),
    (r"can't connect|could not connect|connection failed|lost connection|server closed",
     "no connection"),
)  # fmt: skip


def database_error(
    error: SQLAlchemyError, url: URL | str, *, sheet: str | None = None
) -> InputError:
    """One line a user can act on, from a driver error (connection, login or statement)."""
    masked = location(url)
    text = driver_message(error)
    lower = text.lower()
    if _LOGIN_REFUSED.search(lower):
        problem = f"the database refused the login ({text})"
        hint = "check the user name, and store the password under Settings → Database connections"
    elif _NO_DATABASE.search(lower):
        problem = f"the database does not exist ({text})"
        hint = "check the database name at the end of the URL"
    elif reason := next((r for p, r in _CONNECT_FAILURES if re.search(p, lower)), ""):
        parsed = sa.make_url(str(masked))
        where = f"{parsed.host or 'localhost'}:{parsed.port or _default_port(parsed)}"
        problem = f"cannot connect to the database server at {where} ({reason})"
        hint = "the server may be down, or the host or port is wrong, or a firewall blocks it"
    elif "unable to open database file" in lower:
        problem = "the SQLite database file cannot be opened"
        hint = "check the path and its permissions"
    else:
        problem = f"the database reported an error: {text}"
        hint = "check the table, the query and the values"
    return InputError(problem, path=masked, sheet=sheet, hint=hint)


def driver_message(error: SQLAlchemyError) -> str:
    """The first line of what the database said, without SQLAlchemy's wrapping."""
    original = getattr(error, "orig", None) if isinstance(error, DBAPIError) else None
    if original is None:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    args: tuple[object, ...] = tuple(getattr(original, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        message = args[1]  # PyMySQL: (code, message)
    else:
        message = str(original)
    message = message.strip().removeprefix("connection failed: ")
    line = message.splitlines()[0] if message else type(original).__name__
    return re.sub(r"^.*?failed: FATAL:\s+", "", line).strip()


def _default_port(url: URL) -> int | str:
    return {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}.get(url.get_backend_name(), "")


@contextmanager
def connected(url: str | URL, *, sheet: str | None = None) -> Iterator[Connection]:
    """A connection that turns driver errors into :class:`InputError` and never commits."""
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    except SQLAlchemyError as error:
        raise database_error(error, engine.url, sheet=sheet) from None
    finally:
        engine.dispose()


# --- tables --------------------------------------------------------------------------


def resolve_table(connection: Connection, name: str, schema: str | None) -> tuple[str | None, str]:
    """``(schema, table)`` as the database spells them, or :class:`InputError` listing tables.

    ``name`` may carry its schema as ``schema.table`` when ``schema`` is not given (a table
    whose own name holds a dot wins). Case is matched loosely when exactly one table fits,
    because PostgreSQL folds unquoted names to lower case and users type them either way.
    """
    inspector = sa.inspect(connection)
    candidates = [(schema, name)]
    if schema is None and "." in name:
        head, tail = name.split(".", 1)
        candidates.append((head, tail))
    for candidate_schema, candidate in candidates:
        try:
            names = _relation_names(inspector, candidate_schema)
        except SQLAlchemyError:  # no such schema
            continue
        if candidate in names:
            return candidate_schema, candidate
        folded = [n for n in names if n.lower() == candidate.lower()]
        if len(folded) == 1:
            return candidate_schema, folded[0]
        if inspector.has_table(candidate, schema=candidate_schema):  # e.g. temporary tables
            return candidate_schema, candidate
    raise _table_not_found(connection, inspector, name, schema)


def _relation_names(inspector: sa.Inspector, schema: str | None) -> list[str]:
    return sorted(
        set(inspector.get_table_names(schema=schema)) | set(inspector.get_view_names(schema=schema))
    )


def _table_not_found(
    connection: Connection, inspector: sa.Inspector, name: str, schema: str | None
) -> InputError:
    try:
        existing = _relation_names(inspector, schema)
    except SQLAlchemyError:
        existing = []
    if existing:
        shown = ", ".join(existing[:MAX_LISTED_TABLES])
        more = len(existing) - MAX_LISTED_TABLES
        hint = f"tables there: {shown}" + (f" and {more} more" if more > 0 else "")
    else:
        hint = "the database (or schema) has no tables"
    full = f"{schema}.{name}" if schema else name
    return InputError(f"table {full!r} not found", path=location(connection.engine.url), hint=hint)


def primary_key(url: str | URL, table: str, schema: str | None = None) -> list[str]:
    """The primary key columns of a table, in key order; ``[]`` when it has none."""
    with connected(url, sheet=table) as connection:
        schema, table = resolve_table(connection, table, schema)
        return _primary_key(connection, table, schema)


def _primary_key(connection: Connection, table: str, schema: str | None) -> list[str]:
    constraint = sa.inspect(connection).get_pk_constraint(table, schema=schema)
    names = constraint.get("constrained_columns") or []
    return [reflected_name(connection.dialect, name) for name in names]


def reflected_name(dialect: sa.Dialect, name: str) -> str:
    """A column name as the database spells it.

    SQLAlchemy reads MySQL/MariaDB columns from ``SHOW CREATE TABLE`` and keeps the
    doubled backtick of a quoted name (a column ``a`b`` comes back as ``a``b``).
    """
    return name.replace("``", "`") if dialect.name in {"mysql", "mariadb"} else name


# --- reading -------------------------------------------------------------------------


def read_database(
    url: str,
    *,
    table: str | None = None,
    query: str | None = None,
    schema: str | None = None,
    label: str = "",
    limit: int | None = None,
    progress: Progress | None = None,
) -> Table:
    """Read a table (ordered by its primary key) or a read-only query into a :class:`Table`.

    ``table.derived["primary_key"]`` lists the primary key columns (``[]`` for a query or
    a table without one). ``path`` prints as the URL with its password masked, ``sheet``
    is the table name (``schema.table`` outside the default schema) or ``"query"``.
    ``progress`` is called between chunks and may raise ``Cancelled``.
    """
    if (table is None) == (query is None):
        raise InputError("name either a table or a query to read", path=location(url))
    if query is not None and _first_word(query) not in _READ_ONLY:
        raise InputError(
            "only a SELECT query can be read",
            path=location(url),
            sheet="query",
            hint="start the query with SELECT or WITH; Concord never changes data on import",
        )
    sheet = "query" if table is None else table
    with connected(url, sheet=sheet) as connection:
        statement: sa.Executable
        if table is not None:
            schema, table = resolve_table(connection, table, schema)
            sheet = f"{schema}.{table}" if schema else table
            key = _primary_key(connection, table, schema)
            statement = _table_select(table, schema, key, limit)
            total = _count(connection, table, schema, limit) if progress else None
        else:
            key = []
            statement = _query_select(query or "", limit)
            total = limit
        result = connection.execution_options(stream_results=True).execute(statement)
        try:
            names, chunks, warnings = _stream(result, sheet, total, progress)
        finally:
            result.close()  # a cancelled read must not leave a server-side cursor open
        connection.rollback()
    frame, rows = _frame(names, chunks)
    result_table = Table(
        path=location(url),
        sheet=sheet,
        frame=frame,
        rows=rows,
        header_rows=(),
        columns=[Column(name, position) for position, name in enumerate(names)],
        file_format="sql",
        warnings=warnings,
        label=label or (table or "query"),
    )
    result_table.derived["primary_key"] = key
    return result_table


def _table_select(
    table: str, schema: str | None, key: Sequence[str], limit: int | None
) -> sa.Select[Any]:
    source = sa.table(table, *(sa.column(k) for k in key), schema=schema)
    statement: sa.Select[Any] = sa.select(sa.literal_column("*")).select_from(source)
    if key:
        statement = statement.order_by(*(source.c[k] for k in key))
    return statement.limit(limit) if limit is not None else statement


def _query_select(query: str, limit: int | None) -> sa.Executable:
    # Colons are the user's (times, PostgreSQL casts), never SQLAlchemy bind parameters.
    text = sa.text(query.strip().rstrip(";").strip().replace(":", "\\:"))
    if limit is None:
        return text
    inner = text.columns().subquery("concord_query")
    return sa.select(sa.literal_column("*")).select_from(inner).limit(limit)


def _count(connection: Connection, table: str, schema: str | None, limit: int | None) -> int:
    total = connection.execute(
        sa.select(sa.func.count()).select_from(sa.table(table, schema=schema))
    ).scalar_one()
    return min(int(total), limit) if limit is not None else int(total)


def _stream(
    result: sa.CursorResult[Any], sheet: str, total: int | None, progress: Progress | None
) -> tuple[list[str], list[list[pa.Array]], list[DataWarning]]:
    keys = result.keys()
    names = unique_names([str(name) for name in keys])
    chunks: list[list[pa.Array]] = [[] for _ in names]
    binary: set[int] = set()
    done = 0
    for partition in result.partitions(CHUNK_ROWS):
        for index, values in enumerate(zip(*partition, strict=True)):
            texts, was_binary = column_texts(values)
            if was_binary:
                binary.add(index)
            chunks[index].append(pa.array(texts, type=pa.large_string()))
        done += len(partition)
        if progress is not None:
            progress(f"read {sheet}", done / total if total else 0.0)
    warnings = [
        DataWarning(names[i], "binary values are shown as hexadecimal text") for i in sorted(binary)
    ]
    return names, chunks, warnings


def _frame(names: list[str], chunks: list[list[pa.Array]]) -> tuple[pd.DataFrame, np.ndarray]:
    columns = {
        name: pd.Series(pa.chunked_array(parts, type=pa.large_string()), dtype="str")
        for name, parts in zip(names, chunks, strict=True)
    }
    frame = pd.DataFrame(columns) if columns else pd.DataFrame()
    return frame, np.arange(1, len(frame) + 1, dtype=np.int64)


# --- values as text ------------------------------------------------------------------


def column_texts(values: Sequence[object]) -> tuple[list[str], bool]:
    """The text of each value of one column chunk, and whether any was binary.

    A column nearly always holds one Python type, so the renderer is looked up once per
    chunk rather than once per value.
    """
    kinds = {type(v) for v in values}
    kinds.discard(type(None))
    binary = any(issubclass(k, bytes | bytearray | memoryview) for k in kinds)
    if len(kinds) != 1:
        return [cell_text(v) for v in values], binary
    kind = kinds.pop()
    if kind is str:
        return ["" if v is None else v for v in values], binary  # type: ignore[misc]
    render = _renderer(kind)
    return ["" if v is None else render(v) for v in values], binary


def cell_text(value: object) -> str:
    """The text a database tool shows for a value; exact for decimals, no float noise."""
    return "" if value is None else _renderer(type(value))(value)


def _renderer(kind: type) -> Callable[[Any], str]:
    render = _RENDERERS.get(kind)
    if render is not None:
        return render
    for base, render in _RENDERERS.items():
        if issubclass(kind, base):
            return render
    return str


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    text = format(value, ".15g")
    if "e" in text:
        text = format(Decimal(text), "f")
    return "0" if text == "-0" else text


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        return "NaN" if value.is_nan() else ("Infinity" if value > 0 else "-Infinity")
    return format(value, "f")


def _datetime_text(value: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS``, fractions without trailing zeros, the offset if any."""
    if not value.microsecond:
        return value.isoformat(sep=" ")  # ends in +08:00 when the value has a zone
    text = value.replace(microsecond=0).isoformat(sep=" ")
    fraction = f".{value.microsecond:06d}".rstrip("0")
    return text[:19] + fraction + text[19:]


def _time_text(value: dt.time) -> str:
    text = value.strftime("%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text


def _interval_text(value: dt.timedelta) -> str:
    """MySQL TIME and PostgreSQL intervals: ``H:MM:SS``, hours may exceed 24."""
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    micro = abs(value) // dt.timedelta(microseconds=1)
    seconds, micro = divmod(micro, 1_000_000)
    hours, rest = divmod(seconds, 3600)
    text = f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return text + (f".{micro:06d}".rstrip("0") if micro else "")


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


_RENDERERS: dict[type, Callable[[Any], str]] = {
    str: str,
    bool: lambda v: "true" if v else "false",
    int: str,
    float: _float_text,
    Decimal: _decimal_text,
    dt.datetime: _datetime_text,  # before date: a datetime is a date
    dt.date: dt.date.isoformat,
    dt.time: _time_text,
    dt.timedelta: _interval_text,
    bytes: lambda v: bytes(v).hex(),
    bytearray: lambda v: bytes(v).hex(),
    memoryview: lambda v: bytes(v).hex(),
    dict: _json_text,
    list: _json_text,
}
