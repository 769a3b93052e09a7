"""Opening the skill: a warm welcome, consent, the offers, and where a person left off."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.core.menu import menu
from skill.core.privacy import ask_consent
from skill.core.session import (
    RESUME_OFFERED,
    core_text,
    expect_next_turn,
    from_last_turn,
    intent_in,
    plugin_named,
    plugins,
    profile,
    reply,
)
from skill.plugin import MenuContent
from skill.speech import Speech


class LaunchRequestHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        text = core_text(handler_input)
        person = profile(handler_input)
        if person.consent is None:
            # First visit, or someone who chose not to be remembered: each visit starts afresh.
            return ask_consent(handler_input, text.welcome_new, text.disclaimer)
        for plugin in plugins(handler_input):
            taken = plugin.on_launch(handler_input, text.welcome_back) if plugin.on_launch else None
            if taken is not None:
                return taken
        last = plugin_named(handler_input, person.last_activity)
        if last is None:
            return menu(handler_input, text.welcome_back)
        offer = last.resume.offer(handler_input) if last.resume else None
        if offer:
            expect_next_turn(handler_input, RESUME_OFFERED, last.name)
            speech = Speech(text.welcome_back, offer, text.resume_question)
            return reply(handler_input, speech, Speech(text.resume_reprompt))
        content = last.content(handler_input.request_envelope.request.locale)
        left_off = (
            text.left_off.format(label=content.label) if isinstance(content, MenuContent) else ""
        )
        return menu(handler_input, text.welcome_back, left_off)


class ResumeAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A yes or no right after Launch offered to pick up where the person left off."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            from_last_turn(handler_input, RESUME_OFFERED)
            and (intent_in(handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"))
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        name = from_last_turn(handler_input, RESUME_OFFERED)
        plugin = plugin_named(handler_input, name)
        if is_intent_name("AMAZON.YesIntent")(handler_input) and plugin and plugin.resume:
            return plugin.resume.resume(handler_input)
        return menu(handler_input)


class NavigateHomeHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.NavigateHomeIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, core_text(handler_input).home)
