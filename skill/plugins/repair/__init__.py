"""Repair guidance: from an injury back to safety, then a guided repair, step by step."""

from __future__ import annotations

from skill.api import HandlerInput, Intent, Plugin, Response, Speech, reply
from skill.plugins.repair.content import RepairContent
from skill.plugins.repair.handlers import (
    GoBackHandler,
    NextStepHandler,
    NotInRepairHandler,
    ScreeningAnswerHandler,
    StartHandler,
    StartOverHandler,
    UpsetAnswerHandler,
    question,
    start,
)
from skill.plugins.repair.progress import STEPS, RepairProgress


class Repair(Plugin[RepairContent, RepairProgress]):
    name = "repair"
    intents = (
        Intent(name="RepairIntent"),
        Intent(name="RepairCausedIntent"),
        Intent(name="RepairReceivedIntent"),
        Intent(name="PreviousStepIntent"),
        Intent(name="AMAZON.NextIntent"),
        Intent(name="AMAZON.ResumeIntent"),
        Intent(name="AMAZON.StartOverIntent"),
        Intent(name="AMAZON.YesIntent"),
        Intent(name="AMAZON.NoIntent"),
    )
    handlers = (
        StartHandler,
        ScreeningAnswerHandler,
        UpsetAnswerHandler,
        NextStepHandler,
        GoBackHandler,
        StartOverHandler,
        NotInRepairHandler,
    )
    menu_position = 3

    def start(self, handler_input: HandlerInput, *lead: str) -> Response:
        return start(self, handler_input, "both", *lead)

    def resume_offer(self, handler_input: HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        content = self.text(handler_input)
        if progress.stage == STEPS:
            total = len(content.steps)
            return content.resume_offer.format(n=min(progress.step, total - 1) + 1, total=total)
        return content.resume_started if progress.stage else None

    def resume(self, handler_input: HandlerInput, *lead: str) -> Response:
        continuing = self.text(handler_input).continuing
        return question(self, handler_input, self.progress(handler_input), *lead, continuing)

    def help(self, handler_input: HandlerInput, *footer: str) -> Response:
        content = self.text(handler_input)
        progress = self.progress(handler_input)
        if progress.stage != STEPS:
            # Help in the middle of a question says the question again, not "say next".
            return question(self, handler_input, progress, content.help_question, *footer)
        speech = Speech(content.help, *footer)
        return reply(handler_input, speech, Speech(content.step_reprompt))
