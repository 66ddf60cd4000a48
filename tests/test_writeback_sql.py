"""SQL write-back on SQLite, PostgreSQL and MariaDB: all or nothing, never stale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError
from app.sources.database import read_database
from app.writeback.sql import MISSING, SqlStaleError, StaleCell, apply_sql_changes

if TYPE_CHECKING:
    from tests.dbs import Db


ODD = "x\"`'; DROP TABLE t; --"  # every quote character, a statement and a comment


@pytest.fixture(autouse=True)
def _keyring(memory_keyring: None) -> None:
    """Never touch the real keyring from a test."""


def make_customers(db: Db) -> sa.Table:
    table = db.create(
        "customers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2)),
        sa.Column("signed", sa.Date),
        sa.Column("updated", sa.DateTime),
        sa.Column("active", sa.Boolean),
        sa.Column("phone", sa.String(20)),
        sa.Column("ratio", sa.Float),
        sa.CheckConstraint("amount >= 0"),
    )
    db.insert(
        table,
        [
            {"id": 1, "name": "北京华信科技有限公司", "amount": Decimal("1200.50"),
             "signed": dt.date(2026, 1, 5), "updated": dt.datetime(2026, 1, 5, 10, 30),
             "active": True, "phone": None, "ratio": 0.1 + 0.2},
            {"id": 2, "name": "上海鼎盛贸易有限公司", "amount": Decimal("980.00"),
             "signed": None, "updated": None, "active": False, "phone": "", "ratio": None},
        ],
    )  # fmt: skip
    return table


def target(db: Db, table: sa.Table | str, key: str = "id") -> Target:
    name = table if isinstance(table, str) else table.name
    return Target("sql", db.url, name, key)


def current(db: Db, table: sa.Table) -> dict[tuple[str, str], str]:
    """Every cell as the database source reads it: (key, column) → text."""
    read = read_database(db.url, table=table.name)
    return {
        (read.frame.at[i, "id"], column): read.frame.at[i, column]
        for i in range(len(read))
        for column in read.frame.columns
    }


def test_changes_are_written_and_can_be_rolled_back(db: Db) -> None:
    table = make_customers(db)
    before = current(db, table)
    goal = target(db, table)
    changes = [
        Change(goal, "1", "name", "北京华信科技有限公司", "北京华信科技股份有限公司", reason="CRM"),
        Change(goal, "2", "amount", before[("2", "amount")], "1,050.75"),
        Change(goal, "2", "signed", "", "2026/02/03"),
        Change(goal, "1", "updated", before[("1", "updated")], "2026-03-01 08:15:00"),
        Change(goal, "1", "active", before[("1", "active")], "false"),
        Change(goal, "1", "ratio", before[("1", "ratio")], "0.25"),
    ]
    result = apply_sql_changes(goal, changes)
    assert result.updated == 6
    assert not result.dry_run
    after = current(db, table)
    assert after[("1", "name")] == "北京华信科技股份有限公司"
    assert after[("2", "amount")] in {"1050.75"}
    assert after[("2", "signed")] == "2026-02-03"
    assert after[("1", "updated")] == "2026-03-01 08:15:00"
    assert after[("1", "active")] in {"false", "0"}
    assert after[("1", "ratio")] == "0.25"
    undo = result.inverse.changes
    assert [(c.key, c.column) for c in undo] == [(c.key, c.column) for c in reversed(changes)]
    assert undo[-1].new == "北京华信科技有限公司"
    assert undo[-1].reason == "rollback: CRM"
    # the rollback expects what the database holds, not the text as typed ("1,050.75")
    assert {(c.key, c.column): c.old for c in undo} == {
        (c.key, c.column): after[(c.key, c.column)] for c in changes
    }
    apply_sql_changes(goal, undo)
    assert current(db, table) == before


def test_a_cell_changed_twice_rolls_back_in_order(db: Db) -> None:
    table = make_customers(db)
    before = current(db, table)
    goal = target(db, table)
    changes = [Change(goal, "2", "phone", "", "110"), Change(goal, "2", "phone", "110", "120")]
    assert apply_sql_changes(goal, changes, dry_run=True).stale == []
    result = apply_sql_changes(goal, changes)
    assert current(db, table)[("2", "phone")] == "120"
    apply_sql_changes(goal, result.inverse.changes)
    assert current(db, table)[("2", "phone")] == ""
    assert [r[6] for r in db.rows(table, "id")] == [None, None]  # '' came back as NULL
    assert current(db, table) == before


def test_stale_rows_roll_back_everything(db: Db) -> None:
    table = make_customers(db)
    before = current(db, table)
    goal = target(db, table)
    changes = [
        Change(goal, "1", "name", "北京华信科技有限公司", "改名一"),
        Change(goal, "2", "name", "someone else's value", "改名二"),
        Change(goal, "9", "phone", "", "010-1234"),
    ]
    with pytest.raises(SqlStaleError) as caught:
        apply_sql_changes(goal, changes)
    assert caught.value.stale == [
        StaleCell("2", "name", "someone else's value", "上海鼎盛贸易有限公司"),
        StaleCell("9", "phone", "", MISSING),
    ]
    assert isinstance(caught.value, InputError)
    assert "2 of 3 changes no longer match the database, nothing was written" in str(caught.value)
    assert current(db, table) == before


def test_odd_identifiers_are_quoted_never_executed(db: Db) -> None:
    canary = db.create("t", sa.Column("a", sa.Integer))
    table = db.create(
        '客户 "表" select',
        sa.Column("客户 编号", sa.String(10), primary_key=True),
        sa.Column(ODD, sa.String(20)),
        sa.Column("金额 % (含税)", sa.Numeric(10, 2)),
        sa.Column("order", sa.String(10)),
    )
    db.insert(
        table, [{"客户 编号": "C-1", ODD: "old", "金额 % (含税)": Decimal("5.00"), "order": ""}]
    )
    goal = target(db, table, key="客户 编号")
    five = "5" if db.kind == "sqlite" else "5.00"
    changes = [
        Change(goal, "C-1", ODD, "old", "new"),
        Change(goal, "C-1", "金额 % (含税)", five, "6.5"),
        Change(goal, "C-1", "order", "", "甲"),
    ]
    assert apply_sql_changes(goal, changes).updated == 3
    assert db.exists(canary.name)
    read = read_database(db.url, table=table.name)
    assert read.values(ODD).tolist() == ["new"]
    assert read.values("order").tolist() == ["甲"]
    assert read.derived["primary_key"] == ["客户 编号"]


def test_empty_means_null_or_empty_text(db: Db) -> None:
    table = make_customers(db)
    goal = target(db, table)
    # id 1 has phone NULL, id 2 has phone '': "" matches both
    apply_sql_changes(
        goal, [Change(goal, "1", "phone", "", "110"), Change(goal, "2", "phone", "", "120")]
    )
    assert [r[6] for r in db.rows(table, "id")] == ["110", "120"]
    # emptying a nullable column writes NULL, a NOT NULL text column gets ''
    apply_sql_changes(
        goal,
        [
            Change(goal, "1", "phone", "110", ""),
            Change(goal, "1", "name", "北京华信科技有限公司", ""),
        ],
    )
    row = db.rows(table, "id")[0]
    assert row[6] is None
    assert row[1] == ""
    apply_sql_changes(goal, [Change(goal, "2", "signed", "", "2026-01-01")])  # NULL date
    with pytest.raises(InputError, match="the value does not fit the column"):
        apply_sql_changes(goal, [Change(goal, "1", "id", "1", "")])


@pytest.mark.parametrize(
    ("column", "new", "problem"),
    [
        ("amount", "abc", "'abc' is not a valid number"),
        ("amount", "1.005", "has 3 decimals, the column keeps 2"),
        ("signed", "5 Jan", "is not a date"),
        ("active", "maybe", "is not true or false"),
        ("phone", "1" * 21, "21 characters, but column 'phone' holds at most 20"),
        ("updated", "yesterday", "is not a valid date and time"),
    ],
)
def test_values_that_do_not_fit_are_refused_before_writing(
    db: Db, column: str, new: str, problem: str
) -> None:
    table = make_customers(db)
    before = current(db, table)
    goal = target(db, table)
    changes = [
        Change(goal, "2", "name", "上海鼎盛贸易有限公司", "先改这个"),
        Change(goal, "1", column, before[("1", column)], new, row=7),
    ]
    with pytest.raises(InputError) as caught:
        apply_sql_changes(goal, changes)
    if db.kind == "mariadb" and column == "active":  # BOOL is TINYINT(1) there
        problem = "'maybe' is not a valid whole number"
    assert problem in str(caught.value)
    assert caught.value.column == column
    assert caught.value.row == 7
    assert current(db, table) == before


def test_a_failure_midway_leaves_nothing_written(db: Db) -> None:
    table = make_customers(db)
    before = current(db, table)
    goal = target(db, table)
    changes = [
        Change(goal, "1", "name", "北京华信科技有限公司", "已改"),
        Change(goal, "2", "amount", before[("2", "amount")], "-5"),  # breaks the CHECK
        Change(goal, "2", "phone", "", "120"),
    ]
    with pytest.raises(
        InputError, match="the database refused the change, nothing was written"
    ) as caught:
        apply_sql_changes(goal, changes)
    assert caught.value.column == "amount"
    assert current(db, table) == before


def test_dry_run_shows_the_exact_sql_and_touches_nothing(db: Db) -> None:
    table = make_customers(db)
    before = current(db, table)
    goal = target(db, table)
    changes = [
        Change(goal, "1", "amount", before[("1", "amount")], "99.5"),
        Change(goal, "2", "phone", "", "120"),
        Change(goal, "2", "name", "stale value", "x"),
    ]
    result = apply_sql_changes(goal, changes, dry_run=True)
    assert result.dry_run
    assert result.updated == 0
    assert current(db, table) == before
    first, second, _ = result.statements
    q = db.quote(table.name)
    if db.kind == "sqlite":
        assert first.sql == f"UPDATE {q} SET amount=? WHERE {q}.id = ? AND {q}.amount = ?"
        assert first.params == {"concord_new": "99.5", "concord_key": 1, "concord_old": "1200.5"}
    elif db.kind == "postgresql":
        assert first.sql == (
            f"UPDATE {q} SET amount=%(concord_new)s WHERE {q}.id = %(concord_key)s::INTEGER "
            f"AND {q}.amount = %(concord_old)s"
        )
        assert first.params == {
            "concord_new": Decimal("99.5"),
            "concord_key": 1,
            "concord_old": Decimal("1200.50"),
        }
    else:
        assert first.sql == (
            f"UPDATE {q} SET amount=%(concord_new)s WHERE {q}.id = %(concord_key)s "
            f"AND {q}.amount = %(concord_old)s"
        )
    assert "IS NULL OR" in second.sql
    assert result.stale == [StaleCell("2", "name", "stale value", "上海鼎盛贸易有限公司")]
    assert [c.new for c in result.inverse.changes] == [c.old for c in reversed(changes)]


def test_a_key_that_is_not_unique_is_refused(db: Db) -> None:
    table = db.create("dups", sa.Column("code", sa.String(10)), sa.Column("name", sa.String(10)))
    db.insert(table, [{"code": "A", "name": "one"}, {"code": "A", "name": "one"}])
    goal = target(db, table, key="code")
    with pytest.raises(InputError, match="2 rows have the key 'A'"):
        apply_sql_changes(goal, [Change(goal, "A", "name", "one", "two")])
    assert [r[1] for r in db.rows(table, "code")] == ["one", "one"]


def test_unknown_columns_and_tables_are_named(db: Db) -> None:
    table = make_customers(db)
    goal = target(db, table)
    with pytest.raises(InputError, match="column 'nope' not found") as caught:
        apply_sql_changes(goal, [Change(goal, "1", "nope", "", "x")])
    assert "columns there: id, name, amount" in str(caught.value)
    with pytest.raises(InputError, match="key column 'code' not found"):
        apply_sql_changes(target(db, table, key="code"), [])
    with pytest.raises(InputError, match="table 'gone' not found"):
        missing = target(db, "gone")
        apply_sql_changes(missing, [Change(missing, "1", "name", "", "x")])


def test_targets_are_checked() -> None:
    goal = Target("sql", "sqlite:///x.db", "t", "id")
    other = Target("sql", "sqlite:///y.db", "t", "id")
    with pytest.raises(InputError, match="mixes targets"):
        apply_sql_changes(goal, [Change(other, "1", "a", "", "b")])
    with pytest.raises(InputError, match="cannot be written as SQL"):
        apply_sql_changes(Target("csv", "x.csv", None, "id"), [])


def test_engine_factory_and_formula_like_values_are_kept(db: Db) -> None:
    table = make_customers(db)
    goal = target(db, table)
    made: list[str] = []

    def factory(location: str) -> sa.Engine:
        made.append(location)
        return db.engine

    apply_sql_changes(goal, [Change(goal, "2", "phone", "", "=1+1")], engine_factory=factory)
    assert made == [db.url]
    assert db.rows(table, "id")[1][6] == "=1+1"  # databases hold data, not formulas
    with db.engine.connect() as connection:  # the engine we lent is still usable
        assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1


def test_inverse_is_the_change_set_inverse(db: Db) -> None:
    table = make_customers(db)
    goal = target(db, table)
    changes = [Change(goal, "2", "phone", "", "120", reason="fix")]
    result = apply_sql_changes(goal, changes, dry_run=True)
    assert result.inverse.changes == ChangeSet(changes).inverse().changes  # one change
