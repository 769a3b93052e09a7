"""The safety layer's handlers: crisis and abuse first, past hurts, and the way back."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.menu import menu
from skill.core.session import (
    ACTIVE,
    NEXT_TURN,
    expect_next_turn,
    from_last_turn,
    intent_in,
    plugin_named,
    profile,
    reply,
    set_active,
)
from skill.core.turn_log import HANDLED_BY, set_outcome
from skill.safety import safety_text
from skill.safety.resources import (
    INTERRUPTED,
    OFFERED_BREATHING,
    PAST_HURT_OFFER,
    answer_with,
    held_reply,
    replay,
    resources_response,
)
from skill.safety.screening import Risk
from skill.safety.slots import screened
from skill.speech import Speech

BREATHING_PLUGIN = "grounding"
# The words that say "go back to what we were doing": the safety layer's own, and Alexa's.
GO_ON = ("GoOnIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent")


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


class PastHurtHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A past hurt told as an answer: the activity answers as it would, and its reply waits
    behind a short, warm acknowledgement and an offer of who to talk to (one "yes" away)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return screened(handler_input) is Risk.PAST_HURT

    def handle(self, handler_input: HandlerInput) -> Response:
        held = held_reply(handler_input)
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
