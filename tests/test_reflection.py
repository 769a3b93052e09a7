"""Blueprint reflection: one question at a time, answered aloud, never stored, resumed."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from skill.core import Core
from skill.local.conversation import Conversation, Turn
from skill.local.nlu import LocalNlu
from skill.plugins.reflection import Reflection
from skill.plugins.reflection.plugin import HOLD_SECONDS
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import reprompt, said

CORE = Core().content("en-US")

plugin = Reflection()

CONTENT = plugin.content("en-US")
QUESTIONS = CONTENT.questions
TOTAL = len(QUESTIONS)


def question_number(turn: Turn) -> int:
    found = re.search(rf"Question (\d+) of {TOTAL}\.", said(turn))
    assert found, said(turn)
    return int(found.group(1))


def start(talk: Conversation, remembered: bool = True) -> Turn:
    begin(talk, consent=remembered)
    return talk.say("ask me a reflection question")


def answer_to_the_end(talk: Conversation, first: Turn, answer: str = "I think so") -> list[Turn]:
    """Every turn of a pass answered in words, from the first question's (`first`) to the close."""
    turns = [first]
    while CONTENT.all_done not in said(turns[-1]) and CONTENT.all_done_quiet not in said(turns[-1]):
        turns.append(talk.say(answer))
        assert len(turns) < 80, said(turns[-1])
    return turns


# The instruction the issue heard 33 times in one pass.
INSTRUCTION = "Say continue when you're ready."


def as_pattern(template: str) -> str:
    return re.escape(template).replace(re.escape("{options}"), ".+")


# The core's menu, whole or short (in its own words, whatever they are).
MENU = re.compile(f"{as_pattern(CORE.menu_question)}|{as_pattern(CORE.menu_again)}")
SHORT_MENU = re.compile(as_pattern(CORE.menu_again))


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
    assert MENU.search(said(turn))
    assert CONTENT.label not in said(turn)  # the menu leaves out what was just finished
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
    assert CONTENT.take_your_time not in said(left)  # said once, at the first question
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
    assert QUESTIONS[1].ask in first_silence  # the question again, not a list of commands
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
    talk.say("repair guidance")  # an activity that asks questions (an exercise plays through)
    inside = talk.say("previous question")  # not reflection's: that activity's question again
    assert CONTENT.not_in_questions not in said(inside)
    assert inside.response["sessionAttributes"]["activePlugin"] == "repair"


def test_replay_a_full_pass(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("reflection-full-pass", capsys)
    everything = " ".join(ssml_of(t) for t in turns)
    for question in QUESTIONS:
        assert everything.count(question.ask) == 1
    assert CONTENT.all_done in everything
    assert everything.count(INSTRUCTION) == 1
    # A new person: asked to be remembered once, after the first answered question; the yes
    # is thanked and the questions go straight on.
    asked = [i for i, t in enumerate(turns) if CONTENT.remember_question_mid in ssml_of(t)]
    assert len(asked) == 1
    assert ssml_of(turns[asked[0] + 1]).startswith(f"<speak>{CORE.consent_given}")
    assert CONTENT.remember_question not in everything


def test_replay_resume_across_sessions(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("reflection-resume", capsys)
    assert f"You were on question 2 of {TOTAL}" in ssml_of(turns[6])


# -- less repetition (issue 18, point 9) ---------------------------------------------------------


def test_a_full_pass_says_the_instruction_once_and_ends_in_one_short_menu(
    talk: Conversation,
) -> None:
    turns = answer_to_the_end(talk, start(talk))
    speeches = [said(turn) for turn in turns]
    assert len(turns) > TOTAL * 2  # every question and follow-up was answered
    # Before: the instruction after every question and follow-up (38 times), the follow-up
    # lead before each of the 22 follow-ups.
    assert sum(speech.count(INSTRUCTION) for speech in speeches) == 1
    assert INSTRUCTION in speeches[0]
    assert sum(speech.count(CONTENT.follow_up_lead) for speech in speeches) == 1
    # No reply to an answer ends in a menu; the close does, short, without the questions.
    assert [i for i, speech in enumerate(speeches) if MENU.search(speech)] == [len(turns) - 1]
    assert SHORT_MENU.search(speeches[-1])
    assert CONTENT.label not in speeches[-1]


def test_the_replies_after_answers_vary_and_stay_short(talk: Conversation) -> None:
    turns = answer_to_the_end(talk, start(talk))[1:-1]
    leads = [
        next(t for t in CONTENT.acknowledgements if said(turn).startswith(t)) for turn in turns
    ]
    assert all(a != b for a, b in itertools.pairwise(leads))  # never twice in a row
    assert all(len(lead.split()) <= 6 for lead in leads)


def test_help_says_the_instruction_again_whenever_asked(talk: Conversation) -> None:
    start(talk)
    talk.say("I think so")
    for asking in ("help", "what do I say"):
        speech = said(talk.say(asking))
        assert "say continue when you're ready" in speech.lower()
        assert "skip" in speech


def test_a_new_session_says_the_instruction_once_again(talk: Conversation) -> None:
    start(talk)
    talk.say("next")
    talk.say("stop")
    talk.say("open secure base")
    resumed = talk.say("yes")
    assert CONTENT.take_your_time in said(resumed)  # per session: this one has not heard it
    assert CONTENT.take_your_time not in said(talk.say("next"))


def test_silence_after_a_question_is_held_gently_with_the_question_again(
    talk: Conversation,
) -> None:
    start(talk)
    follow_up = talk.say("I think so")
    held = follow_up.response["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert held.startswith(f'<speak><break time="{HOLD_SECONDS:g}s"/>')  # a pause first
    assert QUESTIONS[0].follow_ups[0] in reprompt(follow_up)  # then the follow-up, again
    assert "say continue" in reprompt(follow_up).lower()  # and what can be said
    assert isinstance(talk.silence(), str)  # the first silence keeps the session open
    assert QUESTIONS[0].follow_ups[1] in said(talk.say("yes"))  # and the answer still counts


def test_not_knowing_is_met_kindly_and_not_pressed_with_a_follow_up(talk: Conversation) -> None:
    start(talk)
    for not_knowing in ("I don't know", "I'd rather not say"):
        turn = talk.say(not_knowing)
        assert any(said(turn).startswith(line) for line in CONTENT.not_knowing)
        assert not any(f in said(turn) for q in QUESTIONS for f in q.follow_ups)
    assert question_number(turn) == 3


# -- consent just in time (point 1) --------------------------------------------------------------


def test_a_person_not_remembered_is_asked_once_in_a_pass_after_the_first_answer(
    talk: Conversation,
) -> None:
    turns = answer_to_the_end(talk, start(talk, remembered=False))
    asked = [i for i, turn in enumerate(turns) if CONTENT.remember_question_mid in said(turn)]
    assert len(asked) == 1 and 0 < asked[0] < 5  # once, early: after question 1 was answered
    # Nothing promised a place kept next time before the person's yes ("I think so").
    for turn in turns[: asked[0] + 1]:
        assert "pick up where" not in said(turn).lower().replace("pick up where you stop", "")
    after_yes = said(turns[asked[0] + 1])
    assert after_yes.startswith(CORE.consent_given) and "Question 2 of 16" in after_yes
    # The close asks nothing more, and its short menu leaves out the questions.
    assert CONTENT.remember_question not in said(turns[-1])
    assert MENU.search(said(turns[-1])) and CONTENT.label not in said(turns[-1])


def test_a_remembered_person_is_never_asked(talk: Conversation) -> None:
    turns = answer_to_the_end(talk, start(talk))
    assert not any(CONTENT.remember_question in said(turn) for turn in turns)


def test_no_to_remembering_is_not_asked_again_in_that_session(talk: Conversation) -> None:
    answered_the_first_question(talk)
    assert said(talk.say("no")).startswith(CORE.consent_declined)
    rest = answer_to_the_end(talk, talk.say("continue"))
    assert not any("keep your place" in said(turn) for turn in rest)
    assert CONTENT.remember_question not in said(rest[-1])


def test_after_a_crisis_the_questions_close_quietly_with_nothing_asked(
    talk: Conversation,
) -> None:
    start(talk, remembered=False)
    talk.say("I felt like I wanted to die")
    back = talk.say("no")  # no breathing: back to the questions
    assert QUESTIONS[0].ask in said(back)
    turns = [back]
    while CONTENT.all_done_quiet not in said(turns[-1]):
        turns.append(talk.say("next"))
        assert len(turns) <= TOTAL + 1
    close = said(turns[-1])
    assert CONTENT.all_done not in close and CONTENT.go_again not in close
    assert CONTENT.remember_question not in close  # nothing asked of them now
    assert CONTENT.label not in close


# -- singular and plural (point 9) ---------------------------------------------------------------


def test_how_many_are_left_says_one_and_none_right(talk: Conversation) -> None:
    start(talk)
    for _ in range(TOTAL - 2):
        talk.say("next")
    one = said(talk.say("how many are left"))
    assert one.startswith(f"Just one question left, out of {TOTAL}.")
    talk.say("next")
    assert said(talk.say("how many are left")).startswith(CONTENT.none_left)
    assert CONTENT.left.format(3, total=TOTAL).startswith("3 questions left")


# -- no, start over (point 7: this plugin's start over) ------------------------------------------


def test_no_start_over_at_the_resume_offer_starts_from_question_one(talk: Conversation) -> None:
    start(talk)
    talk.say("next")
    talk.say("next")
    talk.say("stop")
    assert "question 3 of" in said(talk.say("open secure base"))
    again = talk.say("no, start over")
    assert said(again).startswith(CONTENT.from_the_start) and question_number(again) == 1


# -- a replay with silence (point 10) ------------------------------------------------------------


def test_replay_silence_holds_then_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("reflection-silence", capsys)
    silences = [t for t in turns if t.get("silence")]
    assert len(silences) >= 3
    held = silences[0]["reprompt"]
    assert held.startswith("<speak><break") and QUESTIONS[0].ask in held
    # The answer after a silence is heard as one: on to the follow-up, the session open.
    after = turns[turns.index(silences[0]) + 1]
    assert QUESTIONS[0].follow_ups[0] in ssml_of(after)
    assert not after["response"]["response"].get("shouldEndSession")
    # Two silences closed the session; the place was kept, and the next session resumes it.
    closed = next(
        i
        for i, t in enumerate(turns)
        if t.get("request", {}).get("request", {}).get("type") == "SessionEndedRequest"
    )
    first_session = " ".join(ssml_of(t) for t in turns[:closed] if not t.get("silence"))
    assert first_session.count(INSTRUCTION) == 1
    assert f"You were on question 2 of {TOTAL}" in ssml_of(turns[closed + 1])


def answered_the_first_question(talk: Conversation) -> str:
    """Opens without being remembered and answers question 1 and its follow-ups."""
    talk.say("open secure base")
    talk.say("some reflection questions")
    speech = ""
    for answer in ("my parents argued a lot", "my grandmother", "I go quiet"):
        speech = said(talk.say(answer))
        if "Question 2 of 16" in speech or "keep your place" in speech:
            break
    return speech


def test_after_the_first_answer_remembering_is_asked_and_a_yes_goes_straight_on(
    talk: Conversation,
) -> None:
    speech = answered_the_first_question(talk)
    assert "shall I keep your place in these questions" in speech
    assert "Question 2 of 16" not in speech
    after = said(talk.say("yes"))
    assert "I'll remember your progress" in after and "Question 2 of 16" in after
    talk.say("stop")
    assert "question 2 of 16" in said(talk.say("open secure base")).lower()


def test_a_no_to_remembering_also_goes_straight_on_to_the_next_question(
    talk: Conversation,
) -> None:
    answered_the_first_question(talk)
    assert "Question 2 of 16" in said(talk.say("no thanks"))


def test_continue_instead_of_an_answer_to_remembering_does_not_skip_a_question(
    talk: Conversation,
) -> None:
    answered_the_first_question(talk)
    assert "Question 2 of 16" in said(talk.say("continue"))
