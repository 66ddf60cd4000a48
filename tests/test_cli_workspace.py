"""The README's worked example, headless: a daily job, a rule, four-eyes approval, a
write-back into the exports, a report, the audit check, and a rollback."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.sources import load
from tests.conftest import SAMPLES


@pytest.fixture
def exports(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("ERP销售数据.xlsx", "CRM订单.csv", "OA审批.xlsx"):
        shutil.copy2(SAMPLES / name, folder / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCORD_WORKSPACE", str(tmp_path / "team.concord"))
    return folder


def concord(*args: str) -> int:
    return main(list(args))


def test_daily_job_to_write_back_and_rollback(exports, tmp_path, capsys):
    assert (
        concord(
            "job",
            "create",
            "daily",
            "--source",
            "erp=exports/ERP*.xlsx#销售订单",
            "--source",
            "crm=exports/CRM订单*.csv",
            "--source",
            "oa=exports/OA审批*.xlsx",
        )
        == 0
    )
    assert concord("rule", "add", "--field", "amount", "--trust", "erp", "--user", "clerk") == 0
    assert concord("run", "daily", "--quiet", "--user", "clerk") == 0
    assert "fixes proposed" in capsys.readouterr().out
    assert concord("fixes", "list", "--json") == 0
    import json

    proposed = json.loads(capsys.readouterr().out)
    assert proposed and all(f["column"] in ("订单金额", "金额") for f in proposed)
    first = proposed[:2]
    ids = [str(f["id"]) for f in first]
    # four-eyes: the clerk who proposed them cannot approve them; nor can a plain clerk
    assert concord("fixes", "approve", *ids, "--user", "clerk") == 1
    assert concord("user", "add", "boss", "--role", "approver") == 0
    assert concord("fixes", "approve", *ids, "--user", "boss") == 0
    csv_before = (exports / "CRM订单.csv").read_bytes()
    assert concord("apply", "--dry-run") == 0
    assert (exports / "CRM订单.csv").read_bytes() == csv_before
    assert concord("apply") == 0
    out = capsys.readouterr().out
    assert "write-back 1 done" in out
    for fix in first:
        table = load(f"t={fix['target']}" + (f"#{fix['sheet']}" if fix["sheet"] else ""))
        key = "订单编号" if table.sheet is None else "审批编号"
        value = table.frame.loc[table.frame[key] == fix["record"], fix["column"]].item()
        assert value == fix["new"]
    assert list(exports.glob("*.bak*"))  # a backup beside each changed file
    assert concord("report", "1", "--out", str(tmp_path / "report.xlsx")) == 0
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert workbook.sheetnames == ["Summary", "Conflicts", "Orphans", "Decisions", "Fixes"]
    assert workbook["Conflicts"].freeze_panes == "A2" and workbook["Conflicts"].auto_filter.ref
    assert concord("audit", "verify") == 0
    assert concord("rollback", "1") == 0
    if fixes_in_csv := [f for f in first if not f["sheet"]]:
        assert fixes_in_csv and (exports / "CRM订单.csv").read_bytes() == csv_before
    assert concord("audit", "export", "--out", str(tmp_path / "audit.csv")) == 0
    assert "rollback" in (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")


def test_unknown_job_is_one_clear_line(exports, capsys):
    assert concord("run", "nightly", "--quiet") == 1
    err = capsys.readouterr().err
    assert "no job named 'nightly'" in err and err.count("\n") == 1
