"""Asking to remember just in time: once, when remembering would help, never before a yes."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.expect import expect_next_turn
from skill.blocks.loaded import core_text
from skill.blocks.reply import reply
from skill.blocks.session import first_time, help_given_for, in_session, profile, remembered
from skill.speech import Speech

ASKED_CONSENT = "askedConsent"
# After a no, the question waits this long (the only thing kept without a yes is that date).
ASK_AGAIN_AFTER_DAYS = 7
# What the consent answer leads to: the goodbye, the plugin's own place again (RESUMING), or the
# menu after the plugin just finished.
LEAVING = "leaving"
RESUMING = "resume:"


def may_offer_to_remember(handler_input: HandlerInput) -> bool:
    """Whether remembering may be offered now: not remembered yet, not asked in this session,
    no "no" in the last week, and not in a session in which where to turn was given."""
    if remembered(handler_input) or not in_session(handler_input):
        return False
    if help_given_for(handler_input) is not None:
        return False  # after where to turn was given, nothing is asked of the person
    declined = profile(handler_input).declined_until
    today = handler_input.request_envelope.request.timestamp.date()
    if declined is not None and declined > today:
        return False
    return first_time(handler_input, ASKED_CONSENT)


def offer_to_remember(
    handler_input: HandlerInput,
    speech: Speech,
    after: str | None = None,
    leaving: bool = False,
    question: str | None = None,
    resume: bool = False,
    reprompt: str | None = None,
) -> Response | None:
    """At a moment remembering would help (the person stops in the middle, changes the pace,
    finishes a first activity), asks once whether to, after `speech`; None when it must not be
    asked. The answer then leads to the goodbye (`leaving`) or to the menu without `after`,
    the plugin just finished, or with `resume` back into `after`'s activity through its resume
    hook (asked in the middle of it). `question` and `reprompt` are the plugin's own wording."""
    if not may_offer_to_remember(handler_input):
        return None
    text = core_text(handler_input)
    then: str | bool = after or True
    if leaving:
        then = LEAVING
    elif resume and after:
        then = RESUMING + after
    expect_next_turn(handler_input, ASKED_CONSENT, then)
    speech.say(question or text.consent_question)
    return reply(handler_input, speech, Speech(reprompt or text.consent_reprompt))
