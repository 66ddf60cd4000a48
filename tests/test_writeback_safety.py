"""File write-back refuses before it writes: stale cells, changed files, open files."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError
from app.writeback import preview
from app.writeback.files import StaleCell, StaleTargetError, file_sha256
from app.writeback.preview import apply_file_changes, describe, preview_change_set, restore_backup
from tests.conftest import write_xlsx

CSV = "编号,客户,金额\r\nK1,甲,100\r\nK2,乙,200\r\nK3,丙,300\r\n"
XLSX_ROWS = [["编号", "客户", "金额"], ["K1", "甲", 100], ["K2", "乙", 200], ["K3", "丙", 300]]


@pytest.fixture(params=["csv", "xlsx"])
def export(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The same small table as a CSV and as a workbook (one sheet named S)."""
    if request.param == "csv":
        path = tmp_path / "orders.csv"
        path.write_bytes(CSV.encode("gb18030"))
        return path
    return write_xlsx(tmp_path / "orders.xlsx", {"S": XLSX_ROWS})


def target(path: Path, *, file_hash: str | None = "now") -> Target:
    kind = "xlsx" if path.suffix == ".xlsx" else "csv"
    digest = file_sha256(path) if file_hash == "now" else file_hash
    return Target(kind, str(path), "S" if kind == "xlsx" else None, "编号", 1, digest)


def changes(goal: Target, *edits: tuple[str, str, str, str]) -> list[Change]:
    return [Change(goal, key, column, old, new) for key, column, old, new in edits]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_stale_cells_are_all_listed_and_nothing_is_written(export: Path) -> None:
    before = snapshot(export.parent)
    goal = target(export)
    edits = changes(
        goal,
        ("K1", "金额", "100", "101"),  # still holds 100: fine
        ("K2", "金额", "250", "251"),  # now 200
        ("K3", "客户", "丁", "戊"),  # now 丙
    )
    with pytest.raises(StaleTargetError) as caught:
        apply_file_changes(goal, edits)
    assert caught.value.stale == [
        StaleCell("K2", "金额", "250", "200"),
        StaleCell("K3", "客户", "丁", "丙"),
    ]
    assert "2 of 3 cells changed" in str(caught.value)
    assert snapshot(export.parent) == before  # no backup, no temporary file, same bytes


def test_a_dry_run_reports_stale_cells_and_touches_nothing(export: Path) -> None:
    before, mtime = snapshot(export.parent), export.stat().st_mtime_ns
    goal = target(export)
    result = apply_file_changes(
        goal, changes(goal, ("K1", "金额", "100", "150"), ("K2", "金额", "9", "10")), dry_run=True
    )
    assert result.dry_run and result.cells == [] and result.backup is None
    assert [(c.row, c.column, c.old, c.new) for c in result.planned] == [(2, "C", "100", "150")]
    assert result.stale == [StaleCell("K2", "金额", "9", "200")]
    assert result.file_hash == file_sha256(export)
    assert snapshot(export.parent) == before and export.stat().st_mtime_ns == mtime
    assert any("100" in line and "150" in line for line in describe(result))


def test_a_second_change_to_a_cell_expects_the_first_ones_value(export: Path) -> None:
    goal = target(export)
    result = apply_file_changes(
        goal, changes(goal, ("K1", "金额", "100", "110"), ("K1", "金额", "110", "120"))
    )
    assert [(c.old, c.new) for c in result.cells] == [("100", "110"), ("110", "120")]


def test_a_file_changed_since_import_is_refused(export: Path) -> None:
    goal = target(export, file_hash="0" * 64)
    before = snapshot(export.parent)
    with pytest.raises(InputError, match="changed since it was imported"):
        apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))
    with pytest.raises(InputError, match="changed since it was imported"):
        apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")), dry_run=True)
    assert snapshot(export.parent) == before


@pytest.mark.parametrize("lock", ["~${name}", ".~lock.{name}#", "~${short}"])
def test_a_file_open_in_excel_or_libreoffice_is_refused(export: Path, lock: str) -> None:
    if "short" in lock:  # Office shortens the lock file's name of long file names
        export = export.rename(export.with_name(f"销售订单导出2026{export.suffix}"))
    lock_file = export.with_name(lock.format(name=export.name, short=export.name[2:]))
    lock_file.write_bytes(b"owner")
    before = snapshot(export.parent)
    goal = target(export)
    with pytest.raises(InputError, match="open in Excel") as caught:
        apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))
    assert lock_file.name in str(caught.value)
    assert snapshot(export.parent) == before
    preview_result = apply_file_changes(
        goal, changes(goal, ("K1", "金额", "100", "101")), dry_run=True
    )
    assert any("open in another program" in w for w in preview_result.warnings)


def test_a_backup_is_kept_beside_the_file(export: Path) -> None:
    original, mtime = export.read_bytes(), export.stat().st_mtime_ns
    goal = target(export)
    result = apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))
    assert result.backup is not None and result.backup.parent == export.parent
    assert re.fullmatch(rf"orders\.\d{{8}}-\d{{6}}\.bak{export.suffix}", result.backup.name)
    assert result.backup.read_bytes() == original
    assert result.backup.stat().st_mtime_ns == mtime  # never "the newest export"
    assert result.file_hash == file_sha256(export) != goal.file_hash
    assert sorted(p.name for p in export.parent.iterdir()) == sorted(
        [export.name, result.backup.name]
    )


def test_backups_go_to_backup_dir_and_never_overwrite_each_other(
    export: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    goal = target(export)
    first = apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")), backup_dir=folder)
    goal = target(export)
    second = apply_file_changes(
        goal, changes(goal, ("K1", "金额", "101", "102")), backup_dir=folder
    )
    assert first.backup and second.backup and first.backup != second.backup
    assert {first.backup.parent, second.backup.parent} == {folder}
    assert first.backup.read_bytes() != second.backup.read_bytes()


def test_rollback_by_inverse_change_set_and_by_backup(export: Path) -> None:
    original = export.read_bytes()
    goal = target(export)
    result = apply_file_changes(
        goal, changes(goal, ("K1", "金额", "100", "150"), ("K2", "客户", "乙", "乙方"))
    )
    inverse = result.inverse
    assert [(c.key, c.old, c.new) for c in inverse.changes] == [
        ("K2", "乙方", "乙"),
        ("K1", "150", "100"),
    ]
    (back,) = inverse.by_target()
    apply_file_changes(back, inverse.changes)
    if export.suffix == ".csv":
        assert export.read_bytes() == original
    else:
        assert [c.value for c in load_workbook(export)["S"]["C"]][1:3] == [100, 200]
    with pytest.raises(InputError, match="changed by another program"):
        restore_backup(
            str(export), result.backup, result.file_hash
        )  # the file is no longer what that write left
    again = apply_file_changes(target(export), changes(target(export), ("K3", "金额", "300", "1")))
    restore_backup(str(export), again.backup, again.file_hash)  # type: ignore[arg-type]
    assert export.read_bytes() == again.backup.read_bytes()  # type: ignore[union-attr]


def test_a_file_changed_during_the_write_back_is_not_replaced(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = preview.write_backup

    def backup_then_excel_saves(path: Path, data: bytes, folder: Path | None) -> Path:
        backup = real(path, data, folder)
        path.write_bytes(b"saved from Excel meanwhile")
        return backup

    monkeypatch.setattr(preview, "write_backup", backup_then_excel_saves)
    goal = target(export)
    with pytest.raises(InputError, match="changed by another program"):
        apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))
    assert export.read_bytes() == b"saved from Excel meanwhile"
    assert not [p for p in export.parent.iterdir() if "concord-tmp" in p.name]


def test_permissions_survive_and_no_temporary_file_remains(export: Path) -> None:
    os.chmod(export, 0o640)
    goal = target(export)
    result = apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))
    assert stat.S_IMODE(export.stat().st_mode) == 0o640
    assert {p.name for p in export.parent.iterdir()} == {export.name, result.backup.name}  # type: ignore[union-attr]


def test_a_read_only_file_is_refused(export: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.chmod(export, 0o444)
    if os.name != "nt" and os.geteuid() == 0:  # root may write anything: pretend not
        real_access = os.access
        monkeypatch.setattr(
            os, "access", lambda p, mode: False if Path(p) == export else real_access(p, mode)
        )
    goal = target(export)
    with pytest.raises(InputError, match="read-only"):
        apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symbolic_link_stays_a_link(export: Path, tmp_path: Path) -> None:
    link = tmp_path / f"link{export.suffix}"
    link.symlink_to(export)
    goal = target(link)
    apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "101")))
    assert link.is_symlink() and file_sha256(link) == file_sha256(export) != goal.file_hash


# --- what cannot be found ------------------------------------------------------------


def test_a_missing_key_is_refused_by_name(export: Path) -> None:
    goal = target(export)
    with pytest.raises(InputError, match="no record with 编号 = 'K9'") as caught:
        apply_file_changes(
            goal, changes(goal, ("K1", "金额", "100", "1"), ("K9", "金额", "1", "2"))
        )
    assert caught.value.path is not None and Path(caught.value.path).name == export.name
    assert caught.value.hint and "import the file again" in caught.value.hint


def test_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("编号,金额\nK1,1\nK1,2\n", encoding="utf-8")
    goal = target(path)
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"2 records have 编号 = 'K1' \(rows 2, 3\)"):
        apply_file_changes(goal, changes(goal, ("K1", "金额", "1", "5")))
    assert path.read_bytes() == before


def test_a_missing_column_is_refused_with_the_columns_there(export: Path) -> None:
    goal = target(export)
    with pytest.raises(InputError, match="column '电话' not found") as caught:
        apply_file_changes(goal, changes(goal, ("K1", "电话", "", "1")))
    assert caught.value.hint and "编号, 客户, 金额" in caught.value.hint
    other = Target(goal.kind, goal.location, goal.sheet, "订单号", 1)
    with pytest.raises(InputError, match="key column '订单号' not found"):
        apply_file_changes(other, changes(other, ("K1", "金额", "100", "1")))


def test_a_missing_sheet_or_file_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "b.xlsx", {"S": XLSX_ROWS})
    goal = Target("xlsx", str(path), "T", "编号")
    with pytest.raises(InputError, match="no sheet named 'T'"):
        apply_file_changes(goal, changes(goal, ("K1", "金额", "100", "1")))
    gone = Target("csv", str(tmp_path / "gone.csv"), None, "编号")
    with pytest.raises(InputError, match="gone"):
        apply_file_changes(gone, changes(gone, ("K1", "金额", "100", "1")))


def test_files_that_cannot_be_written_back_are_refused(tmp_path: Path) -> None:
    database = Target("sql", "sqlite:///x.db", "t", "id")
    with pytest.raises(InputError, match="not a file"):
        apply_file_changes(database, [])


def test_a_legacy_xls_workbook_is_refused_with_what_to_do(tmp_path: Path) -> None:
    """Kingdee and U8 still export .xls; rewriting one as anything else would change its
    format silently, so the fix is refused (dry run too) with the way forward."""
    import shutil

    from app.decide.session import target_of
    from app.sources import read_tables

    path = tmp_path / "orders.xls"
    shutil.copy(Path(__file__).parent / "fixtures" / "legacy" / "orders.xls", path)
    (table,) = read_tables(path)
    goal = target_of(table, "单据编号")
    old = str(table.frame["价税合计"].iloc[0])
    fix = [Change(goal, "SO00001", "价税合计", old, "2000")]
    before = path.read_bytes()
    for dry_run in (True, False):
        with pytest.raises(InputError) as caught:
            apply_file_changes(goal, fix, dry_run=dry_run)
        message = str(caught.value)
        assert ".xls workbooks are read but never rewritten" in message
        assert "save it as .xlsx" in message and "\n" not in message
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "orders.xls"
    ]


def test_tab_separated_text_named_xls_is_written_as_text(tmp_path: Path) -> None:
    """ERPs write GBK tab-separated text into .xls: it is text, spliced byte for byte."""
    from app.decide.session import target_of
    from app.sources import read_tables

    path = tmp_path / "kingdee.xls"
    text = "单据编号\t客户名称\t价税合计\r\nSO001\t北京某某有限公司\t1,200.00\r\n"
    text += "SO002\t上海某某有限公司\t980.50\r\n"
    path.write_bytes(text.encode("gbk"))
    (table,) = read_tables(path)
    goal = target_of(table, "单据编号")
    apply_file_changes(goal, [Change(goal, "SO002", "价税合计", "980.50", "990.50")])
    assert path.read_bytes() == text.replace("980.50", "990.50").encode("gbk")


def test_changes_for_another_target_are_refused(export: Path) -> None:
    goal, other = target(export), target(export, file_hash=None)
    with pytest.raises(InputError, match="mixes targets"):
        apply_file_changes(goal, changes(other, ("K1", "金额", "100", "1")))


def test_no_changes_write_nothing(export: Path) -> None:
    before = snapshot(export.parent)
    result = apply_file_changes(target(export), [])
    assert result.cells == [] and result.backup is None
    assert snapshot(export.parent) == before


def test_preview_of_a_change_set_keeps_going_past_a_bad_file(export: Path, tmp_path: Path) -> None:
    goal = target(export)
    gone = Target("csv", str(tmp_path / "gone.csv"), None, "编号")
    database = Target("sql", "sqlite:///x.db", "t", "id")
    change_set = ChangeSet(
        changes(goal, ("K1", "金额", "100", "1"))
        + changes(gone, ("K1", "金额", "100", "1"))
        + changes(database, ("1", "x", "a", "b"))
    )
    first, second = preview_change_set(change_set)
    assert not isinstance(first, InputError) and first.planned[0].new == "1"
    assert isinstance(second, InputError)


TWO_FILES = (  # file, sheet, header row, key column, record, column, old, new
    ("CRM订单.csv", None, 1, "订单编号", "CRM-2026-01440", "订单金额", "1,068.00", "1095"),
    ("OA审批.xlsx", "审批记录", 2, "审批编号", "OA20260902012", "金额", "1068", "1095"),
)


def _two_files(tmp_path: Path) -> tuple[ChangeSet, list[Path]]:
    """A change set over the demo's CRM export (CSV) and OA workbook."""
    from tests.world import SAMPLES

    paths, changes_ = [], []
    for name, sheet, header, key_column, key, column, old, new in TWO_FILES:
        path = tmp_path / name
        path.write_bytes((SAMPLES / name).read_bytes())
        kind = "xlsx" if sheet else "csv"
        goal = Target(kind, str(path), sheet, key_column, header, file_sha256(path))
        changes_.append(Change(goal, key, column, old, new))
        paths.append(path)
    return ChangeSet(changes_), paths


def test_too_little_disk_space_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    from app.writeback.apply import apply_change_set

    change_set, _ = _two_files(tmp_path)
    before = snapshot(tmp_path)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: usage(10**9, 10**9, 1024))
    with pytest.raises(InputError, match="not enough free disk space") as caught:
        apply_change_set(change_set)
    assert "\n" not in str(caught.value)
    assert snapshot(tmp_path) == before  # no backup, no temporary file, nothing changed


def test_a_disk_that_fills_up_mid_way_leaves_every_file_whole(tmp_path, monkeypatch):
    """The second file's write fails with "disk full": the first file gets its bytes
    back by renaming its backup over it, which needs no space at all."""
    import errno
    import tempfile

    from app.writeback import files
    from app.writeback.apply import apply_change_set

    change_set, paths = _two_files(tmp_path)
    originals = {path: path.read_bytes() for path in paths}
    made = []
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        made.append(kwargs.get("prefix"))
        if len(made) == 3:  # backup and new CRM file made; now the OA backup: disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    with pytest.raises(InputError, match="the disk is full") as caught:
        apply_change_set(change_set)
    assert "\n" not in str(caught.value)
    assert len(made) == 3  # the undo wrote nothing new
    assert {path: path.read_bytes() for path in paths} == originals
    assert not [p for p in tmp_path.iterdir() if "concord-tmp" in p.name]


@pytest.mark.skipif(os.name == "nt", reason="POSIX file locks")
@pytest.mark.parametrize("kind", ["flock", "lockf"])
def test_a_file_another_program_has_locked_is_refused(tmp_path, kind):
    """WPS, LibreOffice and many import tools lock a file they have open (no lock file
    beside it): the write-back waits for them instead of replacing the file under them."""
    import subprocess
    import sys

    from app.writeback.apply import apply_change_set

    change_set, paths = _two_files(tmp_path)
    before = snapshot(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(paths[0])!r}, 'r+b')\n"
            f"fcntl.{kind}(f, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match="open in Excel \\(or another program\\)"):
            apply_change_set(change_set)
        assert snapshot(tmp_path) == before
    finally:
        holder.kill()
        holder.wait()
    assert apply_change_set(change_set).files  # released: written


def test_a_dry_run_says_what_a_value_in_the_targets_spelling_means(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text('编号,金额,状态\nK1,"CNY 1,200.00",Open\n', encoding="utf-8")
    goal = target(path)
    fixes = changes(goal, ("K1", "金额", "CNY 1,200.00", "CNY 1,250.00"))
    fixes += changes(goal, ("K1", "状态", "Open", "Closed Won"))
    lines = describe(apply_file_changes(goal, fixes, dry_run=True))
    assert lines[0].endswith("'CNY 1,200.00' → 'CNY 1,250.00' (means 1250)")
    assert lines[1].endswith("'Open' → 'Closed Won' (means approved)")
