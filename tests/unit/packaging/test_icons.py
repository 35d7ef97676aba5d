"""The checked-in app icons (packaging/make_icons.py writes them): right sizes, valid containers.

Parsed with struct only, so no Qt is needed: the installers and PyInstaller use these files as they are.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

ICONS = Path(__file__).resolve().parents[3] / "resources" / "icons"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, which must come first."""
    assert data[:8] == PNG_MAGIC, "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_png_exists_with_its_size(size: int) -> None:
    data = (ICONS / f"copilot-desktop-{size}.png").read_bytes()
    assert png_size(data) == (size, size)
    bit_depth, colour_type = data[24], data[25]
    assert (bit_depth, colour_type) == (8, 6), "8-bit RGBA, so the corners stay transparent"


def test_ico_lists_16_to_256_with_png_payloads() -> None:
    data = (ICONS / "copilot-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        entry = data[6 + 16 * index : 6 + 16 * (index + 1)]
        width, height, _colours, _reserved, planes, bits, length, offset = struct.unpack("<BBBBHHII", entry)
        assert (planes, bits) == (1, 32)
        assert offset + length <= len(data)
        side = width or 256
        assert height == width
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]


def test_icns_header_length_and_types() -> None:
    data = (ICONS / "copilot-desktop.icns").read_bytes()
    magic, total = struct.unpack(">4sI", data[:8])
    assert magic == b"icns"
    assert total == len(data)
    found: dict[bytes, tuple[int, int]] = {}
    position = 8
    while position < len(data):
        kind, length = struct.unpack(">4sI", data[position : position + 8])
        assert length > 8 and position + length <= len(data)
        found[kind] = png_size(data[position + 8 : position + length])
        position += length
    assert position == len(data)
    expected = {
        b"icp4": 16,
        b"icp5": 32,
        b"icp6": 64,
        b"ic07": 128,
        b"ic08": 256,
        b"ic09": 512,
        b"ic10": 1024,
    }
    for kind, side in expected.items():
        assert found.get(kind) == (side, side), kind
