"""How a stored profile's dates are read: pydantic's lax mode (speedate's), written out by hand.

The other readers, and why they exist, are in skill/state_values.py.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from skill.state_values import Invalid

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
