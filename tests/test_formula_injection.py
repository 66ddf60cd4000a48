"""No live formula in any file Concord writes: values planted in fixes and a user name
that spreadsheets would run come out as text in the report, the fixes export and its
import templates, the audit export and the command's own CSV output (read back from
the written xlsx XML and CSV bytes)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from app.decide.changes import Change, Target
from app.formulas import is_plain_number, looks_like_formula
from app.reconcile.output import _cells, _csv
from app.reports.xlsx import write_rows
from app.store.fixes import fixes
from app.store.workspace import Workspace
from app.usecases import fixes as fix_cases
from tests.world import approve_all, concord, make_world

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
