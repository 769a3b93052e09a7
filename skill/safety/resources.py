"""The resources response, and the way back to the activity a safety response interrupted."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.blocks.dispatch import can_handle_safely
from skill.blocks.expect import expect_next_turn, from_last_turn, last_reprompt
from skill.blocks.focus import active_name, set_active
from skill.blocks.handoff import can_start
from skill.blocks.loaded import loaded
from skill.blocks.plugin import Plugin
from skill.blocks.session import (
    ABUSE_GIVEN,
    HELP_GIVEN,
    NEXT_TURN,
    RETURN_TO,
    THIS_TURN,
    in_session,
    profile,
    update_profile,
)
from skill.blocks.turn_log import HANDLED_BY, set_outcome
from skill.safety.content import SafetyContent, safety_text
from skill.safety.screening import Risk
from skill.safety.slots import SCREENED
from skill.speech import Speech

OFFERED_BREATHING = "safetyOfferedBreathing"
# Next turn: the activity a safety response interrupted, for "that's not what I meant".
INTERRUPTED = "safetyInterrupted"
# Next turn: the offer made after a past hurt, with the activity's reply it holds back.
PAST_HURT_OFFER = "safetyPastHurtOffer"
# Session: the same, kept until used or the person picks up something else, for a "let's go on"
# said later (after a breathing exercise, after "no").
WAY_BACK = "safetyWayBack"
# Next turn: the warm word after the resources was said once; the next answer is the activity's.
STILL_HERE = "safetyStillHere"
# The intents that ask for help outright.
HELP_INTENTS = ("CrisisIntent", "AbuseIntent", "EmergencyIntent", "NumbersIntent")
# What the resources offer next, when an enabled plugin provides it.
BREATHING = "breathing"
# What help_given_for says after the gentle resources for "I don't know" (not a disclosure).
UNSURE_GIVEN = "unsure"
# Resources are spoken a little slower than the rest, to be easy to catch and remember.
RESOURCE_RATE = "90%"


def resources_response(
    handler_input: HandlerInput,
    risk: Risk,
    way_back: bool = True,
    opening: str | None = None,
    given: str | None = None,
) -> Response:
    """The resources for `risk`. With `way_back`, "that's not what I meant" on the next turn
    returns to the activity; a plugin that asked for them (its own safety question was
    answered yes) passes False. `opening` replaces the risk's first sentence."""
    text = safety_text(handler_input)
    resources = text.resources
    first, second = (
        (resources.crisis, resources.domestic_violence)
        if risk is Risk.CRISIS
        else (resources.domestic_violence, resources.crisis)
    )
    opening = (
        opening
        or {
            Risk.CRISIS: text.opening_crisis,
            Risk.ABUSE: text.opening_abuse,
            Risk.PAST_HURT: text.opening_past_hurt,
        }[risk]
    )
    speech = Speech(opening).say(
        text.emergency.format(number=resources.emergency.spoken), rate=RESOURCE_RATE
    )
    speech.say(text.resources_intro, rate=RESOURCE_RATE)
    for resource in (*first, *second):
        speech.say(resource.spoken, rate=RESOURCE_RATE).pause(0.5)
    breathing = can_start(handler_input, BREATHING)
    speech.say(text.card_note)
    if breathing:
        speech.say(text.next_step)
    card_lines = [text.card_emergency.format(number=resources.emergency.display)]
    card_lines += [resource.display for resource in (*first, *second)]
    # Whatever was running stops and is not offered at the next launch; "that's not what I
    # meant" on the next turn goes back to it.
    back = _return_point(handler_input) if way_back else None
    session = handler_input.attributes_manager.session_attributes
    if back:
        session[WAY_BACK] = back
    else:
        session.pop(WAY_BACK, None)
    session.pop(NEXT_TURN, None)
    expect_next_turn(handler_input, OFFERED_BREATHING, True)
    if back:
        expect_next_turn(handler_input, INTERRUPTED, back)
    reprompt = resources_reprompt(text, breathing, bool(back))
    outcome = f"safety:{risk.value}"
    return help_given(handler_input, speech, reprompt, card_lines, outcome, given)


def resources_reprompt(text: SafetyContent, breathing: bool, can_go_back: bool) -> Speech:
    """What can be said after the resources: "let's go on" only when there is somewhere to go
    back to (a one-shot "I want to end my life" has none)."""
    return Speech(
        *((text.reprompt_breathing,) if breathing else ()),
        text.reprompt_repeat,
        *((text.reprompt_go_on,) if can_go_back else ()),
    )


def help_given(
    handler_input: HandlerInput,
    speech: Speech,
    reprompt: Speech,
    card_lines: list[str],
    outcome: str,
    given: str | None = None,
) -> Response:
    """The end of every response that gives where to turn: whatever was running stops and is
    not offered at the next launch, and the numbers go to the Alexa app as a card. `given` is
    what help_given_for says for the rest of the session (by default, the outcome's risk)."""
    interrupted = active_name(handler_input)
    set_active(handler_input, None)
    session = handler_input.attributes_manager.session_attributes
    session.pop(RETURN_TO, None)
    # For the rest of the session: "repeat" gives the numbers, the goodbye the main one, and
    # the plugins leave out counters, cheer and couple repair (blocks.session.help_given_for).
    # An abuse disclosure is never downgraded by a later, gentler answer.
    given = given or outcome.removeprefix("safety:")
    given = ABUSE_GIVEN if given == Risk.ABUSE.value else given
    if session.get(HELP_GIVEN) != ABUSE_GIVEN:
        session[HELP_GIVEN] = given
    person = profile(handler_input)
    # After abuse, activities that assume a safe relationship lose their place, so that no
    # later launch offers couple repair back; the interrupted activity is not offered back.
    unsafe = (
        {plugin.name for plugin in loaded(handler_input).plugins if not plugin.after_abuse}
        if session[HELP_GIVEN] == ABUSE_GIVEN
        else set()
    )
    update = {
        "last_activity": None,
        "recent": [name for name in person.recent if name not in {interrupted, *unsafe}],
        "plugin_state": {n: s for n, s in person.plugin_state.items() if n not in unsafe},
    }
    update_profile(handler_input, person.changed(**update))
    set_outcome(handler_input, outcome)
    title = safety_text(handler_input).card_title
    response: Response = (
        handler_input.response_builder.speak(speech.safe_ssml())
        .ask(reprompt.safe_ssml())
        .set_card(SimpleCard(title=title, content="\n".join(card_lines)))
        .response
    )
    return response


def abuse_resources(handler_input: HandlerInput) -> Response:
    """The domestic violence resources, for a plugin whose own safety question was answered
    yes ("are you afraid of your partner?"): no way back to the activity that asked."""
    return resources_response(handler_input, Risk.ABUSE, way_back=False)


def emergency_number(handler_input: HandlerInput) -> str:
    """The locale's emergency number as spoken ("nine one one")."""
    return safety_text(handler_input).resources.emergency.spoken


def gentle_resources(handler_input: HandlerInput) -> Response:
    """For a plugin whose safety question was answered "I don't know": the domestic violence
    resources, gently, and "let's go on" goes back to the activity."""
    opening = safety_text(handler_input).opening_unsure
    # Not a disclosure: what follows may still be couple repair, if the person goes on.
    return resources_response(handler_input, Risk.ABUSE, opening=opening, given=UNSURE_GIVEN)


def _return_point(handler_input: HandlerInput) -> dict[str, Any] | None:
    """What "let's go on" says after a safety response: the activity's reply held back behind a
    past-hurt offer, or the question the activity was asking; None outside an activity."""
    held = from_last_turn(handler_input, PAST_HURT_OFFER)
    if held:
        return {**held, "held": True}
    earlier = from_last_turn(handler_input, INTERRUPTED)
    if earlier:
        return dict(earlier)  # asked again after a second safety response
    active = active_name(handler_input)
    question = last_reprompt(handler_input)
    if not active or not question:
        return None
    expected = handler_input.attributes_manager.request_attributes.get(THIS_TURN) or {}
    return {"plugin": active, "speech": question, "reprompt": question, "nextTurn": expected}


def way_back(handler_input: HandlerInput) -> dict[str, Any] | None:
    """Where "let's go on" leads: the last turn's way back, else one kept from earlier in the
    session while no other activity has started."""
    if not in_session(handler_input):
        return None  # a skill event or an AudioPlayer request has no session to hold one
    back: dict[str, Any] | None = from_last_turn(handler_input, INTERRUPTED)
    session = handler_input.attributes_manager.session_attributes
    if back is None and active_name(handler_input) is None:
        back = session.get(WAY_BACK)
    return back


def with_lead(response: Response, lead: str) -> Response:
    """`response` with `lead` said first (the way back's own words before the activity's)."""
    if response.output_speech is not None:
        ssml = Speech(lead).then(response.output_speech.ssml).safe_ssml()
        response.output_speech.ssml = ssml
    return response


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


def held_reply(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The reply the active plugin gives this answer, with what it expects next, or None."""
    active = active_name(handler_input)
    response = answer_with(handler_input, loaded(handler_input).named(active))
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


def answer_with(handler_input: HandlerInput, plugin: Plugin[Any, Any] | None) -> Response | None:
    """The turn handled by `plugin`'s own handlers, as if the safety layer had not been asked."""
    if plugin is None:
        return None
    for handler in plugin.request_handlers:
        if can_handle_safely(handler, plugin.name, handler_input):
            handler_input.attributes_manager.request_attributes[HANDLED_BY] = plugin.name
            response: Response = handler.handle(handler_input)
            return response
    return None


def numbers_in_plain_speech(handler_input: HandlerInput) -> str | None:
    """The numbers alone, for when building the full response failed: a person who asked for
    help must not hear only "something went wrong". None when help was not asked for."""
    asked = handler_input.attributes_manager.request_attributes.get(SCREENED) in (
        Risk.CRISIS,
        Risk.ABUSE,
    )
    request = handler_input.request_envelope.request
    intent = getattr(getattr(request, "intent", None), "name", None)
    if not asked and intent not in HELP_INTENTS:
        return None
    safety = loaded(handler_input).safety
    try:
        resources = safety.content(request.locale).resources
    except Exception:
        resources = safety.content(None).resources
    lines = [resources.emergency.display, *(r.display for r in resources.crisis)]
    lines += [r.display for r in resources.domestic_violence]
    return Speech(*lines).safe_ssml()
