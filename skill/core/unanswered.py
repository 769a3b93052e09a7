"""Requests this skill does not answer: an empty response, said nothing, and logged as such.

Alexa sends some request types whatever the skill declares (CanFulfillIntentRequest when a
developer turns it on, AudioPlayer and PlaybackController events, a touch on a screen, a message
from another skill). None of them is a turn the person speaks in: the answer is an empty response,
not the catch-all's apology (which would be logged as an error) and never speech, which Alexa
rejects for most of them.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type
from ask_sdk_model import Response

from skill.blocks.plugin import Handler
from skill.blocks.turn_log import set_outcome
from skill.blocks.words import CorePlugin

# The requests the skill speaks in answer to; the handlers before this one claim them all.
SPOKEN_TYPES = frozenset({"LaunchRequest", "IntentRequest"})


class UnansweredRequestHandler(Handler[CorePlugin]):
    """Registered last: any other request type no handler before it claimed."""

    def applies(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) not in SPOKEN_TYPES

    def handle(self, handler_input: HandlerInput) -> Response:
        set_outcome(handler_input, "not-answered")
        response: Response = handler_input.response_builder.response
        return response
