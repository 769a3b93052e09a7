"""The calming exercises as data: breath patterns, exercises and what is said around them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from skill.api import Content, MenuContent

Pace = Literal["slower", "normal", "faster"]


class Phase(Content):
    cue: str  # "Breathe in."
    seconds: float = Field(gt=0)  # the silent count that follows, at the normal pace


class Segment(Content):
    """One thing said or done in a step: a sentence, a silence, or breath cycles."""

    say: str | None = None
    pause: float | None = Field(default=None, gt=0)
    breath: str | None = None
    cycles: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _one_kind(self) -> Segment:
        if sum(x is not None for x in (self.say, self.pause, self.breath)) != 1:
            raise ValueError("a segment is exactly one of say, pause or breath")
        return self


class Exercise(Content):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str  # "box breathing"
    intro: str  # one sentence: what it is and how long it takes
    kind: Literal["breathing", "senses", "body"]
    quick: bool = False
    steps: tuple[tuple[Segment, ...], ...] = Field(min_length=1)
    closing: str


class GroundingContent(MenuContent):
    patterns: dict[str, tuple[Phase, ...]]
    exercises: tuple[Exercise, ...] = Field(min_length=6)
    # Before a short exercise, for "I'm having a panic attack": {emergency} is the number.
    panic_lead: str
    say_next: str
    next_reprompt: str
    paused: str
    pause_reprompt: str
    offer_more: str
    offer_reprompt: str
    pace_changed: dict[Pace, str]
    pace_kept: str
    week_count: str  # {ordinal}
    ordinals: dict[str, str]  # completed count this week -> "third"; only these are mentioned
    resume_offer: str  # {name} {step} {steps}
    help: str  # {name}
    starting_over: str
    continuing: str
    nothing_to_continue: str

    @model_validator(mode="after")
    def _patterns_exist(self) -> GroundingContent:
        for exercise in self.exercises:
            for step in exercise.steps:
                for segment in step:
                    if segment.breath is not None and segment.breath not in self.patterns:
                        raise ValueError(f"{exercise.id}: no breath pattern {segment.breath}")
        return self

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)
