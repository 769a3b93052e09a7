"""What the profile keeps for grounding: a place, a pace and a few bounded counts."""

from __future__ import annotations

from skill.api import Counter, Plugin, Progress
from skill.plugins.grounding.content import GroundingContent
from skill.plugins.grounding.exercises import DEFAULT_PACE


class GroundingProgress(Progress):
    exercise: str = ""  # the exercise in progress, "" when none
    step: int = 0  # the next step to say
    pace: str = DEFAULT_PACE
    last: str = ""  # the exercise done last, so that the next one differs
    total: Counter = 0
    week: str = ""  # ISO week of week_count, e.g. "2026-W48"
    week_count: Counter = 0


GroundingPlugin = Plugin[GroundingContent, GroundingProgress]
