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
from datetime import date, datetime, timedelta
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


# -- dates --------------------------------------------------------------------------------------
# pydantic reads a date with speedate: an ISO date; else a number (or a string of one) as a Unix
# timestamp, in seconds or, past MS_WATERSHED, in milliseconds; else a datetime (ISO, or a
# timestamp again) that is exactly midnight. The ports below keep its arithmetic as written.

_EPOCH = date(1970, 1, 1)
_MS_WATERSHED = 20_000_000_000
_UNIX_0000 = -62_167_219_200  # 0000-01-01T00:00:00: year 0, which no Python date has
_UNIX_9999 = 253_402_300_799  # 9999-12-31T23:59:59
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_DIGITS = b"0123456789"
_MINUS_SIGN = "\u2212".encode()  # ISO 8601 allows it for a negative offset


def calendar_date(value: Any) -> date:
    """A date, as pydantic's lax mode reads one."""
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0):
            raise Invalid
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise Invalid
    if isinstance(value, int):
        if not _I64_MIN <= value <= _I64_MAX:
            raise Invalid  # as a float it would be past 9999 (or not a float at all)
        return _midnight(value, 0)
    if isinstance(value, float):
        return _date_from_float(value)
    if isinstance(value, str):
        try:
            return _date_from_text(value.encode())
        except UnicodeEncodeError:
            raise Invalid from None  # a lone surrogate: not a string pydantic reads at all
    raise Invalid


def _date_from_text(text: bytes) -> date:
    if len(text) == 10:
        try:
            return _iso_date(text)
        except Invalid:
            pass
    number, failed_at = _speedate_int(text)
    if number is not None:
        return _midnight(number, 0)
    if len(text) > 10:
        try:
            return _iso_midnight(text)
        except Invalid:
            pass
    if failed_at == ord("."):
        return _date_from_float_text(text)
    raise Invalid


def _iso_date(text: bytes) -> date:
    """YYYY-MM-DD at the start of `text`."""
    if len(text) < 10 or text[4:5] != b"-" or text[7:8] != b"-":
        raise Invalid
    parts = (text[0:4], text[5:7], text[8:10])
    if not all(_all_digits(part) for part in parts):
        raise Invalid
    try:
        return date(*(int(part) for part in parts))
    except ValueError:
        raise Invalid from None  # no such day, or year 0


def _iso_midnight(text: bytes) -> date:
    """An RFC 3339 datetime (as speedate reads one) at 00:00:00.000000, whatever its offset."""
    day = _iso_date(text)
    if text[10:11] not in (b"T", b"t", b" ", b"_") or len(text) - 11 < 5:
        raise Invalid
    hour, minute = _two_digits(text, 11), _two_digits(text, 14)
    if text[13:14] != b":" or hour > 23 or minute > 59:
        raise Invalid
    position, second, fraction = 16, 0, 0
    if text[16:17] == b":":
        second = _two_digits(text, 17)
        if second > 59:
            raise Invalid
        position = 19
        if text[19:20] in (b".", b","):
            digits = len(text[20:]) - len(text[20:].lstrip(_DIGITS))
            if digits == 0:
                raise Invalid
            fraction = int(text[20 : 20 + min(digits, 6)])  # past six digits: truncated
            position = 20 + digits
    position = _after_offset(text, position)
    if len(text) > position or (hour, minute, second, fraction) != (0, 0, 0, 0):
        raise Invalid
    return day


def _after_offset(text: bytes, position: int) -> int:
    """Where a time's offset (Z, +05:30, -0800) that starts at `position` ends."""
    if position >= len(text):
        return position
    sign = text[position : position + 1]
    position += 1
    if sign in (b"Z", b"z"):
        return position
    if sign == _MINUS_SIGN[:1]:
        if text[position : position + 2] != _MINUS_SIGN[1:]:
            raise Invalid
        position += 2
    elif sign not in (b"+", b"-"):
        raise Invalid
    hours = _two_digits(text, position)
    if text[position + 2 : position + 3] == b":":
        position += 3
    elif text[position + 2 : position + 3].isdigit():
        position += 2
    else:
        raise Invalid
    minutes = _two_digits(text, position)
    if minutes >= 60 or hours * 60 + minutes >= 24 * 60:
        raise Invalid
    return position + 2


def _two_digits(text: bytes, position: int) -> int:
    pair = text[position : position + 2]
    if len(pair) != 2 or not _all_digits(pair):
        raise Invalid
    return int(pair)


def _all_digits(text: bytes) -> bool:
    return all(byte in _DIGITS for byte in text)


def _speedate_int(text: bytes) -> tuple[int | None, int | None]:
    """speedate's int_parse_bytes: the number, or None and the byte it stopped at (None when
    the text is empty or the number past i64, which no timestamp of a date reaches)."""
    if not text:
        return None, None
    negative = text[0] == ord("-") and len(text) >= 2
    start = 1 if len(text) >= 2 and text[0] in b"+-" else 0
    number = 0
    for byte in text[start:]:
        if byte not in _DIGITS:
            return None, byte
        number = number * 10 + byte - ord("0")
        if number > _I64_MAX:
            return None, None
    return (-number if negative else number), None


# Speedate's float syntax (lexical's STANDARD), for a number that has a point.
_POINT_FLOAT = re.compile(rb"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _date_from_float_text(text: bytes) -> date:
    if _POINT_FLOAT.fullmatch(text) is None:
        raise Invalid
    return _date_from_float(float(text))


def _date_from_float(number: float) -> date:
    """A float timestamp: its whole part as DateTime::from_timestamp takes an int (in seconds,
    or in milliseconds past the watershed), the rest added as microseconds, rounded."""
    if not math.isfinite(number) or not _I64_MIN <= number <= _I64_MAX:
        raise Invalid  # past any date
    stamp = math.floor(number)
    scale = 1_000_000 if abs(number) <= _MS_WATERSHED else 1_000
    return _midnight(stamp, _rounded((number - stamp) * scale))


def _rounded(number: float) -> int:
    """Rust's round (half away from zero), for a number >= 0."""
    whole_part = math.floor(number)
    return whole_part + 1 if number - whole_part >= 0.5 else whole_part


def _midnight(timestamp: int, microseconds: int) -> date:
    """The day of a whole Unix timestamp (in seconds, or in milliseconds past the watershed)
    that falls exactly at midnight, as speedate's DateTime::from_timestamp works it out."""
    if timestamp == _I64_MIN:
        raise Invalid  # speedate's checked_abs
    seconds = timestamp
    if abs(timestamp) > _MS_WATERSHED:
        seconds = _truncated(timestamp)
        extra = (timestamp - seconds * 1_000) * 1_000
        if extra < 0:
            seconds, extra = seconds - 1, extra + 1_000_000
        microseconds += extra
    return _midnight_seconds(seconds, microseconds)


def _midnight_seconds(seconds: int, microseconds: int) -> date:
    if microseconds >= 2**32:
        raise Invalid  # speedate's checked_add on a u32
    seconds += microseconds // 1_000_000
    microseconds %= 1_000_000
    if not _UNIX_0000 <= seconds <= _UNIX_9999:
        raise Invalid
    days, rest = divmod(seconds, 86_400)
    if rest or microseconds:
        raise Invalid
    try:
        return _EPOCH + timedelta(days=days)
    except OverflowError:
        raise Invalid from None  # year 0


def _truncated(timestamp: int) -> int:
    """timestamp / 1000 rounded towards zero, as Rust divides."""
    quotient = abs(timestamp) // 1_000
    return quotient if timestamp >= 0 else -quotient
