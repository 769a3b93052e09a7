"""Routing to real help: the crisis and abuse intents, slot screening, and the gentle next step."""

from __future__ import annotations

from functools import cache
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.core.menu import menu
from skill.core.plugin import CORE
from skill.core.session import (
    RETURN_TO,
    expect_next_turn,
    from_last_turn,
    intent_in,
    plugin_named,
    profile,
    reply,
    set_active,
    update_profile,
)
from skill.core.turn_log import set_outcome
from skill.plugin import LOCALES, Plugin
from skill.safety import safety_text, screen_words
from skill.safety.screening import Risk
from skill.speech import Speech

SCREENED = "safety.screened"
OFFERED_BREATHING = "safetyOfferedBreathing"
# Resources are spoken a little slower than the rest, to be easy to catch and remember.
RESOURCE_RATE = "90%"
BREATHING_PLUGIN = "grounding"


class ScreenSlots(AbstractRequestInterceptor):  # type: ignore[misc]
    """Screens every slot value of every intent, whichever plugin it is for.

    A free-speech slot holds only the words after the sample's carrier phrase ("I think {answer}"
    gives "I wanted to die" as "wanted to die", or worse, "to die"), so each value is screened as
    heard and inside each of its intent's samples, to give the rules the whole sentence back.
    """

    def __init__(self, plugins: tuple[Plugin[Any], ...]) -> None:
        self.plugins = plugins

    def process(self, handler_input: HandlerInput) -> None:
        if not is_request_type("IntentRequest")(handler_input):
            return
        intent = handler_input.request_envelope.request.intent
        locale = handler_input.request_envelope.request.locale
        samples = _samples_cache(self.plugins, locale if locale in LOCALES else LOCALES[0])
        for name, slot in (intent.slots or {}).items():
            if not slot.value:
                continue
            sentences = [
                s.replace("{" + name + "}", slot.value) for s in samples.get(intent.name, ())
            ]
            for sentence in (slot.value, *(s for s in sentences if slot.value in s)):
                risk = screen_words(handler_input, sentence)
                if risk is not None:
                    handler_input.attributes_manager.request_attributes[SCREENED] = risk
                    return


@cache
def _samples_cache(plugins: tuple[Plugin[Any], ...], locale: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for plugin in (CORE, *plugins):
        for intent, samples in plugin.locale_file(locale).samples.items():
            found[intent] = found.get(intent, ()) + tuple(s for s in samples if "{" in s)
    return found


class CrisisHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Runs before every other handler: whatever was going on stops, and help comes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            intent_in(handler_input, "CrisisIntent", "AbuseIntent")
            or SCREENED in handler_input.attributes_manager.request_attributes
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        screened = handler_input.attributes_manager.request_attributes.get(SCREENED)
        if screened is not None:
            risk = Risk(screened)
        else:
            risk = Risk.ABUSE if is_intent_name("AbuseIntent")(handler_input) else Risk.CRISIS
        return resources_response(handler_input, risk)


def resources_response(handler_input: HandlerInput, risk: Risk) -> Response:
    text = safety_text(handler_input)
    resources = text.resources
    first, second = (
        (resources.crisis, resources.domestic_violence)
        if risk is Risk.CRISIS
        else (resources.domestic_violence, resources.crisis)
    )
    opening = text.opening_crisis if risk is Risk.CRISIS else text.opening_abuse
    speech = Speech(opening).say(
        text.emergency.format(number=resources.emergency.spoken), rate=RESOURCE_RATE
    )
    speech.say(text.resources_intro, rate=RESOURCE_RATE)
    for resource in (*first, *second):
        speech.say(resource.spoken, rate=RESOURCE_RATE).pause(0.5)
    speech.say(text.card_note).say(text.next_step)
    card_lines = [text.card_emergency.format(number=resources.emergency.display)]
    card_lines += [resource.display for resource in (*first, *second)]
    # Whatever was running stops, is not handed back to, and is not offered at the next launch.
    set_active(handler_input, None)
    handler_input.attributes_manager.session_attributes.pop(RETURN_TO, None)
    update_profile(handler_input, profile(handler_input).model_copy(update={"last_activity": None}))
    expect_next_turn(handler_input, OFFERED_BREATHING, True)
    set_outcome(handler_input, f"safety:{risk.value}")
    return (
        handler_input.response_builder.speak(speech.safe_ssml())
        .ask(Speech(text.reprompt).safe_ssml())
        .set_card(SimpleCard(title=text.card_title, content="\n".join(card_lines)))
        .response
    )


class BreathingAfterCrisisHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A yes to the breathing exercise offered with the resources; a no goes to the menu."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            from_last_turn(handler_input, OFFERED_BREATHING)
            and (intent_in(handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"))
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        breathing = plugin_named(handler_input, BREATHING_PLUGIN)
        if is_intent_name("AMAZON.YesIntent")(handler_input) and breathing and breathing.start:
            return breathing.start(handler_input)
        return menu(handler_input)


class StillHereHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Words right after the resources that Alexa cannot place get warmth, not "sorry, I
    didn't catch that", and the offer stays open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(from_last_turn(handler_input, OFFERED_BREATHING)) and intent_in(
            handler_input, "AnswerIntent", "AMAZON.FallbackIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        text = safety_text(handler_input)
        expect_next_turn(handler_input, OFFERED_BREATHING, True)
        return reply(handler_input, Speech(text.still_here), Speech(text.reprompt))


def safety_handlers() -> list[AbstractRequestHandler]:
    return [CrisisHandler(), BreathingAfterCrisisHandler(), StillHereHandler()]
