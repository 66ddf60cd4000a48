"""Write approved fixes into a database table: optimistic UPDATEs in one transaction.

Each change becomes ``UPDATE t SET col = :new WHERE key = :k AND col = :old``; a change
whose row no longer holds ``old`` (or whose key vanished) updates nothing, and then the
whole transaction is rolled back and :class:`SqlStaleError` lists every such cell with
what the database holds now. Either every change is written or none is.

Text from the change set is converted to the column's reflected type (numbers, dates,
booleans…) before it reaches the driver, and names are only ever quoted by the
dialect, so a column called ``x"; DROP TABLE t; --`` is just a column. SQLite keeps
values as written, so there the expected old value is compared as the text that was
read and new values are written in canonical text (dates ISO).

Unlike file write-back, values that look like formulas (``=``, ``+``, ``-``, ``@``) are
written unchanged: a database cell is data, never evaluated, and neutralising it
would corrupt the value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError
from app.sources.database import (
    cell_text,
    database_error,
    driver_message,
    location,
    open_engine,
    reflected_name,
    resolve_table,
)

MISSING = "missing"
_TRUE = {"1", "true", "t", "yes", "y", "on", "是", "真"}
_FALSE = {"0", "false", "f", "no", "n", "off", "否", "假"}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00(?:\.0*)?)?)?$")
_DURATION = re.compile(r"^(-?)(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$")


class Unfit(ValueError):
    """A value that does not fit its column, with a message meant for the user."""


class StaleCell(NamedTuple):
    """A cell that no longer holds what the change expected."""

    key: str
    column: str
    expected: str
    actual: str  # the text now in the database, or "missing" when the row is gone


@dataclass
class SqlStaleError(InputError):
    """The table changed since it was read; nothing was written."""

    stale: list[StaleCell] = field(default_factory=list)


@dataclass(frozen=True)
class SqlStatement:
    """One UPDATE exactly as sent: the dialect's SQL text and its parameters by name."""

    change: Change
    sql: str
    params: dict[str, object]

    def __str__(self) -> str:
        return f"{self.sql}  -- {self.params!r}"


@dataclass
class SqlWriteResult:
    """What a write-back did (or, for a dry run, would do) and how to undo it."""

    target: Target
    statements: list[SqlStatement]
    dry_run: bool
    updated: int  # rows changed; 0 for a dry run
    inverse: ChangeSet  # apply it to roll back (see undo)
    stale: list[StaleCell] = field(default_factory=list)  # dry run: changes that would fail


@dataclass(frozen=True)
class _Plan:
    change: Change
    update: sa.Update
    check: sa.Select[Any]  # rows that still match key and old value
    current: sa.Select[Any]  # the cell as it is now, untyped


EngineFactory = Callable[[str], Engine]


class _AsIs(sa.types.TypeDecorator[Any]):
    """A parameter SQLAlchemy hands to the driver untouched (SQLite: no date processing)."""

    impl = sa.types.String
    cache_ok = True


_AS_IS = _AsIs()


def apply_sql_changes(
    target: Target,
    changes: list[Change],
    *,
    dry_run: bool = False,
    engine_factory: EngineFactory | None = None,
) -> SqlWriteResult:
    """Write ``changes`` into ``target`` in one transaction, or show the SQL (dry run).

    Raises :class:`SqlStaleError` when any row changed since import (everything rolled
    back), and :class:`InputError` for a value that does not fit its column, an unknown
    column, a key that is not unique, or any error the database reports.
    """
    _check_changes(target, changes)
    engine = engine_factory(target.location) if engine_factory else open_engine(target.location)
    try:
        with engine.connect() as connection:
            return _apply(connection, target, changes, dry_run)
    except SQLAlchemyError as error:
        raise database_error(error, target.location, sheet=target.sheet) from None
    finally:
        if engine_factory is None:
            engine.dispose()


def _apply(
    connection: Connection, target: Target, changes: list[Change], dry_run: bool
) -> SqlWriteResult:
    table = _reflect(connection, target)
    plans = [_plan(table, target, change, connection.dialect.name) for change in changes]
    statements = [_statement(plan, connection.dialect) for plan in plans]
    connection.rollback()  # end the transaction reflection opened; ours starts clean
    if dry_run:
        stale = _dry_run_stale(connection, plans)
        connection.rollback()
        return SqlWriteResult(target, statements, True, 0, undo(changes), stale)
    updated = 0
    written: list[Change] = []
    with connection.begin():
        stale_plans: list[_Plan] = []
        for plan in plans:
            count = _execute(connection, target, plan)
            if count == 0:
                stale_plans.append(plan)
            elif not stale_plans:
                written.append(replace(plan.change, new=_cell_now(connection, plan)))
            updated += count
        if stale_plans:
            raise _stale_error(target, len(plans), _stale_cells(connection, stale_plans))
    return SqlWriteResult(target, statements, False, updated, undo(written))


def undo(changes: Sequence[Change]) -> ChangeSet:
    """The rollback of ``changes``: :meth:`ChangeSet.inverse`, last change first.

    After a write, each change's ``new`` is first replaced by the cell's text as read
    back (``1,050.5`` typed, ``1050.50`` stored), so the rollback's expected old value is
    what the database really holds. Reversed, so a cell changed twice unwinds in order.
    """
    inverse = ChangeSet(list(changes)).inverse()
    inverse.changes.reverse()
    return inverse


def _check_changes(target: Target, changes: Sequence[Change]) -> None:
    if target.kind != "sql":
        raise InputError(f"a {target.kind!r} target cannot be written as SQL", path=target.location)
    if not target.sheet:
        raise InputError("the database target names no table", path=location(target.location))
    for change in changes:
        if change.target != target:
            raise InputError(
                "the change set mixes targets",
                path=location(target.location),
                sheet=target.sheet,
                hint="write each target's changes separately (ChangeSet.by_target)",
            )
        if change.key == "":
            raise InputError(
                "a change has an empty record key",
                path=location(target.location),
                sheet=target.sheet,
                column=change.column,
            )


def _reflect(connection: Connection, target: Target) -> sa.Table:
    schema, name = resolve_table(connection, target.sheet or "", None)
    table = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=connection)
    names = [reflected_name(connection.dialect, c.name) for c in table.columns]
    if names != [c.name for c in table.columns]:
        columns = [
            sa.Column(n, c.type, nullable=c.nullable, primary_key=c.primary_key)
            for n, c in zip(names, table.columns, strict=True)
        ]
        table = sa.Table(name, sa.MetaData(), *columns, schema=schema)
    if target.key_column not in table.c:
        raise _unknown_column(target, table, target.key_column, "key column")
    return table


def _unknown_column(target: Target, table: sa.Table, column: str, what: str) -> InputError:
    names = [c.name for c in table.columns]
    return InputError(
        f"{what} {column!r} not found in the table",
        path=location(target.location),
        sheet=target.sheet,
        hint="columns there: " + ", ".join(names[:20]) + (" …" if len(names) > 20 else ""),
    )


# --- building statements -------------------------------------------------------------


def _plan(table: sa.Table, target: Target, change: Change, dialect: str) -> _Plan:
    if change.column not in table.c:
        raise _unknown_column(target, table, change.column, "column")
    column = table.c[change.column]
    key_column = table.c[target.key_column]
    try:
        key = _bind(change.key, key_column, dialect)
        new = _new_value(change.new, column, dialect)
        where = _old_clause(column, change.old, dialect)
    except Unfit as error:
        raise InputError(
            f"the value does not fit the column: {error}",
            path=location(target.location),
            sheet=target.sheet,
            row=change.row,
            column=change.column,
            hint=f"record {change.key}: correct the value and approve it again",
        ) from None
    match_key = key_column == key
    if change.line is not None:  # one line of a document: its line column says which
        line_column, line_value = change.line
        if line_column not in table.c:
            raise _unknown_column(target, table, line_column, "column")
        match_key = sa.and_(
            match_key,
            table.c[line_column]
            == _bind(line_value, table.c[line_column], dialect, "concord_line"),
        )
    update = table.update().where(match_key, where).values({column: new})
    check = sa.select(sa.func.count()).select_from(table).where(match_key, where)
    # Untyped, so the value comes back as the driver gives it, as it was read on import.
    current = sa.select(sa.type_coerce(column, sa.types.NullType())).where(match_key)
    return _Plan(change, update, check, current)


def _bind(text: str, column: sa.Column[Any], dialect: str, name: str = "concord_key") -> Any:
    """A bound parameter holding ``text`` converted to the column's type."""
    value = typed_value(text, column)
    if dialect == "sqlite":
        return sa.bindparam(name, _sqlite_value(value), type_=_AS_IS)
    return sa.bindparam(name, value, type_=column.type)


def _new_value(text: str, column: sa.Column[Any], dialect: str) -> Any:
    if text == "" and _is_text(column):
        text_value: object = None if column.nullable else ""
        if dialect == "sqlite":
            return sa.bindparam("concord_new", text_value, type_=_AS_IS)
        return sa.bindparam("concord_new", text_value, type_=column.type)
    if text == "" and not column.nullable:
        raise Unfit(f"column {column.name!r} does not allow empty values")
    return _bind(text, column, dialect, "concord_new")


def _old_clause(column: sa.Column[Any], old: str, dialect: str) -> Any:
    """The condition that the cell still holds ``old`` ("" matches NULL and '')."""
    if old == "":
        if _is_text(column):
            return sa.or_(column.is_(None), column == sa.bindparam("concord_old", ""))
        return column.is_(None)
    if isinstance(column.type, sa.Float):
        value = float(typed_value(old, column))  # type: ignore[arg-type]
        single = dialect != "sqlite" and _single_precision(column)  # SQLite REAL is double
        slack = abs(value) * (1e-6 if single else 1e-14)
        low = sa.bindparam("concord_old_low", value - slack, type_=sa.Float())
        high = sa.bindparam("concord_old_high", value + slack, type_=sa.Float())
        return column.between(low, high)
    if dialect == "sqlite":
        typed_value(old, column)  # refuse nonsense early; compare the text that was read
        return column == sa.bindparam("concord_old", old, type_=_AS_IS)
    return column == _bind(old, column, dialect, "concord_old")


def _statement(plan: _Plan, dialect: sa.Dialect) -> SqlStatement:
    compiled = plan.update.compile(dialect=dialect)
    params = compiled.params
    order = compiled.positiontup or list(params)
    return SqlStatement(plan.change, str(compiled), {name: params[name] for name in order})


# --- running -------------------------------------------------------------------------


def _execute(connection: Connection, target: Target, plan: _Plan) -> int:
    try:
        count = connection.execute(plan.update).rowcount
    except SQLAlchemyError as error:
        raise InputError(
            f"the database refused the change, nothing was written: {driver_message(error)}",
            path=location(target.location),
            sheet=target.sheet,
            row=plan.change.row,
            column=plan.change.column,
            hint=f"record {plan.change.key}: fix the value or the table and write again",
        ) from None
    if target.lines and count:
        lines = len(connection.execute(plan.current).all())
        if count != lines:  # a document's lines must all hold what was imported
            raise InputError(
                f"{lines - count} of the {lines} lines of document {plan.change.key!r} no "
                f"longer hold {plan.change.old!r}, nothing was written",
                path=location(target.location),
                sheet=target.sheet,
                column=plan.change.column,
                hint="import the table again and review this document",
            )
    elif count > 1:
        raise InputError(
            f"{count} rows have the key {plan.change.key!r}, nothing was written",
            path=location(target.location),
            sheet=target.sheet,
            column=target.key_column,
            hint="choose a key column whose values are unique (the primary key)",
        )
    return count


def _dry_run_stale(connection: Connection, plans: Sequence[_Plan]) -> list[StaleCell]:
    """Changes that would fail now; a later change to a cell expects the earlier one's new."""
    pending: dict[tuple[str, str], str] = {}
    failing: list[_Plan] = []
    for plan in plans:
        cell = (plan.change.key, plan.change.column)
        if cell in pending:
            if pending[cell] != plan.change.old:
                failing.append(plan)
        elif not connection.execute(plan.check).scalar_one():
            failing.append(plan)
        pending[cell] = plan.change.new
    return _stale_cells(connection, failing)


def _cell_now(connection: Connection, plan: _Plan) -> str:
    """The cell's text as the database source would read it now, or ``MISSING``."""
    rows = connection.execute(plan.current).all()
    return cell_text(rows[0][0]) if rows else MISSING


def _stale_cells(connection: Connection, plans: Sequence[_Plan]) -> list[StaleCell]:
    return [
        StaleCell(p.change.key, p.change.column, p.change.old, _cell_now(connection, p))
        for p in plans
    ]


def _stale_error(target: Target, total: int, cells: list[StaleCell]) -> SqlStaleError:
    shown = "; ".join(
        f"key {c.key} {c.column}: expected {c.expected!r}, "
        + ("record missing" if c.actual == MISSING else f"now {c.actual!r}")
        for c in cells[:3]
    )
    more = f" and {len(cells) - 3} more" if len(cells) > 3 else ""
    return SqlStaleError(
        f"{len(cells)} of {total} changes no longer match the database, nothing was "
        f"written ({shown}{more})",
        path=location(target.location),
        sheet=target.sheet,
        hint="the table changed since it was read: reload it and review these records again",
        stale=cells,
    )


# --- text to typed values ------------------------------------------------------------


def typed_value(text: str, column: sa.Column[Any]) -> object:
    """``text`` as the Python value the column's type takes; ValueError says why not."""
    kind = column.type
    if text == "":
        return None
    try:
        return _convert(text.strip() if not _is_text(column) else text, kind, column.name)
    except Unfit:
        raise
    except (ValueError, ArithmeticError):  # the parsers' own words are not for users
        raise Unfit(f"{text!r} is not a valid {_type_name(kind)}") from None


def _convert(text: str, kind: sa.types.TypeEngine[Any], name: str) -> object:
    if isinstance(kind, sa.Boolean):
        return _boolean(text)
    if _is_mysql_bool(kind) and text.lower() in _TRUE | _FALSE:
        return int(_boolean(text))
    if isinstance(kind, sa.Integer):
        return _integer(text)
    if isinstance(kind, sa.Float):
        return float(_clean_number(text))
    if isinstance(kind, sa.Numeric):
        return _decimal(text, kind)
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat(_iso_date_part(text).replace("Z", "+00:00"))
    if isinstance(kind, sa.Date):
        return _date(text)
    if isinstance(kind, sa.Time):
        return dt.time.fromisoformat(text)
    if _python_type(kind) is dt.timedelta:
        return _duration(text)
    if isinstance(kind, sa.LargeBinary):
        raise Unfit(f"column {name!r} holds binary data, which Concord does not write")
    if isinstance(kind, sa.JSON):
        return json.loads(text)
    if isinstance(kind, sa.Uuid):
        parsed = uuid.UUID(text)
        return parsed if kind.as_uuid else str(parsed)
    if isinstance(kind, sa.String) and kind.length and len(text) > kind.length:
        raise Unfit(f"{len(text)} characters, but column {name!r} holds at most {kind.length}")
    return text


def _is_mysql_bool(kind: sa.types.TypeEngine[Any]) -> bool:
    """MySQL's BOOL is TINYINT(1): it reads as 1/0 but people write true/false."""
    return isinstance(kind, sa.Integer) and getattr(kind, "display_width", None) == 1


def _python_type(kind: sa.types.TypeEngine[Any]) -> type | None:
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _is_text(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.String | sa.types.NullType)


def _single_precision(column: sa.Column[Any]) -> bool:
    """PostgreSQL REAL and MySQL FLOAT keep about 7 digits; compare them loosely."""
    kind = column.type
    precision = getattr(kind, "precision", None)
    return type(kind).__name__ in {"REAL", "FLOAT"} and (precision is None or precision <= 24)


def _type_name(kind: sa.types.TypeEngine[Any]) -> str:
    for base, name in (
        (sa.Boolean, "true/false value"),
        (sa.Integer, "whole number"),
        (sa.Numeric, "number"),
        (sa.DateTime, "date and time (YYYY-MM-DD HH:MM:SS)"),
        (sa.Date, "date (YYYY-MM-DD)"),
        (sa.Time, "time (HH:MM:SS)"),
        (sa.JSON, "JSON value"),
        (sa.Uuid, "UUID"),
    ):
        if isinstance(kind, base):
            return name
    return "value"


def _clean_number(text: str) -> str:
    return text.strip().replace(",", "").replace("_", "")


def _boolean(text: str) -> bool:
    lower = text.lower()
    if lower in _TRUE:
        return True
    if lower in _FALSE:
        return False
    raise Unfit(f"{text!r} is not true or false")


def _integer(text: str) -> int:
    number = Decimal(_clean_number(text))
    if number != number.to_integral_value():
        raise Unfit(f"{text!r} is not a whole number")
    return int(number)


def _decimal(text: str, kind: sa.Numeric[Any]) -> Decimal:
    number = Decimal(_clean_number(text))
    if not number.is_finite():
        return number
    exponent = number.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if kind.scale is not None and decimals > kind.scale:
        raise Unfit(f"{text!r} has {decimals} decimals, the column keeps {kind.scale}")
    return number


def _iso_date_part(text: str) -> str:
    date, sep, rest = text.partition(" ") if "T" not in text else text.partition("T")
    return date.replace("/", "-").replace(".", "-") + (" " if sep else "") + rest


def _date(text: str) -> dt.date:
    match = _DATE.match(text)
    if not match:
        raise Unfit(f"{text!r} is not a date (YYYY-MM-DD)")
    year, month, day = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def _duration(text: str) -> dt.timedelta:
    match = _DURATION.match(text)
    if not match:
        raise Unfit(f"{text!r} is not a duration (H:MM:SS)")
    sign, hours, minutes, seconds, fraction = match.groups()
    value = dt.timedelta(
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds),
        microseconds=int((fraction or "0").ljust(6, "0")),
    )
    return -value if sign else value


def _sqlite_value(value: object) -> object:
    """How SQLite should receive a typed value: numbers as numbers, the rest as text."""
    if value is None or isinstance(value, int | float | str):
        return int(value) if isinstance(value, bool) else value
    return cell_text(value)
