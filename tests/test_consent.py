"""Remembering is asked just in time: once, when it would help, never before a yes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.local.conversation import Conversation
from skill.store import ProfileStore
from tests.conftest import Calls
from tests.speech_helpers import reprompt, said
from tests.test_privacy import items

ASKED = "Shall I remember your place"
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def stop_in_the_middle(talk: Conversation) -> str:
    talk.say("open secure base")
    talk.say("some reflection questions")
    return said(talk.say("stop"))


def test_the_first_launch_does_not_ask_and_nothing_is_written(
    talk: Conversation, calls: Calls
) -> None:
    assert ASKED not in said(talk.say("open secure base"))
    talk.say("a calming exercise")
    assert calls["PutItem"] == 0


def test_stopping_in_the_middle_asks_once_and_a_yes_keeps_the_place(
    talk: Conversation, store: ProfileStore
) -> None:
    talk.now = NOW
    speech = stop_in_the_middle(talk)
    assert ASKED in speech
    assert items(store) == []  # asking writes nothing
    bye = talk.say("yes")
    assert "I'll remember your place" in said(bye) and bye.ends_session
    (item,) = items(store)
    assert item["consent"] == {"S": "2026-12-01"}
    # The next visit picks up where the person stopped.
    back = said(talk.say("open secure base"))
    assert back.startswith("Welcome back") and "question 1 of 16" in back.lower()


def test_a_hedged_answer_to_the_question_still_counts(talk: Conversation) -> None:
    stop_in_the_middle(talk)
    assert "I'll remember your place" in said(talk.say("yeah I guess so"))


@pytest.mark.parametrize(
    "answer", ["keep my place please", "save my place", "hold my place", "go ahead and remember"]
)
def test_asking_to_be_remembered_in_answer_is_a_yes_and_the_questions_go_on(
    talk: Conversation, store: ProfileStore, answer: str
) -> None:
    talk.say("open secure base")
    talk.say("some reflection questions")
    assert "keep your place" in said(talk.say("I'm not sure"))  # asked after the first answer
    going_on = said(talk.say(answer))
    assert "Question 2 of 16" in going_on
    assert "I'll remember your progress" in going_on
    (item,) = items(store)
    assert item["consent"]


def test_a_no_keeps_only_that_no_and_is_not_asked_again_for_a_week(
    talk: Conversation, store: ProfileStore
) -> None:
    talk.now = NOW
    stop_in_the_middle(talk)
    bye = talk.say("no thanks")
    assert bye.ends_session and "Goodbye" in said(bye)
    (item,) = items(store)
    # Only the date until which not to ask, and when the item goes: no visit, place or consent.
    assert set(item) == {"userId", "personId", "declined_until", "expiresAt"}
    assert item["declined_until"] == {"S": "2026-12-08"}
    assert "Welcome to Secure Base" in said(talk.say("open secure base"))  # not remembered
    talk.say("stop")

    talk.now = NOW + timedelta(days=3)
    assert ASKED not in stop_in_the_middle(talk)

    talk.now = NOW + timedelta(days=8)
    assert ASKED in stop_in_the_middle(talk)


def test_what_do_you_know_after_a_no_says_the_one_thing_kept(talk: Conversation) -> None:
    talk.now = NOW
    stop_in_the_middle(talk)
    talk.say("no")
    talk.say("open secure base")
    speech = said(talk.say("what do you know about me"))
    assert "You said no to being remembered, so I keep only that, until December 8" in speech


def test_forget_me_erases_the_no_too(talk: Conversation, store: ProfileStore) -> None:
    stop_in_the_middle(talk)
    talk.say("no")
    talk.say("open secure base")
    talk.say("forget me")
    talk.say("yes")
    assert items(store) == []


def test_asked_at_most_once_in_a_session(talk: Conversation) -> None:
    talk.say("open secure base")
    talk.say("some reflection questions")
    talk.say("help")
    assert ASKED not in said(talk.say("go to the main menu"))  # the menu is not such a moment
    talk.say("some reflection questions")
    asked = said(talk.say("stop"))
    assert ASKED in asked


def test_remember_my_progress_works_any_time_even_after_a_no(
    talk: Conversation, store: ProfileStore
) -> None:
    talk.now = NOW
    stop_in_the_middle(talk)
    talk.say("no")
    talk.say("open secure base")
    assert "I'll remember your progress" in said(talk.say("remember my progress"))
    (item,) = items(store)
    assert item["consent"] == {"S": "2026-12-01"}
    assert "declined_until" not in item or item["declined_until"] == {"NULL": True}


def test_a_remembered_person_who_stops_in_the_middle_hears_the_place_is_kept(
    talk: Conversation,
) -> None:
    talk.say("open secure base")
    talk.say("remember my progress")
    talk.say("some reflection questions")
    turn = talk.say("stop")
    assert said(turn).startswith("Okay. I'll keep your place for next time.") and turn.ends_session
    assert ASKED not in said(turn)


def test_the_question_says_how_to_answer_when_unclear(talk: Conversation) -> None:
    talk.say("open secure base")
    talk.say("some reflection questions")
    turn = talk.say("stop")
    assert "say yes if i may remember" in reprompt(turn).lower()


def test_a_no_kept_by_one_device_never_overwrites_a_profile_kept_by_another(
    talk: Conversation, store: ProfileStore
) -> None:
    talk.say("open secure base")
    turn = talk.say("remember my progress")
    envelope = DefaultSerializer().deserialize(json.dumps(turn.request), RequestEnvelope)
    store.note_declined(envelope, date(2026, 12, 8))
    (item,) = items(store)
    assert item["consent"]["S"]  # the profile is untouched
    assert item.get("declined_until", {"NULL": True}) == {"NULL": True}


def test_not_asked_after_a_panic_attack_exercise(talk: Conversation) -> None:
    talk.say("open secure base")
    assert ASKED not in said(talk.say("I'm having a panic attack"))


def test_not_asked_after_the_breathing_offered_with_the_numbers(talk: Conversation) -> None:
    talk.say("open secure base")
    talk.say("I want to hurt myself")
    breathing = said(talk.say("yes"))
    assert "Breathe in" in breathing and ASKED not in breathing


def test_not_asked_after_breathing_for_someone_very_upset_after_a_fight(
    talk: Conversation,
) -> None:
    talk.say("open secure base")
    talk.say("we had a fight")
    assert ASKED not in said(talk.say("yes I'm really upset"))


def test_asked_after_a_first_exercise_chosen_in_calm(talk: Conversation) -> None:
    talk.say("open secure base")
    assert ASKED in said(talk.say("do three slow breaths"))
