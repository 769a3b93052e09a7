"""The safety layer's handlers: crisis and abuse first, past hurts, and the way back."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.answers import Meaning, Question, YesNoAnswer, meaning
from skill.blocks.expect import expect_next_turn, from_last_turn
from skill.blocks.focus import active_name, set_active
from skill.blocks.handoff import can_start, start_capability
from skill.blocks.loaded import loaded
from skill.blocks.menu import menu
from skill.blocks.plugin import Handler, is_intent
from skill.blocks.reply import reply
from skill.blocks.session import ABUSE_GIVEN, NEXT_TURN, help_given_for, profile
from skill.blocks.turn_log import HANDLED_BY, set_outcome
from skill.safety.content import SafetyPlugin
from skill.safety.resources import (
    BREATHING,
    HELP_INTENTS,
    INTERRUPTED,
    OFFERED_BREATHING,
    PAST_HURT_OFFER,
    RESOURCE_RATE,
    STILL_HERE,
    UNSURE_GIVEN,
    WAY_BACK,
    answer_with,
    held_reply,
    help_given,
    replay,
    resources_reprompt,
    resources_response,
    way_back,
    with_lead,
)
from skill.safety.screening import Risk
from skill.safety.slots import heard, screened
from skill.speech import Speech

# The words that say "go back to what we were doing": the safety layer's own, and Alexa's.
GO_ON = ("GoOnIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent")


class CrisisHandler(Handler[SafetyPlugin]):
    """Runs before every other handler: whatever was going on stops, and help comes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, *HELP_INTENTS) or screened(handler_input) in (
            Risk.CRISIS,
            Risk.ABUSE,
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        risk = screened(handler_input)
        if risk is not None:
            return resources_response(handler_input, risk)
        if is_intent(handler_input, "EmergencyIntent"):
            # "Call the police": Alexa cannot, and says so before the numbers.
            return resources_response(handler_input, Risk.ABUSE, opening=text.cannot_call)
        if is_intent(handler_input, "NumbersIntent"):
            after_past = from_last_turn(handler_input, PAST_HURT_OFFER) is not None
            risk = Risk.PAST_HURT if after_past else risk_given(handler_input)
            return resources_response(handler_input, risk, opening=text.numbers_again)
        risk = Risk.ABUSE if is_intent(handler_input, "AbuseIntent") else Risk.CRISIS
        return resources_response(handler_input, risk)


class MedicalHandler(Handler[SafetyPlugin]):
    """Chest pain, a heart attack, a stroke: the skill cannot tell panic from an emergency, so
    the emergency number comes first, plainly; then, if a plugin provides it, slow breathing
    (a yes starts it)."""

    intents = ("MedicalIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        number = text.resources.emergency
        call = text.medical.format(number=number.spoken)
        speech = Speech().say(call, rate=RESOURCE_RATE)
        handler_input.attributes_manager.session_attributes.pop(NEXT_TURN, None)
        breathing = can_start(handler_input, BREATHING)
        if breathing:
            speech.say(text.medical_breathing)
            expect_next_turn(handler_input, OFFERED_BREATHING, True)
        reprompt = Speech(text.medical_reprompt if breathing else call)
        card = [text.card_emergency.format(number=number.display)]
        return help_given(handler_input, speech, reprompt, card, "safety:medical")


class PastHurtHandler(Handler[SafetyPlugin]):
    """A past hurt told as an answer: the activity answers as it would, and its reply waits
    behind a short, warm acknowledgement and an offer of who to talk to (one "yes" away)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return screened(handler_input) is Risk.PAST_HURT

    def handle(self, handler_input: HandlerInput) -> Response:
        held = held_reply(handler_input)
        text = self.plugin.text(handler_input)
        handler_input.attributes_manager.session_attributes.pop(NEXT_TURN, None)
        expect_next_turn(handler_input, PAST_HURT_OFFER, held or {})
        set_outcome(handler_input, f"safety:{Risk.PAST_HURT.value}")
        handler_input.attributes_manager.request_attributes[HANDLED_BY] = "safety"
        return reply(
            handler_input,
            Speech(text.past_hurt_acknowledgement).say(text.past_hurt_offer),
            Speech(text.past_hurt_reprompt),
        )


class PastHurtOfferHandler(Handler[SafetyPlugin]):
    """After the offer. Like every safety question it errs toward help: a yes in any words
    ("yes I'd like that", "maybe", "it still weighs on me") gives the resources, and "it still
    happens" the domestic violence ones first; a no, or "go on", goes on with the activity;
    words Alexa cannot place hear the offer again."""

    intents = (
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        *GO_ON,
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def applies(self, handler_input: HandlerInput) -> bool:
        return from_last_turn(handler_input, PAST_HURT_OFFER) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        held: dict[str, Any] = from_last_turn(handler_input, PAST_HURT_OFFER)
        if is_intent(handler_input, "AMAZON.FallbackIntent"):
            expect_next_turn(handler_input, PAST_HURT_OFFER, held)
            return reply(
                handler_input, Speech(text.past_hurt_reprompt), Speech(text.past_hurt_reprompt)
            )
        if is_intent(handler_input, "AnswerIntent"):
            words = heard(handler_input)
            if text.still_happening.search(words):
                return resources_response(handler_input, Risk.ABUSE)
            if not text.declining.search(words):
                return resources_response(handler_input, Risk.PAST_HURT)
        elif is_intent(handler_input, "AMAZON.YesIntent"):
            return resources_response(handler_input, Risk.PAST_HURT)
        if not held:
            return menu(handler_input, text.going_on)
        return replay(handler_input, held)


class BreathingAfterCrisisHandler(YesNoAnswer[SafetyPlugin]):
    """A yes to the breathing exercise offered with the resources. A no goes back to where the
    person was, if they were in the middle of something, else to the menu. Without a plugin
    that provides breathing nothing was offered: a yes hears that the skill is still here."""

    question = Question(OFFERED_BREATHING)

    def applies(self, handler_input: HandlerInput) -> bool:
        # Other words after the resources are for AfterResourcesHandler: warmth, not "yes or no?"
        clear = (Meaning.YES, Meaning.NO, Meaning.PARTLY)
        return super().applies(handler_input) and meaning(handler_input) in clear

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response:
        if yes:
            started = start_capability(handler_input, BREATHING)
            return started if started is not None else still_here(self.plugin, handler_input)
        if way_back(handler_input):
            # The numbers' reminder first, whichever way the activity says where it was.
            no_breathing = self.plugin.text(handler_input).no_breathing
            return with_lead(go_back(handler_input, ""), no_breathing)
        return menu(handler_input)


class GoOnHandler(Handler[SafetyPlugin]):
    """ "That's not what I meant", "let's go on": back to the activity a safety response
    interrupted, where the person was. Said anywhere else, it picks up the last activity."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if is_intent(handler_input, "GoOnIntent"):
            return True
        return bool(way_back(handler_input)) and is_intent(handler_input, *GO_ON)

    def handle(self, handler_input: HandlerInput) -> Response:
        return go_back(handler_input, self.plugin.text(handler_input).going_on)


def go_back(handler_input: HandlerInput, lead: str) -> Response:
    back = way_back(handler_input) or {}
    handler_input.attributes_manager.session_attributes.pop(WAY_BACK, None)
    if back.get("held"):
        return replay(handler_input, back, lead)  # the reply a past hurt held back
    name = back.get("plugin") or active_name(handler_input) or profile(handler_input).last_activity
    plugin = loaded(handler_input).named(name)
    if (
        plugin is not None
        and not plugin.after_abuse
        and help_given_for(handler_input) == ABUSE_GIVEN
    ):
        # Its place is gone (couple repair after a disclosure): the plugin says why it waits.
        said = plugin.start(handler_input)
        return said if said is not None else menu(handler_input, lead)
    if plugin is not None:
        # Resume says where the person was and asks the question again.
        set_active(handler_input, plugin.name)
        resumed = plugin.resume(handler_input)
        if resumed is not None:
            handler_input.attributes_manager.request_attributes[HANDLED_BY] = plugin.name
            return resumed
        set_active(handler_input, None)
    if back:
        return replay(handler_input, back, lead)
    return menu(handler_input, lead)


class AfterResourcesHandler(Handler[SafetyPlugin]):
    """Words right after the resources get warmth, not "sorry, I didn't catch that", with the
    way back named and the offer still open. The next answer after that goes to the activity
    the resources interrupted: the safety response never swallows answers."""

    intents = ("AnswerIntent", "AMAZON.FallbackIntent")

    def applies(self, handler_input: HandlerInput) -> bool:
        return bool(
            from_last_turn(handler_input, OFFERED_BREATHING)
            or from_last_turn(handler_input, STILL_HERE)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        back = way_back(handler_input)
        second_answer = from_last_turn(handler_input, STILL_HERE) and is_intent(
            handler_input, "AnswerIntent"
        )
        if second_answer and back and back.get("plugin"):
            set_active(handler_input, back["plugin"])
            handler_input.attributes_manager.session_attributes.pop(WAY_BACK, None)
            response = answer_with(handler_input, loaded(handler_input).named(back["plugin"]))
            if response is not None:
                return response
            set_active(handler_input, None)
        return still_here(self.plugin, handler_input)


def still_here(plugin: SafetyPlugin, handler_input: HandlerInput) -> Response:
    """A warm word after the resources, with the offer still open and the way back named."""
    back = way_back(handler_input)
    text = plugin.text(handler_input)
    expect_next_turn(handler_input, OFFERED_BREATHING, True)
    expect_next_turn(handler_input, STILL_HERE, True)
    if back:
        expect_next_turn(handler_input, INTERRUPTED, back)
    breathing = can_start(handler_input, BREATHING)
    speech = Speech(text.still_here if breathing else text.still_here_without_breathing)
    if back:
        speech.say(text.go_on_hint)
    return reply(handler_input, speech, resources_reprompt(text, breathing, bool(back)))


class AfterHelpHandler(Handler[SafetyPlugin]):
    """For the rest of a session in which where to turn was given: "repeat" gives the numbers
    again, whatever was said in between, and stop is a goodbye that says the main number."""

    intents = ("AMAZON.RepeatIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent")

    def applies(self, handler_input: HandlerInput) -> bool:
        return help_given_for(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        risk = risk_given(handler_input)
        if is_intent(handler_input, "AMAZON.RepeatIntent"):
            return resources_response(handler_input, risk, opening=text.numbers_again)
        resources = text.resources
        if help_given_for(handler_input) == "medical":
            main = text.emergency.format(number=resources.emergency.spoken)
        else:
            first = resources.domestic_violence if risk is Risk.ABUSE else resources.crisis
            main = first[0].spoken if first else ""
        speech = Speech(text.goodbye_after_help).say(main, rate=RESOURCE_RATE)
        return reply(handler_input, speech.say(text.goodbye_with_numbers))


def risk_given(handler_input: HandlerInput) -> Risk:
    """The risk for which where to turn was given in this session: its numbers come first."""
    abuse_first = help_given_for(handler_input) in (ABUSE_GIVEN, UNSURE_GIVEN)
    return Risk.ABUSE if abuse_first else Risk.CRISIS
