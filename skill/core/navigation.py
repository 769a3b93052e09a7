"""The built-in intents every skill answers: help, stop, repeat, yes/no, fallback, session end."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.core.menu import current_options, menu, menu_contents, menu_reprompt
from skill.core.session import (
    LAST_RESPONSE,
    any_active,
    core_text,
    intent_in,
    is_active,
    keep_expecting,
    plugins,
    reply,
)
from skill.core.turn_log import set_outcome
from skill.safety import safety_text
from skill.speech import Speech

log = logging.getLogger(__name__)


class HelpHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AMAZON.HelpIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        active = next((p for p in plugins(handler_input) if is_active(handler_input, p.name)), None)
        if active is not None and active.help is not None:
            return active.help(handler_input)
        text = core_text(handler_input)
        descriptions = [content.description for content in menu_contents(handler_input)]
        lead = (
            text.help_intro,
            *descriptions,
            text.help_controls,
            text.disclaimer,
            safety_text(handler_input).help_mention,
        )
        return menu(handler_input, *lead)


def goodbye(handler_input: HandlerInput) -> Response:
    return reply(handler_input, Speech(core_text(handler_input).goodbye))


class StopHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_in(handler_input, "AMAZON.StopIntent", "AMAZON.CancelIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        return goodbye(handler_input)


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


class YesNoHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A "yes" or "no" that no pending question claimed: the menu and "anything else?"
    questions. Yes lists what can be chosen; no is a warm goodbye."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # Inside an activity, an unclaimed yes or no (a "no" meaning "not ready yet") is not a
        # goodbye: the fallback asks the activity's question again.
        return not any_active(handler_input) and bool(
            intent_in(handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return goodbye(handler_input)
        options = menu_reprompt(handler_input)
        return reply(handler_input, options, options)


class NothingInProgressHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Next, continue, pause or start over when no activity claimed them."""

    INTENTS = (
        "AMAZON.NextIntent",
        "AMAZON.ResumeIntent",
        "AMAZON.PauseIntent",
        "AMAZON.StartOverIntent",
    )

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # Inside an activity that did not claim them (it is asking something), the fallback
        # asks again instead.
        return not any_active(handler_input) and any(
            is_intent_name(name)(handler_input) for name in self.INTENTS
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, core_text(handler_input).nothing_in_progress)


class FallbackHandler(AbstractRequestHandler):  # type: ignore[misc]
    """AMAZON.FallbackIntent, and any intent no handler wanted at this point (an intent of
    another model version): says what can be said right now, which is the reprompt of the turn
    the person is in, and keeps its question open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("IntentRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        options = current_options(handler_input)
        keep_expecting(handler_input)
        speech = Speech(core_text(handler_input).fallback).then(options)
        return reply(handler_input, speech, options)


class SessionEndedHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Alexa closed the session: the profile is saved by the interceptors; nothing is spoken."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        error = handler_input.request_envelope.request.error
        if error is not None:
            set_outcome(handler_input, f"alexa-error:{error.object_type}")
        response: Response = handler_input.response_builder.response
        return response


class SystemExceptionHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Alexa reports that our last response failed: it takes no speech in answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("System.ExceptionEncountered")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        error = handler_input.request_envelope.request.error
        set_outcome(handler_input, f"alexa-error:{getattr(error, 'object_type', None)}")
        response: Response = handler_input.response_builder.response
        return response
