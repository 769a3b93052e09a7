"""The small subset of SVG the skill's icon is drawn in, parsed into shapes and drawn.

An `<svg>` with a square viewBox holding `<rect>` (with rx/ry), `<circle>` and `<ellipse>`, each
with a solid `fill` (#rgb or #rrggbb, or none) and `fill-opacity`/`opacity`, drawn in document
order. Anything else raises SvgError naming what it met, so whoever edits the icon learns the
subset instead of getting a PNG that quietly differs from what a browser shows.

Each pixel is covered by a shape in proportion to how far its centre lies inside the shape's
edge (coverage = clamp(0.5 - signed distance in pixels)), which anti-aliases the edges without
supersampling.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

SVG_NS = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PAINT = ("fill", "fill-opacity", "opacity")
_SHAPES: dict[str, tuple[str, ...]] = {
    "rect": ("x", "y", "width", "height", "rx", "ry"),
    "circle": ("cx", "cy", "r"),
    "ellipse": ("cx", "cy", "rx", "ry"),
}
# Harmless everywhere: naming a shape or describing the picture changes no pixel.
_ANY = ("id",)
_ROOT_ATTRIBUTES = ("viewBox", "width", "height", "version", "role", "aria-label", *_ANY)

Distance = Callable[[float, float], float]


class SvgError(ValueError):
    """The source uses SVG this renderer does not draw (or is not valid SVG)."""


@dataclass(frozen=True)
class Shape:
    """One filled shape in pixel coordinates: a signed distance (negative inside) and a box."""

    distance: Distance
    box: tuple[float, float, float, float]  # left, top, right, bottom
    rgb: tuple[float, float, float]
    opacity: float


# --- parsing -------------------------------------------------------------------------------


def parse(svg_text: str, size: int) -> list[Shape]:
    """The shapes of the SVG, in drawing order, scaled so the viewBox fills size pixels."""
    try:
        root = ElementTree.fromstring(svg_text)
    except ElementTree.ParseError as error:
        raise SvgError(f"not well-formed XML: {error}") from None
    if root.tag != f"{SVG_NS}svg":
        raise SvgError(
            f'the root element must be <svg xmlns="http://www.w3.org/2000/svg">, not {root.tag}'
        )
    _check_attributes(root, "svg", _ROOT_ATTRIBUTES)
    min_x, min_y, scale = _view_box(root.get("viewBox"), size)
    shapes = []
    for element in root:
        name = _local_name(element.tag)
        if name == "title":
            if len(element):
                raise SvgError("<title> holds text only")
            continue
        if name not in _SHAPES:
            raise SvgError(
                f"<{name}> is not in the subset this renderer draws "
                f"(rect, circle, ellipse; title for a description)"
            )
        if len(element):
            raise SvgError(f"<{name}> cannot hold other elements here")
        _check_attributes(element, name, (*_SHAPES[name], *_PAINT, *_ANY))
        distance, box = _SHAPE_BUILDERS[name](element, min_x, min_y, scale)
        rgb, opacity = _paint(element, name)
        left, top, right, bottom = box
        # As in SVG, a zero width, height or radius draws nothing (not a hairline).
        if opacity > 0.0 and right > left and bottom > top:
            shapes.append(Shape(distance, box, rgb, opacity))
    return shapes


def _local_name(tag: str) -> str:
    if tag.startswith(SVG_NS):
        return tag[len(SVG_NS) :]
    raise SvgError(f"element {tag} is outside the SVG namespace")


def _check_attributes(element: ElementTree.Element, name: str, allowed: Sequence[str]) -> None:
    for attribute in element.attrib:
        if attribute not in allowed:
            raise SvgError(
                f"<{name}> attribute {attribute!r} is not in the subset this renderer draws "
                f"(allowed on <{name}>: {', '.join(allowed)})"
            )


def _view_box(value: str | None, size: int) -> tuple[float, float, float]:
    if value is None:
        raise SvgError('<svg> needs a viewBox, e.g. viewBox="0 0 512 512"')
    parts = value.replace(",", " ").split()
    if len(parts) != 4:
        raise SvgError(f"viewBox needs four numbers, not {value!r}")
    min_x, min_y, width, height = (_number(part, "viewBox") for part in parts)
    if width <= 0 or width != height:
        raise SvgError(f"the viewBox must be a square (an icon is square), not {value!r}")
    return min_x, min_y, size / width


def _number(text: str, what: str) -> float:
    if not _NUMBER.fullmatch(text.strip()):
        raise SvgError(f"{what}={text!r}: give a plain number (no units or percentages)")
    return float(text)


def _length(element: ElementTree.Element, attribute: str, default: float | None = 0.0) -> float:
    text = element.get(attribute)
    if text is None:
        if default is None:
            raise SvgError(f"<{_local_name(element.tag)}> needs {attribute}")
        return default
    value = _number(text, attribute)
    if attribute not in ("x", "y", "cx", "cy") and value < 0:
        raise SvgError(f"{attribute}={text!r} cannot be negative")
    return value


def _paint(element: ElementTree.Element, name: str) -> tuple[tuple[float, float, float], float]:
    fill = element.get("fill", "#000").strip()  # SVG's default fill is black
    opacity = 1.0
    for attribute in ("fill-opacity", "opacity"):
        text = element.get(attribute)
        if text is not None:
            value = _number(text, attribute)
            if not 0.0 <= value <= 1.0:
                raise SvgError(f"<{name}> {attribute}={text!r} must be between 0 and 1")
            opacity *= value
    if fill == "none":
        return (0.0, 0.0, 0.0), 0.0
    if not _HEX.fullmatch(fill):
        raise SvgError(f"<{name}> fill={fill!r}: give a colour as #rgb or #rrggbb (or none)")
    digits = fill[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue), opacity


def _at(
    element: ElementTree.Element, x: str, y: str, min_x: float, min_y: float, scale: float
) -> tuple[float, float]:
    """A point of the element in pixels, from its attributes `x` and `y` in viewBox units."""
    return (_length(element, x) - min_x) * scale, (_length(element, y) - min_y) * scale


def _rect(
    element: ElementTree.Element, min_x: float, min_y: float, scale: float
) -> tuple[Distance, tuple[float, float, float, float]]:
    x, y = _at(element, "x", "y", min_x, min_y, scale)
    width = _length(element, "width", None) * scale
    height = _length(element, "height", None) * scale
    # SVG: a missing rx or ry takes the other's value; both are capped at half the side, and
    # a zero in either means square corners.
    rx = _length(element, "rx", _length(element, "ry"))
    ry = _length(element, "ry", rx)
    rx, ry = min(rx * scale, width / 2), min(ry * scale, height / 2)
    if rx == 0.0 or ry == 0.0:
        rx = ry = 0.0
    half_w, half_h = width / 2, height / 2
    cx, cy = x + half_w, y + half_h
    inner_w, inner_h = half_w - rx, half_h - ry

    def distance(px: float, py: float) -> float:
        qx = abs(px - cx) - inner_w
        qy = abs(py - cy) - inner_h
        if qx > 0.0 and qy > 0.0:  # in a corner: the distance to its quarter ellipse
            if rx == ry:
                return math.sqrt(qx * qx + qy * qy) - rx
            return _ellipse_distance(qx, qy, rx, ry)
        return max(qx - rx, qy - ry)

    return distance, (x, y, x + width, y + height)


def _circle(
    element: ElementTree.Element, min_x: float, min_y: float, scale: float
) -> tuple[Distance, tuple[float, float, float, float]]:
    cx, cy = _at(element, "cx", "cy", min_x, min_y, scale)
    r = _length(element, "r", None) * scale

    def distance(px: float, py: float) -> float:
        dx, dy = px - cx, py - cy
        return math.sqrt(dx * dx + dy * dy) - r

    return distance, (cx - r, cy - r, cx + r, cy + r)


def _ellipse(
    element: ElementTree.Element, min_x: float, min_y: float, scale: float
) -> tuple[Distance, tuple[float, float, float, float]]:
    cx, cy = _at(element, "cx", "cy", min_x, min_y, scale)
    rx = _length(element, "rx", None) * scale
    ry = _length(element, "ry", None) * scale

    def distance(px: float, py: float) -> float:
        return _ellipse_distance(px - cx, py - cy, rx, ry)

    return distance, (cx - rx, cy - ry, cx + rx, cy + ry)


def _ellipse_distance(x: float, y: float, rx: float, ry: float) -> float:
    """Signed distance to an ellipse at the origin, to first order: exact on a circle and
    within a small fraction of a pixel near the edge, which is all the anti-aliasing reads."""
    if rx == 0.0 or ry == 0.0:
        return math.inf
    k0 = math.sqrt((x / rx) ** 2 + (y / ry) ** 2)
    k1 = math.sqrt((x / (rx * rx)) ** 2 + (y / (ry * ry)) ** 2)
    if k1 == 0.0:
        return -min(rx, ry)
    return k0 * (k0 - 1.0) / k1


_SHAPE_BUILDERS = {"rect": _rect, "circle": _circle, "ellipse": _ellipse}


# --- drawing -------------------------------------------------------------------------------


def rasterize(shapes: Sequence[Shape], size: int) -> list[float]:
    """Premultiplied RGBA per pixel, row by row, each shape composited over the ones before."""
    pixels = [0.0] * (size * size * 4)
    for shape in shapes:
        left, top, right, bottom = shape.box
        # A pixel half outside the box can still be partly covered.
        x0, x1 = max(0, math.floor(left - 0.5)), min(size, math.ceil(right + 0.5))
        y0, y1 = max(0, math.floor(top - 0.5)), min(size, math.ceil(bottom + 0.5))
        for row in range(y0, y1):
            _draw_row(pixels, shape, row * size * 4, row + 0.5, x0, x1)
    return pixels


def _draw_row(pixels: list[float], shape: Shape, base: int, py: float, x0: int, x1: int) -> None:
    # Every shape is convex, so on one row the pixels it fully covers are one run between two
    # anti-aliased ends: the distance is measured only from each end in to the run, and the
    # run is filled a whole slice at a time (a 512 px icon in about a tenth of the time).
    distance, opacity = shape.distance, shape.opacity
    start = x0
    while start < x1:
        coverage = 0.5 - distance(start + 0.5, py)
        if coverage >= 1.0:
            break
        if coverage > 0.0:
            _blend(pixels, base + start * 4, shape.rgb, coverage * opacity)
        start += 1
    else:
        return  # no pixel of this row is fully covered
    end = x1 - 1
    while end > start:
        coverage = 0.5 - distance(end + 0.5, py)
        if coverage >= 1.0:
            break
        if coverage > 0.0:
            _blend(pixels, base + end * 4, shape.rgb, coverage * opacity)
        end -= 1
    first, last = base + start * 4, base + end * 4 + 4
    count = end - start + 1
    keep = 1.0 - opacity
    for channel, value in enumerate((*shape.rgb, 1.0)):
        run = slice(first + channel, last, 4)
        if keep == 0.0:
            pixels[run] = [value] * count
        else:
            painted = value * opacity
            pixels[run] = [painted + old * keep for old in pixels[run]]


def _blend(pixels: list[float], i: int, rgb: tuple[float, float, float], alpha: float) -> None:
    keep = 1.0 - alpha
    pixels[i] = rgb[0] * alpha + pixels[i] * keep
    pixels[i + 1] = rgb[1] * alpha + pixels[i + 1] * keep
    pixels[i + 2] = rgb[2] * alpha + pixels[i + 2] * keep
    pixels[i + 3] = alpha + pixels[i + 3] * keep
