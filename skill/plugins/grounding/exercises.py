"""Turning an exercise step into speech at the person's pace, and choosing an exercise."""

from __future__ import annotations

from skill.api import Speech
from skill.plugins.grounding.content import Exercise, GroundingContent, Pace

# How much longer each silent count lasts at each pace.
PACES: dict[Pace, float] = {"slower": 1.5, "normal": 1.0, "faster": 0.75}
DEFAULT_PACE: Pace = "normal"


def pace_named(name: str | None) -> Pace | None:
    """The pace `name` is (a slot id, a kept value), or None when this version has no such."""
    return next((pace for pace in PACES if pace == name), None)


def step_speech(content: GroundingContent, exercise: Exercise, index: int, pace: str) -> Speech:
    """Step `index` of `exercise`: counted breaths and silences are real pauses at `pace`."""
    factor = PACES[pace_named(pace) or DEFAULT_PACE]
    speech = Speech()
    if index == 0:
        speech.say(exercise.intro)
    for segment in exercise.steps[index]:
        if segment.say is not None:
            speech.say(segment.say)
        elif segment.pause is not None:
            speech.pause(segment.pause * factor)
        else:
            for _ in range(segment.cycles):
                for phase in content.patterns[segment.breath or ""]:
                    speech.say(phase.cue).pause(phase.seconds * factor)
    if index == len(exercise.steps) - 1:
        speech.say(exercise.closing)
    return speech


def choose(content: GroundingContent, quick: bool, last: str | None, completed: int) -> Exercise:
    """A fitting exercise, varied: not the one done last time (unless it is the only one)."""
    fitting = [
        e for e in content.exercises if e.quick == quick and (quick or e.kind != "body")
    ] or list(content.exercises)
    fresh = [e for e in fitting if e.id != last] or fitting
    return fresh[completed % len(fresh)]
