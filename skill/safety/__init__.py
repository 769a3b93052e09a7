"""The safety layer: crisis and abuse routing that runs before every plugin, on every turn.

Crisis statements reach the locale's resources through their own intents ("I need help now",
"my partner hits me", ...) and through screening of every slot value any plugin receives.
A plugin whose own screening question is answered yes (the repair guidance, before couple steps)
calls `abuse_resources`. The person's words are screened within
the turn only: never stored, never logged.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.plugin import Intent, Plugin
from skill.safety.content import SafetyContent
from skill.safety.screening import Risk, screen

SAFETY: Plugin[SafetyContent] = Plugin(
    name="safety",
    package=__name__,
    content_model=SafetyContent,
    handlers=tuple,  # wired first of all by skill.app
    intents=(
        Intent(name="CrisisIntent"),
        Intent(name="AbuseIntent"),
        # "that's not what I meant", "let's go on": back to the activity after a safety response
        Intent(name="GoOnIntent"),
        # "call the police": Alexa says it cannot, then gives the numbers
        Intent(name="EmergencyIntent"),
        # "what was the number", "who can I talk to": the numbers again
        Intent(name="NumbersIntent"),
    ),
)


def safety_text(handler_input: HandlerInput) -> SafetyContent:
    return SAFETY.content(handler_input.request_envelope.request.locale)


def screen_words(handler_input: HandlerInput, text: str) -> Risk | None:
    return screen(text, safety_text(handler_input).screening())


def abuse_resources(handler_input: HandlerInput) -> Response:
    """The domestic violence resources, for a plugin whose own screening question was answered
    yes ("are you afraid of your partner?")."""
    from skill.safety.resources import resources_response

    return resources_response(handler_input, Risk.ABUSE, way_back=False)


__all__ = ["SAFETY", "Risk", "abuse_resources", "safety_text", "screen_words"]
