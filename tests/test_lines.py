"""Line tables: exports with one row per document line read as one record per document."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
import sqlalchemy as sa

from app.cli import main
from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.errors import InputError
from app.reconcile.lines import as_documents
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import settings_from
from app.sources import load
from app.writeback import Change, ChangeSet, Target, apply_change_set

CUSTOMERS = [
    "北京华星科技有限公司",
    "上海明达贸易有限公司",
    "广州恒通实业有限公司",
    "杭州瑞丰电子有限公司",
]


def write_csv(path, header, rows):
    with open(path, "w", encoding="gb18030", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def kingdee_lines(path, customers=CUSTOMERS, disagree=False):
    """Kingdee-like 序时簿: the head (date, number, customer, status) on every line."""
    rows = []
    for k, customer in enumerate(customers):
        for line in range(k % 3 + 1):
            holder = "深圳宏达机械有限公司" if disagree and k == 1 and line == 1 else customer
            quantity = 2 + line
            rows.append(
                [
                    f"2026-11-{k + 1:02d}",
                    f"XSDD{1000 + k}",
                    holder,
                    f"AB-{100 + line}",
                    quantity,
                    "12.50",
                    f"{quantity * 12.5:,.2f}",
                    "已审核",
                ]
            )
    header = [
        "日期",
        "单据编号",
        "购货单位",
        "产品代码",
        "数量",
        "含税单价",
        "价税合计",
        "审核标志",
    ]
    return write_csv(path, header, rows)


def u8_lines(path, prefix="SO2", open_=()):
    """U8-like order list: the head stands on each document's first line only; the
    documents numbered in ``open_`` are not yet audited (开立)."""
    rows = []
    for k, customer in enumerate(CUSTOMERS):
        number = f"{prefix}{k:03d}"
        for line in range(k % 3 + 1):
            status = "开立" if number in open_ else "审核"
            head = [number, f"2026-11-{k + 1:02d}", customer, status]
            rows.append([*(head if line == 0 else ["", "", "", ""]), f"CD{line}", 3, "30.00"])
    header = ["单据号", "订单日期", "客户名称", "状态", "存货编码", "数量", "价税合计"]
    return write_csv(path, header, rows)


def test_repeated_heads_make_one_record_per_document(tmp_path):
    table = as_documents(load(str(kingdee_lines(tmp_path / "erp.csv"))))
    assert table.lines is not None and table.lines.column == "单据编号"
    assert table.frame["单据编号"].tolist() == ["XSDD1000", "XSDD1001", "XSDD1002", "XSDD1003"]
    # amounts and quantities are the sums of the lines; a unit price is per line
    assert table.frame["价税合计"].tolist() == ["25.00", "62.50", "112.50", "25.00"]
    assert table.frame["数量"].tolist() == ["2", "5", "9", "2"]
    assert "含税单价" not in table.frame and "产品代码" in table.lines.line_columns
    assert table.rows.tolist() == [2, 3, 5, 8]  # each document's first line
    assert len(table.lines.frame) == 7 and table.lines.of(2).tolist() == [3, 4, 5]
    assert table.warnings == []


def test_blank_heads_are_filled_down_from_the_first_line(tmp_path):
    table = as_documents(load(str(u8_lines(tmp_path / "u8.csv"))))
    assert table.lines is not None and table.lines.column == "单据号"
    assert table.frame["客户名称"].tolist() == CUSTOMERS
    assert table.frame["价税合计"].tolist() == ["30.00", "60.00", "90.00", "30.00"]
    assert set(table.lines.filled) == {"订单日期", "客户名称", "状态"}
    assert table.lines.frame["客户名称"].tolist()[1:3] == [CUSTOMERS[1]] * 2


def test_a_document_whose_lines_name_two_customers_is_reported_by_row(tmp_path):
    table = as_documents(load(str(kingdee_lines(tmp_path / "erp.csv", disagree=True))))
    (warning,) = table.warnings
    assert warning.column == "购货单位" and warning.rows == (3, 4)
    assert "XSDD1001" in warning.message and "深圳宏达机械有限公司 (row 4)" in warning.message
    assert table.frame["购货单位"].iloc[1] == CUSTOMERS[1]


def test_tables_of_records_are_left_as_they_are(tmp_path):
    unique = write_csv(
        tmp_path / "crm.csv",
        ["订单编号", "客户名称", "订单金额"],
        [[f"SO{k}", c, "10.00"] for k, c in enumerate(CUSTOMERS)],
    )
    # a sparse order number beside complete records: no head is blank below it
    sparse = write_csv(
        tmp_path / "sparse.csv",
        ["订单编号", "客户名称", "订单金额"],
        [["SO1" if k % 2 == 0 else "", c, f"{k}.00"] for k, c in enumerate(CUSTOMERS * 2)],
    )
    # the same row twice is a duplicate, not two lines: nothing differs within it
    doubled = write_csv(
        tmp_path / "doubled.csv",
        ["订单编号", "客户名称", "订单金额"],
        [[f"SO{k // 2}", CUSTOMERS[k // 2], "10.00"] for k in range(8)],
    )
    # one number on two rows among records of their own: a slip, not a table of lines
    slip = write_csv(
        tmp_path / "slip.csv",
        ["订单编号", "客户名称", "订单金额"],
        [[f"SO{min(k, 3)}", c, f"{k}.00"] for k, c in enumerate(CUSTOMERS * 2)],
    )
    for path in (unique, sparse, doubled, slip):
        assert as_documents(load(str(path))).lines is None


def test_settings_force_or_turn_off_the_reading(tmp_path):
    path = str(kingdee_lines(tmp_path / "erp.csv"))
    assert as_documents(load(path), "").lines is None
    assert as_documents(load(path), "单据编号").lines is not None
    with pytest.raises(InputError, match="no column '单号'"):
        as_documents(load(path), "单号")
    with pytest.raises(InputError, match="does not hold document numbers"):
        as_documents(load(path), "含税单价")
    settings = settings_from({"documents": {"erp": "单据编号", "crm": False}})
    assert settings.documents == {"erp": "单据编号", "crm": ""}
    with pytest.raises(InputError, match=r"documents\.erp must be a column name or false"):
        settings_from({"documents": {"erp": 3}})


def test_line_level_erp_reconciles_by_document_totals(tmp_path):
    erp = kingdee_lines(tmp_path / "erp.csv")
    totals = ["25.00", "62.50", "112.50", "99.00"]  # the last differs from the ERP's 25.00
    crm = write_csv(
        tmp_path / "crm.csv",
        ["订单编号", "客户名称", "下单日期", "订单金额"],
        [
            [f"XSDD{1000 + k}", c, f"2026-11-{k + 1:02d}", totals[k]]
            for k, c in enumerate(CUSTOMERS)
        ],
    )
    out = tmp_path / "out"
    assert main(["reconcile", "--quiet", "--out", str(out), f"erp={erp}", f"crm={crm}"]) == 0
    with open(out / "links.csv", encoding="utf-8") as stream:
        links = list(csv.DictReader(stream))
    assert sorted(r["record_id"] for r in links if r["table"] == "erp") == [
        f"XSDD{1000 + k}" for k in range(4)
    ]
    assert len({r["entity_id"] for r in links}) == 4
    with open(out / "conflicts.csv", encoding="utf-8") as stream:
        conflicts = list(csv.DictReader(stream))
    assert {(r["table"], r["record_id"], r["value"]) for r in conflicts} == {
        ("erp", "XSDD1003", "25.00"),
        ("crm", "XSDD1003", "99.00"),
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["tables"]["erp"]["lines"] == 7
    assert summary["tables"]["erp"]["document_column"] == "单据编号"


def test_inspect_names_the_document_column(tmp_path, capsys):
    path = u8_lines(tmp_path / "u8.csv")
    assert main(["inspect", str(path)]) == 0
    said = capsys.readouterr().out
    assert "4 documents of 7 lines" in said and "lines of documents by 单据号" in said
    assert main(["inspect", "--json", str(path)]) == 0
    (described,) = json.loads(capsys.readouterr().out)
    assert described["documents"]["column"] == "单据号"
    assert described["documents"]["lines"] == 7
    assert described["documents"]["summed"] == ["数量", "价税合计"]


def test_link_tables_reads_documents_of_every_caller(tmp_path):
    erp = load(str(u8_lines(tmp_path / "u8.csv")))
    erp.label = "erp"
    crm = load(str(kingdee_lines(tmp_path / "crm.csv")))
    crm.label = "crm"
    result = link_tables([erp, crm], RECONCILE, settings_from({}))
    assert [len(t) for t in result.tables] == [4, 4]
    assert all(t.lines is not None for t in result.tables)


def _status_world(tmp_path, erp_path, writer):
    """An ERP line table (``writer``) whose document XSDD1001 is still 未审核 while the
    OA approved it, and whose XSDD1003 total differs from the OA's."""
    erp = writer(erp_path)
    oa = write_csv(
        tmp_path / "oa.csv",
        ["审批编号", "关联订单号", "客户", "申请日期", "金额", "审批状态"],
        [
            [f"SP{k}", f"XSDD{1000 + k}", c, f"2026-11-{k + 1:02d}", t, "已审核"]
            for k, (c, t) in enumerate(
                zip(CUSTOMERS, ["25.00", "62.50", "112.50", "99.00"], strict=True)
            )
        ],
    )
    tables = []
    for label, path in (("erp", erp), ("oa", oa)):
        table = load(str(path))
        table.label = label
        tables.append(table)
    return ReviewSession(link_tables(tables, RECONCILE, settings_from({})), user="clerk")


def _kingdee_unaudited(path):
    kingdee_lines(path)
    with open(path, encoding="gb18030") as stream:
        rows = list(csv.reader(stream))
    for row in rows:
        if row[1] == "XSDD1001":
            row[7] = "未审核"
    return write_csv(path, rows[0], rows[1:])


def _group_of(session, key):
    return next(
        g
        for g, group in enumerate(session.result.groups)
        if any(session.keys[label][row] == key for label, row in group.members)
    )


def _as_workbook(path):
    """The same export as an .xlsx sheet (the file the ERP would have written)."""
    with open(path, encoding="gb18030") as stream:
        rows = list(csv.reader(stream))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.title = "序时簿"
    workbook = path.with_suffix(".xlsx")
    book.save(workbook)
    return workbook


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_head_field_is_written_to_every_line_of_its_document(tmp_path, fmt):
    def erp(path):
        written = _kingdee_unaudited(path)
        return _as_workbook(written) if fmt == "xlsx" else written

    session = _status_world(tmp_path, tmp_path / "erp.csv", erp)
    session.apply(Decision("take", _group_of(session, "XSDD1001"), field="status", source="oa"))
    (change,) = session.fixes().changes
    assert change.target.lines and (change.key, change.old, change.new) == (
        "XSDD1001",
        "未审核",
        "已审核",
    )
    preview = apply_change_set(session.fixes(), dry_run=True)
    assert [(e.row, e.column) for e in preview.results[0].planned] == [(3, "H"), (4, "H")]
    done = apply_change_set(session.fixes())
    assert reread(tmp_path, fmt) == ["已审核"] * 7
    apply_change_set(done.inverse)  # the rollback puts back every line
    assert reread(tmp_path, fmt) == ["已审核", "未审核", "未审核", *["已审核"] * 4]


def reread(folder, fmt):
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(folder / "erp.xlsx").active
        return [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]
    with open(folder / "erp.csv", encoding="gb18030") as stream:
        return [r[7] for r in list(csv.reader(stream))[1:]]


def test_a_head_field_of_blank_continuation_lines_goes_to_the_first_line(tmp_path):
    def unaudited(path):
        return u8_lines(path, prefix="XSDD1", open_=("XSDD1001",))

    session = _status_world(tmp_path, tmp_path / "u8.csv", unaudited)
    session.apply(Decision("take", _group_of(session, "XSDD1001"), field="status", source="oa"))
    preview = apply_change_set(session.fixes(), dry_run=True)
    assert [(e.row, e.column, e.old) for e in preview.results[0].planned] == [(3, "D", "开立")]


def test_a_document_total_is_never_written_into_a_line(tmp_path):
    session = _status_world(tmp_path, tmp_path / "erp.csv", kingdee_lines)
    decision = Decision("take", _group_of(session, "XSDD1003"), field="amount", source="oa")
    session.apply(decision)
    assert session.fixes().changes == []
    (refused,) = session.unwritable(decision)
    assert refused.column == "价税合计" and "sum of its 1 line" in refused.reason


def test_a_database_document_updates_all_its_lines_or_none(tmp_path):
    url = f"sqlite:///{tmp_path / 'erp.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE so (doc TEXT, line INT, status TEXT)"))
        connection.execute(
            sa.text(
                "INSERT INTO so VALUES ('SO-1',1,'draft'),('SO-1',2,'draft'),"
                "('SO-2',1,'draft'),('SO-2',2,'approved')"
            )
        )
    target = Target("sql", url, "so", "doc", lines=True)

    def statuses():
        with engine.connect() as connection:
            return (
                connection.execute(sa.text("SELECT status FROM so ORDER BY doc, line"))
                .scalars()
                .all()
            )

    apply_change_set(ChangeSet([Change(target, "SO-1", "status", old="draft", new="approved")]))
    assert statuses() == ["approved", "approved", "draft", "approved"]
    one_line = Change(target, "SO-1", "status", old="approved", new="closed", line=("line", "2"))
    apply_change_set(ChangeSet([one_line]))
    assert statuses() == ["approved", "closed", "draft", "approved"]
    apply_change_set(ChangeSet([Change(target, "SO-1", "status", old="closed", new="approved",
                                       line=("line", "2"))]))  # fmt: skip
    with pytest.raises(InputError, match="1 of the 2 lines of document 'SO-2'"):
        apply_change_set(ChangeSet([Change(target, "SO-2", "status", old="draft", new="closed")]))
    assert statuses() == ["approved", "approved", "draft", "approved"]


def test_lines_of_matched_documents_are_compared_by_product(tmp_path):
    erp = kingdee_lines(tmp_path / "erp.csv")  # XSDD1002 has AB-100, AB-101, AB-102
    wms_rows = []
    for k, customer in enumerate(CUSTOMERS):
        for line in range(k % 3 + 1):
            if k == 2 and line == 2:
                continue  # the outbound lacks XSDD1002's third line
            quantity = 2 + line + (1 if k == 1 and line == 1 else 0)  # XSDD1001: 3 → 4
            code = [f"ab {100 + line}", f"AB{100 + line}", f"ab-{100 + line}"][line]
            wms_rows.append([f"CK{k}", f"XSDD{1000 + k}", customer, code, quantity])
    wms = write_csv(
        tmp_path / "wms.csv", ["出库单号", "订单号", "客户名称", "物料编码", "数量"], wms_rows
    )
    out = tmp_path / "out"
    assert main(["reconcile", "--quiet", "--out", str(out), f"erp={erp}", f"wms={wms}"]) == 0
    with open(out / "conflicts.csv", encoding="utf-8") as stream:
        lines = [r for r in csv.DictReader(stream) if r["kind"] == "line"]
    assert {(r["field"], r["table"], r["record_id"], r["value"]) for r in lines} == {
        ("line AB101", "erp", "XSDD1001", "AB-101 × 3"),
        ("line AB101", "wms", "CK1", "AB101 × 4"),
        ("line AB102", "erp", "XSDD1002", "AB-102 × 4"),
        ("line AB102", "wms", "CK2", ""),
    }


def test_review_shows_a_documents_lines_side_by_side_by_product(tmp_path):
    erp = load(str(kingdee_lines(tmp_path / "erp.csv")))
    erp.label = "erp"
    wms_rows = [
        [f"CK{k}", f"XSDD{1000 + k}", c, f"ab {100 + line}", 2 + line + (k == 2 and line == 1)]
        for k, c in enumerate(CUSTOMERS)
        for line in range(k % 3 + 1)
    ]
    wms = load(
        str(
            write_csv(
                tmp_path / "wms.csv",
                ["出库单号", "订单号", "客户名称", "物料编码", "数量"],
                wms_rows,
            )
        )
    )
    wms.label = "wms"
    session = ReviewSession(link_tables([erp, wms], RECONCILE, settings_from({})), user="clerk")
    group = _group_of(session, "XSDD1002")
    lines = [r for r in session.side_by_side(group) if r.field.startswith("line ")]
    assert [(r.field, r.values, r.differs) for r in lines] == [
        ("line AB100", {"erp": "AB-100 × 2", "wms": "ab 100 × 2"}, False),
        ("line AB101", {"erp": "AB-101 × 3", "wms": "ab 101 × 4"}, True),
        ("line AB102", {"erp": "AB-102 × 4", "wms": "ab 102 × 4"}, False),
    ]
    assert "line" in session.queue().at[group, "issues"]
    decision = Decision("take", group, field="line AB101", source="wms")
    session.apply(decision)
    (change,) = session.fixes_of(decision)  # that line's quantity, on that line only
    assert (change.key, change.column, change.old, change.new) == ("XSDD1002", "数量", "3", "4")
    assert change.line == ("产品代码", "AB-101") and change.row == 6
    apply_change_set(session.fixes())
    with open(tmp_path / "erp.csv", encoding="gb18030") as stream:
        assert [r[4] for r in list(csv.reader(stream))[1:]] == ["2", "2", "3", "2", "4", "4", "2"]


def test_a_line_of_blank_heads_is_found_below_its_document_number(tmp_path):
    erp = load(str(u8_lines(tmp_path / "u8.csv", prefix="XSDD1")))  # CD0, CD1, CD2 × 3
    erp.label = "erp"
    wms_rows = [
        [f"CK{k}", f"XSDD1{k:03d}", c, f"cd {line}", 3 + (k == 2 and line == 2)]
        for k, c in enumerate(CUSTOMERS)
        for line in range(k % 3 + 1)
    ]
    wms = load(
        str(
            write_csv(
                tmp_path / "wms.csv",
                ["出库单号", "订单号", "客户名称", "物料编码", "数量"],
                wms_rows,
            )
        )
    )
    wms.label = "wms"
    session = ReviewSession(link_tables([erp, wms], RECONCILE, settings_from({})), user="clerk")
    decision = Decision("take", _group_of(session, "XSDD1002"), field="line CD2", source="wms")
    session.apply(decision)
    preview = apply_change_set(session.fixes(), dry_run=True)
    assert [(e.row, e.column, e.old, e.new) for e in preview.results[0].planned] == [
        (7, "F", "3", "4")  # the third line of XSDD1002, whose number cell is blank
    ]
    missing = Decision("take", _group_of(session, "XSDD1002"), field="line CD9", source="wms")
    assert session.fixes_of(missing) == []
