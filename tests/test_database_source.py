"""Database tables and queries as sources, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import TYPE_CHECKING

import keyring.errors
import pytest
import sqlalchemy as sa

from app.errors import Cancelled, InputError
from app.sources import database, secrets
from app.sources.database import (
    DatabaseLocation,
    cell_text,
    is_database_source,
    parse_database_source,
    primary_key,
    read_database,
    read_database_source,
)

if TYPE_CHECKING:
    from tests.dbs import Db


@pytest.fixture(autouse=True)
def _keyring(memory_keyring: None) -> None:
    """Never touch the real keyring from a test."""


def make_orders(db: Db) -> sa.Table:
    table = db.create(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("amount", sa.Numeric(12, 2)),
        sa.Column("customer", sa.String(50)),
        sa.Column("signed", sa.Date),
        sa.Column("created", sa.DateTime),
        sa.Column("ratio", sa.Float),
        sa.Column("code", sa.BigInteger),
        sa.Column("paid", sa.Boolean),
        sa.Column("note", sa.String(20)),
    )
    db.insert(
        table,
        [  # inserted out of order: rows come back in key order
            {"id": 2, "amount": Decimal("980.00"), "customer": "上海鼎盛贸易有限公司",
             "signed": dt.date(2026, 1, 6), "created": dt.datetime(2026, 1, 6, 9, 0),
             "ratio": 0.1 + 0.2, "code": 12345678901234567, "paid": False, "note": None},
            {"id": 1, "amount": Decimal("1200.50"), "customer": "北京华信科技有限公司",
             "signed": dt.date(2026, 1, 5), "created": dt.datetime(2026, 1, 5, 10, 30, 5),
             "ratio": 12.5, "code": 7, "paid": True, "note": "加急"},
            {"id": 3, "amount": None, "customer": None, "signed": None, "created": None,
             "ratio": None, "code": None, "paid": None, "note": None},
        ],
    )  # fmt: skip
    return table


def test_reads_every_type_as_the_text_a_user_sees(db: Db) -> None:
    orders = make_orders(db)
    table = read_database(db.url, table=orders.name)
    assert [c.name for c in table.columns] == [c.name for c in orders.columns]
    assert table.values("id").tolist() == ["1", "2", "3"]
    assert table.rows.tolist() == [1, 2, 3]
    expected_amount = ["1200.5", "980", ""] if db.kind == "sqlite" else ["1200.50", "980.00", ""]
    assert table.values("amount").tolist() == expected_amount
    assert table.values("customer").tolist() == ["北京华信科技有限公司", "上海鼎盛贸易有限公司", ""]
    assert table.values("signed").tolist() == ["2026-01-05", "2026-01-06", ""]
    assert table.values("created").tolist() == ["2026-01-05 10:30:05", "2026-01-06 09:00:00", ""]
    assert table.values("ratio").tolist() == ["12.5", "0.3", ""]
    assert table.values("code").tolist() == ["7", "12345678901234567", ""]
    paid = ["true", "false", ""] if db.kind == "postgresql" else ["1", "0", ""]
    assert table.values("paid").tolist() == paid
    assert table.values("note").tolist() == ["加急", "", ""]
    assert all(str(table.frame[c].dtype) == "str" for c in table.frame.columns)
    assert table.sheet == orders.name
    assert table.file_format == "sql"
    assert table.label == orders.name
    assert table.derived["primary_key"] == ["id"]


def test_primary_key_detection_single_composite_and_none(db: Db) -> None:
    single = make_orders(db)
    composite = db.create(
        "prices",
        sa.Column("region", sa.String(10)),
        sa.Column("product", sa.String(10)),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.PrimaryKeyConstraint("product", "region"),
    )
    keyless = db.create("log", sa.Column("line", sa.String(50)))
    assert primary_key(db.url, single.name) == ["id"]
    assert primary_key(db.url, composite.name) == ["product", "region"]
    assert primary_key(db.url, keyless.name) == []
    assert read_database(db.url, table=composite.name).derived["primary_key"] == [
        "product",
        "region",
    ]


def test_table_not_found_lists_the_tables_that_exist(db: Db) -> None:
    orders = make_orders(db)
    with pytest.raises(InputError) as caught:
        read_database(db.url, table="no_such_table")
    message = str(caught.value)
    assert "table 'no_such_table' not found" in message
    assert "tables there:" in message
    if db.kind == "sqlite":
        assert orders.name in message


def test_table_list_stops_at_twenty(sqlite_file: Db) -> None:
    db = sqlite_file
    with db.engine.begin() as connection:
        for n in range(23):
            connection.execute(sa.text(f"CREATE TABLE t{n:02d} (a INTEGER)"))
    with pytest.raises(InputError) as caught:
        read_database(db.url, table="missing")
    assert "t19" in str(caught.value)
    assert "t20" not in str(caught.value)
    assert "and 3 more" in str(caught.value)


def test_table_name_case_and_schema_prefix(db: Db) -> None:
    orders = make_orders(db)
    assert len(read_database(db.url, table=orders.name.upper())) == 3
    if db.kind == "postgresql":
        table = read_database(db.url, table=f"public.{orders.name}")
        assert len(table) == 3
        assert table.sheet == f"public.{orders.name}"


def test_query_source(db: Db) -> None:
    orders = make_orders(db)
    query = f"SELECT customer, amount FROM {db.quote(orders.name)} WHERE id < 3 ORDER BY id"
    table = read_database(db.url, query=query)
    assert table.sheet == "query"
    assert table.label == "query"
    assert table.derived["primary_key"] == []
    assert table.values("customer").tolist() == ["北京华信科技有限公司", "上海鼎盛贸易有限公司"]
    assert len(read_database(db.url, query=query + ";", limit=1)) == 1
    tricky = (  # a LIKE with %, a time with a colon: the user's text, not parameters
        f"SELECT customer, '10:30' AS t FROM {db.quote(orders.name)} WHERE customer LIKE '%华信%'"
    )
    assert read_database(db.url, query=tricky).frame.to_dict("list") == {
        "customer": ["北京华信科技有限公司"],
        "t": ["10:30"],
    }
    if db.kind == "postgresql":
        cast = read_database(db.url, query="SELECT '2026-01-05'::date AS d")
        assert cast.values("d").tolist() == ["2026-01-05"]


def test_query_errors_and_empty_results(db: Db) -> None:
    orders = make_orders(db)
    empty = read_database(db.url, query=f"SELECT id, note FROM {db.quote(orders.name)} WHERE 1 = 0")
    assert len(empty) == 0
    assert [c.name for c in empty.columns] == ["id", "note"]
    with pytest.raises(InputError, match="the database reported an error") as caught:
        read_database(db.url, query=f"SELECT no_such_column FROM {db.quote(orders.name)}")
    assert "\n" not in str(caught.value)
    with pytest.raises(InputError, match="only a SELECT query"):
        read_database(db.url, query=f"DELETE FROM {db.quote(orders.name)}")
    assert len(read_database(db.url, table=orders.name)) == 3


def test_empty_table_reads_as_zero_rows_with_columns(db: Db) -> None:
    table = db.create(
        "empty", sa.Column("id", sa.Integer, primary_key=True), sa.Column("名称", sa.String(20))
    )
    read = read_database(db.url, table=table.name)
    assert len(read) == 0
    assert [c.name for c in read.columns] == ["id", "名称"]


def test_odd_table_and_column_names(db: Db) -> None:
    table = db.create(
        '客户 "表" select',
        sa.Column("客户 编号", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("order", sa.String(20)),
    )
    db.insert(table, [{"客户 编号": 1, "order": "甲"}])
    read = read_database(db.url, table=table.name)
    assert read.values("order").tolist() == ["甲"]
    assert read.derived["primary_key"] == ["客户 编号"]


def test_big_tables_stream_in_chunks_with_progress_and_cancel(db: Db, monkeypatch) -> None:
    table = db.create("big", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
    db.insert(table, [{"id": n} for n in range(50, 0, -1)])
    monkeypatch.setattr(database, "CHUNK_ROWS", 7)
    seen: list[float] = []
    read = read_database(db.url, table=table.name, progress=lambda stage, f: seen.append(f))
    assert read.values("id").tolist() == [str(n) for n in range(1, 51)]
    assert read.rows.tolist() == list(range(1, 51))
    assert len(seen) == 8
    assert seen[-1] == 1.0
    assert read.frame["id"].array._pa_array.num_chunks == 8
    assert len(read_database(db.url, table=table.name, limit=10)) == 10

    def cancel(stage: str, fraction: float) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        read_database(db.url, table=table.name, progress=cancel)


def test_binary_values_are_shown_as_hex_with_a_warning(sqlite_file: Db) -> None:
    db = sqlite_file
    with db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE files (id INTEGER PRIMARY KEY, data BLOB)"))
        connection.execute(sa.text("INSERT INTO files VALUES (1, x'00ff10')"))
    read = read_database(db.url, table="files")
    assert read.values("data").tolist() == ["00ff10"]
    assert [w.column for w in read.warnings] == ["data"]


def test_path_masks_the_password(postgres: Db) -> None:
    orders = make_orders(postgres)
    url = "postgresql+psycopg://postgres:s3cret@127.0.0.1:5432/test"  # trust: any password
    table = read_database(url, table=orders.name)
    # no password, not even a masked one: fix targets name the table by this location
    assert str(table.path) == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert "s3cret" not in repr(table.path)
    assert secrets.url_with_password(str(table.path)).password == "s3cret"  # for write-back
    assert table.path.name == "test"
    assert table.display_name == f"test#{orders.name}"
    assert pickle.loads(pickle.dumps(table.path)) == table.path
    with pytest.raises(InputError) as caught:
        read_database(url, table="missing")
    assert "s3cret" not in str(caught.value)


def test_location_keeps_the_url_whole() -> None:
    location = DatabaseLocation("sqlite:////data/erp.db", "/data/erp.db")
    assert str(location) == "sqlite:////data/erp.db"
    assert location.name == "erp.db"
    assert location.stem == "erp"
    assert str(pickle.loads(pickle.dumps(location))) == "sqlite:////data/erp.db"


# --- connection problems -------------------------------------------------------------


def test_unknown_database_type_and_missing_driver() -> None:
    with pytest.raises(InputError, match="unknown database type 'foo'"):
        read_database("foo://user@host/db", table="t")
    with pytest.raises(InputError, match=r"driver .* is not installed"):
        read_database("oracle://user@host/db", table="t")
    with pytest.raises(InputError, match="not a database URL"):
        read_database("not a url at all", table="t")


def test_server_down_says_host_and_port() -> None:
    with pytest.raises(InputError) as caught:
        read_database("postgresql://postgres:pw@127.0.0.1:1/test", table="t")
    message = str(caught.value)
    assert "cannot connect to the database server at 127.0.0.1:1" in message
    assert "server may be down" in message
    assert "pw@" not in message


def test_missing_sqlite_file_is_not_created(tmp_path) -> None:
    path = tmp_path / "nothing.db"
    with pytest.raises(InputError, match="SQLite database file does not exist"):
        read_database(f"sqlite:///{path}", table="t")
    assert not path.exists()


def test_unknown_database_on_the_server(postgres: Db) -> None:
    with pytest.raises(InputError, match="the database does not exist"):
        read_database("postgresql://postgres@127.0.0.1:5432/no_such_db_concord", table="t")


def test_login_refused_and_password_from_keyring(mariadb: Db) -> None:
    user = f"concord_{mariadb.name('user')}"[:32]
    with mariadb.engine.begin() as connection:
        connection.execute(sa.text(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'right-pw'"))
        connection.execute(sa.text(f"GRANT SELECT ON test.* TO '{user}'@'%'"))
    try:
        orders = make_orders(mariadb)
        url = f"mysql+pymysql://{user}@127.0.0.1:3306/test"
        with pytest.raises(InputError, match="the database refused the login") as caught:
            read_database(url.replace("@", ":wrong-pw@"), table=orders.name)
        assert "wrong-pw" not in str(caught.value)
        with pytest.raises(InputError, match="refused the login"):
            read_database(url, table=orders.name)  # nothing in the keyring yet
        secrets.store_password(url, user, "right-pw")
        table = read_database(url, table=orders.name)
        assert len(table) == 3
        assert str(table.path) == url
    finally:
        with mariadb.engine.begin() as connection:
            connection.execute(sa.text(f"DROP USER '{user}'@'%'"))


# --- command-line form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("erp=postgresql://sa@db01/erp#sales.orders", ("erp", "postgresql://sa@db01/erp", "sales.orders")),
        ("crm=sqlite:///data/crm.db#customers", ("crm", "sqlite:///data/crm.db", "customers")),
        ("sqlite:///crm.db#customers", ("customers", "sqlite:///crm.db", "customers")),
        ("postgresql://h/db#sales.orders", ("orders", "postgresql://h/db", "sales.orders")),
        (
            "oa=mysql+pymysql://oa@h/oa?charset=utf8mb4#SELECT id FROM a WHERE t = '#1'",
            ("oa", "mysql+pymysql://oa@h/oa?charset=utf8mb4", "SELECT id FROM a WHERE t = '#1'"),
        ),
        ("mysql://h/db#select * from t", ("query", "mysql://h/db", "select * from t")),
    ],
)  # fmt: skip
def test_parse_database_source(text: str, expected: tuple[str, str, str]) -> None:
    assert is_database_source(text)
    assert tuple(parse_database_source(text)) == expected


def test_parse_database_source_refuses_files_and_missing_tables() -> None:
    assert not is_database_source("orders.xlsx")
    assert not is_database_source("erp=C:/exports/orders.xlsx#Sheet1")
    with pytest.raises(InputError, match="names no table"):
        parse_database_source("erp=postgresql://sa:pw@h/db")
    assert parse_database_source("sqlite:///x.db#select_log").is_query is False
    assert parse_database_source("sqlite:///x.db#table").is_query is False
    assert parse_database_source("sqlite:///x.db#select*from t").is_query is True


def test_read_database_source(db: Db) -> None:
    orders = make_orders(db)
    table = read_database_source(f"erp={db.url}#{orders.name}")
    assert table.label == "erp"
    assert len(table) == 3


# --- values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (0.1 + 0.2, "0.3"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "0.00000015"),
        (-0.0, "0"),
        (3.0, "3"),
        (float("nan"), "NaN"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.10"), "0.10"),
        (dt.date(2026, 1, 5), "2026-01-05"),
        (dt.datetime(2026, 1, 5, 10, 30), "2026-01-05 10:30:00"),
        (dt.datetime(2026, 1, 5, 10, 30, 0, 250000), "2026-01-05 10:30:00.25"),
        (dt.datetime(2026, 1, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))), "2026-01-05 10:30:00+08:00"),
        (dt.time(8, 5), "08:05:00"),
        (dt.timedelta(hours=26, minutes=3), "26:03:00"),
        (b"\x01\xab", "01ab"),
        ({"城市": "北京"}, '{"城市": "北京"}'),
        (True, "true"),
    ],
)  # fmt: skip
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


# --- secrets -------------------------------------------------------------------------


def test_secrets_in_memory_keyring() -> None:
    url = "postgresql+psycopg://scott@db01:5432/erp"
    assert secrets.load_password(url) is None
    secrets.store_password(url, "scott", "tiger")
    assert secrets.load_password("postgresql://scott@db01:5432/erp") == "tiger"
    filled = secrets.url_with_password(url)
    assert filled.password == "tiger"
    assert secrets.mask(filled) == "postgresql+psycopg://scott:***@db01:5432/erp"
    assert secrets.url_with_password("postgresql://scott:given@db01:5432/erp").password == "given"
    assert secrets.url_with_password("postgresql://other@db01:5432/erp").password is None
    assert secrets.without_password(filled) == url
    secrets.delete_password(url, "scott")
    assert secrets.load_password(url) is None


def test_secrets_without_a_keyring_give_advice(monkeypatch) -> None:
    monkeypatch.delenv(secrets.ENV_BACKEND)

    def fail(*args: object) -> None:
        raise keyring.errors.NoKeyringError("no backend")

    monkeypatch.setattr(secrets.keyring, "set_password", fail)
    monkeypatch.setattr(secrets.keyring, "get_password", fail)
    with pytest.raises(InputError, match="no password store") as caught:
        secrets.store_password("postgresql://scott@db01/erp", "scott", "tiger")
    assert "CONCORD_KEYRING=memory" in str(caught.value)
    assert "tiger" not in str(caught.value)
    # connecting still works where the server needs no password
    assert secrets.url_with_password("postgresql://scott@db01/erp").password is None


def test_a_saved_source_keeps_its_password_in_the_keyring_only(monkeypatch, tmp_path, capsys):
    """``job create`` with a password in a database URL: the job, the workspace and
    everything printed hold the URL without it; the keyring holds it for later runs and
    write-backs."""
    from app.cli import main

    monkeypatch.setenv("CONCORD_KEYRING", "memory")
    monkeypatch.setattr(secrets, "_given", {})
    source = "crm=postgresql://clerk:Pl4nted-Secret@db01:5432/crm#orders"
    assert database.keep_password_aside(source) == "crm=postgresql://clerk@db01:5432/crm#orders"
    assert database.keep_password_aside("erp=exports/ERP*.xlsx#销售订单") == (
        "erp=exports/ERP*.xlsx#销售订单"
    )
    workspace = tmp_path / "team.concord"
    assert main(["job", "create", "daily", "--source", source, "--workspace", str(workspace)]) == 0
    assert main(["job", "show", "daily", "--workspace", str(workspace)]) == 0
    assert main(["job", "list", "--workspace", str(workspace)]) == 0
    printed = capsys.readouterr()
    assert "Pl4nted-Secret" not in printed.out + printed.err
    assert "clerk@db01:5432/crm#orders" in printed.out
    assert b"Pl4nted-Secret" not in workspace.read_bytes()
    monkeypatch.setattr(secrets, "_given", {})  # a later process: only the keyring knows it
    again = secrets.url_with_password("postgresql://clerk@db01:5432/crm")
    assert again.password == "Pl4nted-Secret"


def test_a_saved_source_is_refused_without_a_keyring(monkeypatch):
    monkeypatch.delenv("CONCORD_KEYRING", raising=False)
    monkeypatch.setattr(secrets, "_no_backend", lambda: True)
    monkeypatch.setattr(
        secrets.keyring,
        "set_password",
        lambda *a: (_ for _ in ()).throw(keyring.errors.NoKeyringError()),
    )
    with pytest.raises(InputError, match="no password store is available"):
        database.keep_password_aside("crm=postgresql://clerk:pw@db01/crm#orders")
