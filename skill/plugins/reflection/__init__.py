"""Blueprint reflection: the inherited-blueprint questions, asked aloud, resumed next time."""

from __future__ import annotations

from skill.api import HandlerInput, Intent, Plugin, Response, Speech, reply
from skill.plugins.reflection.content import ReflectionContent
from skill.plugins.reflection.handlers import (
    AnswerHandler,
    FirstQuestionHandler,
    HowManyLeftHandler,
    MoveOnHandler,
    NotInQuestionsHandler,
    PreviousHandler,
    StartHandler,
    ask,
    start,
)
from skill.plugins.reflection.progress import ReflectionProgress


class Reflection(Plugin[ReflectionContent, ReflectionProgress]):
    name = "reflection"
    intents = (
        Intent(name="ReflectionIntent"),
        Intent(name="SkipQuestionIntent"),
        Intent(name="PreviousQuestionIntent"),
        Intent(name="FirstQuestionIntent"),
        Intent(name="HowManyLeftIntent"),
        Intent(name="AMAZON.NextIntent"),
        Intent(name="AMAZON.ResumeIntent"),
        Intent(name="AMAZON.StartOverIntent"),
        Intent(name="AMAZON.YesIntent"),
        Intent(name="AMAZON.NoIntent"),
    )
    handlers = (
        StartHandler,
        AnswerHandler,
        MoveOnHandler,
        PreviousHandler,
        FirstQuestionHandler,
        HowManyLeftHandler,
        NotInQuestionsHandler,
    )
    menu_position = 2

    def progress(self, handler_input: HandlerInput) -> ReflectionProgress:
        progress = super().progress(handler_input)
        questions = self.text(handler_input).questions
        placed = 0 <= progress.current < len(questions) and (
            0 <= progress.stage <= len(questions[progress.current].follow_ups)
        )
        # A place in questions that have changed since it was kept (another version's content)
        # is not a place in these: the person goes on from the first question of the pass.
        return progress if placed else progress.at(current=0, stage=0)

    def start(self, handler_input: HandlerInput, *lead: str) -> Response:
        return start(self, handler_input, *lead)

    def resume_offer(self, handler_input: HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        if not progress.asked:
            return None
        content = self.text(handler_input)
        return content.resume_offer.format(n=progress.current + 1, total=len(content.questions))

    def resume(self, handler_input: HandlerInput, *lead: str) -> Response:
        progress = self.progress(handler_input).at(stage=0)
        return ask(self, handler_input, progress, *lead, self.text(handler_input).continuing)

    def help(self, handler_input: HandlerInput, *footer: str) -> Response:
        content = self.text(handler_input)
        return reply(handler_input, Speech(content.help, *footer), Speech(content.reprompt))
