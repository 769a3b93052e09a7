"""The one way a handler answers: speech, and a reprompt that keeps the session open or none."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.speech import Speech


def reply(
    handler_input: HandlerInput, speech: Speech, reprompt: Speech | str | None = None
) -> Response:
    """A turn that keeps the session open (with a reprompt) or, without one, ends it."""
    builder = handler_input.response_builder.speak(speech.safe_ssml())
    if reprompt is None:
        builder.set_should_end_session(True)
    else:
        builder.ask(reprompt if isinstance(reprompt, str) else reprompt.safe_ssml())
    response: Response = builder.response
    return response
