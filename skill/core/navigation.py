"""The built-in intents every skill answers: help, stop, repeat, fallback, session end."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response, SessionEndedRequest

from skill.core.menu import menu, menu_reprompt
from skill.core.session import (
    LAST_RESPONSE,
    core_text,
    keep_expecting,
    last_reprompt,
    plugins,
    reply,
)
from skill.plugin import MenuContent
from skill.safety import safety_text
from skill.speech import Speech

log = logging.getLogger(__name__)


class HelpHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.HelpIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        text = core_text(handler_input)
        locale = handler_input.request_envelope.request.locale
        contents = [
            p.content(locale) for p in plugins(handler_input) if p.menu_position is not None
        ]
        descriptions = [c.description for c in contents if isinstance(c, MenuContent)]
        lead = (
            text.help_intro,
            *descriptions,
            text.help_controls,
            text.disclaimer,
            safety_text(handler_input).help_mention,
        )
        return menu(handler_input, *lead)


class StopHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return reply(handler_input, Speech(core_text(handler_input).goodbye))


class RepeatHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.RepeatIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        last = handler_input.attributes_manager.session_attributes.get(LAST_RESPONSE)
        if not last:
            return menu(handler_input, core_text(handler_input).nothing_to_repeat)
        keep_expecting(handler_input)
        builder = handler_input.response_builder.speak(last["speech"])
        if last.get("reprompt"):
            builder.ask(last["reprompt"])
        response: Response = builder.response
        return response


class FallbackHandler(AbstractRequestHandler):  # type: ignore[misc]
    """AMAZON.FallbackIntent, and any intent no handler wanted at this point (a "yes" out of
    context, an intent of another model version): says what can be said right now, which is
    the reprompt of the turn the person is in."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("IntentRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        options = last_reprompt(handler_input) or menu_reprompt(handler_input).safe_ssml()
        keep_expecting(handler_input)
        speech = Speech(core_text(handler_input).fallback).then(options)
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
