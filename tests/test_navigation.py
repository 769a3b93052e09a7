"""Help, stop, cancel, repeat, fallback and the end of a session."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skill.local.conversation import Conversation
from skill.local.envelopes import envelope, request_for, session_ended
from skill.local.nlu import Understanding
from skill.store import ProfileStore
from tests.conftest import SKILL_ID, begin
from tests.speech_helpers import reprompt, said


def test_what_can_you_do_explains_the_offers_disclaims_and_keeps_listening(
    talk: Conversation,
) -> None:
    talk.say("open secure base")
    turn = talk.say("what can you do")
    speech = said(turn).lower()
    assert "here's what i can do" in speech
    assert "calming exercise, to slow your breathing" in speech
    assert "not a substitute" in speech
    assert "i need help now" in speech
    assert not turn.ends_session
    assert reprompt(turn)


@pytest.mark.parametrize("utterance", ["stop", "cancel", "never mind", "goodbye"])
def test_stop_and_cancel_say_goodbye_warmly_and_end_the_session(
    talk: Conversation, utterance: str
) -> None:
    talk.say("open secure base")
    turn = talk.say(utterance)
    assert "goodbye" in said(turn).lower()
    assert turn.response["response"]["shouldEndSession"] is True
    assert "reprompt" not in turn.response["response"]


def test_repeat_says_the_last_response_exactly(talk: Conversation) -> None:
    talk.say("open secure base")
    help_turn = talk.say("help")
    repeated = talk.say("say that again")
    assert (
        repeated.response["response"]["outputSpeech"]
        == help_turn.response["response"]["outputSpeech"]
    )
    assert repeated.response["response"]["reprompt"] == help_turn.response["response"]["reprompt"]

    twice = talk.say("repeat")
    assert (
        twice.response["response"]["outputSpeech"] == help_turn.response["response"]["outputSpeech"]
    )


def test_repeat_with_nothing_said_yet_offers_the_menu(talk: Conversation) -> None:
    turn = talk.say("ask secure base to repeat that")
    assert "nothing for me to repeat" in said(turn).lower()
    assert not turn.ends_session


def test_fallback_says_what_can_be_said_at_this_point(talk: Conversation) -> None:
    begin(talk)
    turn = talk.say("play some jazz music")
    assert turn.request["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    speech = said(turn).lower()
    assert speech.startswith("sorry, i didn't catch that")
    assert "a calming exercise, some reflection questions, repair guidance, or a nightly" in speech
    assert not turn.ends_session


def test_fallback_follows_the_context_of_the_last_turn(talk: Conversation) -> None:
    # A plugin mid-exercise leaves its own reprompt; the fallback must offer that, not the menu.
    reprompt_here = "<speak>Say next when you're ready, or stop.</speak>"
    talk.say("open secure base")
    talk._attributes["lastResponse"] = {
        "speech": "<speak>Breathe in.</speak>",
        "reprompt": reprompt_here,
    }
    turn = talk.say("bananas and carburetors")
    assert "say next when you're ready" in said(turn).lower()
    assert "say next when you're ready" in reprompt(turn).lower()


def test_session_ended_says_nothing_and_the_visit_is_saved(
    talk: Conversation, store: ProfileStore
) -> None:
    begin(talk)
    talk.say("calming exercise")
    ended = talk.leave()
    assert ended is not None
    assert "outputSpeech" not in ended.response["response"]

    item = store.client.get_item(
        TableName=store.table_name,
        Key={"userId": {"S": "amzn1.ask.account.TEST"}, "personId": {"S": "account"}},
    )["Item"]
    assert item["visits"] == {"N": "1"}
    assert item["last_activity"] == {"S": "grounding"}


def test_a_session_that_only_ends_still_counts_the_visit(talk: Conversation) -> None:
    """Alexa may open a session and end it at once (the person said nothing): it was a visit."""
    begin(talk)
    talk.say("stop")
    event = envelope(talk.caller, session_ended("en-US", datetime.now(UTC)), "session-1", True, {})
    response = talk.handler(event, None)
    assert "outputSpeech" not in response["response"]
    talk.say("open secure base")
    assert "3" in said(talk.say("what do you know about me"))


def test_unknown_intent_from_another_model_version_is_answered_not_crashed(
    talk: Conversation,
) -> None:
    request = request_for(Understanding("SomeRetiredIntent"), "en-US", datetime.now(UTC), SKILL_ID)
    response = talk.handler(envelope(talk.caller, request, "session-2", True, {}), None)
    assert "sorry" in response["response"]["outputSpeech"]["ssml"].lower()
    assert response["response"]["shouldEndSession"] is False


def test_yes_to_the_menu_lists_the_choices_and_no_says_goodbye(talk: Conversation) -> None:
    begin(talk)
    listed = talk.say("yes")
    assert said(listed).startswith("You can say: a calming exercise")
    assert not listed.ends_session
    talk.say("do three slow breaths")  # "... or shall we stop here?"
    declined = talk.say("no thanks")
    assert "Goodbye" in said(declined)
    assert declined.ends_session


def test_no_in_the_middle_of_an_activity_is_not_a_goodbye(talk: Conversation) -> None:
    begin(talk)
    talk.say("do box breathing")
    talk.say("pause")  # still in the exercise, waiting
    not_ready = talk.say("no")
    assert not not_ready.ends_session
    assert "continue" in said(not_ready).lower()


def test_alexa_reporting_an_error_gets_no_speech_back(talk: Conversation) -> None:
    begin(talk)
    event = envelope(talk.caller, session_ended("en-US", datetime.now(UTC)), "s", False, {})
    event["request"] = {
        "type": "System.ExceptionEncountered",
        "requestId": "amzn1.echo-api.request.x",
        "timestamp": "2026-11-27T20:00:00Z",
        "locale": "en-US",
        "error": {"type": "INVALID_RESPONSE", "message": "bad"},
        "cause": {"requestId": "amzn1.echo-api.request.y"},
    }
    response = talk.handler(event, None)
    assert "outputSpeech" not in (response.get("response") or {})
