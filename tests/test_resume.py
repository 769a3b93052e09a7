"""Each activity keeps its own place: a detour never loses another's, and launch offers it."""

from __future__ import annotations

from skill.local.conversation import Conversation
from tests.conftest import begin
from tests.speech_helpers import said


def stopped_in_reflection(talk: Conversation) -> None:
    begin(talk)
    talk.say("some reflection questions")
    talk.say("stop")


def test_a_detour_into_a_finished_exercise_does_not_lose_the_questions(
    talk: Conversation,
) -> None:
    stopped_in_reflection(talk)
    talk.say("open secure base")
    talk.say("no")
    talk.say("do three slow breaths")  # finished in one go: nothing of it to resume
    talk.say("stop")
    speech = said(talk.say("open secure base")).lower()
    assert "question 1 of 16" in speech and "pick up where you left off" in speech


def test_what_was_i_doing_names_every_unfinished_activity(talk: Conversation) -> None:
    stopped_in_reflection(talk)
    talk.say("open secure base")
    talk.say("no")
    talk.say("repair guidance")
    talk.say("stop")
    talk.say("open secure base")
    speech = said(talk.say("what was I doing")).lower()
    assert "reflection" in speech and "repair" in speech
    # The most recent is the one offered.
    assert speech.index("repair") < speech.index("reflection")


def test_nothing_unfinished_is_said_plainly(talk: Conversation) -> None:
    begin(talk)
    assert "not in the middle of anything" in said(talk.say("what was I doing"))


def test_no_start_over_at_the_resume_offer_starts_that_activity_over(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("some reflection questions")
    talk.say("continue")  # on to question 2
    talk.say("stop")
    assert "question 2 of 16" in said(talk.say("open secure base")).lower()
    speech = said(talk.say("no, start over")).lower()
    assert "question 1 of 16" in speech
    assert "nothing in progress" not in speech


def test_no_at_the_resume_offer_gives_the_menu_and_keeps_the_place(talk: Conversation) -> None:
    stopped_in_reflection(talk)
    talk.say("open secure base")
    assert "would you like" in said(talk.say("no")).lower()
    talk.say("stop")
    assert "question 1 of 16" in said(talk.say("open secure base")).lower()
