"""No live formula in any file Concord writes: values planted in fixes and a user name
that spreadsheets would run come out as text in the report, the fixes export and its
import templates, the audit export and the command's own CSV output (read back from
the written xlsx XML and CSV bytes)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from app.cli import main, merge_cmd
from app.decide.changes import Change, Target
from app.decide.decisions import Decision
from app.decide.merging import CrosswalkRow
from app.formulas import is_plain_number, looks_like_formula, neutralise
from app.reconcile.output import _cells, _csv
from app.reports.xlsx import write_rows, write_sheet_workbook
from app.store.fixes import fixes
from app.store.workspace import Workspace
from app.usecases import fixes as fix_cases
from app.usecases.review import decide
from app.usecases.runs import run_job
from tests.world import SOURCES, approve_all, concord, make_world

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
]
MALLORY = '=HYPERLINK("http://evil","click")'


def live_cells(path: Path) -> list[str]:
    """Every value in a written file that a spreadsheet would run."""
    if path.suffix == ".xlsx":
        found = []
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = package.read(name).decode("utf-8")
                    found += re.findall(r"<f>(.*?)</f>", xml)
        return found
    text = path.read_bytes().decode("utf-8-sig")
    return [
        value
        for row in csv.reader(io.StringIO(text, newline=""))
        for value in row
        if looks_like_formula(value) and not is_plain_number(value)
    ]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A workspace whose fixes hold every payload, proposed by a user named like one."""
    folder = tmp_path_factory.mktemp("planted")
    location = str(folder / "team.concord")
    make_world(folder, location)
    approve_all(location)
    template = fixes(Workspace(location, user="boss"))[0]
    target = Target(**template.target)
    fix_cases.add_user(Workspace(location), MALLORY)  # as the admin: the world's maker
    mallory = Workspace(location, user=MALLORY)
    fix_cases.propose(
        mallory,
        [
            replace(
                Change(target, template.record_key, template.column, template.old, payload),
                reason=payload,
            )
            for payload in PAYLOADS
        ],
    )
    mallory.close()
    return location


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_keep_every_payload_text(planted, tmp_path, suffix):
    outputs = {
        "fixes": ("fixes", "export", "--state", "proposed", "--out"),
        "audit": ("audit", "export", "--out"),
    }
    for name, command in outputs.items():
        out = tmp_path / f"{name}{suffix}"
        assert concord(planted, *command, str(out)) == 0
        assert live_cells(out) == [], name
        content = out.read_bytes()
        assert b"HYPERLINK" in content or suffix == ".xlsx", name  # the values are there


def test_templates_and_the_report_keep_every_payload_text(planted, tmp_path):
    template = tmp_path / "templates.xlsx"
    assert (
        concord(
            planted, "fixes", "export", "--state", "proposed", "--template", "--out", str(template)
        )
        == 0
    )
    report = tmp_path / "report.xlsx"
    assert concord(planted, "report", "1", "--out", str(report)) == 0
    for path in (template, report):
        assert live_cells(path) == [], path.name
    with zipfile.ZipFile(template) as package:
        sheets = "".join(
            package.read(n).decode("utf-8") for n in package.namelist() if "worksheets/" in n
        )
    assert "=1+1</t>" in sheets  # one cell, its last proposed value: there, as text


def test_every_writer_shares_one_rule(tmp_path):
    rows = [[payload, f"{k}"] for k, payload in enumerate(PAYLOADS)] + [["-12.5", "+3"]]
    for suffix in (".csv", ".xlsx"):
        out = write_rows(tmp_path / f"any{suffix}", "Sheet", [MALLORY, "n"], rows)
        assert live_cells(out) == []
    text = _csv(["value"], [(cell,) for cell in _cells([*PAYLOADS, "-12.5"])])
    values = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert values == ["'" + payload for payload in PAYLOADS] + ["-12.5"]  # numbers stay numbers


# Issue 25: whatever people type or the systems hold — user names, job names, typed
# values, source cells, file names — every export is written, holds it as inert text and
# gives it back. Not only formulas: control characters openpyxl refuses, text past a
# cell's limit, and file names that are no sheet title.

HOSTILE = {
    "hyperlink": '=HYPERLINK("http://x","y")',
    "sum": "=SUM(1)",
    "dash-at": "-@cmd",
    "phone": "+86 138 0013 8000",
    "grouped-amount": "-1,234.00",
    "at": "@SUM(A1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "soh": "\x01=1+1",
    "escape": "\x1b[31mred",
    "ooxml-lookalike": "_x0041_ and _x001B_",
    "long": "=" + "x" * 40_000,
    "number": "-12.5",
}
LONG_NOTE = "[cut: 40,001 characters in all]"
JOB = '\x1b[31m=HYPERLINK("x")/job:[1]'  # a job name, run once (run 2)
HOSTILE_FILES = ["CRM[2026]", "a:b", "x*y?", "'quoted'", "History", "l" * 40, "L" * 40 + "2"]


def decoded(text: str) -> str:
    """A worksheet's text as Excel reads it: OOXML escapes (_xHHHH_) decoded."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def xlsx_cells(path: Path) -> list:
    """Every cell of a written workbook, after checking that none holds a formula and
    that text a spreadsheet would run keeps Excel's quote prefix."""
    assert live_cells(path) == []
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str) and looks_like_formula(decoded(cell.value)):
            assert cell.quotePrefix or is_plain_number(cell.value), cell.value[:40]
    return cells


def csv_values(path: Path) -> list[str]:
    assert live_cells(path) == []
    text = path.read_bytes().decode("utf-8-sig")
    return [value for row in csv.reader(io.StringIO(text, newline="")) for value in row]


def kept(path: Path, payload: str) -> bool:
    """Whether ``payload`` is in the file as one cell, as a spreadsheet shows it: in CSV
    neutralised (plain numbers as they are), in a workbook exactly (past 32,767
    characters, its beginning and a note that it was cut)."""
    if path.suffix == ".csv":
        return neutralise(payload) in csv_values(path)
    texts = [decoded(c.value) for c in xlsx_cells(path) if isinstance(c.value, str)]
    if len(payload) > 32_767:
        return any(t.startswith(payload[:30_000]) and t.endswith(LONG_NOTE) for t in texts)
    return payload in texts


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    """A workspace (and its last run) with a job named like a payload, every payload as
    a user name (each proposing a fix),
    a fix's new value and reason, and a value typed for a field; and fixes aimed at files
    whose names are no sheet title (two of them in two folders under one name)."""
    folder = tmp_path_factory.mktemp("hostile")
    location = str(folder / "team.concord")
    make_world(folder, location)
    assert concord(location, "run", "daily", "--quiet") == 0
    sources = [
        item for source in SOURCES for item in ("--source", source.replace("=", f"={folder}/", 1))
    ]
    assert concord(location, "job", "create", JOB, *sources, user=None) == 0
    assert concord(location, "run", JOB, "--quiet") == 0
    template = fixes(Workspace(location, user="boss"))[0]
    target = Target(**template.target)
    for name, payload in HOSTILE.items():
        fix_cases.add_user(Workspace(location), payload, "approver")  # kept stripped
        person = Workspace(location, user=payload.strip())
        fix_cases.propose(
            person,
            [
                replace(
                    Change(target, f"{name}-{template.record_key}", template.column, "", payload),
                    reason=payload,
                )
            ],
        )
        person.close()
    elsewhere = [folder / f"{stem}.csv" for stem in HOSTILE_FILES]
    elsewhere += [folder / "a" / "orders.csv", folder / "b" / "orders.csv"]
    fix_cases.propose(
        Workspace(location, user="clerk"),
        [
            Change(replace(target, location=str(path)), f"R{k}", template.column, "", f"plain {k}")
            for k, path in enumerate(elsewhere)
        ],
    )
    clerk = Workspace(location, user="clerk")
    run = run_job(clerk, "daily")
    groups = [c.group for c in run.session.result.conflicts if c.field == "amount"]
    for group, payload in zip(groups, HOSTILE.values(), strict=False):
        decide(clerk, run, [Decision("edit", group, field="amount", value=payload)])
    clerk.close()
    return location, run.run_id


EXPORTS = {
    "fixes": ("fixes", "export", "--state", "proposed", "--out"),
    "audit": ("audit", "export", "--out"),
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_an_export_keeps_hostile_text_as_inert_text(hostile, tmp_path, export, suffix):
    location, _ = hostile
    out = tmp_path / f"{export}{suffix}"
    assert concord(location, *EXPORTS[export], str(out)) == 0
    missing = [name for name, payload in HOSTILE.items() if not kept(out, payload.strip())]
    if export == "fixes":  # a new value and a reason, beside the proposer's name
        missing += [name for name, payload in HOSTILE.items() if not kept(out, payload)]
    assert missing == []  # each user name: the audit's actor, the fixes' proposer


def test_the_report_keeps_hostile_text_as_inert_text(hostile, tmp_path):
    location, run_id = hostile
    out = tmp_path / "report.xlsx"
    assert concord(location, "report", str(run_id), "--out", str(out)) == 0
    missing = [name for name, payload in HOSTILE.items() if not kept(out, payload)]
    assert missing == []  # new values, reasons, proposers, typed choices
    choices = [row[4] for row in openpyxl.load_workbook(out)["Decisions"].values][1:]
    typed = {decoded(c) for c in choices if isinstance(c, str)}
    assert {p for p in HOSTILE.values() if len(p) < 32_767} <= typed
    named = tmp_path / "named.xlsx"  # the run of the job named like a payload
    assert concord(location, "report", "2", "--out", str(named)) == 0
    xlsx_cells(named)


def test_templates_name_each_sheet_as_excel_accepts(hostile, tmp_path):
    location, _ = hostile
    out = tmp_path / "templates.xlsx"
    command = ("fixes", "export", "--state", "proposed", "--template", "--out", str(out))
    assert concord(location, *command) == 0
    xlsx_cells(out)
    titles = openpyxl.load_workbook(out).sheetnames
    assert len(titles) == 3 + len(HOSTILE_FILES) + 2  # one per target, none merged
    assert len({t.casefold() for t in titles}) == len(titles)
    for title in titles:
        assert len(title) <= 31 and not re.search(r"[\\/*?:\[\]]", title), title
        assert not title.startswith("'") and not title.endswith("'") and title != "History"
    assert "CRM_2026_" in titles and "orders" in titles and "orders (2)" in titles


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_crosswalk_keeps_hostile_text_as_inert_text(hostile, tmp_path, monkeypatch, suffix):
    """The crosswalk's IDs and names are the systems' own values (the desktop's Export
    crosswalk writes the same rows with the same writer)."""
    location, _ = hostile
    rows = [
        CrosswalkRow("erp", payload, f"C{k}", payload) for k, payload in enumerate(HOSTILE.values())
    ]
    monkeypatch.setattr(merge_cmd, "crosswalk", lambda workspace, ids: rows)
    out = tmp_path / f"crosswalk{suffix}"
    assert concord(location, "merge", "export-crosswalk", "--out", str(out)) == 0
    assert [name for name, payload in HOSTILE.items() if not kept(out, payload)] == []


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_shared_writer_keeps_each_payload(tmp_path, name, suffix):
    """A header and a cell of each payload, beside numbers that must stay numbers."""
    payload = HOSTILE[name]
    out = write_rows(tmp_path / f"one{suffix}", "Sheet", [payload, "n"], [[payload, -12.5]])
    assert out.exists() and kept(out, payload)
    if suffix == ".xlsx":
        numbers = [c.value for c in xlsx_cells(out) if c.data_type == "n"]
        assert numbers == [-12.5]
    else:
        assert csv_values(out)[-1] == "-12.5"


@pytest.mark.parametrize("name", [*HOSTILE_FILES, "", "a/b", "\x01", "=x"])
def test_any_sheet_name_makes_a_workbook(tmp_path, name):
    """Sheet names that collide once made fit (cut at 31, case ignored) stay apart."""
    out = write_sheet_workbook(
        tmp_path / "t.xlsx",
        [(name, (["h"], [["a"]])), (name.upper(), (["h"], [["b"]])), (name, (["h"], [["c"]]))],
    )
    titles = openpyxl.load_workbook(out).sheetnames
    assert len({t.casefold() for t in titles}) == 3 and all(len(t) <= 31 for t in titles)
    assert [openpyxl.load_workbook(out)[t]["A2"].value for t in titles] == ["a", "b", "c"]


def test_a_failed_export_leaves_no_file(tmp_path, monkeypatch):
    """Never half a file: a save that fails leaves neither the file nor a temporary."""
    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, name: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_rows(tmp_path / "out.xlsx", "Sheet", ["h"], [["v"]])
    assert list(tmp_path.iterdir()) == []


def test_reconcile_outputs_keep_hostile_keys_as_inert_text(tmp_path):
    """links.csv and conflicts.csv neutralise record keys and values; summary.json
    stays JSON."""
    rows = [["编号", "客户名称", "联系电话", "金额"]]
    rows += [
        [payload, f"客户{k}{payload[:8]}", f"1390000{k:04d}", f"{k}00"]
        for k, payload in enumerate(HOSTILE.values())
    ]
    rows += [  # one pair of duplicates whose amounts disagree, a payload among them
        ["=D1", "北京华信科技有限公司", "13800138000", "-1,234.00"],
        ["@D2", "北京华信科技有限公司", "13800138000", "+250"],
    ]
    source = tmp_path / "t.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    out = tmp_path / "out"
    assert main(["dedupe", "--quiet", "--key", "t=编号", "--out", str(out), f"t={source}"]) == 0
    links = csv_values(out / "links.csv")
    missing = [n for n, p in HOSTILE.items() if neutralise(p.strip()) not in links]
    assert missing == [] and "'=D1" in links and "'@D2" in links
    conflicts = csv_values(out / "conflicts.csv")
    assert {"'=D1", "'@D2", "'-1,234.00", "+250"} <= set(conflicts)  # +250: a number
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))
