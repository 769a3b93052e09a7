"""How a stored profile's values are read: pydantic's lax mode, written out by hand.

The profile (skill/state.py) was a pydantic model; every returning person's launch reads it, and
pydantic is too heavy to import on that path (issue 21). These readers accept exactly what that
model accepted in its (lax) mode, down to its oddities, so that no stored item reads differently
than before: "3" and " 3 " and "3.00" and 3.0 and True are whole numbers, a date may be given as a
datetime at midnight or as a Unix timestamp of one, a progress value that is not an id may still
read as a number. The model is kept as the specification (skill/local/profile_model.py), and
tests/test_profile_reader.py shows on generated items that the two agree.

Their domain is what json.loads and the table's reader (skill/store.py: from_dynamo) give: None,
bools, numbers, strings, lists and maps. A value of another type (bytes, say, which pydantic
would have decoded) is not one an item can hold, and is refused.

Each reader returns the value as kept, or raises Invalid. Invalid never holds the value: it could
be words a person said.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

Reader = Callable[[Any], Any]


class Invalid(ValueError):
    """A stored value that does not read as its field's type."""


def matching(pattern: str) -> Reader:
    """Strings that match `pattern` (anchored with ^ and $, as pydantic's are)."""
    compiled = re.compile(pattern)

    def read(value: Any) -> str:
        if not isinstance(value, str) or compiled.fullmatch(value) is None:
            raise Invalid
        return value

    return read


def optional(reader: Reader) -> Reader:
    """None, or what `reader` reads."""

    def read(value: Any) -> Any:
        return None if value is None else reader(value)

    return read


def listed(reader: Reader, max_length: int) -> Reader:
    """A list (or tuple or set) of at most `max_length` values, each read by `reader`: one
    that does not read makes the whole list unreadable."""

    def read(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple | set | frozenset) or len(value) > max_length:
            raise Invalid
        return [reader(item) for item in value]

    return read


def at_least_0(reader: Reader) -> Reader:
    def read(value: Any) -> Any:
        number = reader(value)
        if number < 0:
            raise Invalid
        return number

    return read


# -- whole numbers ------------------------------------------------------------------------------

# What Rust's str::trim removes (the Unicode White_Space property): Python's str.strip() would
# also remove U+001C to U+001F, which pydantic keeps, and so fails to read.
_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A whole number as JSON writes one, the only form pydantic reads a string as at first.
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
# Python's limit on the digits of a number read from a string, which pydantic keeps.
_MAX_DIGITS = 4300
# The floats pydantic takes for whole numbers: finite, integral, strictly within i64.
_I64_FLOAT_BOUND = float(2**63)


def whole(value: Any) -> int:
    """A whole number, as pydantic's lax mode reads one."""
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value) or math.fmod(value, 1.0) != 0.0:
            raise Invalid
        if not -_I64_FLOAT_BOUND < value < _I64_FLOAT_BOUND:
            raise Invalid
        return int(value)
    if isinstance(value, str):
        return _whole_from_text(value)
    raise Invalid


def _json_int(text: str) -> int | None:
    if _JSON_INT.fullmatch(text) is None:
        return None
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise Invalid
    return int(text)


def _whole_from_text(text: str) -> int:
    number = _json_int(text)
    if number is not None:
        return number
    cleaned = _cleaned_int_text(text)
    number = None if cleaned is None else _json_int(cleaned)
    if number is None:
        raise Invalid
    return number


def _cleaned_int_text(text: str) -> str | None:
    """pydantic-core's clean_int_str: the text without surrounding whitespace, a leading "+",
    leading zeros, a fraction of zeros ("3.00") and underscores between digits; None when there
    was nothing of the kind to take away (or the signs are doubled)."""
    before = len(text)
    text = text.strip(_WHITESPACE)
    if text.startswith("+"):
        if text[1:].startswith("-"):
            return None
        text = text[1:]
    negative = text.startswith("-")
    if negative:
        if text[1:].startswith(("-", "+")):
            return None
        text = text[1:]
    stripped = _without_leading_zeros(text)
    if stripped is None:
        return None
    text = stripped
    point = text.find(".")
    if point >= 0:
        fraction = text[point + 1 :]
        if fraction and fraction.strip("0") == "":
            text = text[:point]
    sign = "-" if negative else ""
    joined = _without_underscores(text)
    if joined is not None:
        return sign + joined
    if len(text) == before:
        return None
    return sign + text


def _without_leading_zeros(text: str) -> str | None:
    if not text:
        return None
    if text[0] != "0":
        return text if text[0] in "123456789-" else None
    for index in range(1, len(text)):
        char = text[index]
        if char in "0_":
            continue
        if char in "123456789-":
            return text[index:]
        if char == ".":
            return text[index - 1 :]
        return None
    return text[-1:]


def _without_underscores(text: str) -> str | None:
    if text.startswith("_") or text.endswith("_") or "_" not in text or "__" in text:
        return None
    return text.replace("_", "")


# -- a plugin's progress values: int | float | bool | StoredId ------------------------------------

# Rust's float syntax (str::parse::<f64>), which pydantic reads a string as a float with.
_RUST_FLOAT = re.compile(
    r"[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)", re.IGNORECASE
)


def progress_value(stored_id: Reader) -> Reader:
    """A value of a plugin's progress as pydantic's smart union of int, float, bool and an id
    read it: a value of one of those types exactly is kept as it is (a float stays a float, a
    string that is an id stays a string); only a string that is not an id is tried, in lax
    mode, as a whole number, then as a float ("1e5 " is 100000.0)."""

    def read(value: Any) -> int | float | bool | str:
        if isinstance(value, bool | int | float):
            return value
        if not isinstance(value, str):
            raise Invalid
        try:
            kept: str = stored_id(value)
            return kept
        except Invalid:
            pass
        try:
            return _whole_from_text(value)
        except Invalid:
            return _float_from_text(value)

    return read


def _float_from_text(text: str) -> float:
    trimmed = text.strip(_WHITESPACE)
    if _RUST_FLOAT.fullmatch(trimmed) is not None:
        return float(trimmed)
    joined = _without_underscores(text)  # untrimmed, as pydantic-core does it
    if joined is not None and _RUST_FLOAT.fullmatch(joined) is not None:
        return float(joined)
    raise Invalid
