"""For the rest of a session in which where to turn was given: the numbers stay at hand."""

from __future__ import annotations

import pytest

from skill.local.conversation import Conversation
from skill.local.render import readable
from skill.safety import Safety
from tests.conftest import begin
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import said

SAFETY_TEXT = Safety().content("en-US")
LIFELINE = "call or text nine eight eight"
HOTLINE = "one eight hundred, seven nine nine, seven two three three"


def test_repeat_two_turns_after_a_crisis_gives_the_numbers(talk: Conversation) -> None:
    begin(talk)
    talk.say("I don't want to be here anymore")
    talk.say("what can you do")
    talk.say("help")
    speech = said(talk.say("repeat"))
    assert speech.startswith(SAFETY_TEXT.numbers_again)
    assert LIFELINE in speech


def test_what_was_that_number_after_an_abuse_disclosure_gives_that_line_first(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("my partner hits me")
    talk.say("go to the main menu")
    speech = said(talk.say("what was the number"))
    assert speech.index(HOTLINE) < speech.index(LIFELINE)


def test_stop_later_in_the_session_says_the_main_number_once_more(talk: Conversation) -> None:
    begin(talk)
    talk.say("I want to hurt myself")
    talk.say("no")
    turn = talk.say("stop")
    assert LIFELINE in said(turn)
    assert "Goodbye for now" not in said(turn)  # not the cheerful goodbye
    assert turn.ends_session


def test_no_couple_repair_offered_after_an_abuse_disclosure(talk: Conversation) -> None:
    begin(talk)
    talk.say("my husband hurts me")
    for asked in ("go to the main menu", "what can you do", "help"):
        assert "repair" not in said(talk.say(asked)).lower()


def test_a_new_session_after_a_crisis_offers_nothing_back(talk: Conversation) -> None:
    begin(talk)
    talk.say("some reflection questions")
    talk.say("I want to end my life")
    talk.say("stop")
    speech = said(talk.say("open secure base"))
    assert "pick up where you left off" not in speech


def test_an_ordinary_session_keeps_its_ordinary_goodbye_and_repeat(talk: Conversation) -> None:
    begin(talk)
    menu = said(talk.say("go to the main menu"))
    assert said(talk.say("repeat")) == menu
    assert "Goodbye for now" in said(talk.say("stop"))


def test_the_crisis_replay_gives_the_numbers_on_repeat_two_turns_later(
    capsys: pytest.CaptureFixture[str],
) -> None:
    turns = replay("crisis", capsys)
    said_by_input = {turn["userInput"]: readable(ssml_of(turn)) for turn in turns}
    assert "repair" not in said_by_input["what can you do"].lower()
    assert said_by_input["repeat"].startswith(SAFETY_TEXT.numbers_again)
    assert HOTLINE in said_by_input["repeat"]  # the abuse disclosure's line first
    assert HOTLINE in said_by_input["stop"]


def test_the_first_visit_replay_offers_the_three_things_at_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = readable(ssml_of(replay("first-visit", capsys)[0]))
    for offer in ("a calming exercise", "some reflection questions", "repair guidance"):
        assert offer in first


def test_an_abuse_disclosure_in_the_middle_of_repair_is_never_offered_back_later(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("repair guidance")
    talk.say("he hits me when he's angry")
    talk.say("stop")
    talk.say("open secure base")
    talk.say("do three slow breaths")  # another activity used since
    talk.say("stop")
    # Nothing of the disclosure is kept, so the menu is the usual one; but repair's place is
    # gone, so it is not offered back.
    speech = said(talk.say("open secure base")).lower()
    assert "pick up where you left off" not in speech and "you had started" not in speech
    assert "repair" not in said(talk.say("what was I doing")).lower()


def test_not_knowing_at_a_safety_question_is_not_taken_as_a_disclosure(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("repair guidance")
    talk.say("I don't know")  # the gentle resources
    assert "repair guidance" in said(talk.say("go to the main menu"))
