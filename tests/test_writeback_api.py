"""The documented Python entry point: ``app.writeback.apply_change_set`` on workbooks that
Concord did not write, with targets and changes built by hand (no importer, no workspace)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import app.writeback as writeback
from app.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "libreoffice"
# Parts a cell write may touch besides the sheet (new strings, the request to recalculate).
MAY_CHANGE = {"xl/sharedStrings.xml", "xl/workbook.xml", "[Content_Types].xml"}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "orders.xlsm"
    shutil.copyfile(FIXTURES / "everything.xlsm", path)
    return path


def test_the_package_exports_the_entry_point() -> None:
    assert set(writeback.__all__) >= {"Change", "ChangeSet", "Target", "apply_change_set"}
    assert writeback.apply_change_set is writeback.apply.apply_change_set


def test_a_hand_built_change_set_is_previewed_written_and_undone(workbook: Path) -> None:
    before = workbook.read_bytes()
    orders = writeback.Target("xlsx", str(workbook), "订单", key_column="单据编号")
    change_set = writeback.ChangeSet(
        [
            writeback.Change(orders, "SO0000004", "价税合计", old="6675.66", new="7000.5"),
            writeback.Change(orders, "SO0000004", "审核状态", old="已驳回", new="已审核"),
        ]
    )

    preview = writeback.apply_change_set(change_set, dry_run=True)
    assert preview.dry_run and not preview.results[0].stale
    assert [(c.column, c.row) for c in preview.results[0].planned] == [("C", 5), ("E", 5)]
    assert workbook.read_bytes() == before  # a dry run writes nothing

    result = writeback.apply_change_set(change_set)
    sheet = load_workbook(workbook, keep_vba=True)["订单"]
    assert (sheet["C5"].value, sheet["E5"].value) == (7000.5, "已审核")
    assert sheet["F5"].value == "=C5*2"  # the formula beside them is left as it was
    assert [w.location for w in result.files] == [str(workbook)]
    assert Path(result.files[0].backup).read_bytes() == before

    writeback.apply_change_set(result.inverse)
    after = parts(workbook)
    for name, data in parts(Path(result.files[0].backup)).items():
        if not name.startswith("xl/worksheets/") and name not in MAY_CHANGE:
            assert after[name] == data, name
    sheet = load_workbook(workbook, keep_vba=True)["订单"]
    assert (sheet["C5"].value, sheet["E5"].value) == (6675.66, "已驳回")


def test_a_cell_that_no_longer_holds_the_old_value_is_refused(workbook: Path) -> None:
    before = workbook.read_bytes()
    orders = writeback.Target("xlsx", str(workbook), "订单", key_column="单据编号")
    stale = writeback.ChangeSet([writeback.Change(orders, "SO0000004", "价税合计", "1", "2")])

    assert writeback.apply_change_set(stale, dry_run=True).results[0].stale
    with pytest.raises(InputError, match="changed since they were imported"):
        writeback.apply_change_set(stale)
    assert workbook.read_bytes() == before
