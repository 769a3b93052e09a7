"""The built-in intents every skill answers: help, stop, repeat, fallback, session end."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response, SessionEndedRequest

from skill.core.session import LAST_RESPONSE, last_reprompt, reply, strings
from skill.speech import Speech

log = logging.getLogger(__name__)


class HelpHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.HelpIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        say = strings(handler_input)
        speech = Speech(say["help"], say["disclaimer"], say["help_safety"], say["menu_question"])
        return reply(handler_input, speech, Speech(say["menu_reprompt"]))


class StopHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return reply(handler_input, Speech(strings(handler_input)["goodbye"]))


class RepeatHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.RepeatIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        last = handler_input.attributes_manager.session_attributes.get(LAST_RESPONSE)
        if not last:
            say = strings(handler_input)
            return reply(
                handler_input,
                Speech(say["nothing_to_repeat"], say["menu_question"]),
                Speech(say["menu_reprompt"]),
            )
        builder = handler_input.response_builder.speak(last["speech"])
        if last.get("reprompt"):
            builder.ask(last["reprompt"])
        response: Response = builder.response
        return response


class FallbackHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Says what can be said right now: the reprompt of the turn the person is in."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.FallbackIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        say = strings(handler_input)
        options = last_reprompt(handler_input) or Speech(say["menu_reprompt"]).ssml()
        speech = Speech(say["fallback"]).then(options)
        return reply(handler_input, speech, options)


class SessionEndedHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Alexa closed the session: the profile is saved by the interceptors; nothing is spoken."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        request: SessionEndedRequest = handler_input.request_envelope.request
        if request.error is not None:
            log.warning("session ended with error type %s", request.error.object_type)
        response: Response = handler_input.response_builder.response
        return response
