"""The last line of defence: no exception reaches Alexa as a crash."""

from __future__ import annotations

import logging
import traceback

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type
from ask_sdk_model import Response

from skill.core.launch import menu_reprompt
from skill.core.session import core_text, last_reprompt, reply
from skill.speech import Speech

log = logging.getLogger(__name__)


def describe(exception: BaseException) -> str:
    """The exception's type and where it was raised, without its message.

    Messages can quote data (a slot value, a key), and the person's words are never logged.
    """
    frames = traceback.extract_tb(exception.__traceback__)
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[::-1]
    )
    return f"{type(exception).__name__} at {where or 'unknown'}"


class CatchAllExceptionHandler(AbstractExceptionHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request_type = get_request_type(handler_input)
        intent = get_intent_name(handler_input) if request_type == "IntentRequest" else "-"
        log.error("unhandled %s (request %s, intent %s)", describe(exception), request_type, intent)
        if request_type == "SessionEndedRequest":
            # Alexa accepts no speech in answer to a session end.
            response: Response = handler_input.response_builder.response
            return response
        options = last_reprompt(handler_input) or _menu_reprompt(handler_input)
        return reply(handler_input, Speech(core_text(handler_input).error).then(options), options)


def _menu_reprompt(handler_input: HandlerInput) -> str:
    # The failure may have come before the turn's context was set up: keep this answer safe.
    try:
        return menu_reprompt(handler_input).safe_ssml()
    except Exception:
        return Speech(core_text(handler_input).anything_else).safe_ssml()
