"""The reflection plugin's turns: one question at a time, answered aloud, never stored.

What the person answers reaches this code only as the intent that carried it: the words are
screened by the safety layer within the turn and never read, kept or logged here.
"""

from __future__ import annotations

from skill.api import Handler, HandlerInput, Response, Speech, is_intent, menu, reply
from skill.plugins.reflection.progress import ReflectionPlugin, ReflectionProgress


def ask(
    plugin: ReflectionPlugin, handler_input: HandlerInput, progress: ReflectionProgress, *lead: str
) -> Response:
    """Asks the question (or follow-up) `progress` points at, and keeps the place."""
    content = plugin.text(handler_input)
    question = content.questions[progress.current]
    speech = Speech(*lead)
    if progress.stage == 0:
        total = len(content.questions)
        speech.say(content.question_lead.format(n=progress.current + 1, total=total))
        speech.say(question.ask)
    else:
        speech.say(content.follow_up_lead).say(question.follow_ups[progress.stage - 1])
    speech.say(content.take_your_time)
    plugin.save(handler_input, progress.mark(progress.current))
    plugin.activate(handler_input)
    return reply(handler_input, speech, Speech(content.reprompt))


def next_question(
    plugin: ReflectionPlugin, handler_input: HandlerInput, progress: ReflectionProgress, *lead: str
) -> Response:
    """The first question of this pass not asked yet; after the last one, a gentle close."""
    content = plugin.text(handler_input)
    total = len(content.questions)
    order = [*range(progress.current + 1, total), *range(progress.current + 1)]
    pending = [i for i in order if not progress.was_asked(i)]
    if not pending:
        plugin.save(handler_input, progress.at(current=0, stage=0, asked=0))
        return menu(handler_input, *lead, content.all_done, content.go_again)
    return ask(plugin, handler_input, progress.at(current=pending[0], stage=0), *lead)


def start(plugin: ReflectionPlugin, handler_input: HandlerInput, *lead: str) -> Response:
    progress = plugin.progress(handler_input)
    if not progress.started:
        first = progress.model_copy(update={"started": True})
        return ask(plugin, handler_input, first, *lead, plugin.text(handler_input).first_time)
    if progress.asked:
        # Back to the question where the person stopped, not a new one.
        return ask(plugin, handler_input, progress.at(stage=0), *lead)
    return ask(plugin, handler_input, progress, *lead)


class StartHandler(Handler[ReflectionPlugin]):
    intents = ("ReflectionIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        return start(self.plugin, handler_input)


class AnswerHandler(Handler[ReflectionPlugin]):
    """An answer, in words, yes or no, or too unlike anything for Alexa to map (fallback):
    acknowledged warmly, without judging or echoing it, then the follow-up or next question."""

    intents = ("AnswerIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.FallbackIntent")
    while_active = True

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        progress = self.plugin.progress(handler_input)
        progress = progress.model_copy(update={"answered": progress.answered + 1})
        thanks = content.acknowledgements[progress.answered % len(content.acknowledgements)]
        question = content.questions[progress.current]
        if progress.stage < len(question.follow_ups):
            return ask(self.plugin, handler_input, progress.at(stage=progress.stage + 1), thanks)
        return next_question(self.plugin, handler_input, progress, thanks)


class NotInQuestionsHandler(Handler[ReflectionPlugin]):
    """Skip or previous question when no question is waiting."""

    intents = ("SkipQuestionIntent", "PreviousQuestionIntent")

    def applies(self, handler_input: HandlerInput) -> bool:
        return not self.plugin.is_active(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, self.plugin.text(handler_input).not_in_questions)


class MoveOnHandler(Handler[ReflectionPlugin]):
    """Next, continue or skip: on to the next question not asked yet."""

    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "SkipQuestionIntent")
    while_active = True

    def handle(self, handler_input: HandlerInput) -> Response:
        skipped = is_intent(handler_input, "SkipQuestionIntent")
        lead = (self.plugin.text(handler_input).skipped,) if skipped else ()
        return next_question(self.plugin, handler_input, self.plugin.progress(handler_input), *lead)


class PreviousHandler(Handler[ReflectionPlugin]):
    intents = ("PreviousQuestionIntent",)
    while_active = True

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        progress = self.plugin.progress(handler_input)
        if progress.current == 0:
            return ask(self.plugin, handler_input, progress.at(stage=0), content.no_previous)
        back = progress.at(current=progress.current - 1, stage=0)
        return ask(self.plugin, handler_input, back, content.going_back)


class FirstQuestionHandler(Handler[ReflectionPlugin]):
    """Start over from the first question: a new pass from question one."""

    intents = ("FirstQuestionIntent", "AMAZON.StartOverIntent")

    def applies(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, "FirstQuestionIntent") or self.plugin.is_active(
            handler_input
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        progress = self.plugin.progress(handler_input)
        progress = progress.at(current=0, stage=0, asked=0).model_copy(update={"started": True})
        from_the_start = self.plugin.text(handler_input).from_the_start
        return ask(self.plugin, handler_input, progress, from_the_start)


class HowManyLeftHandler(Handler[ReflectionPlugin]):
    intents = ("HowManyLeftIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        progress = self.plugin.progress(handler_input)
        total = len(content.questions)
        left = sum(not progress.was_asked(i) for i in range(total))
        said = (
            content.left_one.format(total=total)
            if left == 1
            else content.left_many.format(left=left, total=total)
        )
        if not self.plugin.is_active(handler_input):
            return menu(handler_input, said)
        return ask(self.plugin, handler_input, progress.at(stage=0), said)
