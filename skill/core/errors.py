"""The last line of defence: no exception reaches Alexa as a crash."""

from __future__ import annotations

import traceback

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.blocks.expect import keep_expecting
from skill.blocks.loaded import core_text
from skill.blocks.menu import current_options
from skill.blocks.reply import reply
from skill.blocks.sdk import ExceptionHandler
from skill.blocks.session import in_session
from skill.blocks.turn_log import log_turn
from skill.safety.resources import numbers_in_plain_speech
from skill.speech import Speech


def describe(exception: BaseException) -> str:
    """The exception's type and where it was raised, without its message.

    Messages can quote data (a slot value, a key), and the person's words are never logged.
    """
    frames = traceback.extract_tb(exception.__traceback__)
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[::-1]
    )
    return f"{type(exception).__name__} at {where or 'unknown'}"


class CatchAllExceptionHandler(ExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log_turn(handler_input, "error", error=describe(exception))
        spoken = is_request_type("LaunchRequest")(handler_input) or is_request_type(
            "IntentRequest"
        )(handler_input)
        if not spoken or not in_session(handler_input):
            # Alexa takes no speech in answer to a session end, a skill event or its own error.
            response: Response = handler_input.response_builder.response
            return response
        options = _options(handler_input)
        keep_expecting(handler_input)
        numbers = _numbers(handler_input)
        if numbers is not None:
            return reply(handler_input, Speech().then(numbers), options)
        return reply(handler_input, Speech(core_text(handler_input).error).then(options), options)


def _numbers(handler_input: HandlerInput) -> str | None:
    try:
        return numbers_in_plain_speech(handler_input)
    except Exception:
        return None


def _options(handler_input: HandlerInput) -> str:
    # The failure may have come before the turn's context was set up: keep this answer safe.
    try:
        return current_options(handler_input)
    except Exception:
        return Speech(core_text(handler_input).anything_else).safe_ssml()
