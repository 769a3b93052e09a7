"""Blueprint reflection: one question at a time, answered aloud, never stored, resumed."""

from __future__ import annotations

import json
import re

import pytest

from skill.core import Core
from skill.local.conversation import Conversation, Turn
from skill.local.nlu import LocalNlu
from skill.plugins.reflection import Reflection
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import reprompt, said

plugin = Reflection()

CONTENT = plugin.content("en-US")
QUESTIONS = CONTENT.questions
TOTAL = len(QUESTIONS)


def question_number(turn: Turn) -> int:
    found = re.search(rf"Question (\d+) of {TOTAL}\.", said(turn))
    assert found, said(turn)
    return int(found.group(1))


def start(talk: Conversation) -> Turn:
    begin(talk)
    return talk.say("ask me a reflection question")


def test_the_questions_cover_the_blueprint_and_the_five_blocks() -> None:
    assert TOTAL >= 15
    assert sum(q.set == "blueprint" for q in QUESTIONS) == 7
    assert sum(q.set == "blocks" for q in QUESTIONS) >= 5
    assert all(1 <= len(q.follow_ups) <= 2 for q in QUESTIONS)
    assert len({q.ask for q in QUESTIONS}) == TOTAL


def test_first_question_is_introduced_gently_and_gives_time(talk: Conversation) -> None:
    turn = start(talk)
    assert said(turn).startswith(CONTENT.first_time)
    assert QUESTIONS[0].ask in said(turn)
    assert said(turn).endswith("Take your time. Say continue when you're ready.")
    assert "say continue" in reprompt(turn).lower()
    assert not turn.ends_session


def test_an_answer_is_acknowledged_without_echo_then_the_follow_up(talk: Conversation) -> None:
    start(talk)
    turn = talk.say("I felt like a lighthouse keeper in a storm")
    speech = said(turn)
    assert any(speech.startswith(thanks) for thanks in CONTENT.acknowledgements)
    for word in ("lighthouse", "keeper", "storm"):
        assert word not in speech.lower()
    assert QUESTIONS[0].follow_ups[0] in speech


@pytest.mark.parametrize("answer", ["yes", "no", "not really", "mostly yes", "sometimes"])
def test_short_answers_count_as_answers(talk: Conversation, answer: str) -> None:
    start(talk)
    assert QUESTIONS[0].follow_ups[0] in said(talk.say(answer))


def test_an_answer_alexa_cannot_place_is_still_acknowledged(talk: Conversation) -> None:
    start(talk)
    turn = talk.say("purple elephants and the smell of rain")
    assert turn.request["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    assert QUESTIONS[0].follow_ups[0] in said(turn)


def test_a_full_pass_asks_every_question_once_then_closes_and_can_start_again(
    talk: Conversation,
) -> None:
    asked = [question_number(start(talk))]
    while True:
        question = QUESTIONS[asked[-1] - 1]
        for follow_up in question.follow_ups:
            assert follow_up in said(talk.say("I think so"))
        turn = talk.say("I remember it differently now")
        if CONTENT.all_done in said(turn):
            break
        asked.append(question_number(turn))
    assert asked == list(range(1, TOTAL + 1))
    assert CONTENT.go_again in said(turn)
    assert "Would you like a calming exercise" in said(turn)
    assert question_number(talk.say("ask me a reflection question")) == 1


def test_navigation(talk: Conversation) -> None:
    start(talk)
    assert question_number(talk.say("next")) == 2
    assert question_number(talk.say("continue")) == 3
    skipped = talk.say("skip this one")
    assert said(skipped).startswith(CONTENT.skipped) and question_number(skipped) == 4
    repeated = talk.say("repeat the question")
    assert said(repeated) == said(skipped)
    back = talk.say("previous question")
    assert said(back).startswith(CONTENT.going_back) and question_number(back) == 3
    assert question_number(talk.say("next")) == 5  # 4 was asked already in this pass
    left = talk.say("how many are left")
    assert said(left).startswith(f"{TOTAL - 5} questions left, out of {TOTAL}.")
    again = talk.say("start over from the first question")
    assert said(again).startswith(CONTENT.from_the_start) and question_number(again) == 1
    assert said(talk.say("how many are left")).startswith(f"{TOTAL - 1} questions left")


def test_help_mid_reflection_lists_the_commands_and_the_way_to_help_once(
    talk: Conversation,
) -> None:
    start(talk)
    speech = said(talk.say("help"))
    assert "skip" in speech and "previous question" in speech
    assert speech.count("I need help now") == 1


def test_silence_then_the_next_launch_offers_the_same_question(talk: Conversation) -> None:
    start(talk)
    talk.say("next")
    first_silence = talk.silence()
    assert isinstance(first_silence, str) and "say continue" in first_silence.lower()
    ended = talk.silence()
    assert isinstance(ended, Turn)  # the session closed
    offer = talk.say("open secure base")
    assert f"You were on question 2 of {TOTAL}" in said(offer)
    assert question_number(talk.say("yes")) == 2


def test_stored_progress_holds_no_words_of_the_answers(
    talk: Conversation, store: ProfileStore
) -> None:
    start(talk)
    talk.say("I felt that my grandmother Philomena was the only safe harbour")
    talk.say("I remember the blue caravan by the lake")
    talk.say("stop")
    stored = json.dumps(store.client.scan(TableName=store.table_name)["Items"]).lower()
    for word in ("philomena", "grandmother", "harbour", "caravan", "lake"):
        assert word not in stored
    assert '"reflection"' in stored


def test_two_people_on_one_account_keep_separate_places(store: ProfileStore, nlu: LocalNlu) -> None:
    alex = make_conversation(store, nlu, user_id="account-1", person_id="alex")
    sam = make_conversation(store, nlu, user_id="account-1", person_id="sam")
    start(alex)
    for _ in range(3):
        alex.say("next")
    alex.say("stop")
    start(sam)
    sam.say("next")
    sam.say("stop")
    assert "question 4 of" in said(alex.say("open secure base"))
    assert "question 2 of" in said(sam.say("open secure base"))


@pytest.mark.parametrize("question", [1, 5, 10, TOTAL])
@pytest.mark.parametrize(
    "answer", ["I felt like I wanted to die", "I remember he threatened to kill me"]
)
def test_a_crisis_or_abuse_answer_routes_to_help(
    talk: Conversation, question: int, answer: str
) -> None:
    start(talk)
    for _ in range(question - 1):
        talk.say("next")
    turn = talk.say(answer)
    assert "988" in turn.response["response"]["card"]["content"]
    assert not turn.ends_session


def test_skip_and_previous_outside_the_questions(talk: Conversation) -> None:
    begin(talk)
    nothing = Core().content("en-US").nothing_in_progress
    assert said(talk.say("skip")).startswith(nothing)  # the core's: skip is for any activity
    assert said(talk.say("previous question")).startswith(CONTENT.not_in_questions)
    talk.say("do box breathing")
    inside = talk.say("previous question")  # not reflection's: the exercise's question again
    assert CONTENT.not_in_questions not in said(inside)
    assert inside.response["sessionAttributes"]["activePlugin"] == "grounding"


def test_replay_a_full_pass(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("reflection-full-pass", capsys)
    everything = " ".join(ssml_of(t) for t in turns)
    for question in QUESTIONS:
        assert everything.count(question.ask) == 1
    assert CONTENT.all_done in everything


def test_replay_resume_across_sessions(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("reflection-resume", capsys)
    assert f"You were on question 2 of {TOTAL}" in ssml_of(turns[6])
