"""What people say when an exercise ends: words, not only yes or no, are met kindly."""

from __future__ import annotations

import pytest

from skill.local.conversation import Conversation
from skill.plugins.grounding import Grounding
from tests.conftest import begin
from tests.speech_helpers import said

CONTENT = Grounding().content("en-US")


def finished(talk: Conversation) -> None:
    begin(talk)
    assert CONTENT.offer_more in said(talk.say("do three slow breaths"))


@pytest.mark.parametrize("words", ["kind of", "yes I think so", "sort of"])
def test_a_hedged_yes_is_another_exercise_gently(talk: Conversation, words: str) -> None:
    finished(talk)
    speech = said(talk.say(words))
    assert speech.startswith(CONTENT.more_gently) and "It takes about" in speech


@pytest.mark.parametrize(
    "words",
    [
        "I still feel scared",
        "I still feel on edge",
        "we had a fight about chores",
        "not better yet",
        "I feel better but still shaky",
    ],
)
def test_other_words_are_met_warmly_and_the_offer_asked_again(
    talk: Conversation, words: str
) -> None:
    finished(talk)
    turn = talk.say(words)
    assert said(turn) == f"{CONTENT.with_you} {CONTENT.offer_more}"  # nothing started unasked
    assert "It takes about" in said(talk.say("yes"))


@pytest.mark.parametrize(
    "words",
    [
        "I feel a bit better",
        "thank you",
        "that helped",
        "much calmer thanks",
        "feeling better thanks",
        "that was lovely thank you",
        "it helped a bit",
    ],
)
def test_feeling_better_or_thanks_is_a_warm_close(talk: Conversation, words: str) -> None:
    finished(talk)
    turn = talk.say(words)
    assert said(turn).startswith(CONTENT.glad_to_rest) and not turn.ends_session
    assert CONTENT.label not in said(turn)  # the short menu, without what was just done
    assert "didn't catch" not in said(turn)


def test_words_alexa_could_not_place_hear_the_offer_again(talk: Conversation) -> None:
    finished(talk)
    assert said(talk.say("purple elephants dancing")) == CONTENT.offer_more


def test_a_plain_no_is_still_a_goodbye(talk: Conversation) -> None:
    finished(talk)
    assert talk.say("no").ends_session


def test_panic_said_in_the_middle_of_the_check_in_starts_the_calming_exercise(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("start my check-in")
    speech = said(talk.say("I'm really anxious right now"))
    assert "call nine one one" in speech and "Breathe in" in speech
    assert not speech.startswith("Thank you")


def test_panic_said_in_answer_to_a_reflection_question_starts_the_calming_exercise(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("some reflection questions")
    assert "Breathe in" in said(talk.say("this is making me panic"))


def test_no_check_in_offered_after_an_abuse_disclosure(talk: Conversation) -> None:
    begin(talk)
    talk.say("my partner hits me")
    assert "check-in" not in said(talk.say("go to the main menu"))
