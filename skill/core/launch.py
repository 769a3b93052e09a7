"""Opening the skill: a warm welcome, the three offers, and where a returning person left off."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.core.session import profile, reply, strings
from skill.speech import Speech


def menu(handler_input: HandlerInput, *lead: str) -> Response:
    """Speaks `lead`, then asks which of the three things the person would like."""
    say = strings(handler_input)
    speech = Speech(*lead, say["menu_question"])
    return reply(handler_input, speech, Speech(say["menu_reprompt"]))


class LaunchRequestHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        say = strings(handler_input)
        person = profile(handler_input)
        if not person.has_visited_before:
            return menu(handler_input, say["welcome_new"], say["disclaimer"])
        left_off = say.get(f"left_off_{person.last_activity}", "")
        return menu(handler_input, say["welcome_back"], left_off)


class NavigateHomeHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.NavigateHomeIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, strings(handler_input)["home"])
