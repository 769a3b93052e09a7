"""The grounding plugin's turns: start, next, pause, continue, start over, pace, another."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.handoff import offer_return
from skill.core.menu import menu
from skill.core.session import (
    StoredProgress,
    expect_next_turn,
    from_last_turn,
    intent_in,
    is_active,
    reply,
    set_active,
)
from skill.plugins.grounding.content import GroundingContent
from skill.plugins.grounding.exercises import DEFAULT_PACE, PACES, choose, step_speech
from skill.safety import safety_text
from skill.slots import resolved_id
from skill.speech import Speech

NAME = "grounding"
OFFERED_MORE = "groundingOfferedMore"


@dataclass(frozen=True)
class Progress(StoredProgress):
    """What the profile keeps for this plugin: a place, a pace and a few bounded counts."""

    PLUGIN: ClassVar[str] = NAME
    COUNTERS: ClassVar[frozenset[str]] = frozenset({"total", "week_count"})

    exercise: str = ""  # the exercise in progress, "" when none
    step: int = 0  # the next step to say
    pace: str = DEFAULT_PACE
    last: str = ""  # the exercise done last, so that the next one differs
    total: int = 0
    week: str = ""  # ISO week of week_count, e.g. "2026-W48"
    week_count: int = 0


def text(handler_input: HandlerInput) -> GroundingContent:
    # The plugin is declared in the package's __init__, which imports this module first.
    from skill.plugins.grounding import plugin

    return plugin.content(handler_input.request_envelope.request.locale)


def play(handler_input: HandlerInput, progress: Progress, *lead: str) -> Response:
    """Says the next step of the exercise in progress, and moves the place on."""
    content = text(handler_input)
    exercise = content.exercise(progress.exercise)
    if exercise is None or progress.step >= len(exercise.steps):
        progress.save(handler_input)
        return offer_more(handler_input, content.nothing_to_continue)
    speech = Speech(*lead)
    speech.then(step_speech(content, exercise, progress.step, progress.pace).ssml())
    set_active(handler_input, NAME)
    if progress.step + 1 < len(exercise.steps):
        replace(progress, step=progress.step + 1).save(handler_input)
        speech.say(content.say_next)
        return reply(handler_input, speech, Speech(content.next_reprompt))
    finished = _completed(handler_input, progress, exercise.id)
    finished.save(handler_input)
    set_active(handler_input, None)
    ordinal = content.ordinals.get(str(finished.week_count))
    if ordinal:
        speech.say(content.week_count.format(ordinal=ordinal))
    return offer_return(handler_input, speech) or offer_more(handler_input, speech=speech)


def _completed(handler_input: HandlerInput, progress: Progress, exercise: str) -> Progress:
    year, week, _ = handler_input.request_envelope.request.timestamp.isocalendar()
    this_week = f"{year}-W{week:02d}"
    count = progress.week_count + 1 if progress.week == this_week else 1
    return replace(
        progress,
        exercise="",
        step=0,
        last=exercise,
        total=progress.total + 1,
        week=this_week,
        week_count=count,
    )


def offer_more(handler_input: HandlerInput, *lead: str, speech: Speech | None = None) -> Response:
    content = text(handler_input)
    speech = (speech or Speech()).say(" ".join(lead)).say(content.offer_more)
    expect_next_turn(handler_input, OFFERED_MORE, True)
    return reply(handler_input, speech, Speech(content.offer_reprompt))


def begin_exercise(
    handler_input: HandlerInput, exercise_id: str | None, quick: bool, *lead: str
) -> Response:
    content = text(handler_input)
    progress = Progress.of(handler_input)
    exercise = content.exercise(exercise_id or "") or choose(
        content, quick, progress.last, progress.total
    )
    return play(handler_input, replace(progress, exercise=exercise.id, step=0), *lead)


def start(handler_input: HandlerInput, *lead: str) -> Response:
    """The plugin's start hook: a short breathing exercise, for someone waiting for help or
    settling before a hard conversation."""
    return begin_exercise(handler_input, None, True, *lead)


class StartHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Starting one: "I feel anxious", "do box breathing", "something short", "another"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            intent_in(handler_input, "GroundingIntent", "QuickGroundingIntent")
            or is_intent_name("AnotherExerciseIntent")(handler_input)
            or (
                is_intent_name("AMAZON.YesIntent")(handler_input)
                and from_last_turn(handler_input, OFFERED_MORE)
            )
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        quick = bool(is_intent_name("QuickGroundingIntent")(handler_input))
        named = (
            resolved_id(handler_input, "exercise")
            if is_intent_name("GroundingIntent")(handler_input)
            else None
        )
        return begin_exercise(handler_input, named, quick)


class NextHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Next, continue or "I'm ready" in the middle of an exercise."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and bool(
            intent_in(handler_input, "AMAZON.NextIntent", "AMAZON.ResumeIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return play(handler_input, Progress.of(handler_input))


class PauseHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and bool(
            is_intent_name("AMAZON.PauseIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        return reply(handler_input, Speech(content.paused), Speech(content.pause_reprompt))


class StartOverHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and bool(
            is_intent_name("AMAZON.StartOverIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        progress = Progress.of(handler_input)
        exercise = progress.exercise or progress.last
        restarted = replace(progress, exercise=exercise, step=0)
        return play(handler_input, restarted, text(handler_input).starting_over)


class PaceHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A pace ("slower please", "that was too fast"): at once, and remembered."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("SetPaceIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        pace = resolved_id(handler_input, "pace")
        progress = Progress.of(handler_input)
        if pace not in PACES:
            # No pace heard: the kept one, if this version has it (another may have had more).
            pace = progress.pace if progress.pace in PACES else DEFAULT_PACE
        changed = replace(progress, pace=pace)
        changed.save(handler_input)
        said = content.pace_changed[pace]  # type: ignore[index]
        if is_active(handler_input, NAME) and changed.exercise:
            return play(handler_input, changed, said)
        return menu(handler_input, said, content.pace_kept)


class GroundingResume:
    def offer(self, handler_input: HandlerInput) -> str | None:
        progress = Progress.of(handler_input)
        exercise = text(handler_input).exercise(progress.exercise)
        if exercise is None or not 0 < progress.step < len(exercise.steps):
            return None
        return text(handler_input).resume_offer.format(
            name=exercise.name, step=progress.step + 1, steps=len(exercise.steps)
        )

    def resume(self, handler_input: HandlerInput) -> Response:
        return play(handler_input, Progress.of(handler_input), text(handler_input).continuing)


def grounding_help(handler_input: HandlerInput) -> Response:
    content = text(handler_input)
    exercise = content.exercise(Progress.of(handler_input).exercise)
    name = exercise.name if exercise else content.label
    speech = Speech(content.help.format(name=name), safety_text(handler_input).help_mention)
    return reply(handler_input, speech, Speech(content.next_reprompt))


def handlers() -> list[AbstractRequestHandler]:
    return [
        StartHandler(),
        NextHandler(),
        PauseHandler(),
        StartOverHandler(),
        PaceHandler(),
    ]
