"""Bad input: one clear message naming the file (and sheet, row), never a traceback."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from app.errors import InputError
from app.sources import read_tables
from tests.conftest import CORPUS


def refused(path, sheet=None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_tables(path, sheet)
    error = caught.value
    assert path.name in str(error)
    assert "\n" not in str(error)
    return error


def test_missing_file(tmp_path):
    assert "not found" in str(refused(tmp_path / "nope.csv"))


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty" in str(refused(path))


def test_folder(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    assert "folder" in str(refused(tmp_path / "dir.csv"))


def test_binary_garbage_named_csv(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 40)
    assert "not a text table" in str(refused(path))


def test_html_named_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "web page" in str(refused(path))


def test_no_header(text_file):
    error = refused(text_file("1,2,3\n4,5,6\n7,8,9\n"))
    assert "no header" in str(error) and error.row == 1


def test_header_without_rows_is_an_empty_table(text_file):
    (table,) = read_tables(text_file("编号,名称\n"))
    assert len(table) == 0


def test_empty_sheet_named_explicitly(xlsx):
    path = xlsx({"空": [], "数据": [["编号"], ["A1"]]})
    error = refused(path, "空")
    assert error.sheet == "空" and "empty" in str(error)


def test_damaged_zip(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert "damaged" in str(refused(path)) or "cannot be read" in str(refused(path))


def test_a_damaged_part_inside_a_good_zip(tmp_path):
    """The zip's directory is fine but a sheet's compressed bytes are not (a download cut
    and patched, a bad disk): "damaged", not a zlib traceback."""
    from tests.world import SAMPLES

    source = SAMPLES / "OA审批.xlsx"
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith("sheet1.xml"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 20, start + 60):
        data[k] ^= 0x5A
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    error = refused(path)
    assert "the workbook is damaged" in str(error) and "save it again" in str(error)


def _zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_decompression_bomb(tmp_path):
    path = _zip(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"\x00" * (300 * 1024**2)})
    assert path.stat().st_size < 2 * 1024**2
    assert "unreasonable size" in str(refused(path))


def test_xml_entity_bomb(tmp_path):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<sst><si><t>&lol2;</t></si></sst>"
    )
    path = _zip(
        tmp_path / "entities.xlsx",
        {"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": lol},
    )
    assert "entities" in str(refused(path))


def test_password_protected(tmp_path):
    if not (CORPUS / "pass_protected.xlsx").exists():
        pytest.skip("the shared workbook corpus is not beside the project")
    error = refused(CORPUS / "pass_protected.xlsx")
    assert "password" in str(error) and error.hint


def test_not_a_workbook_at_all(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "fake.xlsx"
    path.write_bytes(data.getvalue())
    assert "cannot be read" in str(refused(path))


# --- the command's own arguments and settings: one line, exit 1, never a traceback ------

SETTINGS = [
    ('thresholds = "high"', "'thresholds' must be a [thresholds] table"),
    ("fields = 5", "'fields' must be a [fields] table"),
    ("[conflicts]\nfields = 5", "'conflicts.fields' must be a list of names"),
    ('[conflicts]\nfields = "amount"', "'conflicts.fields' must be a list of names"),
    ('keys = ["erp"]', "'keys' must be a [keys] table"),
    ("[keys]\nerp = 5", "keys.erp must be a column name"),
    ("thershold = 1", "unknown setting 'thershold'"),
    ("[thresholds]\nauto = true", "'auto' must be a non-negative number"),
]


def _concord(*args: str) -> tuple[int, str]:
    import contextlib

    from app.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


@pytest.mark.parametrize(("text", "message"), SETTINGS)
def test_settings_of_the_wrong_shape_are_named(tmp_path, text, message):
    from tests.world import SAMPLES

    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    code, err = _concord(
        "reconcile",
        "--quiet",
        "--out",
        str(tmp_path / "out"),
        "--settings",
        str(tmp_path / "s.toml"),
        str(SAMPLES / "CRM订单.csv"),
        str(SAMPLES / "OA审批.xlsx"),
    )
    assert code == 1 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()


def test_paths_that_cannot_be_what_they_should_be(tmp_path):
    from tests.world import SAMPLES

    (tmp_path / "afile").write_text("x")
    (tmp_path / "folder.toml").mkdir()
    source = str(SAMPLES / "CRM订单.csv")
    cases = [
        (("reconcile", "--out", str(tmp_path / "afile"), source), "--out must be a folder"),
        (
            (
                "reconcile",
                "--out",
                str(tmp_path / "o"),
                "--settings",
                str(tmp_path / "folder.toml"),
                source,
            ),
            "this is a folder, not a settings file",
        ),
        (
            ("fixes", "list", "--workspace", str(tmp_path / "no" / "such" / "x.concord")),
            "does not exist",
        ),
        (
            ("fixes", "list", "--workspace", "postgresql+pg8000://u@127.0.0.1/test"),
            "no database driver",
        ),
        (
            ("audit", "export", "--out", str(tmp_path), "--workspace", str(tmp_path / "w.concord")),
            "this is a folder, not a file to write",
        ),
        (
            (
                "fixes",
                "export",
                "--template",
                "--out",
                str(tmp_path / "t.xlsx"),
                "--workspace",
                str(tmp_path / "w.concord"),
            ),
            "no approved fixes to put in import templates",
        ),
    ]
    for args, message in cases:
        code, err = _concord(*args)
        assert code == 1 and message in err and err.count("\n") == 1, (args, err)
    assert not (tmp_path / "no").exists()
    with pytest.raises(SystemExit) as usage:
        _concord(
            "job",
            "create",
            "j",
            "--source",
            source,
            "--key",
            "foo",
            "--workspace",
            str(tmp_path / "w.concord"),
        )
    assert usage.value.code == 2


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are always text")
def test_a_file_name_that_is_not_text_is_named_and_refused(tmp_path):
    import shutil

    from tests.world import SAMPLES

    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(SAMPLES / "CRM订单.csv", os.fsdecode(bytes(exports) + b"/CRM\xff\xfe.csv"))
    shutil.copy(SAMPLES / "OA审批.xlsx", exports / "OA审批.xlsx")
    workspace = str(tmp_path / "w.concord")
    sources = ("--source", f"crm={exports}/CRM*.csv", "--source", f"oa={exports}/OA*.xlsx")
    assert _concord("job", "create", "d", *sources, "--workspace", workspace)[0] == 0
    code, err = _concord("run", "d", "--quiet", "--workspace", workspace)
    assert code == 1 and "CRM\\xff\\xfe.csv: the file name is not valid text" in err, err
