"""Opening the skill: a warm welcome, consent, the offers, and where a person left off."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill.blocks.answers import Question, YesNoAnswer
from skill.blocks.expect import expect_next_turn
from skill.blocks.loaded import loaded
from skill.blocks.menu import menu
from skill.blocks.plugin import Handler
from skill.blocks.reply import reply
from skill.blocks.session import RESUME_OFFERED, profile, remembered
from skill.blocks.words import CorePlugin
from skill.core.privacy import ask_consent
from skill.speech import Speech


class LaunchRequestHandler(Handler[CorePlugin]):
    requests = ("LaunchRequest",)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        if not remembered(handler_input):
            # First visit, or someone who chose not to be remembered: each visit starts afresh.
            return ask_consent(handler_input, text.welcome_new, text.disclaimer)
        plugins = loaded(handler_input)
        for plugin in plugins.plugins:
            taken = plugin.on_launch(handler_input, text.welcome_back)
            if taken is not None:
                return taken
        last = plugins.named(profile(handler_input).last_activity)
        if last is None:
            return menu(handler_input, text.welcome_back)
        offer = last.resume_offer(handler_input)
        if offer:
            expect_next_turn(handler_input, RESUME_OFFERED, last.name)
            speech = Speech(text.welcome_back, offer, text.resume_question)
            return reply(handler_input, speech, Speech(text.resume_reprompt))
        left_off = (
            text.left_off.format(label=last.label(get_locale(handler_input)))
            if last.menu_position is not None
            else ""
        )
        return menu(handler_input, text.welcome_back, left_off)


class ResumeAnswerHandler(YesNoAnswer[CorePlugin]):
    """A yes or no right after Launch offered to pick up where the person left off."""

    question = Question(RESUME_OFFERED)

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response:
        plugin = loaded(handler_input).named(self.asked(handler_input))
        if yes and plugin is not None:
            resumed = plugin.resume(handler_input)
            if resumed is not None:
                return resumed
        return menu(handler_input)


class NavigateHomeHandler(Handler[CorePlugin]):
    intents = ("AMAZON.NavigateHomeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, self.plugin.text(handler_input).home)
