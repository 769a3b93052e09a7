"""Screening the person's words for crisis or abuse, with each locale's rules (compiled once)."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

from skill.text import words


class Risk(StrEnum):
    CRISIS = "crisis"
    ABUSE = "abuse"


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def screen(text: str, crisis: tuple[str, ...], abuse: tuple[str, ...]) -> Risk | None:
    """The risk `text` speaks of, if any. Crisis wins over abuse: its resources come first."""
    spoken = " ".join(words(text))
    if _compiled(crisis).search(spoken):
        return Risk.CRISIS
    if _compiled(abuse).search(spoken):
        return Risk.ABUSE
    return None
