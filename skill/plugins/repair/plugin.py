"""The repair plugin and its turns: settling first, safety, then the steps.

"Are you still very upset?" comes first: a yes leads to a short breathing exercise (through
whichever plugin provides "breathing") and the advice to take a break, then back here. Before any
couple step, a screening question (fear, harm, threats, control) leads to the domestic violence
resources on a yes. The steps are worded for the person's part in the hurt, when the way they
asked tells it ("I hurt my partner", "my partner hurt my feelings"), else for both.
"""

from __future__ import annotations

from typing import ClassVar

from skill import api
from skill.plugins.repair.content import RepairContent, Role
from skill.plugins.repair.progress import (
    SCREENING,
    STEPS,
    UPSET,
    RepairPlugin,
    RepairProgress,
)


def question(
    plugin: RepairPlugin, handler_input: api.HandlerInput, progress: RepairProgress, *lead: str
) -> api.Response:
    """Asks what the stage needs, or says the next step."""
    content = plugin.text(handler_input)
    plugin.activate(handler_input, at=progress)
    asked = {
        SCREENING: (content.screening_question, content.screening_reprompt),
        UPSET: (content.upset_question, content.upset_reprompt),
    }
    if progress.stage in asked:
        said, reprompt = asked[progress.stage]
        return api.reply(handler_input, api.Speech(*lead, said), api.Speech(reprompt))
    return step(plugin, handler_input, progress, *lead)


def step(
    plugin: RepairPlugin, handler_input: api.HandlerInput, progress: RepairProgress, *lead: str
) -> api.Response:
    content = plugin.text(handler_input)
    total = len(content.steps)
    index = min(progress.step, total - 1)
    said = [*lead, content.step_lead.format(n=index + 1, total=total)]
    said.append(content.steps[index].for_role(progress.role))
    teaching = progress.teaching
    if index + 1 in content.teach_after:
        said.append(content.teachings[teaching % len(content.teachings)])
        teaching += 1
    if index + 1 == total:
        plugin.save(handler_input, RepairProgress(teaching=teaching))  # done: nothing to resume
        return api.menu(handler_input, *said, content.closing)
    moved = progress.model_copy(update={"stage": STEPS, "step": index + 1, "teaching": teaching})
    plugin.activate(handler_input, at=moved)
    return api.reply(
        handler_input, api.Speech(*said, content.say_next), api.Speech(content.step_reprompt)
    )


def start(
    plugin: RepairPlugin, handler_input: api.HandlerInput, role: str = "both", *lead: str
) -> api.Response:
    content = plugin.text(handler_input)
    # A role kept by another version (starting over passes the kept one) is "both".
    known: Role = next((known for known in content.role_words if known == role), "both")
    kept = plugin.progress(handler_input).teaching
    progress = RepairProgress(stage=UPSET, role=known, teaching=kept)
    said = content.role_words[known]
    return question(plugin, handler_input, progress, *lead, content.opening, said)


class StartHandler(api.Handler[RepairPlugin]):
    # Entry intents, and the person's part in the hurt that each one already tells.
    ROLES: ClassVar[dict[str, str]] = {
        "RepairIntent": "both",
        "RepairCausedIntent": "caused",
        "RepairReceivedIntent": "received",
    }
    intents = tuple(ROLES)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        name = next(n for n in self.ROLES if api.is_intent(handler_input, n))
        return start(self.plugin, handler_input, self.ROLES[name])


class _InStage(api.Handler[RepairPlugin]):
    """A handler for one stage of a repair in progress."""

    stage: ClassVar[str]
    while_active = True

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return self.plugin.progress(handler_input).stage == self.stage


class _StageQuestion(api.YesNoAnswer[RepairPlugin]):
    """The answer to the question a repair in progress is waiting on (its stage)."""

    stage: ClassVar[str]
    while_active = True

    def asked(self, handler_input: api.HandlerInput) -> str | None:
        return self.stage if self.plugin.progress(handler_input).stage == self.stage else None


class ScreeningAnswerHandler(_StageQuestion):
    """Yes to fear, harm or threats, in any words ("sometimes", "she threw a plate at me"): the
    domestic violence resources, and no couple steps. "I don't know": the same, gently, and
    "let's go on" comes back here."""

    stage = SCREENING
    question = api.Question("repairScreening", safety=True)

    def answer(self, handler_input: api.HandlerInput, yes: bool) -> api.Response:
        progress = self.plugin.progress(handler_input)
        if yes:
            self.plugin.save(handler_input, RepairProgress(teaching=progress.teaching))
            return api.abuse_resources(handler_input)
        started = progress.model_copy(update={"stage": STEPS, "step": 0})
        return step(self.plugin, handler_input, started)

    def unsure(self, handler_input: api.HandlerInput) -> api.Response:
        # The resources gently; "let's go on" then goes on to the steps, not to the question
        # again (which would go round in circles).
        progress = self.plugin.progress(handler_input)
        self.plugin.save(handler_input, progress.model_copy(update={"stage": STEPS, "step": 0}))
        return api.gentle_resources(handler_input)


class UpsetAnswerHandler(_StageQuestion):
    """Still very upset ("a little", "I'm shaking"; unclear twice, too): a breathing exercise
    and a break first, then back to the steps."""

    stage = UPSET
    question = api.Question(
        "repairUpset",
        words_are_yes=True,
        otherwise=True,
        yes_intents=("PanicIntent", "GroundingIntent", "QuickGroundingIntent"),
    )

    def answer(self, handler_input: api.HandlerInput, upset: bool) -> api.Response:
        content = self.plugin.text(handler_input)
        progress = self.plugin.progress(handler_input).model_copy(update={"stage": SCREENING})
        if upset:
            self.plugin.save(handler_input, progress)
            breathing = api.start_capability(
                handler_input, "breathing", content.break_advice, come_back_to=self.plugin.name
            )
            if breathing is not None:
                return breathing
        lead = (content.break_advice,) if upset else ()
        return question(self.plugin, handler_input, progress, *lead)


class NextStepHandler(_InStage):
    stage = STEPS
    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent")

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return step(self.plugin, handler_input, self.plugin.progress(handler_input))


class GoBackHandler(_InStage):
    stage = STEPS
    intents = ("PreviousStepIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        # `step` is the next one to say: the one just said is step - 1, the one before, step - 2.
        if progress.step < 2:
            first = progress.model_copy(update={"step": 0})
            return step(self.plugin, handler_input, first, content.no_step_before)
        back = progress.model_copy(update={"step": progress.step - 2})
        return step(self.plugin, handler_input, back, content.going_back)


class StartOverHandler(api.Handler[RepairPlugin]):
    intents = ("AMAZON.StartOverIntent",)
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        if progress.stage != STEPS:
            return start(self.plugin, handler_input, progress.role)
        restart = progress.model_copy(update={"step": 0})
        starting_over = self.plugin.text(handler_input).starting_over
        return step(self.plugin, handler_input, restart, starting_over)


class NotInRepairHandler(api.Handler[RepairPlugin]):
    """Go back a step when no repair is under way."""

    intents = ("PreviousStepIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return not api.any_active(handler_input)  # inside another activity: its question again

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return api.menu(handler_input, self.plugin.text(handler_input).not_in_repair)


class Repair(api.Plugin[RepairContent, RepairProgress]):
    name = "repair"
    intents = (
        # Who the person speaks of ("my wife and I had a fight") is heard, never kept or read.
        *(api.Intent(name=name, slots={"partner": "PARTNER"}) for name in StartHandler.ROLES),
        *api.Intent.named(
            "PreviousStepIntent", "AMAZON.NextIntent", "AMAZON.ResumeIntent",
            "AMAZON.StartOverIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
        ),
    )  # fmt: skip
    # Tried in this order (after the safety layer's and the core's).
    handlers = (
        StartHandler, ScreeningAnswerHandler, UpsetAnswerHandler, NextStepHandler, GoBackHandler,
        StartOverHandler, NotInRepairHandler,
    )  # fmt: skip
    menu_position = 3

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        return start(self, handler_input, "both", *lead)

    def resume_offer(self, handler_input: api.HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        content = self.text(handler_input)
        if progress.stage == STEPS:
            total = len(content.steps)
            return content.resume_offer.format(n=min(progress.step, total - 1) + 1, total=total)
        return content.resume_started if progress.stage else None

    def resume(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        continuing = self.text(handler_input).continuing
        return question(self, handler_input, self.progress(handler_input), *lead, continuing)

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response:
        content = self.text(handler_input)
        progress = self.progress(handler_input)
        if progress.stage != STEPS:
            # Help in the middle of a question says the question again, not "say next".
            return question(self, handler_input, progress, content.help_question, *footer)
        speech = api.Speech(content.help, *footer)
        return api.reply(handler_input, speech, api.Speech(content.step_reprompt))
