"""Render resources/copilot-desktop.svg into the app icons the installers use.

    .venv/bin/python packaging/make_icons.py

Writes resources/icons/copilot-desktop-<N>.png (N = 16 ... 512; Linux hicolor theme, AppImage),
copilot-desktop.ico (16-256; Windows exe and installer) and copilot-desktop.icns (16-1024; macOS
app bundle). The outputs are checked in, so a build never renders anything: run this again only
after changing the SVG, and commit what it writes. Qt renders the SVG (QtSvg ships with
PySide6-Essentials); the ICO and ICNS are written with the standard library, as both are plain
containers of PNG images.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "copilot-desktop.svg"
OUT = ROOT / "resources" / "icons"
NAME = "copilot-desktop"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size an ICO entry can describe
# ICNS entry types holding PNG data, and the pixel size of each (the @2x ones are for Retina).
ICNS_TYPES = {
    b"icp4": 16,
    b"icp5": 32,
    b"icp6": 64,
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,  # 512@2x
    b"ic11": 32,  # 16@2x
    b"ic12": 64,  # 32@2x
    b"ic13": 256,  # 128@2x
    b"ic14": 512,  # 256@2x
}


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """The SVG drawn into a transparent square of each size, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    pngs: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):  # type: ignore[call-overload]  # the stub says bytes; only str works
            raise SystemExit(f"could not encode the {size} px PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    return pngs


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file: ICONDIR, one 16-byte ICONDIRENTRY per image, then the PNGs (Windows Vista+)."""
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    entries, payloads = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256
        # width, height, palette colours, reserved, colour planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payloads += png
        offset += len(png)
    return header + entries + payloads


def icns(images: list[tuple[bytes, bytes]]) -> bytes:
    """An ICNS file: 'icns' + total length, then per image its OSType + length (header included) + PNG."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    pngs = render_pngs(SVG, {*PNG_SIZES, *ICO_SIZES, *ICNS_TYPES.values()})
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for size in PNG_SIZES:
        path = OUT / f"{NAME}-{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    path = OUT / f"{NAME}.ico"
    path.write_bytes(ico([(size, pngs[size]) for size in ICO_SIZES]))
    written.append(path)
    path = OUT / f"{NAME}.icns"
    path.write_bytes(icns([(kind, pngs[size]) for kind, size in ICNS_TYPES.items()]))
    written.append(path)
    for path in written:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
