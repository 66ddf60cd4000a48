"""A corpus of malformed inputs, made on the fly, and a runner for the ``concord`` command.

Every input a reviewer might throw at the importer: empty and binary files, damaged and
hostile workbooks (zip and XML entity bombs, bad cell references, missing parts), broken
OLE files, text in odd encodings and shapes, paths that are not regular files, source
specs, keys, settings and output folders that cannot work. Each case is one command line
and the exit codes it may end with (1 for bad input, 0 where the input is readable).

``tests/test_fault_corpus.py`` runs the small instances in-process; ``python -m
tests.fault_corpus`` runs every case (``--big`` adds the 10 MB line, the million empty
lines and the like) through the real command in a child process with a timeout and
prints the ones that end in a traceback, a long message or a hang.
"""

from __future__ import annotations

import codecs
import io
import os
import random
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BAD = frozenset({1})
EITHER = frozenset({0, 1})
GOOD = frozenset({0})

GOOD_CSV = (
    "编号,名称,金额,日期\n"
    "A1,华信科技,100.00,2026-01-02\n"
    "A2,广州华信,200,2026-01-03\n"
    "A3,北京天成,300,2026-01-04\n"
    "A4,北京天成,300,2026-01-04\n"
)

RECEIPTS_CSV = (
    "单据编号,日期,客户,收款金额\n"
    "SK1,2026-02-01,北京华信科技有限公司,100.00\n"
    "SK2,2026-02-03,北京天成商贸有限公司,600.00\n"
)


@dataclass(frozen=True)
class Case:
    """One command line and the exit codes it may end with."""

    name: str
    argv: tuple[str, ...]
    expect: frozenset[int] = BAD
    names: str | None = None  # a file name the message must carry when it exits 1
    tags: tuple[str, ...] = field(default=())


# --- workbooks from raw parts, so any part can be left out or damaged ---------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}>'
    '<numFmts count="0"/><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def cell(ref: str, value: object, kind: str | None = None, style: int | None = None) -> str:
    """One ``<c>`` element; strings go inline unless ``kind`` says otherwise."""
    s = f' s="{style}"' if style is not None else ""
    if kind is None and isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"{s}><is><t>{value}</t></is></c>'
    t = f' t="{kind}"' if kind else ""
    return f'<c r="{ref}"{t}{s}><v>{value}</v></c>'


def sheet_xml(
    rows: list[list[str]] | None = None,
    *,
    cells: str | None = None,
    dimension: str | None = None,
    merges: list[str] = (),  # type: ignore[assignment]
) -> str:
    """A worksheet from rows of already formatted ``<c>`` elements (or raw ``cells``)."""
    if cells is None:
        body = "".join(f'<row r="{r + 1}">{"".join(row)}</row>' for r, row in enumerate(rows or []))
    else:
        body = cells
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merge = (
        f'<mergeCells count="{len(merges)}">'
        + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
        + "</mergeCells>"
        if merges
        else ""
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS} {RNS}>{dim}'
        f"<sheetData>{body}</sheetData>{merge}</worksheet>"
    )


def table_rows(extra: list[list[str]] | None = None) -> list[list[str]]:
    """A small good table as cells, with ``extra`` rows after it."""
    rows = [
        [cell("A1", "编号"), cell("B1", "名称"), cell("C1", "金额")],
        [cell("A2", "K1"), cell("B2", "华信科技"), cell("C2", 100, "n")],
        [cell("A3", "K2"), cell("B3", "天成"), cell("C3", 200, "n")],
    ]
    return rows + (extra or [])


def xlsx_parts(
    sheets: dict[str, str] | None = None, shared: list[str] | None = None
) -> dict[str, str | bytes]:
    """The parts of a workbook: sheet name → worksheet XML."""
    sheets = sheets if sheets is not None else {"Sheet1": sheet_xml(table_rows())}
    entries = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{REL}worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    n_styles = len(sheets) + 1
    rels += f'<Relationship Id="rId{n_styles}" Type="{REL}styles" Target="styles.xml"/>'
    rels += f'<Relationship Id="rId{n_styles + 1}" Type="{REL}sharedStrings" Target="sharedStrings.xml"/>'
    strings = shared or ["编号"]
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.format(
            sheets="".join(SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        ),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}>'
            f"<sheets>{entries}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>"
        ),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{s}</t></si>" for s in strings)
            + "</sst>"
        ),
    }
    for n, xml in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = xml
    return parts


def zip_bytes(parts: dict[str, str | bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def forged_size_zip(name: str, payload: bytes) -> bytes:
    """A zip whose directory says a part is 100 bytes while it inflates to far more."""
    data = bytearray(zip_bytes({**xlsx_parts(), name: payload}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name)
    # local header: uncompressed size at +22; central directory entry: at +24
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    central = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4 : info.header_offset + 6])
    cursor = data.find(b"PK\x01\x02")
    while cursor != -1:
        (name_length,) = struct.unpack_from("<H", data, cursor + 28)
        if data[cursor + 46 : cursor + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, cursor + 24, 100)
            break
        cursor = data.find(b"PK\x01\x02", cursor + 4)
    del central
    return bytes(data)


def entity_bomb(root: str = "sst", depth: int = 9) -> bytes:
    lines = ['<!ENTITY lol0 "lol">']
    for k in range(1, depth + 1):
        lines.append(f'<!ENTITY lol{k} "' + f"&lol{k - 1};" * 10 + '">')
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(lines)}]>'
        f"<{root} {NS}><si><t>&lol{depth};</t></si></{root}>"
    ).encode()


# --- OLE compound files (.xls) ------------------------------------------------------------


def ole(
    *,
    sector_shift: int = 9,
    fat: list[int] | None = None,
    dir_start: int = 0,
    n_fat: int = 1,
    difat_first: int = 0xFFFFFFFE,
    sectors: int = 4,
    seed: int = 0,
) -> bytes:
    """A compound file header with a chosen FAT and random sectors behind it."""
    rng = random.Random(seed)
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, sector_shift)
    struct.pack_into("<H", header, 32, 6)
    struct.pack_into("<I", header, 44, n_fat)
    struct.pack_into("<I", header, 48, dir_start)
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<IIII", header, 60, 0xFFFFFFFE, 0, difat_first, 0)
    struct.pack_into("<I", header, 76, 1)  # DIFAT[0]: the FAT sits in sector 1
    for k in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * k, 0xFFFFFFFF)
    size = 1 << sector_shift if sector_shift < 16 else 512
    chain = fat if fat is not None else [0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE]
    fat_sector = b"".join(struct.pack("<I", v) for v in chain)
    fat_sector = fat_sector.ljust(size, b"\xff")[:size]
    body = bytearray()
    for k in range(sectors):
        if k == 1:
            body += fat_sector
        else:
            body += bytes(rng.randrange(256) for _ in range(size))
    return bytes(header) + bytes(body)


def ole_directory_only(name: str = "Workbook", size: int = 10**9) -> bytes:
    """A well-formed compound file whose one stream claims ``size`` bytes it does not hold."""
    header = bytearray(ole(fat=[0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFE], sectors=0)[:512])
    fat = [0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * 125
    fat_sector = b"".join(struct.pack("<I", v) for v in fat)
    entries = bytearray(512)

    def entry(index: int, label: str, kind: int, start: int, length: int, child: int) -> None:
        encoded = (label + "\x00").encode("utf-16-le")
        base = index * 128
        entries[base : base + len(encoded)] = encoded
        struct.pack_into("<HBB", entries, base + 64, len(encoded), kind, 1)
        struct.pack_into("<III", entries, base + 68, 0xFFFFFFFF, 0xFFFFFFFF, child)
        struct.pack_into("<II", entries, base + 116, start, length & 0xFFFFFFFF)

    entry(0, "Root Entry", 5, 0xFFFFFFFE, 0, 1)
    entry(1, name, 2, 2, size, 0xFFFFFFFF)
    return bytes(header) + bytes(entries) + fat_sector + b"\x09\x08" + b"\x00" * 510


# --- the corpus ----------------------------------------------------------------------------


class Corpus:
    """Writes inputs under ``root`` and collects the cases that use them."""

    def __init__(self, root: Path, big: bool = False) -> None:
        self.root = root
        self.big = big
        self.cases: list[Case] = []
        self.files = root / "in"
        self.files.mkdir(parents=True, exist_ok=True)
        self.good = self.write("good.csv", GOOD_CSV.encode())
        self.good2 = self.write("good2.csv", GOOD_CSV.replace("A", "B").encode())
        self.receipts = self.write("receipts.csv", RECEIPTS_CSV.encode())
        self.outs = 0

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.files / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def out(self) -> str:
        self.outs += 1
        return str(self.root / "out" / f"run{self.outs}")

    def add(self, name: str, argv: tuple[str, ...], expect=BAD, names=None, tags=()) -> None:
        self.cases.append(Case(name, argv, frozenset(expect), names, tuple(tags)))

    def file(self, name: str, data: bytes | str | Path, expect=BAD, every: bool = True) -> None:
        """Every command over one input file: inspect, inspect --json, reconcile, dedupe,
        settle (whose good input may still lack a payment's columns: exit 1 then)."""
        path = data if isinstance(data, Path) else self.write(name, data)
        text = str(path)
        shown = path.name
        self.add(f"{name}/inspect", ("inspect", text), expect, shown)
        if not every:
            return
        self.add(f"{name}/json", ("inspect", "--json", text), expect, shown)
        self.add(
            f"{name}/reconcile",
            ("reconcile", "--quiet", "--out", self.out(), str(self.good), f"x={text}"),
            expect,
            shown,
        )
        self.add(f"{name}/dedupe", ("dedupe", "--quiet", "--out", self.out(), text), expect, shown)
        self.add(
            f"{name}/settle",
            ("settle", "--quiet", "--out", self.out(), str(self.receipts), f"x={text}"),
            EITHER if expect == GOOD else expect,
            shown,
        )


def build(root: Path, big: bool = False) -> list[Case]:
    """Write the corpus under ``root``; ``big`` adds the large instances."""
    corpus = Corpus(root, big)
    for family in FAMILIES:
        family(corpus)
    return corpus.cases


def empty_files(c: Corpus) -> None:
    for ext in ("csv", "xlsx", "xls", "txt", "tsv", "ods", "xlsb"):
        c.file(f"zero.{ext}", b"", every=ext in ("csv", "xlsx"))
    c.file("spaces.csv", b"   \t  \n \r\n  \n")
    c.file("newlines.csv", b"\n" * 5000)
    c.file("crlf.txt", b"\r\n" * 5000, every=False)
    c.file("commas.csv", b",,,,\n,,,\n,,\n")
    for mark, label in (
        (codecs.BOM_UTF8, "utf8"),
        (codecs.BOM_UTF16_LE, "utf16le"),
        (codecs.BOM_UTF16_BE, "utf16be"),
        (codecs.BOM_UTF32_LE, "utf32le"),
    ):
        c.file(f"bom-{label}.csv", mark, every=label == "utf8")
    c.file("bom-spaces.csv", codecs.BOM_UTF8 + b"  \n\n")
    c.file("bom-utf16-newlines.csv", codecs.BOM_UTF16_LE + "\n\n\n".encode("utf-16-le"))
    if c.big:
        c.file("million-empty-lines.csv", b"\n" * 1_000_000)
        c.file("million-crlf.csv", b"\r\n" * 1_000_000, every=False)


def binary_junk(c: Corpus) -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(20000))
    for ext in ("csv", "xlsx", "xls", "txt", "ods", "xlsb", "tsv"):
        c.file(f"junk.{ext}", junk, every=ext in ("csv", "xls"))
    c.file("nuls.csv", b"\x00" * 4096, every=False)
    c.file("ff.csv", b"\xff" * 4096, every=False)
    c.file("png.xlsx", b"\x89PNG\r\n\x1a\n" + junk[:500], every=False)
    c.file("pdf.csv", b"%PDF-1.4\n" + junk[:500], every=False)
    c.file("elf.xls", b"\x7fELF\x02\x01\x01" + junk[:500], every=False)
    c.file("gzip.csv", b"\x1f\x8b\x08\x00" + junk[:500], every=False)
    c.file("7z.xlsx", b"7z\xbc\xaf\x27\x1c" + junk[:500], every=False)
    c.file("rar.xlsx", b"Rar!\x1a\x07\x00" + junk[:500], every=False)
    c.file("text-zip.csv", zip_bytes({"a.txt": "编号,名称\n1,2\n"}), every=False)
    c.file("empty-zip.xlsx", zip_bytes({}))
    c.file("pk-only.xlsx", b"PK\x03\x04", every=False)
    c.file("pk-zeros.xlsx", b"PK\x03\x04" + b"\x00" * 300, every=False)
    c.file("pk-eocd-only.xlsx", b"PK\x05\x06" + b"\x00" * 18, every=False)
    c.file("one-byte.csv", b"a", expect=EITHER, every=False)
    c.file("one-nul.csv", b"\x00", every=False)
    c.file("controls.csv", bytes(range(1, 32)) * 200, every=False)


def damaged_zips(c: Corpus) -> None:
    good = zip_bytes(xlsx_parts())
    for share in (0.1, 0.5, 0.9):
        c.file(f"cut-{int(share * 100)}.xlsx", good[: int(len(good) * share)], every=share == 0.5)
    c.file("no-eocd.xlsx", good[:-22], every=False)
    c.file("cut-eocd.xlsx", good[:-5], every=False)
    flipped = bytearray(good)
    for k in range(200, min(len(flipped), 1200), 7):
        flipped[k] ^= 0xA5
    c.file("flipped.xlsx", bytes(flipped))
    central = bytearray(good)
    at = central.find(b"PK\x01\x02")
    central[at : at + 40] = b"\xee" * 40
    c.file("bad-central.xlsx", bytes(central), every=False)
    crc = bytearray(zip_bytes(xlsx_parts(), zipfile.ZIP_STORED))
    at = crc.find(b"<sheetData>")
    crc[at + 1 : at + 4] = b"XYZ"
    c.file("bad-crc.xlsx", bytes(crc))
    offsets = bytearray(good)
    at = offsets.find(b"PK\x05\x06")
    struct.pack_into("<I", offsets, at + 16, 0x7FFFFFFF)
    c.file("bad-cd-offset.xlsx", bytes(offsets), every=False)
    c.file("zip-in-zip.xlsx", zip_bytes({"inner.xlsx": good}), every=False)
    c.file("appended-junk.xlsx", good + b"\x00junk" * 100, expect=EITHER, every=False)
    c.file("prepended-junk.xlsx", b"junk" * 10 + good, every=False)


def bombs(c: Corpus) -> None:
    zeros = b"\x00" * (300 * 1024**2 if c.big else 60 * 1024**2)
    c.file("bomb-sheet.xlsx", zip_bytes({**xlsx_parts(), "xl/worksheets/sheet1.xml": zeros}))
    c.file(
        "bomb-strings.xlsx",
        zip_bytes({**xlsx_parts(), "xl/sharedStrings.xml": b" " * len(zeros)}),
        every=False,
    )
    c.file(
        "bomb-forged-size.xlsx",
        forged_size_zip("xl/worksheets/sheet1.xml", b"<" + zeros[:-1]),
        every=False,
    )
    many = {f"junk/{k}.bin": b"" for k in range(20000)}
    c.file("many-parts.xlsx", zip_bytes({**xlsx_parts(), **many}), expect=EITHER, every=False)
    for part, root in (
        ("xl/sharedStrings.xml", "sst"),
        ("xl/worksheets/sheet1.xml", "worksheet"),
        ("xl/workbook.xml", "workbook"),
        ("[Content_Types].xml", "Types"),
        ("xl/styles.xml", "styleSheet"),
        ("_rels/.rels", "Relationships"),
    ):
        stem = part.replace("/", "-").replace("[", "").replace("]", "")
        c.file(
            f"lol-{stem}.xlsx",
            zip_bytes({**xlsx_parts(), part: entity_bomb(root)}),
            every=part == "xl/sharedStrings.xml",
        )
    late = b'<?xml version="1.0"?>' + b"<!--" + b" " * 8000 + b"-->" + entity_bomb("sst")[21:]
    c.file("lol-late.xlsx", zip_bytes({**xlsx_parts(), "xl/sharedStrings.xml": late}))
    wide = entity_bomb("sst").decode().replace('"1.0"', '"1.0" encoding="UTF-16"')
    c.file(
        "lol-utf16.xlsx",
        zip_bytes(
            {**xlsx_parts(), "xl/sharedStrings.xml": codecs.BOM_UTF16_LE + wide.encode("utf-16-le")}
        ),
        every=False,
    )
    external = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<sst {NS}><si><t>&x;</t></si></sst>"
    )
    c.file("xxe.xlsx", zip_bytes({**xlsx_parts(), "xl/sharedStrings.xml": external}), every=False)
    ods = {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": entity_bomb("office:document-content"),
    }
    c.file("lol.ods", zip_bytes(ods), every=False)


def broken_workbooks(c: Corpus) -> None:
    parts = xlsx_parts()

    def without(*names: str) -> bytes:
        return zip_bytes({k: v for k, v in parts.items() if k not in names})

    c.file("no-sheet-xml.xlsx", without("xl/worksheets/sheet1.xml"))
    c.file("no-workbook-xml.xlsx", without("xl/workbook.xml"))
    c.file("no-content-types.xlsx", without("[Content_Types].xml"), expect=EITHER)
    c.file("no-styles.xlsx", without("xl/styles.xml"), expect=EITHER, every=False)
    c.file("no-shared.xlsx", without("xl/sharedStrings.xml"), expect=EITHER, every=False)
    c.file("no-rels.xlsx", without("xl/_rels/workbook.xml.rels"), every=False)
    c.file("no-root-rels.xlsx", without("_rels/.rels"), expect=EITHER, every=False)
    c.file("garbage-sheet.xlsx", zip_bytes({**parts, "xl/worksheets/sheet1.xml": "<<<>>>&&&"}))
    c.file(
        "garbage-workbook.xlsx",
        zip_bytes({**parts, "xl/workbook.xml": "not xml at all"}),
        every=False,
    )
    c.file(
        "unclosed-sheet.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(table_rows())[:-40]}),
        expect=EITHER,
        every=False,
    )
    c.file(
        "no-sheets.xlsx",
        zip_bytes({**parts, "xl/workbook.xml": f"<workbook {NS}><sheets/></workbook>"}),
    )
    c.file(
        "styles-garbage.xlsx",
        zip_bytes({**parts, "xl/styles.xml": "<styleSheet><cellXfs count='9'><xf numFmtId='x'/>"}),
        expect=EITHER,
        every=False,
    )
    refs = {
        "A0": "A0",
        "XFE1": "XFE1",
        "empty": "",
        "digits-first": "1A",
        "lowercase": "a1",
        "ZZZZ1": "ZZZZ1",
        "row-2e9": "A2000000000",
        "row-neg": "A-5",
        "unicode": "Ａ1",
    }
    for label, ref in refs.items():
        rows = table_rows([[f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>']])
        c.file(
            f"ref-{label}.xlsx",
            zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(rows)}),
            expect=EITHER,
            every=label in ("A0", "XFE1"),
        )
    rows = table_rows()
    c.file(
        "dimension-huge.xlsx",
        zip_bytes(
            {**parts, "xl/worksheets/sheet1.xml": sheet_xml(rows, dimension="A1:XFD1048576")}
        ),
        expect=EITHER,
    )
    c.file(
        "dimension-garbage.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(rows, dimension="ZZ:-1")}),
        expect=EITHER,
        every=False,
    )
    far = table_rows([[cell("XFD1048576", "far")]])
    c.file(
        "far-corner-cell.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(far)}),
        expect=EITHER,
    )
    far_row = table_rows([[cell("A1048576" if c.big else "A100000", "last")]])
    c.file(
        "last-row-cell.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(far_row)}),
        expect=EITHER,
        every=False,
    )
    far_column = table_rows([[cell("XFD4", "far")]])
    c.file(
        "last-column-cell.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(far_column)}),
        expect=EITHER,
        every=False,
    )
    for label, value in (
        ("999", "999"),
        ("neg", "-1"),
        ("text", "abc"),
        ("huge", "99999999999999"),
    ):
        rows = table_rows([[cell("A4", "K3"), cell("B4", value, "s")]])
        c.file(
            f"sst-{label}.xlsx",
            zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(rows)}),
            expect=EITHER,
            every=label == "999",
        )
    for label, value, kind, style in (
        ("serial-1e10", "1e10", "n", 1),
        ("serial-neg", "-1", "n", 1),
        ("serial-zero", "0", "n", 1),
        ("serial-3e6", "2958466", "n", 1),
        ("serial-nan", "NaN", "n", 1),
        ("serial-inf", "INF", "n", 1),
        ("iso-year0", "0000-01-01T00:00:00", "d", None),
        ("iso-garbage", "2026-13-45T99:99:99", "d", None),
        ("iso-year-99999", "99999-01-01", "d", None),
        ("num-1e309", "1e309", "n", None),
        ("num-nan", "NaN", "n", None),
        ("num-inf", "inf", "n", None),
        ("num-text", "twelve", "n", None),
        ("bool-2", "2", "b", None),
        ("error", "#DIV/0!", "e", None),
        ("style-999", "5", "n", 999),
    ):
        rows = table_rows([[cell("A4", "K3"), cell("B4", "名"), cell("C4", value, kind, style)]])
        c.file(
            f"value-{label}.xlsx",
            zip_bytes({**parts, "xl/worksheets/sheet1.xml": sheet_xml(rows)}),
            expect=EITHER,
            every=label in ("serial-1e10", "iso-year0", "num-1e309", "serial-nan"),
        )
    merged_only = sheet_xml([[cell("A1", "合并")]], merges=["A1:D4", "E1:H4", "A5:XFD1048576"])
    c.file(
        "merged-only.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": merged_only}),
        expect=EITHER,
    )
    bad_merge = sheet_xml(table_rows(), merges=["C1:A0", "XFE1:XFE9", "garbage", "B2:B2"])
    c.file(
        "merge-bad-refs.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": bad_merge}),
        expect=EITHER,
        every=False,
    )
    header_merge = sheet_xml(table_rows(), merges=["A1:XFD1"])
    c.file(
        "merge-header-wide.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": header_merge}),
        expect=EITHER,
        every=False,
    )
    many = {f"S{k}": sheet_xml(table_rows()) for k in range(300 if c.big else 120)}
    c.file("many-sheets.xlsx", zip_bytes(xlsx_parts(many)), expect=GOOD)
    empties = {f"E{k}": sheet_xml([]) for k in range(200)}
    c.file("many-empty-sheets.xlsx", zip_bytes(xlsx_parts(empties)))
    weird = {"a#b": sheet_xml(table_rows()), "x=y": sheet_xml(table_rows())}
    path = c.write("weird-sheet-names.xlsx", zip_bytes(xlsx_parts(weird)))
    for sheet in ("a#b", "x=y"):
        c.add(f"sheet {sheet}/inspect", ("inspect", f"{path}#{sheet}"), GOOD, path.name)
    dup = zip_bytes(xlsx_parts({"Same": sheet_xml(table_rows())}))
    dup_parts = xlsx_parts({"Same": sheet_xml(table_rows()), "Other": sheet_xml(table_rows())})
    dup_parts["xl/workbook.xml"] = str(dup_parts["xl/workbook.xml"]).replace('"Other"', '"Same"')
    c.file("duplicate-sheet-names.xlsx", zip_bytes(dup_parts), expect=EITHER, every=False)
    del dup
    headers_only = sheet_xml([[cell("A1", "编号"), cell("B1", "名称")]])
    c.file(
        "header-only.xlsx",
        zip_bytes({**parts, "xl/worksheets/sheet1.xml": headers_only}),
        expect=EITHER,
    )
    numbers = sheet_xml(
        [[cell(f"{col}{r}", r * 10 + k, "n") for k, col in enumerate("ABC")] for r in range(1, 6)]
    )
    c.file(
        "numbers-only.xlsx", zip_bytes({**parts, "xl/worksheets/sheet1.xml": numbers}), every=False
    )
    c.file(
        "not-utf8-sheet.xlsx",
        zip_bytes(
            {
                **parts,
                "xl/worksheets/sheet1.xml": sheet_xml(table_rows()).encode("gb18030")[:-20]
                + "中文".encode("gb18030"),
            }
        ),
        expect=EITHER,
        every=False,
    )
    ods = {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": "<office:document-content>broken",
    }
    c.file("broken.ods", zip_bytes(ods), every=False)
    c.file(
        "xlsb-garbage.xlsb", zip_bytes({**parts, "xl/workbook.bin": b"\x83\x01\x00"}), every=False
    )


def ole_files(c: Corpus) -> None:
    c.file("ole-random.xls", ole(seed=1))
    c.file("ole-header-only.xls", ole(sectors=0)[:512], every=False)
    c.file("ole-truncated.xls", ole()[:300], every=False)
    c.file("ole-magic-only.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", every=False)
    c.file("ole-fat-loop.xls", ole(fat=[0, 0xFFFFFFFD, 2, 3], dir_start=0))
    c.file("ole-fat-cycle.xls", ole(fat=[2, 0xFFFFFFFD, 0, 0], dir_start=0), every=False)
    c.file("ole-shift-30.xls", ole(sector_shift=30), every=False)
    c.file("ole-shift-0.xls", ole(sector_shift=0), every=False)
    c.file("ole-many-fats.xls", ole(n_fat=0x7FFFFFFF), every=False)
    c.file("ole-difat-loop.xls", ole(difat_first=0), every=False)
    c.file("ole-dir-beyond.xls", ole(dir_start=10**6), every=False)
    c.file("ole-stream-1g.xls", ole_directory_only(size=10**9))
    c.file("ole-stream-4g.xls", ole_directory_only(size=0xFFFFFFFF), every=False)
    c.file("ole-no-workbook.xls", ole_directory_only(name="Other", size=512), every=False)
    c.file("ole-named-xlsx.xlsx", ole(seed=2), every=False)
    c.file("ole-named-csv.csv", ole(seed=3), every=False)


def markup_files(c: Corpus) -> None:
    html = "<html><body><table><tr><td>编号</td></tr><tr><td>1</td></tr></table></body></html>"
    c.file("page.xls", html)
    c.file("page.csv", html, every=False)
    c.file("page-upper.xls", html.upper(), every=False)
    c.file("page-bom.xls", codecs.BOM_UTF8 + html.encode(), every=False)
    c.file(
        "page-utf16.xls", codecs.BOM_UTF16_LE + html.encode("utf-16-le"), expect=EITHER, every=False
    )
    c.file("page-comment.xls", "<!-- saved -->\n" + html, expect=EITHER, every=False)
    c.file("page-doctype.xls", "<!DOCTYPE html>" + html, every=False)
    c.file(
        "spreadsheet2003.xls",
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row><Cell><Data>编号</Data></Cell></Row></Table></Worksheet></Workbook>",
    )
    c.file(
        "mhtml.xls",
        "MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n--x\r\n",
        expect=EITHER,
        every=False,
    )
    c.file("rtf.csv", r"{\rtf1\ansi hello}", expect=EITHER, every=False)
    c.file(
        "json.csv",
        '[{"编号": "A1", "名称": "华信"}, {"编号": "A2", "名称": "天成"}]',
        expect=EITHER,
    )
    c.file("json.xls", '{"rows": [1, 2, 3]}', expect=EITHER, every=False)
    c.file("svg.csv", "<svg xmlns='http://www.w3.org/2000/svg'></svg>", expect=EITHER, every=False)


def text_files(c: Corpus) -> None:
    head = "编号,名称,金额\n"
    rows = "".join(f"K{k},名称{k},{k}.00\n" for k in range(2000))
    c.file("nul-in-head.csv", head + "K1,a\x00b,1\n" + rows)
    c.file("nul-late.csv", (head + rows * 30 + "K9,x\x00y,1\n").encode(), expect=EITHER)
    c.file(
        "nul-every-other.csv",
        "".join(ch + "\x00" for ch in head * 3).encode()[:-1] + b"\x00\x00",
        expect=EITHER,
        every=False,
    )
    utf8 = (head + rows).encode()
    c.file("mixed-utf8-gb18030.csv", utf8 + "K9,中文名称,1\n".encode("gb18030"), expect=EITHER)
    c.file(
        "mixed-gb18030-utf8.csv",
        (head + rows).encode("gb18030") + "K9,中文名称,1\n".encode(),
        expect=EITHER,
        every=False,
    )
    c.file("invalid-utf8-late.csv", utf8 * 20 + b"K9,\xc3\x28\xa0\xa1,1\n", expect=EITHER)
    c.file(
        "invalid-gb18030.csv",
        (head + rows).encode("gb18030") + b"K9,\x81\x30\x81,1\n\xff\xfe\x80\n",
        expect=EITHER,
    )
    c.file("bom-utf8-invalid-head.csv", codecs.BOM_UTF8 + b"\xff\xfe,\xc3\x28\n1,2\n")
    c.file("bom-utf8-invalid-late.csv", codecs.BOM_UTF8 + utf8 * 20 + b"K9,\xc3\x28,1\n")
    c.file(
        "bom-utf8-invalid-right-after-head.csv",
        codecs.BOM_UTF8
        + (head + "".join(f"K{k},n,1\n" for k in range(60))).encode()
        + b"K9,\xff,1\n",
        every=False,
    )
    wide = (head + rows).encode("utf-16-le")
    c.file(
        "utf16-lone-surrogate-head.csv",
        codecs.BOM_UTF16_LE + head.encode("utf-16-le") + b"\x00\xd8K\x00\n\x00",
    )
    c.file(
        "utf16-lone-surrogate-late.csv",
        codecs.BOM_UTF16_LE + wide * 20 + b"\x00\xd8,\x001\x00\n\x00",
    )
    c.file("utf16-odd-length.csv", codecs.BOM_UTF16_LE + wide + b"\x41", every=False)
    c.file(
        "utf16be-lone-surrogate.csv",
        codecs.BOM_UTF16_BE + (head + rows).encode("utf-16-be") * 20 + b"\xdc\x00\x00,",
        every=False,
    )
    c.file("utf16-nobom-surrogate.csv", wide * 3 + b"\x00\xdc\x00\xdc", expect=EITHER, every=False)
    c.file(
        "utf32-bad-codepoint.csv",
        codecs.BOM_UTF32_LE + (head + rows).encode("utf-32-le") * 3 + b"\x00\x00\x11\x00",
        every=False,
    )
    c.file(
        "latin1.csv",
        "name,city\nJosé,Zürich\nRenée,Köln\n".encode("latin-1"),
        expect=GOOD,
        every=False,
    )
    c.file(
        "shift-jis.csv",
        "番号,名前\n1,山田\n2,田中\n".encode("shift_jis"),
        expect=EITHER,
        every=False,
    )
    long_line = 10 * 1024**2 if c.big else 300 * 1024
    c.file("long-line.csv", "a," * (long_line // 2) + "\n")
    c.file("long-line-no-delimiter.csv", "x" * long_line, every=False)
    c.file("long-header-then-rows.csv", "h" * long_line + "\n1\n2\n", expect=EITHER, every=False)
    c.file(
        "long-field-quoted.csv",
        head + 'K1,"' + "y" * long_line + '",1\n',
        expect=EITHER,
        every=False,
    )
    columns = 100_000 if c.big else 20_000
    c.file(
        "many-columns.csv",
        ",".join(f"c{k}" for k in range(columns)) + "\n" + ",".join("1" * columns) + "\n",
        expect=EITHER,
    )
    c.file("ragged-long.csv", head + "K1,a,1\nK2,b,2,extra,more\n")
    c.file("ragged-late.csv", head + rows + "K9,b,2,extra\n")
    c.file("ragged-short.csv", head + "K1\nK2,b\n", expect=EITHER, every=False)
    c.file("quote-unbalanced.csv", head + 'K1,"open,1\nK2,b,2\n', expect=EITHER)
    c.file("quote-unbalanced-late.csv", head + rows + 'K9,"open,1\nK10,b,2\n' + rows, expect=EITHER)
    c.file("quote-stray.csv", head + 'K1,a"b"c,1\n"K2"x,b,2\n', expect=EITHER, every=False)
    c.file("header-only.csv", head, expect=EITHER)
    c.file("header-only-no-newline.csv", head.strip(), expect=EITHER, every=False)
    c.file("header-blank-cells.csv", ",,,\n,,,\n1,2,3\n")
    c.file("header-duplicates.csv", "a,a,a,b\n1,2,3,4\n5,6,7,8\n", expect=EITHER)
    c.file("header-numbers.csv", "1,2,3\n4,5,6\n7,8,9\n")
    c.file("header-years.csv", "2024,2025,2026\nx,y,z\n", expect=EITHER, every=False)
    c.file("totals-only.csv", "合计,100\n小计,200\n总计,300\n", expect=EITHER)
    c.file("header-then-totals.csv", head + "合计,,300\n总计,,300\n", expect=EITHER)
    c.file("footer-only.csv", head + "制表人：张三\n审核：李四\n", expect=EITHER, every=False)
    c.file("one-column.csv", "编号\nK1\nK2\n", expect=EITHER, every=False)
    c.file("cr-only.csv", (head + rows[:2000]).replace("\n", "\r"), expect=EITHER, every=False)
    c.file("form-feeds.csv", head + "K1,\f\v,1\n", expect=EITHER, every=False)
    c.file("delimiter-soup.csv", "a,b;c|d\te\n1,2;3|4\t5\n", expect=EITHER, every=False)
    c.file(
        "empty-lines-between.csv",
        head + "\n" * 3000 + "K1,a,1\n" + "\n" * 3000 + "K2,b,2\n",
        expect=EITHER,
        every=False,
    )
    c.file(
        "special-numbers.csv",
        head
        + "".join(
            f"K{k},n{k},{v}\n"
            for k, v in enumerate(
                ["1e309", "NaN", "inf", "-inf", "1e-400", "9" * 400, "-0", "0x1F", "1,0,0"]
            )
        ),
        expect=EITHER,
    )
    c.file(
        "odd-dates.csv",
        "编号,名称,日期,金额\n"
        + "".join(
            f"K{k},n{k},{v},{k}\n"
            for k, v in enumerate(
                [
                    "0000-01-01",
                    "9999-12-31",
                    "99999-01-01",
                    "2026-02-30",
                    "1e10",
                    "-1",
                    "0",
                    "1900-00-00",
                    "12/31/10000",
                ]
            )
        ),
        expect=EITHER,
    )
    c.file(
        "odd-everything.csv",
        "编号,名称,电话,邮箱,统一社会信用代码,金额,日期,状态\n"
        + "".join(
            f"K{k},{'x' * (k * 37 % 300)},{'9' * (k % 40)},{'@' * k},{'0' * 18},{'1e30' + str(k)},{'9999-99-99'},{'已完成' * k}\n"
            for k in range(30)
        ),
        expect=EITHER,
    )
    if c.big:
        c.file(
            "million-rows-one-column.csv",
            "编号\n" + "".join(f"K{k}\n" for k in range(1_000_000)),
            expect=EITHER,
            every=False,
        )


def paths(c: Corpus) -> None:
    folder = c.files / "folder.csv"
    folder.mkdir(exist_ok=True)
    c.file("folder.csv", folder)
    c.file("missing.csv", c.files / "missing.csv")
    c.file("missing-dir.csv", c.files / "no" / "such" / "missing.csv", every=False)
    locked = c.write("locked.csv", GOOD_CSV)
    locked.chmod(0)
    c.file("locked.csv", locked, expect=frozenset({0, 1}) if os.geteuid() == 0 else BAD)
    fifo = c.files / "pipe.csv"
    if not fifo.exists():
        os.mkfifo(fifo)
    c.file("pipe.csv", fifo)
    for device in ("/dev/zero", "/dev/null", "/dev/urandom"):
        if Path(device).exists():
            c.file(device.rsplit("/", 1)[1], Path(device), every=device == "/dev/zero")
    loop = c.files / "loop.csv"
    if not loop.is_symlink():
        loop.symlink_to(loop.name)
    c.file("loop.csv", loop)
    dangling = c.files / "dangling.xlsx"
    if not dangling.is_symlink():
        dangling.symlink_to("nowhere.xlsx")
    c.file("dangling.xlsx", dangling, every=False)
    to_fifo = c.files / "to-pipe.csv"
    if not to_fifo.is_symlink():
        to_fifo.symlink_to(fifo.name)
    c.file("to-pipe.csv", to_fifo, every=False)
    to_folder = c.files / "to-folder.xlsx"
    if not to_folder.is_symlink():
        to_folder.symlink_to(folder.name)
    c.file("to-folder.xlsx", to_folder, every=False)
    under_file = c.files / "good.csv" / "x.csv"
    c.file("under-a-file.csv", under_file, every=False)
    c.file("name-too-long.csv", c.files / ("n" * 300 + ".csv"), every=False)
    hashy = c.write("a#b.csv", GOOD_CSV)
    equal = c.write("x=y.csv", GOOD_CSV)
    both = c.write("l=a#b.csv", GOOD_CSV)
    book = c.write("x=y#z.xlsx", zip_bytes(xlsx_parts()))
    for path in (hashy, equal, both):
        c.add(f"{path.name}/inspect", ("inspect", str(path)), GOOD, path.name)
        c.add(
            f"{path.name}/labelled",
            ("dedupe", "--quiet", "--out", c.out(), f"lab={path}"),
            GOOD,
            path.name,
        )
    c.add("x=y#z.xlsx#Sheet1", ("inspect", f"{book}#Sheet1"), GOOD, book.name)
    c.add(
        "x=y#z.xlsx labelled",
        ("dedupe", "--quiet", "--out", c.out(), f"b={book}#Sheet1"),
        GOOD,
        book.name,
    )
    good = str(c.good)
    c.add("missing sheet", ("inspect", f"{book}#Nope"), BAD, book.name)
    c.add(
        "missing sheet reconcile",
        ("reconcile", "--quiet", "--out", c.out(), good, f"{book}#Nope"),
        BAD,
        book.name,
    )
    c.add("empty sheet part", ("inspect", f"{book}#"), GOOD, book.name)
    c.add(
        "sheet of a csv", ("dedupe", "--quiet", "--out", c.out(), f"{good}#Sheet1"), BAD, "good.csv"
    )
    c.add("empty label", ("dedupe", "--quiet", "--out", c.out(), f"={good}"), GOOD, "good.csv")
    c.add("label without path", ("dedupe", "--quiet", "--out", c.out(), "lab="), BAD)
    c.add("label and hash only", ("dedupe", "--quiet", "--out", c.out(), "lab=#S"), BAD)
    c.add("hash only", ("inspect", "#S"), BAD)
    c.add("empty argument", ("inspect", ""), BAD)
    c.add("empty source", ("dedupe", "--quiet", "--out", c.out(), ""), BAD)
    c.add("dot", ("inspect", "."), BAD)
    c.add("root", ("inspect", "/"), BAD)
    c.add(
        "duplicate labels",
        ("reconcile", "--quiet", "--out", c.out(), f"a={good}", f"a={c.good2}"),
        BAD,
    )
    c.add("same file twice", ("reconcile", "--quiet", "--out", c.out(), good, good), BAD, "good")
    c.add(
        "same file, two labels",
        ("reconcile", "--quiet", "--out", c.out(), f"a={good}", f"b={good}"),
        GOOD,
    )
    c.add("one table", ("reconcile", "--quiet", "--out", c.out(), good), BAD)
    distinct = c.write("distinct.csv", "编号,名称\nA1,华信科技\nA2,北京天成\n")
    c.add("dedupe, no duplicates", ("dedupe", "--quiet", "--out", c.out(), str(distinct)), GOOD)
    c.add("good pair", ("reconcile", "--quiet", "--out", c.out(), good, str(c.good2)), GOOD)
    c.add(
        "many bad inspect",
        ("inspect", str(c.files / "missing.csv"), str(folder), good),
        BAD,
        "missing.csv",
    )
    c.add("inspect good then fifo", ("inspect", good, str(fifo)), BAD, "pipe.csv")


def keys_and_settings(c: Corpus) -> None:
    good, good2 = str(c.good), str(c.good2)

    def run(name: str, *extra: str, expect=BAD, names=None) -> None:
        c.add(name, ("reconcile", "--quiet", "--out", c.out(), *extra, good, good2), expect, names)

    run("key missing column", "--key", "good=nope", names="good.csv")
    run("key unknown label", "--key", "nobody=编号", expect=EITHER)
    run("key empty label", "--key", "=编号", expect=EITHER)
    run("key empty column", "--key", "good=", expect=EITHER)
    run("key twice", "--key", "good=编号", "--key", "good=名称", expect=EITHER)
    run("key of a non-unique column", "--key", "good=金额", expect=EITHER)
    settings = {
        "invalid-toml": "[thresholds\nauto = ",
        "binary": b"\xff\xfe\x00\x01",
        "utf16": "[thresholds]\nauto = 0.9\n".encode("utf-16"),
        "empty": "",
        "unknown-section": "[nonsense]\na = 1",
        "unknown-key": "[thresholds]\nautomatic = 0.9",
        "unknown-tolerance": "[tolerance]\nmoneys = 1",
        "unknown-blocking": "[blocking]\nwindw = 2",
        "wrong-type-auto": '[thresholds]\nauto = "high"',
        "auto-above-one": "[thresholds]\nauto = 2",
        "review-zero": "[thresholds]\nreview = 0",
        "auto-nan": "[thresholds]\nauto = nan",
        "negative-money": "[tolerance]\nmoney = -1",
        "negative-days": "[tolerance]\ndays = -3",
        "nan-money": "[tolerance]\nmoney = nan",
        "inf-money": "[tolerance]\nmoney = inf",
        "inf-days": "[tolerance]\ndays = inf",
        "nan-days": "[tolerance]\ndays = nan",
        "huge-days": "[tolerance]\ndays = 1e300",
        "huge-percent": "[tolerance]\nmoney_percent = 1e308",
        "inf-pairs": "[blocking]\nmax_pairs_per_record = inf",
        "nan-window": "[blocking]\nwindow = nan",
        "huge-pairs": "[blocking]\nmax_pairs_per_record = 1e18",
        "huge-window": "[blocking]\nwindow = 1e12",
        "fraction-window": "[blocking]\nwindow = 0.5",
        "zero-pairs": "[blocking]\nmax_pairs_per_record = 0",
        "string-window": '[blocking]\nwindow = "2"',
        "tolerance-list": "tolerance = [1, 2]",
        "conflicts-unknown-field": '[conflicts]\nfields = ["nonsense"]',
        "conflicts-unknown-key": '[conflicts]\nfieldz = ["amount"]',
        "fields-bad-type": '[fields.amount]\ntype = "money!"\ncolumns = { good = "金额" }',
        "fields-columns-string": '[fields.amount]\ntype = "money"\ncolumns = "金额"',
        "fields-columns-numbers": '[fields.amount]\ntype = "money"\ncolumns = { good = 5 }',
        "fields-unknown-label": '[fields.amount]\ntype = "money"\ncolumns = { nobody = "金额" }',
        "fields-unknown-column": '[fields.amount]\ntype = "money"\ncolumns = { good = "无此列" }',
        "fields-extra-key": '[fields.amount]\ntype = "money"\ncolumns = { good = "金额" }\nweight = 3',
        "keys-unknown-label": '[keys]\nnobody = "编号"',
        "keys-missing-column": '[keys]\ngood = "无此列"',
        "chain-unknown": "[chain]\nspeed = 3",
        "chain-as-of-datetime": "[chain]\nas_of = 1979-05-27T07:32:00",
        "chain-as-of-garbage": '[chain]\nas_of = "yesterday"',
        "chain-as-of-year-0": '[chain]\nas_of = "0000-01-01"',
        "chain-grace-inf": "[chain]\ngrace_days = inf",
        "chain-grace-negative": "[chain]\ngrace_days = -1",
        "chain-role-number": "[chain]\nerp = 5",
        "chain-role-unknown-label": '[chain]\nerp = "nobody"',
        "chain-same-label-twice": '[chain]\nerp = "good"\ncrm = "good"',
        "deep-nesting": "a = " + "[" * 5000 + "]" * 5000,
    }
    for name, text in settings.items():
        path = c.write(f"settings-{name}.toml", text)
        expect = (
            EITHER
            if name.startswith(
                (
                    "fields-unknown",
                    "chain-role-unknown",
                    "chain-same",
                    "keys-unknown",
                    "empty",
                    "huge",
                    "zero",
                    "conflicts-unknown-field",
                )
            )
            else BAD
        )
        run(f"settings {name}", "--settings", str(path), expect=expect)
    run("settings missing", "--settings", str(c.files / "none.toml"), names="none.toml")
    run("settings folder", "--settings", str(c.files), names=c.files.name)
    run("settings fifo", "--settings", str(c.files / "pipe.csv"), names="pipe.csv")
    run("settings dev-zero", "--settings", "/dev/zero", names="zero")
    run("settings workbook", "--settings", str(c.files / "x=y#z.xlsx"))


def outputs(c: Corpus) -> None:
    good, good2 = str(c.good), str(c.good2)
    for name, out in (
        ("out is a file", str(c.good)),
        ("out under a file", str(c.good / "sub")),
        ("out under a file, deep", str(c.good / "a" / "b" / "c")),
        ("out in /proc", "/proc/concord-out"),
        ("out is /dev/null", "/dev/null"),
        ("out is a fifo", str(c.files / "pipe.csv")),
        ("out is a dangling symlink", str(c.files / "dangling.xlsx")),
        ("out name too long", str(c.root / ("o" * 300))),
    ):
        for mode in ("reconcile", "dedupe"):
            sources = (good, good2) if mode == "reconcile" else (good,)
            c.add(f"{name}/{mode}", (mode, "--quiet", "--out", out, *sources), BAD)
    readonly = c.root / "out" / "readonly"
    readonly.mkdir(parents=True, exist_ok=True)
    readonly.chmod(0o500)
    c.add(
        "out read-only",
        ("dedupe", "--quiet", "--out", str(readonly / "x"), good),
        EITHER if os.geteuid() == 0 else BAD,
    )
    c.add("out empty", ("dedupe", "--quiet", "--out", "", good), frozenset({1, 2}))
    c.add("out exists with files", ("dedupe", "--quiet", "--out", str(c.files), good), GOOD)


def password(c: Corpus) -> None:
    from tests.conftest import CORPUS

    for name in ("pass_protected.xlsx", "pass_protected.xls", "pass_protected.ods"):
        if (CORPUS / name).exists():
            c.file(f"corpus-{name}", (CORPUS / name).read_bytes())
    # An encrypted OOXML package is an OLE file holding EncryptionInfo and EncryptedPackage.
    c.file("encrypted-shape.xlsx", ole_directory_only(name="EncryptedPackage", size=4096))


FAMILIES: tuple[Callable[[Corpus], None], ...] = (
    empty_files,
    binary_junk,
    damaged_zips,
    bombs,
    broken_workbooks,
    ole_files,
    markup_files,
    text_files,
    paths,
    keys_and_settings,
    outputs,
    password,
)


# --- judging one run ---------------------------------------------------------------------

EXCEPTION_WORDS = (
    "Traceback",
    "Error:",
    "Exception",
    "panicked",
    "thread '",
    "Segmentation",
    "core dumped",
)


def verdict(case: Case, code: int | None, err: str, out_dir: Path | None = None) -> str | None:
    """Why a run is a failure, or None when it kept the contract."""
    if code is None:
        return "hang"
    if any(word in err for word in EXCEPTION_WORDS):
        return "traceback: " + " | ".join(err.strip().splitlines()[-2:])[:300]
    if code not in case.expect:
        return f"exit {code}, expected {sorted(case.expect)}: {err.strip()[:300]}"
    lines = [line for line in err.splitlines() if line.strip()]
    if code == 1:
        errors = [line for line in lines if not line.startswith("concord: note:")]
        if len(errors) > len([a for a in case.argv if a]) or not errors:
            return f"{len(errors)} error lines: {err.strip()[:300]}"
        if case.names and not any(case.names in line for line in errors):
            return f"the message does not name {case.names}: {err.strip()[:300]}"
        written = out_dir is not None and has_files(out_dir)
        if written and case.argv[0] in ("reconcile", "dedupe"):
            return "an output was written although the run failed"
    return None


def has_files(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError:
        return False


def out_of(case: Case) -> Path | None:
    if "--out" in case.argv:
        return Path(case.argv[case.argv.index("--out") + 1])
    return None


def iter_runs(cases: list[Case], timeout: float, jobs: int) -> Iterator[tuple[Case, str | None]]:
    """Run each case through the real command in a child process."""
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    def one(case: Case) -> tuple[Case, str | None]:
        out = out_of(case)
        existed = out is not None and has_files(out)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "app", *case.argv],
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "CONCORD_WORKERS": "1"},
            )
        except subprocess.TimeoutExpired:
            return case, "hang"
        err = done.stderr.decode("utf-8", "replace")
        return case, verdict(case, done.returncode, err, None if existed else out)

    with ThreadPoolExecutor(jobs) as pool:
        yield from pool.map(one, cases)


def main() -> int:
    import argparse
    import tempfile
    import time

    parser = argparse.ArgumentParser(description="Run the fault corpus through concord.")
    parser.add_argument("--big", action="store_true", help="add the large instances")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="run the cases whose name holds this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = [c for c in build(Path(folder), args.big) if args.only in c.name]
        started = time.perf_counter()
        failed = 0
        for case, problem in iter_runs(cases, args.timeout, args.jobs):
            if problem:
                failed += 1
                print(f"FAIL {case.name}: {problem}", flush=True)
        files = len(list((Path(folder) / "in").iterdir()))
        print(
            f"{len(cases)} runs over {files} inputs, {failed} failed, "
            f"{time.perf_counter() - started:.0f} s"
        )
        for path in Path(folder).rglob("*"):
            if not path.is_symlink():
                path.chmod(0o700 if path.is_dir() else 0o600)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
