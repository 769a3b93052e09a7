"""Grounding: calming exercises on request, paced with real pauses, at the person's pace."""

from __future__ import annotations

from skill.api import HandlerInput, Intent, Plugin, Response, Speech, reply
from skill.plugins.grounding.content import GroundingContent
from skill.plugins.grounding.handlers import (
    NextHandler,
    PaceHandler,
    PauseHandler,
    StartHandler,
    StartOverHandler,
    begin_exercise,
    play,
)
from skill.plugins.grounding.progress import GroundingProgress


class Grounding(Plugin[GroundingContent, GroundingProgress]):
    name = "grounding"
    intents = (
        Intent(name="GroundingIntent", slots={"exercise": "EXERCISE"}),
        Intent(name="QuickGroundingIntent"),
        Intent(name="AnotherExerciseIntent"),
        Intent(name="SetPaceIntent", slots={"pace": "PACE"}),
        Intent(name="AMAZON.NextIntent"),
        Intent(name="AMAZON.PauseIntent"),
        Intent(name="AMAZON.ResumeIntent"),
        Intent(name="AMAZON.StartOverIntent"),
    )
    handlers = (StartHandler, NextHandler, PauseHandler, StartOverHandler, PaceHandler)
    menu_position = 1
    provides = frozenset({"breathing"})

    def start(self, handler_input: HandlerInput, *lead: str) -> Response:
        """A short breathing exercise, for someone waiting for help or settling before a hard
        conversation."""
        return begin_exercise(self, handler_input, None, True, *lead)

    def resume_offer(self, handler_input: HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        content = self.text(handler_input)
        exercise = content.exercise(progress.exercise)
        if exercise is None or not 0 < progress.step < len(exercise.steps):
            return None
        return content.resume_offer.format(
            name=exercise.name, step=progress.step + 1, steps=len(exercise.steps)
        )

    def resume(self, handler_input: HandlerInput, *lead: str) -> Response:
        continuing = self.text(handler_input).continuing
        return play(self, handler_input, self.progress(handler_input), *lead, continuing)

    def help(self, handler_input: HandlerInput, *footer: str) -> Response:
        content = self.text(handler_input)
        exercise = content.exercise(self.progress(handler_input).exercise)
        name = exercise.name if exercise else content.label
        speech = Speech(content.help.format(name=name), *footer)
        return reply(handler_input, speech, Speech(content.next_reprompt))
