"""Opening the skill, first time and returning, and choosing from the menu."""

from __future__ import annotations

from skill.local.conversation import Conversation
from skill.local.nlu import LocalNlu
from skill.speech import estimate_seconds
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.speech_helpers import reprompt, said, ssml

# The front door is said within about this long (the 12 s), by the speech estimate.
FRONT_DOOR_SECONDS = 12.0


def test_first_launch_says_what_the_skill_is_and_offers_the_three_things_at_once(
    talk: Conversation,
) -> None:
    turn = talk.say("open secure base")
    speech = said(turn).lower()
    assert speech.startswith("welcome to secure base")
    assert "not therapy" in speech  # the disclaimer stays, short
    for offer in ("calming exercise", "reflection questions", "repair guidance"):
        assert offer in speech
    assert "remember" not in speech  # consent is asked later, when it would help
    assert "welcome back" not in speech
    assert not turn.ends_session
    assert estimate_seconds(ssml(turn)) <= FRONT_DOOR_SECONDS
    assert "calming exercise" in reprompt(talk.say("help")).lower()


def test_later_menus_in_a_session_are_short_and_leave_out_what_was_just_done(
    talk: Conversation,
) -> None:
    begin(talk)  # the full menu, once
    talk.say("some reflection questions")
    talk.say("continue")
    again = said(talk.say("what do you know about me")).lower()
    assert "or shall we stop here?" in again
    assert "a nightly check-in" not in again  # two offers, not all four
    # Asked for, the whole menu again.
    assert "a nightly check-in" in said(talk.say("go to the main menu"))


def test_returning_person_is_greeted_as_returning_with_where_they_left_off(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("do three slow breaths")  # finished: nothing to resume, only where they were
    talk.say("stop")

    turn = talk.say("open secure base")

    speech = said(turn).lower()
    assert speech.startswith("welcome back")
    assert "last time, you came for a calming exercise" in speech
    assert "not a substitute" not in speech  # the disclaimer is for the first visit (and help)


def test_a_one_shot_visit_counts_so_the_next_launch_greets_as_returning(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("stop")
    talk.say("ask secure base for repair guidance")
    talk.leave()

    speech = said(talk.say("open secure base")).lower()

    assert "welcome back" in speech
    assert "you had started a repair" in speech


def test_partners_on_one_speaker_keep_separate_progress(store: ProfileStore, nlu: LocalNlu) -> None:
    alex = make_conversation(store, nlu, user_id="account-1", person_id="person-alex")
    sam = make_conversation(store, nlu, user_id="account-1", person_id="person-sam")
    begin(alex)
    alex.say("repair guidance")
    alex.say("stop")

    assert said(sam.say("open secure base")).lower().startswith("welcome to secure base")
    assert "repair" in said(alex.say("open secure base")).lower()


def test_navigate_home_returns_to_the_menu(talk: Conversation) -> None:
    begin(talk)
    talk.say("calming exercise")
    turn = talk.say("go back to the main menu")
    assert "would you like a calming exercise" in said(turn).lower()
    assert not turn.ends_session
