"""The README's worked example, headless: a daily job, a rule, four-eyes approval, a
write-back into the exports, a report, the audit check, and a rollback."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.sources import load
from app.writeback.cell_values import same_value
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
        assert same_value(value, fix["new"])  # a number cell shows 1095 for "1095.00"
    assert list(exports.glob("*.bak*"))  # a backup beside each changed file
    assert concord("report", "1", "--out", str(tmp_path / "report.xlsx")) == 0
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert workbook.sheetnames == [
        "Summary",
        "Conflicts",
        "Booked without approval",
        "Approved not booked",
        "Won not submitted",
        "Orphans",
        "Decisions",
        "Fixes",
    ]
    late = list(workbook["Approved not booked"].iter_rows(min_row=2, values_only=True))
    assert late and all(row[1] == "erp" and row[2] > 2 for row in late)  # the ERP is behind
    assert [row[2] for row in late] == sorted((row[2] for row in late), reverse=True)
    assert "已通过" in late[0][4] and "未审核" in late[0][4]
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


def _job_with_approved_fixes(exports, count=2):
    import json

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
    concord("rule", "add", "--field", "amount", "--trust", "erp", "--user", "clerk")
    concord("run", "daily", "--quiet", "--user", "clerk")
    concord("user", "add", "boss", "--role", "approver")
    return json


def test_crash_during_write_back_is_recovered_and_rolled_back(exports, capsys):
    from app.store import leases, writebacks
    from app.store.fixes import approve, approved_change_set, fixes
    from app.store.workspace import Workspace
    from app.writeback.apply import apply_change_set

    _job_with_approved_fixes(exports)
    workspace = Workspace(str(exports.parent / "team.concord"), user="boss")
    csv_fix = next(f for f in fixes(workspace) if f.target["location"].endswith(".csv"))
    approve(workspace, [csv_fix.id], "boss")
    before = (exports / "CRM订单.csv").read_bytes()
    change_set = approved_change_set(workspace)
    held = leases.acquire(workspace, leases.WRITE, "writing back")
    writeback = writebacks.begin(workspace, change_set)
    apply_change_set(
        change_set, journal=lambda step: writebacks.journal(workspace, writeback, held, step)
    )
    leases.release(held)  # the process "dies" here: the write-back is never finished
    capsys.readouterr()
    assert concord("fixes", "list") == 0
    assert (
        f"write-back {writeback} was interrupted: 1 fixes were written (CRM订单.csv); "
        f"undo it with: concord rollback {writeback}" in capsys.readouterr().err
    )
    assert concord("rollback", str(writeback)) == 0
    assert (exports / "CRM订单.csv").read_bytes() == before


def test_rollback_refuses_a_changed_file_unless_forced(exports, capsys):
    import json

    _job_with_approved_fixes(exports)
    capsys.readouterr()
    concord("fixes", "list", "--json")
    fix = next(f for f in json.loads(capsys.readouterr().out) if f["target"].endswith(".csv"))
    assert concord("fixes", "approve", str(fix["id"]), "--user", "boss") == 0
    assert concord("apply") == 0
    with open(exports / "CRM订单.csv", "ab") as stream:
        stream.write(b"\r\n")  # someone touched the file after the write-back
    assert concord("rollback", "1") == 1
    assert "changed since" in capsys.readouterr().err
    assert concord("rollback", "1", "--force") == 0
    assert "--force" in capsys.readouterr().err


def test_change_set_export_import_and_templates(exports, tmp_path, capsys):
    from openpyxl import load_workbook

    _job_with_approved_fixes(exports)
    assert (
        concord("fixes", "export", "--state", "proposed", "--out", str(tmp_path / "fixes.xlsx"))
        == 0
    )
    assert (
        concord(
            "fixes",
            "export",
            "--state",
            "proposed",
            "--template",
            "--out",
            str(tmp_path / "tpl.xlsx"),
        )
        == 0
    )
    templates = load_workbook(tmp_path / "tpl.xlsx")
    assert "CRM订单" in templates.sheetnames
    assert [c.value for c in templates["CRM订单"][1]] == ["订单编号", "订单金额"]
    capsys.readouterr()
    assert concord("fixes", "import", str(tmp_path / "fixes.xlsx")) == 0
    assert "fixes proposed from fixes.xlsx" in capsys.readouterr().out
