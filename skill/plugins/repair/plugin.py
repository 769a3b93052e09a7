"""The repair plugin and its turns: settling first, safety, then the steps, for one or two.

"Are you still very upset?" comes first: a yes advises a break of about twenty minutes and
plays a short breathing exercise (through whichever plugin provides "breathing"); the repair
then waits for the person to say they are ready ("back to the repair", "I'm ready"), in this
session or, when remembered, at a later launch: a short exercise is not a twenty-minute break.
Before any couple step, a safety question (fear, harm, threats, control) leads to the domestic
violence resources on a yes, and after those resources were given in a session no couple step
is guided. Then "is your partner there with you?": every step is worded for a person alone or
for both. The steps are worded for the person's part in the hurt too, when the way they asked
tells it ("I hurt my partner", "my partner hurt my feelings").

What the person says at a step is acknowledged warmly and never repeated, kept or logged: it
reaches this code only as the intent that carried it (and the safety layer screened it first).
"""

from __future__ import annotations

from typing import ClassVar

from skill import api
from skill.plugins.repair.content import RepairContent
from skill.plugins.repair.progress import (
    BREAK,
    SCREENING,
    STEPS,
    TOGETHER,
    UPSET,
    RepairPlugin,
    RepairProgress,
)
from skill.plugins.repair.turns import (
    ANSWERS,
    ASKING_SLOTS,
    ROLES,
    STAGES,
    carry_on,
    go_on,
    question,
    start,
    step,
    take_a_break,
)


class StartHandler(api.Handler[RepairPlugin]):
    """A way into a repair; during a break ("back to the repair"), the end of the break."""

    intents = tuple(ROLES)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        role = ROLES[next(n for n in ROLES if api.is_intent(handler_input, n))]
        progress = self.plugin.progress(handler_input)
        if progress.stage == BREAK:
            told = progress.changed(role=role) if role != "both" else progress
            after_break = self.plugin.text(handler_input).after_break
            return question(self.plugin, handler_input, told, after_break)
        return start(self.plugin, handler_input, role)


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
    domestic violence resources, and no couple steps. "I don't know": the same, gently."""

    stage = SCREENING
    question = api.Question("repairScreening", safety=True)

    def answer(self, handler_input: api.HandlerInput, yes: bool) -> api.Response:
        progress = self.plugin.progress(handler_input)
        if yes:
            self.plugin.save(handler_input, RepairProgress(teaching=progress.teaching))
            return api.abuse_resources(handler_input)
        together = progress.changed(stage=TOGETHER, step=0)
        return question(self.plugin, handler_input, together)

    def unsure(self, handler_input: api.HandlerInput) -> api.Response:
        # The resources gently, and not the question again (which would go round in circles):
        # "I don't know" is not a disclosure, so "let's go on" goes on to the next question.
        progress = self.plugin.progress(handler_input)
        self.plugin.save(handler_input, progress.changed(stage=TOGETHER, step=0))
        return api.gentle_resources(handler_input)


class UpsetAnswerHandler(_StageQuestion):
    """Still very upset ("a little", "I'm shaking"; unclear twice, too): a break, with a short
    breathing exercise to settle, and the repair waits until the person says they're ready."""

    stage = UPSET
    question = api.Question(
        "repairUpset",
        words_are_yes=True,
        otherwise=True,
        yes_intents=("PanicIntent", "GroundingIntent", "QuickGroundingIntent"),
    )

    def answer(self, handler_input: api.HandlerInput, upset: bool) -> api.Response:
        progress = self.plugin.progress(handler_input)
        if not upset:
            screening = progress.changed(stage=SCREENING)
            return question(self.plugin, handler_input, screening)
        resting = progress.changed(stage=BREAK)
        return take_a_break(self.plugin, handler_input, resting)


class TogetherAnswerHandler(_StageQuestion):
    """Is the partner there? A hedged yes ("kind of, she's in the next room") is a yes; an
    answer still unclear after asking once more is taken as alone."""

    stage = TOGETHER
    question = api.Question("repairTogether")
    # "Just me", "both of us": no yes or no in them, but a clear answer to this question.
    intents = (*api.YesNoAnswer.intents, "PresenceIntent")

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        if api.is_intent(handler_input, "PresenceIntent"):
            together = api.resolved_id(handler_input, "presence") == "together"
            return self.answer(handler_input, together)
        return super().handle(handler_input)

    def answer(self, handler_input: api.HandlerInput, yes: bool) -> api.Response:
        progress = self.plugin.progress(handler_input)
        steps = progress.changed(stage=STEPS, together=yes)
        return step(self.plugin, handler_input, steps)


class ContinueHandler(api.Handler[RepairPlugin]):
    """ "Back to the repair", from anywhere (after a break, a pause, another activity): on from
    where it is, or a new repair when none is under way."""

    intents = ("RepairContinueIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        resting = self.plugin.progress(handler_input).stage == BREAK
        lead = content.after_break if resting else content.continuing
        return carry_on(self.plugin, handler_input, lead) or start(self.plugin, handler_input)


class ReadyHandler(api.Handler[RepairPlugin]):
    """ "I'm ready", "let's continue", "next" after a break: on with the repair, in the
    person's own time, whichever activity came between (unless another is going on)."""

    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "AnswerIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        if self.plugin.progress(handler_input).stage != BREAK:
            return False
        if not (self.plugin.is_active(handler_input) or not api.any_active(handler_input)):
            return False
        # Words are a readiness only in the answer's "ready ..." carrier ("ready to go on").
        return not api.is_intent(handler_input, "AnswerIntent") or bool(
            api.slot_value(handler_input, "answerReady")
        )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        after_break = self.plugin.text(handler_input).after_break
        return question(self.plugin, handler_input, progress, after_break)


class BreakWordsHandler(_InStage):
    """Other words during the break (no exercise going on): no hurry, and how to go on."""

    stage = BREAK
    intents = ("AnswerIntent", "AMAZON.FallbackIntent", "AMAZON.YesIntent", "AMAZON.NoIntent")

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        reprompt = api.Speech(self.plugin.text(handler_input).break_reprompt)
        return api.reply(handler_input, reprompt, reprompt)


class NextStepHandler(_InStage):
    """Next, continue, "okay", "skip": on to the next step (or the close, after the last)."""

    stage = STEPS
    intents = (
        "AMAZON.NextIntent", "AMAZON.ResumeIntent", "AMAZON.YesIntent", "SkipQuestionIntent",
    )  # fmt: skip

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return go_on(self.plugin, handler_input, self.plugin.progress(handler_input))


class StepAnswerHandler(_InStage):
    """What the person says at a step ("I feel like she never listens to me", "hurt", "I
    don't know"): acknowledged warmly, neither repeated nor kept, then on. Together, the first
    answer at a step gives the partner a turn; "what do you mean?" hears the step again; a no
    ("no, not yet") stays at the step."""

    stage = STEPS
    intents = ANSWERS

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        if api.is_intent(handler_input, "AnswerIntent") and any(
            api.slot_value(handler_input, slot) for slot in ASKING_SLOTS
        ):
            again = progress.changed(step=progress.step - 1)
            return step(self.plugin, handler_input, again, content.said_again, teach=False)
        meaning = api.meaning(handler_input)
        heard = progress.changed(answers=progress.answers + 1)
        if meaning is api.Meaning.NO:
            self.plugin.activate(handler_input, at=heard)
            reprompt = content.step_reprompt.said(progress.together)
            return api.reply(
                handler_input, api.Speech(content.not_yet, reprompt), api.Speech(reprompt)
            )
        if meaning is api.Meaning.UNSURE:
            thanks = content.not_sure
        else:
            # Which one is said turns with the answers and steps, so none comes twice running.
            turn = progress.step + progress.answers
            thanks = content.acknowledgements[turn % len(content.acknowledgements)]
        if progress.together and progress.answers == 0:
            self.plugin.activate(handler_input, at=heard)
            speech = api.Speech(thanks, content.partner_turn)
            return api.reply(handler_input, speech, api.Speech(content.partner_turn_reprompt))
        return go_on(self.plugin, handler_input, heard, thanks)


class PauseHandler(_InStage):
    """ "Pause", "we need a break" at a step: the repair waits, said honestly (no promise of
    time the device does not give), and "I'm ready" or "next" goes on."""

    stage = STEPS
    intents = ("AMAZON.PauseIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        said = [content.come_back_when_ready]
        if api.remembered(handler_input):
            said.append(content.come_back_next_time)
        speech = api.Speech(*said)
        offered = api.offer_to_remember(handler_input, speech, after=self.plugin.name)
        return offered or api.reply(handler_input, speech, api.Speech(content.break_reprompt))


class GoBackHandler(_InStage):
    stage = STEPS
    intents = ("PreviousStepIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        # `step` is the next one to say: the one just said is step - 1, the one before, step - 2.
        if progress.step < 2:
            first = progress.changed(step=0)
            return step(self.plugin, handler_input, first, content.no_step_before)
        back = progress.changed(step=progress.step - 2)
        return step(self.plugin, handler_input, back, content.going_back)


class StartOverHandler(api.Handler[RepairPlugin]):
    intents = ("AMAZON.StartOverIntent",)
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        if progress.stage != STEPS:
            return start(self.plugin, handler_input, progress.role)
        restart = progress.changed(step=0)
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
    testing = """
        Repair guidance: say "we had a fight" (or "I hurt my partner"). Safety comes first.
        It asks whether you are still very upset: "yes" suggests a break and plays a short
        calming exercise; "no" goes on. Then it asks whether you are afraid of your partner,
        or anyone has been hurt, threatened or controlled: only a clear "no" goes on to the
        steps, while "yes", "maybe" or "I don't know" gives the domestic violence help lines.
        Then, after whether your partner is with you ("no"), one step at a time: say "next"
        or "go back".
    """
    intents = (
        # Who the person speaks of ("my wife and I had a fight") is heard, never kept or read.
        # "Alexa, help me make up after a fight": may reach the skill without its name.
        *(api.Intent(name=n, slots={"partner": "PARTNER"}, name_free=True) for n in ROLES),
        # "Just me", "both of us": who is there, said to "is your partner there with you?"
        api.Intent(name="PresenceIntent", slots={"presence": "PRESENCE"}),
        *api.Intent.named(
            "RepairContinueIntent", "PreviousStepIntent", "AMAZON.NextIntent",
            "AMAZON.ResumeIntent", "AMAZON.StartOverIntent", "AMAZON.PauseIntent",
            "AMAZON.YesIntent", "AMAZON.NoIntent",
        ),
    )  # fmt: skip
    # Tried in this order (after the safety layer's and the core's): the answers of a repair
    # in progress before the ways into one ("my husband never listens to me" at a step).
    handlers = (
        ScreeningAnswerHandler, UpsetAnswerHandler, TogetherAnswerHandler, ContinueHandler,
        ReadyHandler, BreakWordsHandler, NextStepHandler, StepAnswerHandler, PauseHandler,
        GoBackHandler, StartOverHandler, StartHandler, NotInRepairHandler,
    )  # fmt: skip
    menu_position = 3
    # Couple repair assumes a safe relationship: not offered after the domestic violence
    # resources in a session (the core's menu and launch leave it out).
    after_abuse = False
    # The check-in offers it after a hard day (never after an abuse disclosure).
    provides = frozenset({"repair"})

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        return start(self, handler_input, "both", *lead)

    def start_over(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        """ "No, start over" to the launch's offer: a new repair from its first question, for
        the same part in the hurt; the kept place and the partner's presence are asked anew."""
        return start(self, handler_input, self.progress(handler_input).role, *lead)

    def resume_offer(self, handler_input: api.HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        content = self.text(handler_input)
        if progress.stage == STEPS:
            total = len(content.steps)
            n = min(max(progress.step, 0), total - 1) + 1
            return content.resume_offer.format(n=n, total=total)
        if progress.stage == BREAK:
            return content.resume_break
        return content.resume_started if progress.stage in STAGES else None

    def resume(self, handler_input: api.HandlerInput, *lead: str) -> api.Response | None:
        return carry_on(self, handler_input, *lead, self.text(handler_input).continuing)

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response:
        content = self.text(handler_input)
        progress = self.progress(handler_input)
        if progress.stage == BREAK:
            speech = api.Speech(content.break_reprompt, *footer)
            return api.reply(handler_input, speech, api.Speech(content.break_reprompt))
        if progress.stage != STEPS:
            # Help in the middle of a question says the question again, not "say next".
            return question(self, handler_input, progress, content.help_question, *footer)
        speech = api.Speech(content.help.said(progress.together), *footer)
        reprompt = api.Speech(content.step_reprompt.said(progress.together))
        return api.reply(handler_input, speech, reprompt)
