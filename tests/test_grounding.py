"""The grounding plugin: calming exercises paced with real pauses, at the person's pace."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest

from skill.local.conversation import Conversation, Turn
from skill.plugins.grounding import Grounding
from skill.plugins.grounding.content import Pace
from skill.plugins.grounding.exercises import PACES
from skill.speech import MAX_BREAK_SECONDS, MAX_SSML_CHARS, estimate_seconds, validate
from skill.store import ProfileStore
from tests.conftest import begin
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import reprompt, said

plugin = Grounding()

CONTENT = plugin.content("en-US")
EXERCISES = {e.id: e for e in CONTENT.exercises}
SPOKEN_NAMES = {
    "box": "box breathing",
    "four_seven_eight": "four seven eight breathing",
    "sigh": "cyclic sighing",
    "senses": "five four three two one",
    "body_scan": "body scan",
    "muscle_relaxation": "progressive muscle relaxation",
    "three_breaths": "three slow breaths",
    "long_exhale": "long exhale",
}
MAX_RESPONSE_SECONDS = 90


def ssml(turn: Turn) -> str:
    return str(turn.response["response"]["outputSpeech"]["ssml"])


def breaks(turn: Turn) -> list[float]:
    found = re.findall(r'<break time="(\d+)(ms|s)"/>', ssml(turn))
    return [int(n) / 1000 if unit == "ms" else float(n) for n, unit in found]


def exercise_of(turn: Turn) -> str:
    for exercise in CONTENT.exercises:
        if exercise.intro in said(turn):
            return exercise.id
    raise AssertionError(f"no exercise intro in {said(turn)!r}")


def run_to_the_end(talk: Conversation, exercise_id: str) -> list[Turn]:
    turns = [talk.say(f"do {SPOKEN_NAMES[exercise_id]}")]
    for _ in EXERCISES[exercise_id].steps[1:]:
        turns.append(talk.say("next"))
    return turns


def test_there_are_at_least_the_six_named_exercises() -> None:
    assert {"box", "four_seven_eight", "sigh", "senses", "body_scan", "muscle_relaxation"} <= set(
        EXERCISES
    )


@pytest.mark.parametrize("pace", list(PACES))
@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_every_exercise_at_every_pace_stays_within_alexas_limits(
    talk: Conversation, exercise_id: str, pace: str
) -> None:
    begin(talk)
    talk.say({"slower": "slower please", "faster": "faster", "normal": "normal speed"}[pace])
    turns = run_to_the_end(talk, exercise_id)
    assert exercise_of(turns[0]) == exercise_id
    for turn in turns:
        validate(ssml(turn))
        assert len(ssml(turn)) <= MAX_SSML_CHARS
        assert all(seconds <= MAX_BREAK_SECONDS for seconds in breaks(turn))
        assert estimate_seconds(ssml(turn)) <= MAX_RESPONSE_SECONDS
        assert not turn.ends_session
    # It starts by saying what it is and how long it takes, and ends gently with a choice.
    assert said(turns[0]).startswith(EXERCISES[exercise_id].intro)
    assert "It takes about" in EXERCISES[exercise_id].intro
    for turn in turns[:-1]:
        assert said(turn).endswith("Say next when you're ready.")
        assert "say next" in reprompt(turn).lower()
    assert EXERCISES[exercise_id].closing in said(turns[-1])
    assert said(turns[-1]).endswith(
        "Would you like another exercise, a reflection question, or shall we stop here?"
    )


@pytest.mark.parametrize(("pace", "hold"), [("normal", 4.0), ("slower", 6.0), ("faster", 3.0)])
def test_counted_breaths_are_real_pauses_of_the_counted_length(
    talk: Conversation, pace: Pace, hold: float
) -> None:
    begin(talk)
    if pace != "normal":
        talk.say(pace)
    turn = talk.say("do box breathing")
    # The setup pause, then four phases of four counts, twice.
    assert breaks(turn) == [2 * PACES[pace]] + [hold] * 8
    assert re.search(r'Breathe in\. <break time="[^"]+"/> Hold\.', ssml(turn))


def test_a_one_shot_request_starts_an_exercise(talk: Conversation) -> None:
    turn = talk.say("ask secure base for a calming exercise")
    assert turn.request["session"]["new"] is True
    exercise_of(turn)
    assert not turn.ends_session


@pytest.mark.parametrize("asked", ["a calming exercise", "I feel anxious", "I need to breathe"])
def test_from_the_menu(talk: Conversation, asked: str) -> None:
    begin(talk)
    assert exercise_of(talk.say(asked)) in EXERCISES


@pytest.mark.parametrize(
    ("asked", "exercise_id"),
    [
        ("do box breathing", "box"),
        ("let's do square breathing", "box"),
        ("guide me through the four seven eight breath", "four_seven_eight"),
        ("I'd like to do the physiological sigh", "sigh"),
        ("try the five senses", "senses"),
        ("do a body scan", "body_scan"),
        ("let's try tense and release", "muscle_relaxation"),
    ],
)
def test_a_named_exercise_and_its_synonyms(
    talk: Conversation, asked: str, exercise_id: str
) -> None:
    begin(talk)
    assert exercise_of(talk.say(asked)) == exercise_id


def test_unnamed_requests_vary_but_a_named_one_can_repeat(talk: Conversation) -> None:
    begin(talk)
    chosen = []
    for _ in range(4):
        first = talk.say("help me calm down")
        chosen.append(exercise_of(first))
        for _ in EXERCISES[chosen[-1]].steps[1:]:
            talk.say("next")
    assert all(a != b for a, b in itertools.pairwise(chosen))
    assert all(EXERCISES[c].kind != "body" for c in chosen)  # breathing or senses, when anxious
    run_to_the_end(talk, "box")
    assert exercise_of(run_to_the_end(talk, "box")[0]) == "box"


def test_something_short_is_a_quick_one(talk: Conversation) -> None:
    begin(talk)
    first = exercise_of(talk.say("something short"))
    second = exercise_of(talk.say("a quick one"))
    assert EXERCISES[first].quick and EXERCISES[second].quick
    assert first != second


def test_another_one_after_an_exercise(talk: Conversation) -> None:
    begin(talk)
    done = run_to_the_end(talk, "long_exhale")
    assert "another exercise" in said(done[-1])
    assert exercise_of(talk.say("yes")) != "long_exhale"


def test_slower_takes_effect_at_once_and_is_remembered_after_stop(talk: Conversation) -> None:
    begin(talk)
    first = talk.say("do box breathing")
    assert max(breaks(first)) == 4.0
    slower = talk.say("that was too fast")
    assert said(slower).startswith("Okay, I'll go slower.")
    assert max(breaks(slower)) == 6.0
    talk.say("stop")

    talk.say("open secure base")
    talk.say("no")  # not the resume: a new exercise
    assert max(breaks(talk.say("do box breathing"))) == 6.0
    assert max(breaks(talk.say("normal speed"))) == 4.0


def test_stopping_midway_offers_to_resume_at_that_step_next_session(talk: Conversation) -> None:
    begin(talk)
    talk.say("do the body scan")
    talk.say("next")
    talk.say("stop")

    offer = talk.say("open secure base")
    assert "the body scan, and part 3 of 3 is next" in said(offer)
    resumed = talk.say("yes")
    assert said(resumed).startswith("Let's carry on. Your neck, your jaw")


def test_pause_continue_start_over_and_repeat_mid_exercise(talk: Conversation) -> None:
    begin(talk)
    talk.say("do progressive muscle relaxation")
    paused = talk.say("pause")
    assert "Say continue when you're ready" in said(paused)
    assert not paused.ends_session
    second = talk.say("continue")
    assert said(second).startswith("Scrunch up your face")
    assert ssml(talk.say("repeat that")) == ssml(second)
    again = talk.say("start over")
    assert said(again).startswith("Let's begin again. " + EXERCISES["muscle_relaxation"].intro)
    assert "you're doing progressive muscle relaxation" in said(talk.say("help")).lower()
    assert said(talk.say("stop")).startswith("Take good care")


def test_the_week_count_is_mentioned_sparingly(talk: Conversation) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # a Monday
    begin(talk)
    endings = [said(run_to_the_end(talk, e)[-1]) for e in ["three_breaths", "long_exhale"] * 2]
    mentions = ["That's your third exercise this week." in ending for ending in endings]
    assert mentions == [False, False, True, False]


def test_counts_stay_bounded(talk: Conversation, store: ProfileStore) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    for _ in range(3):
        run_to_the_end(talk, "three_breaths")
    talk.now = talk.now + timedelta(days=8)  # the next week
    run_to_the_end(talk, "three_breaths")
    (item,) = store.client.scan(TableName=store.table_name)["Items"]
    state = item["plugin_state"]["M"]["grounding"]["M"]
    assert set(state) == {"exercise", "step", "pace", "last", "total", "week", "week_count"}
    assert state["total"] == {"N": "4"}
    assert state["week_count"] == {"N": "1"}


STEPS = [(e.id, index) for e in CONTENT.exercises for index in range(len(e.steps))]


@pytest.mark.parametrize(("exercise_id", "step"), STEPS)
def test_a_crisis_statement_mid_exercise_is_routed_to_help(
    talk: Conversation, exercise_id: str, step: int
) -> None:
    begin(talk)
    talk.say(f"do {SPOKEN_NAMES[exercise_id]}")
    for _ in range(step):
        talk.say("next")
    turn = talk.say("I don't want to be alive")
    assert "988" in turn.response["response"]["card"]["content"]
    assert not turn.ends_session
    after = said(talk.say("next"))
    if step < len(EXERCISES[exercise_id].steps) - 1:
        # The exercise stopped; "next" right after the resources goes back to where it was.
        assert "[pause" in after
    else:
        assert after.startswith("There's nothing in progress right now.")  # it had ended


def test_replay_every_exercise_to_its_end(capsys: pytest.CaptureFixture[str]) -> None:
    everything = " ".join(ssml_of(t) for t in replay("grounding-every-exercise", capsys))
    for exercise in CONTENT.exercises:
        assert exercise.intro in everything and exercise.closing in everything


def test_replay_one_shot(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-one-shot", capsys)
    assert "It takes about" in ssml_of(turns[0])
    assert turns[0]["request"]["session"]["new"] is True


def test_replay_change_of_pace(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-pace", capsys)
    assert '<break time="4s"/>' in ssml_of(turns[2])
    assert '<break time="6s"/>' in ssml_of(turns[3])  # "that was too fast"
    assert '<break time="6s"/>' in ssml_of(turns[7])  # a new session keeps the pace
    assert '<break time="3s"/>' in ssml_of(turns[8])  # "faster"


def test_replay_stop_midway_and_resume(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-resume", capsys)
    assert "pick up where you left off" in ssml_of(turns[5])
    assert "Let's carry on. Your neck" in ssml_of(turns[6])
