"""What every handler reaches for: the person's profile, the locale strings, and a reply."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.speech import Speech
from skill.state import Profile
from skill.strings import strings_for

# Session attribute names (they travel to Alexa and back with every turn).
PROFILE = "profile"
LAST_RESPONSE = "lastResponse"
# Request attribute names (live for one request only).
LOADED_PROFILE = "loadedProfile"


def profile(handler_input: HandlerInput) -> Profile:
    current: Profile = handler_input.attributes_manager.request_attributes[PROFILE]
    return current


def update_profile(handler_input: HandlerInput, new: Profile) -> None:
    handler_input.attributes_manager.request_attributes[PROFILE] = new


def strings(handler_input: HandlerInput) -> dict[str, str]:
    return strings_for(handler_input.request_envelope.request.locale)


def last_reprompt(handler_input: HandlerInput) -> str | None:
    """The SSML of the last reprompt: it says what the person can say right now."""
    last = handler_input.attributes_manager.session_attributes.get(LAST_RESPONSE) or {}
    reprompt = last.get("reprompt")
    return reprompt if isinstance(reprompt, str) else None


def reply(
    handler_input: HandlerInput, speech: Speech, reprompt: Speech | str | None = None
) -> Response:
    """A turn that keeps the session open (with a reprompt) or, without one, ends it."""
    builder = handler_input.response_builder.speak(speech.ssml())
    if reprompt is None:
        builder.set_should_end_session(True)
    else:
        builder.ask(reprompt if isinstance(reprompt, str) else reprompt.ssml())
    response: Response = builder.response
    return response
