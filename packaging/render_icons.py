"""Render Concord's icon (resources/icons/concord.svg) for the installers, with Qt.

    python packaging/render_icons.py --png 256 build/concord-256.png
    python packaging/render_icons.py --ico packaging/windows/concord.ico

The .ico holds 16, 24, 32, 48 and 64 px as 32-bit bitmaps (what Explorer and the Start
menu read best at small sizes) and 256 px as PNG (the Vista+ format for the large one).
Written by hand: Qt's ICO plugin saves only one size per file.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "concord.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 256)


def render(size: int, svg: Path = SVG) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An ICO bitmap: BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask."""
    size = image.width()
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in reversed(range(size)):
        line = argb.constScanLine(y)
        rows.append(bytes(line)[: size * 4])  # ARGB32 is B, G, R, A in memory (little endian)
    mask_row = ((size + 31) // 32) * 4
    mask = bytes(mask_row * size)  # all opaque: the alpha channel decides
    return header + b"".join(rows) + mask


def write_ico(path: Path, sizes: tuple[int, ...] = ICO_SIZES) -> None:
    payloads = []
    for size in sizes:
        image = render(size)
        payloads.append((size, png_bytes(image) if size >= 256 else dib_bytes(image)))
    offset = 6 + 16 * len(payloads)
    directory = b""
    for size, data in payloads:
        edge = 0 if size >= 256 else size  # 0 means 256
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        struct.pack("<HHH", 0, 1, len(payloads)) + directory + b"".join(d for _, d in payloads)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", nargs=2, metavar=("SIZE", "PATH"), action="append", default=[])
    parser.add_argument("--ico", type=Path, metavar="PATH")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    for size, path in args.png:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(int(size)).save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        print(out)
    if args.ico:
        write_ico(args.ico)
        print(args.ico)
    return 0


if __name__ == "__main__":
    sys.exit(main())
