"""What Alexa puts in the value of a few built-in slot types, from the words heard."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
# Vague times of day, as Alexa gives them for AMAZON.TIME.
_PERIODS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


def number(words: str) -> int | None:
    """The number in words like "four", "4" or "twenty five"; None when it isn't one."""
    text = words.strip().lower().replace("-", " ")
    if text.isdigit():
        return int(text)
    parts = text.split()
    if len(parts) == 1 and parts[0] in _UNITS:
        return _UNITS[parts[0]]
    if parts and parts[0] in _TENS and len(parts) <= 2:
        rest = _UNITS.get(parts[1], -1) if len(parts) == 2 else 0
        return _TENS[parts[0]] + rest if 0 <= rest < 10 else None
    return None


# Words after a time that say which half of the day it is in.
_EVENING = ("pm", "p m", "at night", "in the evening", "tonight", "this evening", "in the night")
_MORNING = ("am", "a m", "in the morning", "this morning")


def time_of_day(words: str) -> str | None:
    """Alexa's AMAZON.TIME value ("21:30", or "EV" for evening) for words like "nine thirty pm",
    "9:30 pm", "half past nine", "half ten", "quarter to nine", "ten" or "evening"; None when
    they are not a time of day. A time said without am or pm is sent as heard: "ten" is
    "10:00", and the skill decides whether that is morning or night."""
    text = (
        re.sub(r"[.,]", " ", words.strip().lower()).replace("o'clock", " ").replace("oclock", " ")
    )
    text = " ".join(text.split()).removeprefix("a ")  # "a quarter to nine"
    if text in ("midnight", "at midnight"):
        return "00:00"
    if text in ("noon", "midday", "at noon"):
        return "12:00"
    for word, period in _PERIODS.items():
        if text in (word, f"in the {word}", f"this {word}", f"every {word}"):
            return period
    meridiem = next(
        (half for suffixes, half in ((_EVENING, "pm"), (_MORNING, "am")) for suffix in suffixes
         if text.endswith(f" {suffix}") or re.fullmatch(rf"\d+{suffix}", text)),
        None,
    )  # fmt: skip
    if meridiem is not None:
        suffixes = _EVENING if meridiem == "pm" else _MORNING
        suffix = next(s for s in suffixes if text.endswith(s))
        text = text.removesuffix(suffix).strip()
    hour, minute = _clock(text)
    if hour is None or minute is None or not 0 <= minute < 60 or not 0 <= hour < 24:
        return None
    if meridiem == "pm" and hour == 12 and "night" in words:
        hour = 0  # "twelve at night" is midnight
    elif meridiem == "pm" and hour < 5 and "night" in words:
        pass  # "two at night" is in the small hours
    elif meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _clock(text: str) -> tuple[int | None, int | None]:
    """(hour, minute) in words like "half past ten", "half ten", "ten to nine", "9:30"."""
    relative = re.fullmatch(
        r"(half|quarter|twenty|ten|five|twenty five) (past|after|to) (.+)", text
    )
    if relative:
        minutes = {"half": 30, "quarter": 15}.get(relative.group(1)) or number(relative.group(1))
        hour = number(relative.group(3))
        if hour is None or minutes is None:
            return None, None
        if relative.group(2) == "to":
            return (hour - 1) % 24, 60 - minutes
        return hour, minutes
    half = re.fullmatch(r"half (\w+)", text)  # British: "half ten" is ten thirty
    if half:
        return number(half.group(1)), 30
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(part) for part in text.split(":"))
        return hour, minute
    parts = text.split()
    if not parts:
        return None, None
    hour = number(parts[0])
    rest = " ".join(parts[1:])
    if not rest:
        return hour, 0
    if rest in ("oh", "o"):
        return None, None
    return hour, number(rest.removeprefix("oh ").removeprefix("o "))


def typed_value(slot_type: str, heard: str) -> str | None:
    """The value Alexa would send for a typed built-in slot, or None when the words are not
    one (or the type takes any words, like AMAZON.SearchQuery)."""
    if slot_type == "AMAZON.NUMBER":
        found = number(heard)
        return str(found) if found is not None else None
    if slot_type == "AMAZON.TIME":
        return time_of_day(heard)
    return None
