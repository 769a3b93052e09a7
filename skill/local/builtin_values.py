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


def time_of_day(words: str) -> str | None:
    """Alexa's AMAZON.TIME value ("21:30", or "EV" for evening) for words like "nine thirty pm",
    "9:30 pm", "half past nine" or "evening"; None when they are not a time of day."""
    text = re.sub(r"[.,]", "", words.strip().lower()).replace("o'clock", "").replace("oclock", "")
    for word, period in _PERIODS.items():
        if text in (word, f"in the {word}", f"this {word}", f"every {word}"):
            return period
    suffix = re.search(r"\b(a ?m|p ?m)$", text)
    meridiem = suffix.group(1).replace(" ", "") if suffix else None
    text = text[: suffix.start()].strip() if suffix else text
    half_past = re.fullmatch(r"half past (.+)", text)
    hour: int | None
    minute: int | None
    if half_past:
        hour, minute = number(half_past.group(1)), 30
    elif re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = (int(part) for part in text.split(":"))
    else:
        words_ = text.split()
        if len(words_) < 2 and meridiem is None:
            return None  # a bare "three" is a number, not yet a time of day
        hour = number(words_[0]) if words_ else None
        minute = number(" ".join(words_[1:])) if len(words_) > 1 else 0
    if hour is None or minute is None or not 0 <= minute < 60 or not 0 <= hour < 24:
        return None
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def typed_value(slot_type: str, heard: str) -> str | None:
    """The value Alexa would send for a typed built-in slot, or None when the words are not
    one (or the type takes any words, like AMAZON.SearchQuery)."""
    if slot_type == "AMAZON.NUMBER":
        found = number(heard)
        return str(found) if found is not None else None
    if slot_type == "AMAZON.TIME":
        return time_of_day(heard)
    return None
