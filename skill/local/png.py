"""PNG in and out, with the standard library: 8-bit RGB(A), one zlib stream."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encode_png(width: int, height: int, pixels: Sequence[float]) -> bytes:
    """An 8-bit PNG of premultiplied RGBA floats: RGB if all of it is opaque, else RGBA."""
    # Compositing keeps every value within [0, 1]; bytes() would refuse one that strayed.
    quantized = bytes(int(value * 255.0 + 0.5) for value in pixels)
    opaque = quantized[3::4] == b"\xff" * (width * height)
    if opaque:
        channels = 3
        data = bytearray(width * height * 3)
        for channel in range(3):
            data[channel::3] = quantized[channel::4]
    else:
        channels = 4
        data = bytearray(quantized)
        for i in range(0, len(pixels), 4):
            alpha = pixels[i + 3]
            for c in range(3):  # PNG stores straight colour, not premultiplied
                data[i + c] = min(255, int(pixels[i + c] / alpha * 255.0 + 0.5)) if alpha else 0
    stride = width * channels
    # Filter type 0 on every row: flat colour already deflates to a few kilobytes.
    raw = b"".join(b"\x00" + data[row * stride : (row + 1) * stride] for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join(
        (
            PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(raw, 9)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG: the 8-byte signature is missing")
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise ValueError("not a PNG: the first chunk is not IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def image_data(data: bytes) -> tuple[bytes, bytes]:
    """A PNG's header and decompressed image data (empty for a file that is not one)."""
    header, compressed, at = b"", b"", 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        at += 12 + length
    try:
        return header, zlib.decompress(compressed)
    except zlib.error:
        return header, b""
