"""The skill icons Alexa certification asks for: the committed PNGs are the SVG's render."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from skill.local import icons
from tests.conftest import ROOT

SOURCE = ROOT / "assets" / "icon.svg"
IMAGES = ROOT / "interaction_models" / "assets" / "images"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">{}</svg>'
WHITE = '<rect width="16" height="16" fill="#fff"/>'


def decode(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, channels, rows of pixel bytes), checking what a PNG reader checks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: list[tuple[bytes, bytes]] = []
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC on {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert (depth, compression, filtering, interlace) == (8, 0, 0, 0)
    channels = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1)
    # The writer uses filter type 0 (none) on every row; any other would need undoing here.
    assert all(raw[y * (stride + 1)] == 0 for y in range(height))
    rows = [raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)] for y in range(height)]
    return width, height, channels, rows


def pixel(image: tuple[int, int, int, list[bytes]], x: int, y: int) -> tuple[int, ...]:
    _, _, channels, rows = image
    return tuple(rows[y][x * channels : (x + 1) * channels])


@pytest.mark.parametrize("size", icons.SIZES)
def test_the_committed_icons_are_opaque_pngs_of_alexas_sizes(size: int) -> None:
    data = (IMAGES / f"icon-{size}.png").read_bytes()
    width, height, channels, _ = decode(data)
    assert (width, height) == (size, size) == icons.png_size(data)
    # RGB: every pixel opaque, so the icon looks the same on any background.
    assert channels == 3


def test_the_committed_icons_are_a_fresh_render_of_the_svg() -> None:
    svg = SOURCE.read_text(encoding="utf-8")
    for size in icons.SIZES:
        committed = (IMAGES / f"icon-{size}.png").read_bytes()
        fresh = icons.render(svg, size)
        # Pixels first: a difference there means assets/icon.svg changed without a re-render.
        assert decode(committed) == decode(fresh), (
            f"icon-{size}.png is not assets/icon.svg: run python -m skill.local.icons"
        )
        # Not the bytes: those depend on the machine's zlib (zlib-ng compresses otherwise).
    assert icons.main(["--check"]) == 0


def test_the_command_writes_both_icons_and_check_sees_a_stale_one(tmp_path: Path) -> None:
    assert icons.main(["--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["icon-108.png", "icon-512.png"]
    assert icons.main(["--out", str(tmp_path), "--check"]) == 0
    other = tmp_path / "other.svg"
    other.write_text(SVG.format(WHITE), encoding="utf-8")
    assert icons.main(["--source", str(other), "--out", str(tmp_path), "--check"]) == 1


@pytest.mark.parametrize(
    ("shape", "opacity"),
    [
        ('<circle cx="8" cy="8.5" r="5.75" fill="#000"{}/>', 1.0),
        ('<ellipse cx="8" cy="8.5" rx="5.75" ry="3" fill="#000"{}/>', 1.0),
        ('<rect x="2" y="2" width="11.75" height="12" rx="3" fill="#000"{}/>', 1.0),
        ('<circle cx="8" cy="8.5" r="5.75" fill="#000"{}/>', 0.5),
    ],
)
def test_edges_are_anti_aliased(shape: str, opacity: float) -> None:
    paint = f' fill-opacity="{opacity}"' if opacity < 1 else ""
    image = decode(icons.render(SVG.format(WHITE + shape.format(paint)), 16))
    # Black over white: a pixel's red is 255 times the share of it the shape leaves uncovered.
    assert pixel(image, 8, 8)[0] == pytest.approx(255 * (1 - opacity), abs=0.5)
    assert pixel(image, 15, 8) == (255, 255, 255)
    # The pixel centre (13.5, 8.5) lies 0.25 px inside the right edge at x=13.75: the shape
    # covers three quarters of that pixel, not all or nothing.
    assert pixel(image, 13, 8)[0] == pytest.approx(255 * (1 - 0.75 * opacity), abs=0.5)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (SVG.format('<path d="M0 0h16v16z"/>'), "<path> is not in the subset"),
        (SVG.format('<circle cx="8" cy="8" r="4" stroke="#000"/>'), "'stroke' is not in"),
        (SVG.format('<g><circle cx="8" cy="8" r="4"/></g>'), "<g> is not in the subset"),
        (SVG.format('<circle cx="8" cy="8" r="4" fill="teal"/>'), "#rgb or #rrggbb"),
        (SVG.format('<circle cx="8" cy="8" r="50%"/>'), "plain number"),
        ('<svg viewBox="0 0 16 16"><circle r="4"/></svg>', 'xmlns="http://www.w3.org/2000/svg"'),
        (SVG.replace("0 0 16 16", "0 0 16 9").format(""), "must be a square"),
    ],
)
def test_svg_outside_the_subset_is_refused_by_name(svg: str, message: str) -> None:
    with pytest.raises(icons.SvgError) as raised:
        icons.render(svg, 16)
    assert message in str(raised.value)


def test_a_designer_hears_what_is_wrong_from_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "icon.svg"
    source.write_text(SVG.format('<polyline points="0,0 16,16"/>'), encoding="utf-8")
    assert icons.main(["--source", str(source), "--out", str(tmp_path / "out")]) == 1
    assert "<polyline> is not in the subset" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
