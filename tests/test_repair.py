"""Repair guidance: safety first, settling if still upset, then five steps, resumed next time."""

from __future__ import annotations

import itertools

import pytest

from skill.local.conversation import Conversation, Turn
from skill.plugins.repair import Repair
from skill.speech import estimate_seconds
from tests.conftest import begin
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import reprompt, said

plugin = Repair()

CONTENT = plugin.content("en-US")
STEPS = CONTENT.steps


def is_step(turn: Turn, n: int) -> bool:
    return f"Step {n} of {len(STEPS)}." in said(turn)


def to_first_step(talk: Conversation, entry: str = "we had a fight") -> Turn:
    begin(talk)
    talk.say(entry)
    talk.say("no")  # not still very upset
    return talk.say("no")  # not afraid, nobody hurt, threatened or controlled


@pytest.mark.parametrize(
    "entry",
    ["we had a fight", "help me repair", "we're not talking", "I hurt my partner",
     "my partner hurt my feelings", "how do I apologize"],
)  # fmt: skip
def test_entry_then_the_two_questions_before_any_step(talk: Conversation, entry: str) -> None:
    begin(talk)
    first = talk.say(entry)
    assert said(first).startswith(CONTENT.opening)
    assert CONTENT.upset_question in said(first)
    assert CONTENT.screening_question in said(talk.say("no"))
    assert is_step(talk.say("no"), 1)


def test_a_one_shot_request(talk: Conversation) -> None:
    turn = talk.say("ask secure base to help me repair")
    assert turn.request["session"]["new"] is True
    assert CONTENT.upset_question in said(turn)


def test_the_caused_hurt_path(talk: Conversation) -> None:
    turns = [to_first_step(talk, "I hurt my partner")]
    turns += [talk.say("next") for _ in STEPS[1:]]
    for index, turn in enumerate(turns):
        assert STEPS[index].caused in said(turn)
        assert estimate_seconds(turn.response["response"]["outputSpeech"]["ssml"]) <= 90
    assert "sincere apology" in said(turns[3])
    assert CONTENT.closing in said(turns[-1])
    assert "Would you like a calming exercise" in said(turns[-1])


def test_the_received_hurt_path(talk: Conversation) -> None:
    turns = [to_first_step(talk, "my partner hurt my feelings")]
    turns += [talk.say("next") for _ in STEPS[1:]]
    for index, turn in enumerate(turns):
        assert STEPS[index].received in said(turn)
    assert "what would help you feel safe again" in said(turns[3])


def test_still_upset_leads_through_a_breathing_exercise_and_back(talk: Conversation) -> None:
    begin(talk)
    talk.say("slower please")  # the slowest pace: the response still fits Alexa's limits
    talk.say("my partner hurt my feelings")
    settling = talk.say("yes I'm still upset")
    assert said(settling).startswith(CONTENT.break_advice)
    assert "twenty minutes" in said(settling)
    assert "It takes about" in said(settling)  # a short grounding exercise began
    assert estimate_seconds(settling.response["response"]["outputSpeech"]["ssml"]) <= 90
    turn = settling
    while "Say next when you're ready." in said(turn):
        turn = talk.say("next")
    assert said(turn).endswith("Shall we go back to repair guidance now?")
    back = talk.say("yes")
    assert said(back).startswith("Let's carry on. " + CONTENT.screening_question)
    first = talk.say("no")
    assert is_step(first, 1) and STEPS[0].received in said(first)


def test_the_done_when_walkthrough(talk: Conversation) -> None:
    talk.say("open secure base")
    talk.say("yes")
    talk.say("we had a fight")
    turn = talk.say("yes I'm still upset")
    while "Say next when you're ready." in said(turn):
        turn = talk.say("next")
    talk.say("yes")  # back to the repair
    assert is_step(talk.say("no"), 1)  # nobody afraid: the first step
    talk.say("stop")
    assert "step 2 of 5 is next" in said(talk.say("open secure base"))
    assert "988" in talk.say("I'm afraid of my partner").response["response"]["card"]["content"]


def test_fear_during_the_breathing_cancels_the_way_back_to_couple_steps(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("yes I'm still upset")
    assert "card" in talk.say("I am afraid of my partner").response["response"]
    turn = talk.say("yes")  # the breathing exercise offered with the resources
    while "Say next when you're ready." in said(turn):
        turn = talk.say("next")
    assert "go back to repair guidance" not in said(turn)
    assert not any(step.both in said(talk.say("yes")) for step in STEPS)


def test_help_at_a_question_asks_it_again(talk: Conversation) -> None:
    begin(talk)
    talk.say("we had a fight")
    helped = talk.say("help")
    assert CONTENT.upset_question in said(helped) and "I need help now" in said(helped)
    assert CONTENT.screening_question in said(talk.say("no"))


@pytest.mark.parametrize("answer", ["yes", "yes I'm afraid", "yes someone was hurt"])
def test_a_yes_to_the_safety_question_gives_resources_and_no_couple_steps(
    talk: Conversation, answer: str
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("no")
    turn = talk.say(answer)
    assert "1-800-799-7233" in turn.response["response"]["card"]["content"]
    assert not turn.ends_session
    assert not is_step(talk.say("next"), 1)
    talk.say("stop")
    relaunch = said(talk.say("open secure base"))
    assert "pick up where you left off" not in relaunch and "Last time" not in relaunch


STAGES = {
    "upset question": ["we had a fight"],
    "settling": ["we had a fight", "yes I'm still upset"],
    "safety question": ["we had a fight", "no"],
    "step 1": ["we had a fight", "no", "no"],
    "step 4": ["we had a fight", "no", "no", "next", "next", "next"],
}


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("statement", ["I'm afraid of my partner", "I want to hurt myself"])
def test_fear_or_crisis_at_any_point_of_the_repair(
    talk: Conversation, stage: str, statement: str
) -> None:
    begin(talk)
    for utterance in STAGES[stage]:
        talk.say(utterance)
    turn = talk.say(statement)
    assert "988" in turn.response["response"]["card"]["content"]
    assert not any(step.both in said(turn) for step in STEPS)
    assert not turn.ends_session


def test_navigation_at_every_step(talk: Conversation) -> None:
    first = to_first_step(talk)
    assert said(talk.say("repeat")) == said(first)
    second = talk.say("next")
    assert is_step(second, 2)
    back = talk.say("go back")
    assert said(back).startswith(CONTENT.going_back) and is_step(back, 1)
    assert said(talk.say("go back")).startswith(CONTENT.no_step_before)
    talk.say("next")
    talk.say("next")
    again = talk.say("start over")
    assert said(again).startswith(CONTENT.starting_over) and is_step(again, 1)
    assert "go back" in reprompt(again)
    assert "I need help now" in said(talk.say("help"))
    assert talk.say("stop").ends_session


def test_teaching_moments_one_at_a_time_never_twice_in_a_row(talk: Conversation) -> None:
    heard: list[str] = []
    for _ in range(2):
        turns = [to_first_step(talk)] + [talk.say("next") for _ in STEPS[1:]]
        for turn in turns:
            found = [t for t in CONTENT.teachings if t in said(turn)]
            assert len(found) <= 1
            heard += found
        talk.say("stop")
    assert len(heard) == 2 * len(CONTENT.teach_after)
    assert all(a != b for a, b in itertools.pairwise(heard))


def test_stop_and_relaunch_resumes_at_the_step(talk: Conversation) -> None:
    to_first_step(talk, "my partner hurt my feelings")
    talk.say("next")
    talk.say("stop")
    offer = talk.say("open secure base")
    assert "You were working through a repair, and step 3 of 5 is next." in said(offer)
    resumed = talk.say("yes")
    assert is_step(resumed, 3) and STEPS[2].received in said(resumed)


def test_replays(capsys: pytest.CaptureFixture[str]) -> None:
    caused = replay("repair-caused", capsys)
    assert CONTENT.closing in ssml_of(caused[-2])
    upset = replay("repair-upset", capsys)
    assert "Shall we go back to repair guidance now?" in ssml_of(upset[3])
    assert CONTENT.screening_question in ssml_of(upset[4])
    assert "Step 1 of 5." in ssml_of(upset[5])
    assert "step 3 of 5 is next" in ssml_of(upset[8])
    abuse = replay("repair-abuse", capsys)
    assert "card" in abuse[4]["response"]["response"]
    assert "Step" not in " ".join(ssml_of(t) for t in abuse)
