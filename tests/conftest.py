"""Shared fixtures: files written on the fly, one per export variant."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CONCORD_KEYRING", "memory")  # never a developer's own keyring

pytest_plugins = [
    "tests.dbs",  # database servers, skipped with a reason where absent
    "tests.desktop",  # the desktop tests' settings, message boxes and main window
]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "calamine-tests"


def write_xlsx(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    merged: dict[str, Sequence[str]] | None = None,
    number_formats: dict[str, dict[str, str]] | None = None,
) -> Path:
    """A workbook with the given rows per sheet; ``merged`` lists ranges like "A1:C1"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merged or {}).get(name, ()):
            sheet.merge_cells(cell_range)
        for cell, fmt in (number_formats or {}).get(name, {}).items():
            sheet[cell].number_format = fmt
    workbook.properties.created = dt.datetime(2026, 1, 1)
    workbook.save(path)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


@pytest.fixture(autouse=True)
def concord_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty per-user folder (profiles, settings)."""
    home = tmp_path_factory.mktemp("concord-home")
    monkeypatch.setenv("CONCORD_HOME", str(home))
    return home


@pytest.fixture
def xlsx(tmp_path: Path):
    def make(sheets, name="book.xlsx", **kwargs):
        return write_xlsx(tmp_path / name, sheets, **kwargs)

    return make


@pytest.fixture
def text_file(tmp_path: Path):
    def make(text, name="export.csv", **kwargs):
        return write_text(tmp_path / name, text, **kwargs)

    return make
