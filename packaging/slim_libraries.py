"""Linux: smaller stand-ins for libraries the bundle links but barely uses (build.spec).

- ``icu_data_library``: Qt's ``libicudata`` (31 MB) holds ICU's whole data package, but
  of ICU the bundle calls only what ``libQt6Core`` imports (``nm -D --undefined-only``):
  converters (``ucnv_*``, QStringConverter), collation (``ucol_*``, QCollator), case
  mapping and time zones (``ucal_*``). The stand-in keeps the data those reach
  (converters, collation, time zones, locale and supplemental data) for the root, English
  and Chinese locales; other locales fall back to root, as ICU does for any locale it
  lacks. Break iteration, transliteration, number spelling, character names and the
  display names of languages, regions, currencies and units are not reached and left out.
- ``empty_library``: a library with a soname and nothing else, for one a module lists as
  NEEDED without using a single symbol of it (pyarrow links every extension to
  libparquet, libarrow_dataset and libarrow_substrait).

Both need binutils only (``as``, ``ld``, ``readelf``), like the spec's ``strip`` step.
Run directly to see what the ICU filter keeps: ``python packaging/slim_libraries.py
PATH/libicudata.so.NN``.
"""

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ICU_KEPT_LANGUAGES = {"en", "zh"}
# Data trees and files no function libQt6Core calls reads.
ICU_UNUSED_TREES = {"brkitr", "curr", "lang", "region", "unit", "rbnf", "translit"}
ICU_UNUSED_FILE = re.compile(r"^(unames\.icu|confusables\.cfu|uemoji\.icu|ulayout\.icu|.*\.spp)$")
# A locale's bundle (zh_Hans_CN.res, coll/de__PHONEBOOK.res); supplemental data such as
# supplementalData.res, zoneinfo64.res, pool.res and root.res have longer names.
ICU_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]*)*\.res$")


def keep_icu_item(name):
    """Whether an item of ICU's data package (``coll/zh.res``, ``cnvalias.icu``) stays."""
    *trees, file = name.split("/")
    if (trees and trees[0] in ICU_UNUSED_TREES) or ICU_UNUSED_FILE.match(file):
        return False
    locale = ICU_LOCALE.match(file)
    return not locale or file == "res_index.res" or locale.group(1) in ICU_KEPT_LANGUAGES


def read_common_data(blob):
    """ICU common data (the "CmnD" format): (header bytes, {item name: bytes})."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("not ICU common data")
    count = struct.unpack_from("<I", blob, header_size)[0]
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in toc[1:]] + [len(blob) - header_size]
    items = {}
    for (name_offset, offset), end in zip(toc, ends, strict=True):
        start = header_size + name_offset
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        items[name] = blob[header_size + offset : header_size + end]
    return blob[:header_size], items


def write_common_data(header, items):
    """The inverse of ``read_common_data``: names sorted (ICU searches them by bisection),
    every item 16-byte aligned."""
    names = sorted(items)
    table_size = 4 + 8 * len(names)
    name_offsets, strings = [], b""
    for name in names:
        name_offsets.append(table_size + len(strings))
        strings += name.encode("ascii") + b"\0"
    position = table_size + len(strings)
    data, offsets = b"", []
    for name in names:
        padding = -(len(header) + position + len(data)) % 16
        data += b"\0" * padding
        offsets.append(position + len(data))
        data += items[name]
    toc = struct.pack("<I", len(names)) + b"".join(
        struct.pack("<II", n, o) for n, o in zip(name_offsets, offsets, strict=True)
    )
    return header + toc + strings + data


def elf_data_symbol(path):
    """(name, bytes) of the one data symbol a libicudata exports (icudtNN_dat)."""
    symbols = subprocess.run(
        ["readelf", "-W", "--dyn-syms", str(path)], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^\s*\d+: ([0-9a-f]+)\s+(\d+|0x[0-9a-f]+) OBJECT\s+GLOBAL\s+\S+\s+(\d+) (icudt\w+)$",
                      symbols, re.M)  # fmt: skip
    if not match:
        raise ValueError(f"{path}: no icudt*_dat symbol")
    address, size, section, name = match.groups()
    sections = subprocess.run(
        ["readelf", "-W", "-S", str(path)], capture_output=True, text=True, check=True
    ).stdout
    row = re.search(rf"^\s*\[\s*{section}\] \S+\s+\S+\s+([0-9a-f]+) ([0-9a-f]+)", sections, re.M)
    offset = int(address, 16) - int(row.group(1), 16) + int(row.group(2), 16)
    return name, Path(path).read_bytes()[offset : offset + int(size, 0)]


def link_library(soname, target, symbol=None, data_file=None):
    """A shared library named ``soname``; with ``symbol``, exporting ``data_file``'s bytes
    under that name, 16-byte aligned in read-only data."""
    source = ""
    if symbol:
        source = (
            f".section .rodata\n.balign 16\n.globl {symbol}\n.type {symbol}, @object\n"
            f".size {symbol}, {Path(data_file).stat().st_size}\n{symbol}:\n"
            f'.incbin "{data_file}"\n'
        )
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "lib.s").write_text(source, encoding="ascii")
        obj = Path(folder) / "lib.o"
        subprocess.run(["as", "-o", str(obj), str(Path(folder) / "lib.s")], check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", soname, "-o", str(target), str(obj)], check=True
        )


def icu_data_library(source, target):
    """Writes the filtered libicudata to ``target``; returns (items kept, items in all)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    symbol, blob = elf_data_symbol(source)
    header, items = read_common_data(blob)
    kept = {name: data for name, data in items.items() if keep_icu_item(name.split("/", 1)[1])}
    data_file = target.with_suffix(".dat")
    data_file.write_bytes(write_common_data(header, kept))
    link_library(Path(source).name, target, symbol, data_file.resolve())
    return len(kept), len(items)


def empty_library(soname, target):
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    link_library(soname, target)


if __name__ == "__main__":
    _, package = read_common_data(elf_data_symbol(sys.argv[1])[1])
    for item, data in sorted(package.items()):
        print("keep" if keep_icu_item(item.split("/", 1)[1]) else "drop", len(data), item)
