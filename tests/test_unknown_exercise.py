"""An exercise name the skill does not know ("do the lion breath") is said to be unknown, with
the exercises it has and one question a plain yes answers; never another exercise in its place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from skill.blocks.plugin import LOCALES
from skill.discovery import discover
from skill.local.conversation import Conversation, Turn
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.local.render import spoken
from skill.plugins.grounding import Grounding
from skill.plugins.grounding.exercises import Pieces
from skill.store import ProfileStore
from tests.conftest import SKILL_ID, begin, make_conversation
from tests.speech_helpers import reprompt, said
from tests.test_skill_id import load_entry_point

CONTENT = Grounding().content("en-US")
EXERCISES = {e.id: e for e in CONTENT.exercises}
# What the offer names, in the order said: the locale's first three.
LISTED = [e.id for e in CONTENT.exercises[:3]]
NOT_KNOWN = "I don't know"


def intro(exercise_id: str) -> str:
    return Pieces(CONTENT, EXERCISES[exercise_id], "normal").intro_text


def started(turn: Turn) -> str | None:
    """The exercise whose intro this turn says, or None."""
    return next((e.id for e in CONTENT.exercises if intro(e.id) in said(turn)), None)


def assert_offered(turn: Turn) -> None:
    """Said to be unknown, the known ones named, a question; and no exercise begun."""
    text = said(turn)
    assert text.startswith(NOT_KNOWN) and " yet." in text
    assert all(EXERCISES[i].name in text for i in LISTED)
    assert text.endswith("?") and not turn.ends_session
    assert started(turn) is None and "Breathe in" not in text


@pytest.mark.parametrize(
    ("utterance", "name_said"),
    [
        ("do the lion breath", None),  # one word in the slot ("lion"): not said back
        ("let's do the lion breath", "the lion breath"),
        ("let's do alternate nostril breathing", "alternate nostril breathing"),
        ("can we do pursed lip breathing", "pursed lip breathing"),
        ("I want to do the humming bee breath", "the humming bee breath"),
        # Practices the skill does not have: not "something calming", names it does not know.
        ("let's do a sleep meditation", "a sleep meditation"),
        ("can we do a mindfulness meditation", "a mindfulness meditation"),
    ],
)
def test_an_unknown_name_is_said_to_be_unknown_with_the_ones_it_has(
    talk: Conversation, utterance: str, name_said: str | None
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert_offered(turn)
    if name_said is None:
        assert said(turn).startswith(CONTENT.unknown_unnamed)
    else:
        assert said(turn).startswith(CONTENT.unknown_named.format(name=name_said))
    assert EXERCISES[LISTED[0]].name in reprompt(turn)  # silence says what a yes does


@pytest.mark.parametrize(
    ("answer", "exercise"),
    [
        ("yes", LISTED[0]),
        ("okay", LISTED[0]),
        ("I don't mind", LISTED[0]),
        ("let's do that one", LISTED[0]),
        ("the first one", LISTED[0]),
        ("the second one", LISTED[1]),
        ("the last one", LISTED[2]),
        ("box", "box"),
        ("the cyclic sigh", "sigh"),
        ("the long exhale", "long_exhale"),  # one it has but did not name
    ],
)
def test_the_answer_to_the_offer_starts_at_once(
    talk: Conversation, answer: str, exercise: str
) -> None:
    begin(talk)
    talk.say("do the lion breath")
    turn = talk.say(answer)
    assert started(turn) == exercise


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_says_an_unknown_name_and_takes_a_yes(
    store: ProfileStore, locale: str
) -> None:
    talk = make_conversation(store, LocalNlu(interaction_model(locale, discover().plugins)))
    talk.locale = locale
    begin(talk)
    assert_offered(talk.say("let's do alternate nostril breathing"))
    assert started(talk.say("yes")) == LISTED[0]


def test_pranayama_in_india_asks_for_breathing_not_for_a_name(store: ProfileStore) -> None:
    talk = make_conversation(store, LocalNlu(interaction_model("en-IN", discover().plugins)))
    talk.locale = "en-IN"
    begin(talk)
    turn = talk.say("I want to do pranayama")
    assert NOT_KNOWN not in said(turn) and started(turn) is not None


def test_no_to_the_offer_is_the_menu_and_no_exercise(talk: Conversation) -> None:
    begin(talk)
    talk.say("let's do the lion breath")
    turn = talk.say("no")
    assert said(turn).startswith(CONTENT.choice_declined)
    assert started(turn) is None and not turn.ends_session


def test_words_that_answer_nothing_ask_once_more_and_yes_still_starts(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("let's do the lion breath")
    unclear = talk.say("purple elephants")
    assert started(unclear) is None and not unclear.ends_session
    assert EXERCISES[LISTED[0]].name in said(unclear)
    assert started(talk.say("yes")) == LISTED[0]


def test_another_unknown_name_after_the_offer_is_said_to_be_unknown_too(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("let's do the lion breath")
    again = talk.say("let's do alternate nostril breathing")
    assert_offered(again)
    assert "alternate nostril breathing" in said(again)


@pytest.mark.parametrize(
    ("utterance", "exercise"),
    [
        ("let's do box breathing", "box"),
        ("do the box breath", "box"),
        ("can we try the 4 7 8 breath", "four_seven_eight"),
        ("let's do the 4 7 8", "four_seven_eight"),
        ("can we try the four seven eight breath", "four_seven_eight"),
        ("I want to try the cyclic sigh", "sigh"),
        ("can we do box breathing for my anxiety", "box"),
    ],
)
def test_a_known_name_still_starts_directly(
    talk: Conversation, utterance: str, exercise: str
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert NOT_KNOWN not in said(turn)
    assert started(turn) == exercise


@pytest.mark.parametrize(
    "utterance",
    [
        "can we do something for my anxiety",
        "I want to do a breathing exercise",
        "let's do that",
        "can we do some breathing together",
    ],
)
def test_words_that_name_no_exercise_still_get_one(talk: Conversation, utterance: str) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert NOT_KNOWN not in said(turn)
    assert started(turn) is not None


def test_during_an_exercise_the_question_is_whether_to_go_on_from_where_it_was(
    talk: Conversation,
) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    talk.say("do the body scan")
    talk.now += timedelta(seconds=75)  # "Alexa, let's do the lion breath", a way in
    turn = talk.say("let's do the lion breath")
    text = said(turn)
    assert text.startswith(CONTENT.unknown_named.format(name="the lion breath"))
    assert text.endswith("carry on with the body scan?")
    assert "box breathing" in text  # the others it has
    going_on = said(talk.say("yes"))
    assert going_on.startswith(CONTENT.continuing)
    assert intro("body_scan") not in going_on and intro("box") not in going_on
    steps = [s.say for step in EXERCISES["body_scan"].steps for s in step if s.say]
    resumed = next(i for i, step in enumerate(steps) if step and step in going_on[:200])
    assert 1 <= resumed <= 4  # a little before where it was, never past it (as "pause")
    assert EXERCISES["body_scan"].closing in going_on


def test_after_a_pause_yes_goes_on_and_a_name_starts_that_one(talk: Conversation) -> None:
    begin(talk)
    talk.say("do progressive muscle relaxation")
    talk.say("pause")
    offered = talk.say("let's do the lion breath")
    assert said(offered).endswith("carry on with progressive muscle relaxation?")
    assert started(talk.say("the cyclic sigh")) == "sigh"


def test_an_unknown_name_that_screens_as_a_crisis_gets_help_not_the_offer(
    talk: Conversation,
) -> None:
    begin(talk)
    turn = talk.say("let's do the breath before I take a bunch of pills")
    assert NOT_KNOWN not in said(turn)
    assert "nine eight eight" in said(turn)


def _as_alexa_sends(slot: dict[str, Any]) -> dict[str, Any]:
    """A one-shot "ask secure base to do the lion breath", its slot as given, as Alexa sends
    it (new session, resolutions per authority)."""
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.lion",
            "application": {"applicationId": SKILL_ID},
            "attributes": {},
            "user": {"userId": "amzn1.ask.account.LION"},
        },
        "context": {
            "System": {
                "application": {"applicationId": SKILL_ID},
                "user": {"userId": "amzn1.ask.account.LION"},
                "device": {"deviceId": "device-lion", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "type": "IntentRequest",
            "requestId": "amzn1.echo-api.request.lion",
            "locale": "en-US",
            "timestamp": "2026-11-23T20:00:00Z",
            "dialogState": "COMPLETED",
            "intent": {
                "name": "GroundingIntent",
                "confirmationStatus": "NONE",
                "slots": {"exercise": slot},
            },
        },
    }


def _slot(value: str, status: str, matched: dict[str, str] | None = None) -> dict[str, Any]:
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.EXERCISE",
        "status": {"code": status},
    }
    if matched is not None:
        authority["values"] = [{"value": matched}]
    resolutions = {"resolutionsPerAuthority": [authority]}
    return {
        "name": "exercise",
        "value": value,
        "resolutions": resolutions,
        "confirmationStatus": "NONE",
        "source": "USER",
        "slotValue": {"type": "Simple", "value": value, "resolutions": resolutions},
    }


@pytest.mark.parametrize(
    "slot",
    [
        # No value of EXERCISE matched: Alexa still passes the words.
        _slot("lion breath", "ER_SUCCESS_NO_MATCH"),
        # A value this version of the skill does not have (a newer model's).
        _slot("lion breath", "ER_SUCCESS_MATCH", {"name": "lion breath", "id": "lion"}),
    ],
)
def test_no_match_as_alexa_sends_it_through_the_lambda_entry_point(
    store: ProfileStore, slot: dict[str, Any]
) -> None:
    response = load_entry_point().lambda_handler(_as_alexa_sends(slot), None)
    text = spoken(response)
    assert text.startswith(CONTENT.unknown_named.format(name="lion breath"))
    assert all(EXERCISES[i].name in text for i in LISTED)
    assert intro("box") not in text and response["response"]["shouldEndSession"] is False


def test_a_matched_value_as_alexa_sends_it_starts_that_exercise(store: ProfileStore) -> None:
    slot = _slot("box breath", "ER_SUCCESS_MATCH", {"name": "box breathing", "id": "box"})
    response = load_entry_point().lambda_handler(_as_alexa_sends(slot), None)
    assert intro("box") in spoken(response)
