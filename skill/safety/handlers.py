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
    HELP_INTENTS,
    INTERRUPTED,
    OFFERED_BREATHING,
    PAST_HURT_OFFER,
    STILL_HERE,
    WAY_BACK,
    answer_with,
    held_reply,
    replay,
    resources_response,
    way_back,
    with_lead,
)
from skill.safety.screening import Risk
from skill.safety.slots import heard, screened
from skill.speech import Speech

BREATHING_PLUGIN = "grounding"
# The words that say "go back to what we were doing": the safety layer's own, and Alexa's.
GO_ON = ("GoOnIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent")


class CrisisHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Runs before every other handler: whatever was going on stops, and help comes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_in(handler_input, *HELP_INTENTS) or screened(handler_input) in (
            Risk.CRISIS,
            Risk.ABUSE,
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        text = safety_text(handler_input)
        risk = screened(handler_input)
        if risk is not None:
            return resources_response(handler_input, risk)
        if is_intent_name("EmergencyIntent")(handler_input):
            # "Call the police": Alexa cannot, and says so before the numbers.
            return resources_response(handler_input, Risk.ABUSE, opening=text.cannot_call)
        if is_intent_name("NumbersIntent")(handler_input):
            after_past = from_last_turn(handler_input, PAST_HURT_OFFER) is not None
            risk = Risk.PAST_HURT if after_past else Risk.CRISIS
            return resources_response(handler_input, risk, opening=text.numbers_again)
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
    """After the offer. Like every safety question it errs toward help: a yes in any words
    ("yes I'd like that", "maybe", "it still weighs on me") gives the resources, and "it still
    happens" the domestic violence ones first; a no, or "go on", goes on with the activity;
    words Alexa cannot place hear the offer again."""

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
        text = safety_text(handler_input)
        held: dict[str, Any] = from_last_turn(handler_input, PAST_HURT_OFFER)
        if is_intent_name("AMAZON.FallbackIntent")(handler_input):
            expect_next_turn(handler_input, PAST_HURT_OFFER, held)
            return reply(
                handler_input, Speech(text.past_hurt_reprompt), Speech(text.past_hurt_reprompt)
            )
        if is_intent_name("AnswerIntent")(handler_input):
            words = heard(handler_input)
            if text.still_happening.search(words):
                return resources_response(handler_input, Risk.ABUSE)
            if not text.declining.search(words):
                return resources_response(handler_input, Risk.PAST_HURT)
        elif is_intent_name("AMAZON.YesIntent")(handler_input):
            return resources_response(handler_input, Risk.PAST_HURT)
        if not held:
            return menu(handler_input, text.going_on)
        return replay(handler_input, held)


class BreathingAfterCrisisHandler(AbstractRequestHandler):  # type: ignore[misc]
    """A yes to the breathing exercise offered with the resources. A no goes back to where the
    person was, if they were in the middle of something, else to the menu."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(from_last_turn(handler_input, OFFERED_BREATHING)) and intent_in(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        breathing = plugin_named(handler_input, BREATHING_PLUGIN)
        if is_intent_name("AMAZON.YesIntent")(handler_input) and breathing and breathing.start:
            return breathing.start(handler_input)
        if way_back(handler_input):
            # The numbers' reminder first, whichever way the activity says where it was.
            no_breathing = safety_text(handler_input).no_breathing
            return with_lead(go_back(handler_input, ""), no_breathing)
        return menu(handler_input)


class GoOnHandler(AbstractRequestHandler):  # type: ignore[misc]
    """ "That's not what I meant", "let's go on": back to the activity a safety response
    interrupted, where the person was. Said anywhere else, it picks up the last activity."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if is_intent_name("GoOnIntent")(handler_input):
            return True
        return bool(way_back(handler_input)) and intent_in(handler_input, *GO_ON)

    def handle(self, handler_input: HandlerInput) -> Response:
        return go_back(handler_input, safety_text(handler_input).going_on)


def go_back(handler_input: HandlerInput, lead: str) -> Response:
    back = way_back(handler_input) or {}
    handler_input.attributes_manager.session_attributes.pop(WAY_BACK, None)
    if back.get("held"):
        return replay(handler_input, back, lead)  # the reply a past hurt held back
    session = handler_input.attributes_manager.session_attributes
    name = back.get("plugin") or session.get(ACTIVE) or profile(handler_input).last_activity
    plugin = plugin_named(handler_input, name)
    if plugin is not None and plugin.resume is not None:
        # Resume says where the person was and asks the question again.
        set_active(handler_input, plugin.name)
        handler_input.attributes_manager.request_attributes[HANDLED_BY] = plugin.name
        return plugin.resume.resume(handler_input)
    if back:
        return replay(handler_input, back, lead)
    return menu(handler_input, lead)


class AfterResourcesHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Words right after the resources get warmth, not "sorry, I didn't catch that", with the
    way back named and the offer still open. The next answer after that goes to the activity
    the resources interrupted: the safety response never swallows answers."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            from_last_turn(handler_input, OFFERED_BREATHING)
            or from_last_turn(handler_input, STILL_HERE)
        ) and intent_in(handler_input, "AnswerIntent", "AMAZON.FallbackIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        back = way_back(handler_input)
        second_answer = from_last_turn(handler_input, STILL_HERE) and is_intent_name(
            "AnswerIntent"
        )(handler_input)
        if second_answer and back and back.get("plugin"):
            set_active(handler_input, back["plugin"])
            handler_input.attributes_manager.session_attributes.pop(WAY_BACK, None)
            response = answer_with(handler_input, plugin_named(handler_input, back["plugin"]))
            if response is not None:
                return response
            set_active(handler_input, None)
        text = safety_text(handler_input)
        expect_next_turn(handler_input, OFFERED_BREATHING, True)
        expect_next_turn(handler_input, STILL_HERE, True)
        if back:
            expect_next_turn(handler_input, INTERRUPTED, back)
        speech = Speech(text.still_here)
        if back:
            speech.say(text.go_on_hint)
        return reply(handler_input, speech, Speech(text.reprompt))


class GoodbyeAfterResourcesHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Stop right after the resources: a goodbye that says where the numbers are."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(from_last_turn(handler_input, OFFERED_BREATHING)) and intent_in(
            handler_input, "AMAZON.StopIntent", "AMAZON.CancelIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return reply(handler_input, Speech(safety_text(handler_input).goodbye_with_numbers))


def safety_handlers() -> list[AbstractRequestHandler]:
    return [
        CrisisHandler(),
        PastHurtHandler(),
        PastHurtOfferHandler(),
        BreathingAfterCrisisHandler(),
        GoOnHandler(),
        AfterResourcesHandler(),
        GoodbyeAfterResourcesHandler(),
    ]
