"""The reflection plugin's turns: one question at a time, answered aloud, never stored.

What the person answers reaches this code only as the intent that carried it: the words are
screened by the safety layer within the turn and never read, kept or logged here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Self

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.menu import menu
from skill.core.session import (
    StoredProgress,
    is_active,
    reply,
    set_active,
)
from skill.plugins.reflection.content import ReflectionContent
from skill.safety import safety_text
from skill.speech import Speech

NAME = "reflection"


@dataclass(frozen=True)
class Progress(StoredProgress):
    """The place in the questions: never an answer."""

    PLUGIN: ClassVar[str] = NAME
    COUNTERS: ClassVar[frozenset[str]] = frozenset({"answered"})
    BITS: ClassVar[frozenset[str]] = frozenset({"asked"})

    current: int = 0  # index of the question being asked
    stage: int = 0  # 0: the question itself; 1, 2: its follow-ups
    asked: int = 0  # bit i set: question i was asked in this pass
    answered: int = 0  # answers given in all, to vary the acknowledgement
    started: bool = False  # whether the person has heard the opening words

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Self:
        progress = super().of(handler_input)
        questions = text(handler_input).questions
        placed = 0 <= progress.current < len(questions) and (
            0 <= progress.stage <= len(questions[progress.current].follow_ups)
        )
        # A place in questions that have changed since it was kept (another version's content)
        # is not a place in these: the person goes on from the first question of the pass.
        return progress if placed else replace(progress, current=0, stage=0)

    def was_asked(self, index: int) -> bool:
        return bool(self.asked >> index & 1)

    def mark(self, index: int) -> Progress:
        return replace(self, asked=self.asked | 1 << index)


def text(handler_input: HandlerInput) -> ReflectionContent:
    # The plugin is declared in the package's __init__, which imports this module first.
    from skill.plugins.reflection import plugin

    return plugin.content(handler_input.request_envelope.request.locale)


def ask(handler_input: HandlerInput, progress: Progress, *lead: str) -> Response:
    """Asks the question (or follow-up) `progress` points at, and keeps the place."""
    content = text(handler_input)
    question = content.questions[progress.current]
    speech = Speech(*lead)
    if progress.stage == 0:
        total = len(content.questions)
        speech.say(content.question_lead.format(n=progress.current + 1, total=total))
        speech.say(question.ask)
    else:
        speech.say(content.follow_up_lead).say(question.follow_ups[progress.stage - 1])
    speech.say(content.take_your_time)
    progress.mark(progress.current).save(handler_input)
    set_active(handler_input, NAME)
    return reply(handler_input, speech, Speech(content.reprompt))


def next_question(handler_input: HandlerInput, progress: Progress, *lead: str) -> Response:
    """The first question of this pass not asked yet; after the last one, a gentle close."""
    content = text(handler_input)
    total = len(content.questions)
    order = [*range(progress.current + 1, total), *range(progress.current + 1)]
    pending = [i for i in order if not progress.was_asked(i)]
    if not pending:
        replace(progress, current=0, stage=0, asked=0).save(handler_input)
        return menu(handler_input, *lead, content.all_done, content.go_again)
    return ask(handler_input, replace(progress, current=pending[0], stage=0), *lead)


def start(handler_input: HandlerInput) -> Response:
    progress = Progress.of(handler_input)
    if not progress.started:
        first = replace(progress, started=True)
        return ask(handler_input, first, text(handler_input).first_time)
    if progress.asked:
        # Back to the question where the person stopped, not a new one.
        return ask(handler_input, replace(progress, stage=0))
    return ask(handler_input, progress)


class StartHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("ReflectionIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return start(handler_input)


class AnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    """An answer, in words, yes or no, or too unlike anything for Alexa to map (fallback):
    acknowledged warmly, without judging or echoing it, then the follow-up or next question."""

    INTENTS = (
        "AnswerIntent",
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "AMAZON.FallbackIntent",
    )

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and any(
            is_intent_name(name)(handler_input) for name in self.INTENTS
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        progress = Progress.of(handler_input)
        progress = replace(progress, answered=progress.answered + 1)
        thanks = content.acknowledgements[progress.answered % len(content.acknowledgements)]
        question = content.questions[progress.current]
        if progress.stage < len(question.follow_ups):
            return ask(handler_input, replace(progress, stage=progress.stage + 1), thanks)
        return next_question(handler_input, progress, thanks)


class NotInQuestionsHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Skip or previous question when no question is waiting."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return not is_active(handler_input, NAME) and any(
            is_intent_name(name)(handler_input)
            for name in ("SkipQuestionIntent", "PreviousQuestionIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, text(handler_input).not_in_questions)


class MoveOnHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Next, continue or skip: on to the next question not asked yet."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and any(
            is_intent_name(name)(handler_input)
            for name in ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "SkipQuestionIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        lead = (
            (text(handler_input).skipped,)
            if is_intent_name("SkipQuestionIntent")(handler_input)
            else ()
        )
        return next_question(handler_input, Progress.of(handler_input), *lead)


class PreviousHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, NAME) and bool(
            is_intent_name("PreviousQuestionIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        progress = Progress.of(handler_input)
        if progress.current == 0:
            return ask(handler_input, replace(progress, stage=0), content.no_previous)
        back = replace(progress, current=progress.current - 1, stage=0)
        return ask(handler_input, back, content.going_back)


class FirstQuestionHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Start over from the first question: a new pass from question one."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("FirstQuestionIntent")(handler_input)) or (
            is_active(handler_input, NAME)
            and bool(is_intent_name("AMAZON.StartOverIntent")(handler_input))
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        progress = replace(Progress.of(handler_input), current=0, stage=0, asked=0, started=True)
        return ask(handler_input, progress, text(handler_input).from_the_start)


class HowManyLeftHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("HowManyLeftIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        progress = Progress.of(handler_input)
        total = len(content.questions)
        left = sum(not progress.was_asked(i) for i in range(total))
        said = (
            content.left_one.format(total=total)
            if left == 1
            else content.left_many.format(left=left, total=total)
        )
        if not is_active(handler_input, NAME):
            return menu(handler_input, said)
        return ask(handler_input, replace(progress, stage=0), said)


class ReflectionResume:
    def offer(self, handler_input: HandlerInput) -> str | None:
        progress = Progress.of(handler_input)
        if not progress.asked:
            return None
        total = len(text(handler_input).questions)
        return text(handler_input).resume_offer.format(n=progress.current + 1, total=total)

    def resume(self, handler_input: HandlerInput) -> Response:
        progress = replace(Progress.of(handler_input), stage=0)
        return ask(handler_input, progress, text(handler_input).continuing)


def reflection_help(handler_input: HandlerInput) -> Response:
    content = text(handler_input)
    speech = Speech(content.help, safety_text(handler_input).help_mention)
    return reply(handler_input, speech, Speech(content.reprompt))


def handlers() -> list[AbstractRequestHandler]:
    return [
        StartHandler(),
        AnswerHandler(),
        MoveOnHandler(),
        PreviousHandler(),
        FirstQuestionHandler(),
        HowManyLeftHandler(),
        NotInQuestionsHandler(),
    ]
