"""Routing to real help: the crisis and abuse intents, slot screening, past hurts, the way back."""

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
    ACTIVE,
    NEXT_TURN,
    RETURN_TO,
    THIS_TURN,
    expect_next_turn,
    from_last_turn,
    intent_in,
    last_reprompt,
    plugin_named,
    profile,
    reply,
    set_active,
    update_profile,
)
from skill.core.turn_log import HANDLED_BY, set_outcome
from skill.plugin import LOCALES, Plugin
from skill.safety import safety_text, screen_words
from skill.safety.screening import Risk
from skill.speech import Speech

SCREENED = "safety.screened"
OFFERED_BREATHING = "safetyOfferedBreathing"
# Next turn: the activity a safety response interrupted, for "that's not what I meant".
INTERRUPTED = "safetyInterrupted"
# Next turn: the offer made after a past hurt, with the activity's reply it holds back.
PAST_HURT_OFFER = "safetyPastHurtOffer"
# Resources are spoken a little slower than the rest, to be easy to catch and remember.
RESOURCE_RATE = "90%"
BREATHING_PLUGIN = "grounding"
# The words that say "go back to what we were doing": the safety layer's own, and Alexa's.
GO_ON = ("GoOnIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent")
_URGENCY = (Risk.CRISIS, Risk.ABUSE, Risk.PAST_HURT)


class ScreenSlots(AbstractRequestInterceptor):  # type: ignore[misc]
    """Screens every slot value of every intent, whichever plugin it is for, once each.

    A slot holds only the words after its sample's carrier phrase. A slot that one carrier
    phrase alone uses (AnswerIntent's "nobody {answerNobody}") is read with that phrase put back,
    so the rules hear "nobody hit me" and not "hit me"; a slot that several carriers share is
    read as heard (its carriers, "yes" or "honestly", change nothing).
    """

    def __init__(self, plugins: tuple[Plugin[Any], ...]) -> None:
        self.plugins = plugins

    def process(self, handler_input: HandlerInput) -> None:
        if not is_request_type("IntentRequest")(handler_input):
            return
        intent = handler_input.request_envelope.request.intent
        locale = handler_input.request_envelope.request.locale
        carriers = _carriers(self.plugins, locale if locale in LOCALES else LOCALES[0])
        found: set[Risk] = set()
        for name, slot in (intent.slots or {}).items():
            if not isinstance(slot.value, str) or not slot.value:
                continue
            carrier = carriers.get((intent.name, name))
            heard = carrier.replace("{" + name + "}", slot.value) if carrier else slot.value
            risk = screen_words(handler_input, heard)
            if risk is not None:
                found.add(risk)
        for risk in _URGENCY:
            if risk in found:
                handler_input.attributes_manager.request_attributes[SCREENED] = risk
                return


@cache
def _carriers(plugins: tuple[Plugin[Any], ...], locale: str) -> dict[tuple[str, str], str]:
    """(intent, slot) -> the one sample that slot appears in, for slots with one carrier."""
    uses: dict[tuple[str, str], set[str]] = {}
    for plugin in (CORE, *plugins):
        for intent, samples in plugin.locale_file(locale).samples.items():
            for sample in samples:
                for slot in _slots_in(sample):
                    uses.setdefault((intent, slot), set()).add(sample)
    return {key: next(iter(found)) for key, found in uses.items() if len(found) == 1}


def _slots_in(sample: str) -> list[str]:
    return [part[1:-1] for part in sample.split() if part.startswith("{") and part.endswith("}")]


def screened(handler_input: HandlerInput) -> Risk | None:
    risk: Risk | None = handler_input.attributes_manager.request_attributes.get(SCREENED)
    return risk


class CrisisHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Runs before every other handler: whatever was going on stops, and help comes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_in(handler_input, "CrisisIntent", "AbuseIntent") or screened(
            handler_input
        ) in (Risk.CRISIS, Risk.ABUSE)

    def handle(self, handler_input: HandlerInput) -> Response:
        risk = screened(handler_input)
        if risk is None:
            risk = Risk.ABUSE if is_intent_name("AbuseIntent")(handler_input) else Risk.CRISIS
        return resources_response(handler_input, risk)


def resources_response(handler_input: HandlerInput, risk: Risk, way_back: bool = True) -> Response:
    """The resources for `risk`. With `way_back`, "that's not what I meant" on the next turn
    returns to the activity; a plugin that asked for them (its own safety question was
    answered yes) passes False."""
    text = safety_text(handler_input)
    resources = text.resources
    first, second = (
        (resources.crisis, resources.domestic_violence)
        if risk is Risk.CRISIS
        else (resources.domestic_violence, resources.crisis)
    )
    opening = {
        Risk.CRISIS: text.opening_crisis,
        Risk.ABUSE: text.opening_abuse,
        Risk.PAST_HURT: text.opening_past_hurt,
    }[risk]
    speech = Speech(opening).say(
        text.emergency.format(number=resources.emergency.spoken), rate=RESOURCE_RATE
    )
    speech.say(text.resources_intro, rate=RESOURCE_RATE)
    for resource in (*first, *second):
        speech.say(resource.spoken, rate=RESOURCE_RATE).pause(0.5)
    speech.say(text.card_note).say(text.next_step)
    card_lines = [text.card_emergency.format(number=resources.emergency.display)]
    card_lines += [resource.display for resource in (*first, *second)]
    # Whatever was running stops and is not offered at the next launch; "that's not what I
    # meant" on the next turn goes back to it.
    back = _way_back(handler_input) if way_back else None
    session = handler_input.attributes_manager.session_attributes
    set_active(handler_input, None)
    session.pop(RETURN_TO, None)
    update_profile(handler_input, profile(handler_input).model_copy(update={"last_activity": None}))
    session.pop(NEXT_TURN, None)
    expect_next_turn(handler_input, OFFERED_BREATHING, True)
    if back:
        expect_next_turn(handler_input, INTERRUPTED, back)
    set_outcome(handler_input, f"safety:{risk.value}")
    return (
        handler_input.response_builder.speak(speech.safe_ssml())
        .ask(Speech(text.reprompt).safe_ssml())
        .set_card(SimpleCard(title=text.card_title, content="\n".join(card_lines)))
        .response
    )


def _way_back(handler_input: HandlerInput) -> dict[str, Any] | None:
    """What "let's go on" says after a safety response: the activity's reply held back behind a
    past-hurt offer, or the question the activity was asking; None outside an activity."""
    held = from_last_turn(handler_input, PAST_HURT_OFFER)
    if held:
        return {**held, "held": True}
    earlier = from_last_turn(handler_input, INTERRUPTED)
    if earlier:
        return dict(earlier)  # asked again after a second safety response
    active = handler_input.attributes_manager.session_attributes.get(ACTIVE)
    question = last_reprompt(handler_input)
    if not active or not question:
        return None
    expected = handler_input.attributes_manager.request_attributes.get(THIS_TURN) or {}
    return {"plugin": active, "speech": question, "reprompt": question, "nextTurn": expected}


def replay(handler_input: HandlerInput, way_back: dict[str, Any], *lead: str) -> Response:
    """Back in the activity: its reply (or its question) said again, and what it expects."""
    set_active(handler_input, way_back.get("plugin"))
    handler_input.attributes_manager.session_attributes[NEXT_TURN] = dict(
        way_back.get("nextTurn") or {}
    )
    handler_input.attributes_manager.request_attributes[HANDLED_BY] = way_back.get("plugin")
    speech = Speech(*lead).then(way_back["speech"])
    builder = handler_input.response_builder.speak(speech.safe_ssml())
    if way_back.get("reprompt"):
        builder.ask(way_back["reprompt"])
    else:
        builder.set_should_end_session(True)
    response: Response = builder.response
    return response


class PastHurtHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A past hurt told as an answer: the activity answers as it would, and its reply waits
    behind a short, warm acknowledgement and an offer of who to talk to (one "yes" away)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return screened(handler_input) is Risk.PAST_HURT

    def handle(self, handler_input: HandlerInput) -> Response:
        held = _held_reply(handler_input)
        text = safety_text(handler_input)
        handler_input.attributes_manager.session_attributes.pop(NEXT_TURN, None)
        expect_next_turn(handler_input, PAST_HURT_OFFER, held or {})
        set_outcome(handler_input, f"safety:{Risk.PAST_HURT.value}")
        handler_input.attributes_manager.request_attributes[HANDLED_BY] = "safety"
        return reply(
            handler_input,
            Speech(text.past_hurt_acknowledgement).say(text.past_hurt_offer),
            Speech(text.past_hurt_reprompt),
        )


def _held_reply(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The reply the active plugin gives this answer, with what it expects next, or None."""
    active = handler_input.attributes_manager.session_attributes.get(ACTIVE)
    response = answer_with(handler_input, plugin_named(handler_input, active))
    if response is None or response.output_speech is None:
        return None
    reprompt = response.reprompt.output_speech.ssml if response.reprompt else None
    expected = handler_input.attributes_manager.session_attributes.get(NEXT_TURN) or {}
    return {
        "plugin": active,
        "speech": response.output_speech.ssml,
        "reprompt": reprompt,
        "nextTurn": expected,
    }


def answer_with(handler_input: HandlerInput, plugin: Plugin[Any] | None) -> Response | None:
    """The turn handled by `plugin`'s own handlers, as if the safety layer had not been asked."""
    if plugin is None:
        return None
    for handler in plugin.handlers():
        if handler.can_handle(handler_input):
            handler_input.attributes_manager.request_attributes[HANDLED_BY] = plugin.name
            response: Response = handler.handle(handler_input)
            return response
    return None


class PastHurtOfferHandler(AbstractRequestHandler):  # type: ignore[misc]
    """After the offer: yes gives the resources; anything else goes on with the activity."""

    INTENTS = (
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        *GO_ON,
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return from_last_turn(handler_input, PAST_HURT_OFFER) is not None and intent_in(
            handler_input, *self.INTENTS
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_intent_name("AMAZON.YesIntent")(handler_input):
            return resources_response(handler_input, Risk.PAST_HURT)
        held: dict[str, Any] = from_last_turn(handler_input, PAST_HURT_OFFER)
        if not held:
            return menu(handler_input, safety_text(handler_input).going_on)
        return replay(handler_input, held)


class BreathingAfterCrisisHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A yes to the breathing exercise offered with the resources; a no goes to the menu."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(from_last_turn(handler_input, OFFERED_BREATHING)) and intent_in(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        breathing = plugin_named(handler_input, BREATHING_PLUGIN)
        if is_intent_name("AMAZON.YesIntent")(handler_input) and breathing and breathing.start:
            return breathing.start(handler_input)
        return menu(handler_input)


class GoOnHandler(AbstractRequestHandler):  # type: ignore[misc]
    """ "That's not what I meant", "let's go on": back to the activity a safety response
    interrupted, where the person was. Said anywhere else, it picks up the last activity."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if is_intent_name("GoOnIntent")(handler_input):
            return True
        return bool(from_last_turn(handler_input, INTERRUPTED)) and intent_in(handler_input, *GO_ON)

    def handle(self, handler_input: HandlerInput) -> Response:
        going_on = safety_text(handler_input).going_on
        way_back = from_last_turn(handler_input, INTERRUPTED) or {}
        if way_back.get("held"):
            return replay(handler_input, way_back, going_on)  # the reply a past hurt held back
        session = handler_input.attributes_manager.session_attributes
        name = way_back.get("plugin") or session.get(ACTIVE) or profile(handler_input).last_activity
        plugin = plugin_named(handler_input, name)
        if plugin is not None and plugin.resume is not None:
            # Resume says where the person was and asks the question again.
            set_active(handler_input, plugin.name)
            handler_input.attributes_manager.request_attributes[HANDLED_BY] = plugin.name
            return plugin.resume.resume(handler_input)
        if way_back:
            return replay(handler_input, way_back, going_on)
        return menu(handler_input, going_on)


class AfterResourcesHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Words right after the resources. An answer goes to the activity they interrupted (the
    safety response never swallows it); words Alexa cannot place get warmth, not "sorry, I
    didn't catch that", and the offer stays open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(from_last_turn(handler_input, OFFERED_BREATHING)) and intent_in(
            handler_input, "AnswerIntent", "AMAZON.FallbackIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        way_back = from_last_turn(handler_input, INTERRUPTED)
        if way_back and is_intent_name("AnswerIntent")(handler_input):
            set_active(handler_input, way_back.get("plugin"))
            response = answer_with(
                handler_input, plugin_named(handler_input, way_back.get("plugin"))
            )
            if response is not None:
                return response
            set_active(handler_input, None)
        text = safety_text(handler_input)
        expect_next_turn(handler_input, OFFERED_BREATHING, True)
        if way_back:
            expect_next_turn(handler_input, INTERRUPTED, way_back)
        return reply(handler_input, Speech(text.still_here), Speech(text.reprompt))


def safety_handlers() -> list[AbstractRequestHandler]:
    return [
        CrisisHandler(),
        PastHurtHandler(),
        PastHurtOfferHandler(),
        BreathingAfterCrisisHandler(),
        GoOnHandler(),
        AfterResourcesHandler(),
    ]
