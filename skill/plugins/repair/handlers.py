"""The repair plugin's turns: settling first, safety, then the steps.

"Are you still very upset?" comes first: a yes leads to a short breathing exercise (through the
grounding plugin's start hook) and the advice to take a break, then back here. Before any couple
step, a screening question (fear, harm, threats, control) leads to the domestic violence
resources on a yes. The steps are worded for the person's part in the hurt, when the way they
asked tells it ("I hurt my partner", "my partner hurt my feelings"), else for both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.handoff import come_back_after
from skill.core.menu import menu
from skill.core.session import (
    StoredProgress,
    intent_in,
    is_active,
    plugin_named,
    reply,
    set_active,
)
from skill.plugins.repair.content import RepairContent
from skill.safety import abuse_resources, safety_text
from skill.speech import Speech

NAME = "repair"
BREATHING_PLUGIN = "grounding"
# Where the person is: the two questions, then the steps.
UPSET, SCREENING, STEPS = "upset", "screening", "steps"


@dataclass(frozen=True)
class Progress(StoredProgress):
    PLUGIN: ClassVar[str] = NAME

    stage: str = ""  # "" when no repair is in progress
    role: str = "both"  # caused, received or both
    step: int = 0  # the next step to say
    teaching: int = 0  # the next teaching moment, so that none repeats in a row


def text(handler_input: HandlerInput) -> RepairContent:
    # The plugin is declared in the package's __init__, which imports this module first.
    from skill.plugins.repair import plugin

    return plugin.content(handler_input.request_envelope.request.locale)


def question(handler_input: HandlerInput, progress: Progress, *lead: str) -> Response:
    """Asks what the stage needs, or says the next step."""
    content = text(handler_input)
    progress.save(handler_input)
    set_active(handler_input, NAME)
    asked = {
        SCREENING: (content.screening_question, content.screening_reprompt),
        UPSET: (content.upset_question, content.upset_reprompt),
    }
    if progress.stage in asked:
        said, reprompt = asked[progress.stage]
        return reply(handler_input, Speech(*lead, said), Speech(reprompt))
    return step(handler_input, progress, *lead)


def step(handler_input: HandlerInput, progress: Progress, *lead: str) -> Response:
    content = text(handler_input)
    total = len(content.steps)
    index = min(progress.step, total - 1)
    said = [*lead, content.step_lead.format(n=index + 1, total=total)]
    said.append(content.steps[index].for_role(progress.role))
    teaching = progress.teaching
    if index + 1 in content.teach_after:
        said.append(content.teachings[teaching % len(content.teachings)])
        teaching += 1
    if index + 1 == total:
        Progress(teaching=teaching).save(handler_input)  # done: nothing left to resume
        return menu(handler_input, *said, content.closing)
    replace(progress, stage=STEPS, step=index + 1, teaching=teaching).save(handler_input)
    set_active(handler_input, NAME)
    return reply(handler_input, Speech(*said, content.say_next), Speech(content.step_reprompt))


def start(handler_input: HandlerInput, role: str = "both") -> Response:
    content = text(handler_input)
    if role not in content.role_words:
        role = "both"  # a role kept by another version (starting over passes the kept one)
    progress = Progress(stage=UPSET, role=role, teaching=Progress.of(handler_input).teaching)
    said = content.role_words[role]  # type: ignore[index]
    return question(handler_input, progress, content.opening, said)


class StartHandler(AbstractRequestHandler):  # type: ignore[misc]
    # Entry intents, and the person's part in the hurt that each one already tells.
    ROLES: ClassVar[dict[str, str]] = {
        "RepairIntent": "both",
        "RepairCausedIntent": "caused",
        "RepairReceivedIntent": "received",
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in self.ROLES)

    def handle(self, handler_input: HandlerInput) -> Response:
        name = next(n for n in self.ROLES if is_intent_name(n)(handler_input))
        return start(handler_input, self.ROLES[name])


def _stage(handler_input: HandlerInput, stage: str) -> bool:
    return is_active(handler_input, NAME) and Progress.of(handler_input).stage == stage


def _yes(handler_input: HandlerInput) -> bool:
    return bool(is_intent_name("AMAZON.YesIntent")(handler_input))


def _yes_or_no(handler_input: HandlerInput) -> bool:
    return _yes(handler_input) or bool(is_intent_name("AMAZON.NoIntent")(handler_input))


class ScreeningAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Yes to fear, harm or threats: the domestic violence resources, and no couple steps."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _stage(handler_input, SCREENING) and _yes_or_no(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        progress = Progress.of(handler_input)
        if _yes(handler_input):
            Progress(teaching=progress.teaching).save(handler_input)
            return abuse_resources(handler_input)
        return step(handler_input, replace(progress, stage=STEPS, step=0))


class UpsetAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Still very upset: a breathing exercise and a break first, then back to the steps."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _stage(handler_input, UPSET) and _yes_or_no(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        progress = replace(Progress.of(handler_input), stage=SCREENING)
        breathing = plugin_named(handler_input, BREATHING_PLUGIN)
        if _yes(handler_input) and breathing is not None and breathing.start is not None:
            progress.save(handler_input)
            come_back_after(handler_input, NAME)
            return breathing.start(handler_input, content.break_advice)
        lead = (content.break_advice,) if _yes(handler_input) else ()
        return question(handler_input, progress, *lead)


class NextStepHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _stage(handler_input, STEPS) and bool(
            intent_in(handler_input, "AMAZON.NextIntent", "AMAZON.ResumeIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return step(handler_input, Progress.of(handler_input))


class GoBackHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _stage(handler_input, STEPS) and bool(
            is_intent_name("PreviousStepIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        progress = Progress.of(handler_input)
        # `step` is the next one to say: the one just said is step - 1, the one before, step - 2.
        if progress.step < 2:
            return step(handler_input, replace(progress, step=0), content.no_step_before)
        return step(handler_input, replace(progress, step=progress.step - 2), content.going_back)


class StartOverHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and bool(
            is_intent_name("AMAZON.StartOverIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        progress = Progress.of(handler_input)
        if progress.stage != STEPS:
            return start(handler_input, progress.role)
        restart = replace(progress, step=0)
        return step(handler_input, restart, text(handler_input).starting_over)


class NotInRepairHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Go back a step when no repair is under way."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return not is_active(handler_input, NAME) and bool(
            is_intent_name("PreviousStepIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, text(handler_input).not_in_repair)


class RepairResume:
    def offer(self, handler_input: HandlerInput) -> str | None:
        progress = Progress.of(handler_input)
        content = text(handler_input)
        if progress.stage == STEPS:
            total = len(content.steps)
            return content.resume_offer.format(n=min(progress.step, total - 1) + 1, total=total)
        return content.resume_started if progress.stage else None

    def resume(self, handler_input: HandlerInput) -> Response:
        return question(handler_input, Progress.of(handler_input), text(handler_input).continuing)


def repair_help(handler_input: HandlerInput) -> Response:
    content = text(handler_input)
    progress = Progress.of(handler_input)
    mention = safety_text(handler_input).help_mention
    if progress.stage != STEPS:
        # Help in the middle of a question says the question again, not "say next".
        return question(handler_input, progress, content.help_question, mention)
    return reply(handler_input, Speech(content.help, mention), Speech(content.step_reprompt))


def handlers() -> list[AbstractRequestHandler]:
    return [
        StartHandler(),
        ScreeningAnswerHandler(),
        UpsetAnswerHandler(),
        NextStepHandler(),
        GoBackHandler(),
        StartOverHandler(),
        NotInRepairHandler(),
    ]
