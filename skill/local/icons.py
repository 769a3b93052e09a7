"""The skill's icons: `assets/icon.svg` rendered to the two PNGs Alexa certification asks for
(the SVG subset it may use: skill/local/svg_subset.py). Only the standard library is used, and
the same source gives the same pixels.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from skill.local.png import encode_png, image_data, png_size
from skill.local.svg_subset import SvgError, parse, rasterize

__all__ = ["SIZES", "SOURCE", "SvgError", "icon_name", "png_size", "render", "write_icons"]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "assets" / "icon.svg"
# ASK CLI packages name local assets relative to the skill package folder:
# "file://assets/images/icon-108.png".
OUT = ROOT / "interaction_models" / "assets" / "images"
# Alexa's small and large skill icons.
SIZES = (108, 512)


def render(svg_text: str, size: int) -> bytes:
    """The SVG drawn as a size x size PNG (RGB when every pixel is opaque, RGBA otherwise)."""
    if size < 1:
        raise ValueError(f"size must be at least 1 pixel, not {size}")
    return encode_png(size, size, rasterize(parse(svg_text, size), size))


def write_icons(source: Path = SOURCE, out_dir: Path = OUT) -> list[Path]:
    """Render `source` at each of Alexa's icon sizes into out_dir/icon-<size>.png."""
    svg_text = source.read_text(encoding="utf-8")
    # Every size is rendered before any is written: a source the renderer refuses leaves the
    # committed icons as they were, never one new and one old.
    rendered = {out_dir / icon_name(size): render(svg_text, size) for size in SIZES}
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, data in rendered.items():
        path.write_bytes(data)
    return list(rendered)


def stale_icons(source: Path = SOURCE, out_dir: Path = OUT) -> list[Path]:
    """The icons in out_dir that are missing or not a render of `source`, compared by their
    pixels: the compressed bytes depend on the machine's zlib, the pixels do not."""
    svg_text = source.read_text(encoding="utf-8")
    return [
        path
        for path, size in ((out_dir / icon_name(size), size) for size in SIZES)
        if not path.is_file() or image_data(path.read_bytes()) != image_data(render(svg_text, size))
    ]


def icon_name(size: int) -> str:
    return f"icon-{size}.png"


# --- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m skill.local.icons",
        description=f"Render the skill icon SVG to PNGs of {' and '.join(map(str, SIZES))} px.",
    )
    parser.add_argument("--source", type=Path, default=SOURCE, help="the SVG (%(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder (%(default)s)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail if the PNGs in --out differ from a fresh render",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = stale_icons(args.source, args.out)
            for path in stale:
                print(f"{path} is not a render of {args.source}", file=sys.stderr)
            return 1 if stale else 0
        for path in write_icons(args.source, args.out):
            print(f"wrote {path} ({'x'.join(map(str, png_size(path.read_bytes())))})")
    except (OSError, SvgError) as error:
        print(f"icons: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
