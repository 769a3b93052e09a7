"""The reflection plugin and its turns: one question at a time, answered aloud, never stored.

What the person answers reaches this code only as the intent that carried it: the words are
screened by the safety layer within the turn and never read, kept or logged here.
"""

from __future__ import annotations

from skill import api
from skill.plugins.reflection.content import ReflectionContent
from skill.plugins.reflection.progress import ReflectionPlugin, ReflectionProgress


def ask(
    plugin: ReflectionPlugin,
    handler_input: api.HandlerInput,
    progress: ReflectionProgress,
    *lead: str,
) -> api.Response:
    """Asks the question (or follow-up) `progress` points at, and keeps the place."""
    content = plugin.text(handler_input)
    question = content.questions[progress.current]
    speech = api.Speech(*lead)
    if progress.stage == 0:
        total = len(content.questions)
        speech.say(content.question_lead.format(n=progress.current + 1, total=total))
        speech.say(question.ask)
    else:
        speech.say(content.follow_up_lead).say(question.follow_ups[progress.stage - 1])
    speech.say(content.take_your_time)
    plugin.activate(handler_input, at=progress.mark(progress.current))
    return api.reply(handler_input, speech, api.Speech(content.reprompt))


def next_question(
    plugin: ReflectionPlugin,
    handler_input: api.HandlerInput,
    progress: ReflectionProgress,
    *lead: str,
) -> api.Response:
    """The first question of this pass not asked yet; after the last one, a gentle close."""
    content = plugin.text(handler_input)
    total = len(content.questions)
    order = [*range(progress.current + 1, total), *range(progress.current + 1)]
    pending = [i for i in order if not progress.was_asked(i)]
    if not pending:
        plugin.save(handler_input, progress.at(current=0, stage=0, asked=0))
        return api.menu(handler_input, *lead, content.all_done, content.go_again)
    return ask(plugin, handler_input, progress.at(current=pending[0], stage=0), *lead)


def start(plugin: ReflectionPlugin, handler_input: api.HandlerInput, *lead: str) -> api.Response:
    progress = plugin.progress(handler_input)
    if not progress.started:
        first = progress.model_copy(update={"started": True})
        return ask(plugin, handler_input, first, *lead, plugin.text(handler_input).first_time)
    if progress.asked:
        # Back to the question where the person stopped, not a new one.
        return ask(plugin, handler_input, progress.at(stage=0), *lead)
    return ask(plugin, handler_input, progress, *lead)


class StartHandler(api.Handler[ReflectionPlugin]):
    intents = ("ReflectionIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return start(self.plugin, handler_input)


class AnswerHandler(api.Handler[ReflectionPlugin]):
    """An answer, in words, yes or no, or too unlike anything for Alexa to map (fallback):
    acknowledged warmly, without judging or echoing it, then the follow-up or next question."""

    intents = ("AnswerIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.FallbackIntent")
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        progress = progress.model_copy(update={"answered": progress.answered + 1})
        thanks = content.acknowledgements[progress.answered % len(content.acknowledgements)]
        question = content.questions[progress.current]
        if progress.stage < len(question.follow_ups):
            return ask(self.plugin, handler_input, progress.at(stage=progress.stage + 1), thanks)
        return next_question(self.plugin, handler_input, progress, thanks)


class NotInQuestionsHandler(api.Handler[ReflectionPlugin]):
    """The previous question when no activity is going on (inside another one, that
    activity's question is asked again)."""

    intents = ("PreviousQuestionIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return not api.any_active(handler_input)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return api.menu(handler_input, self.plugin.text(handler_input).not_in_questions)


class MoveOnHandler(api.Handler[ReflectionPlugin]):
    """Next, continue or skip: on to the next question not asked yet."""

    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "SkipQuestionIntent")
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        skipped = api.is_intent(handler_input, "SkipQuestionIntent")
        lead = (self.plugin.text(handler_input).skipped,) if skipped else ()
        return next_question(self.plugin, handler_input, self.plugin.progress(handler_input), *lead)


class PreviousHandler(api.Handler[ReflectionPlugin]):
    intents = ("PreviousQuestionIntent",)
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        if progress.current == 0:
            return ask(self.plugin, handler_input, progress.at(stage=0), content.no_previous)
        back = progress.at(current=progress.current - 1, stage=0)
        return ask(self.plugin, handler_input, back, content.going_back)


class FirstQuestionHandler(api.Handler[ReflectionPlugin]):
    """Start over from the first question: a new pass from question one."""

    intents = ("FirstQuestionIntent", "AMAZON.StartOverIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return api.is_intent(handler_input, "FirstQuestionIntent") or self.plugin.is_active(
            handler_input
        )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        progress = progress.at(current=0, stage=0, asked=0).model_copy(update={"started": True})
        from_the_start = self.plugin.text(handler_input).from_the_start
        return ask(self.plugin, handler_input, progress, from_the_start)


class HowManyLeftHandler(api.Handler[ReflectionPlugin]):
    intents = ("HowManyLeftIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        total = len(content.questions)
        left = sum(not progress.was_asked(i) for i in range(total))
        said = (
            content.left_one.format(total=total)
            if left == 1
            else content.left_many.format(left=left, total=total)
        )
        if not self.plugin.is_active(handler_input):
            return api.menu(handler_input, said)
        return ask(self.plugin, handler_input, progress.at(stage=0), said)


class Reflection(api.Plugin[ReflectionContent, ReflectionProgress]):
    name = "reflection"
    intents = api.Intent.named(
        "ReflectionIntent", "PreviousQuestionIntent", "FirstQuestionIntent",
        "HowManyLeftIntent", "AMAZON.NextIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent",
        "AMAZON.YesIntent", "AMAZON.NoIntent",
    )  # fmt: skip
    # Tried in this order (after the safety layer's and the core's).
    handlers = (
        StartHandler, AnswerHandler, MoveOnHandler, PreviousHandler, FirstQuestionHandler,
        HowManyLeftHandler, NotInQuestionsHandler,
    )  # fmt: skip
    menu_position = 2

    def progress(self, handler_input: api.HandlerInput) -> ReflectionProgress:
        progress = super().progress(handler_input)
        questions = self.text(handler_input).questions
        placed = 0 <= progress.current < len(questions) and (
            0 <= progress.stage <= len(questions[progress.current].follow_ups)
        )
        # A place in questions that have changed since it was kept (another version's content)
        # is not a place in these: the person goes on from the first question of the pass.
        return progress if placed else progress.at(current=0, stage=0)

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        return start(self, handler_input, *lead)

    def resume_offer(self, handler_input: api.HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        if not progress.asked:
            return None
        content = self.text(handler_input)
        return content.resume_offer.format(n=progress.current + 1, total=len(content.questions))

    def resume(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        progress = self.progress(handler_input).at(stage=0)
        return ask(self, handler_input, progress, *lead, self.text(handler_input).continuing)

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response:
        content = self.text(handler_input)
        return api.reply(
            handler_input, api.Speech(content.help, *footer), api.Speech(content.reprompt)
        )
