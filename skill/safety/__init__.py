"""The safety layer: crisis and abuse routing that runs before every plugin, on every turn.

Crisis statements reach the locale's resources through their own intents ("I need help now",
"my partner hits me", ...) and through screening of every slot value any plugin receives.
Plugins call `abuse_check` before couple exercises. The person's words are screened within
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
    intents=(Intent(name="CrisisIntent"), Intent(name="AbuseIntent")),
)


def safety_text(handler_input: HandlerInput) -> SafetyContent:
    return SAFETY.content(handler_input.request_envelope.request.locale)


def screen_words(handler_input: HandlerInput, text: str) -> Risk | None:
    rules = safety_text(handler_input).rules
    return screen(text, rules.crisis, rules.abuse)


def abuse_check(handler_input: HandlerInput, text: str) -> Response | None:
    """For a plugin about to guide a couple exercise: if `text` speaks of fear, harm, threats or
    control (or of crisis), the resources response to send instead; otherwise None."""
    from skill.safety.handlers import resources_response

    risk = screen_words(handler_input, text)
    return resources_response(handler_input, risk) if risk else None


__all__ = ["SAFETY", "Risk", "abuse_check", "safety_text", "screen_words"]
