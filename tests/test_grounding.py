"""The grounding plugin: calming exercises that keep going, paced with real pauses, at the
person's pace, announcing lengths that are true."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from skill.core import Core
from skill.local.conversation import Conversation, Turn
from skill.local.render import readable
from skill.plugins.grounding import Grounding
from skill.plugins.grounding.content import Exercise, Pace, Segment
from skill.plugins.grounding.exercises import (
    ORDER,
    PACES,
    Pieces,
    phase_seconds,
    spoken_length,
    spoken_seconds,
)
from skill.speech import (
    LISTEN_SECONDS,
    MAX_BREAK_SECONDS,
    MAX_SPEECH_SECONDS,
    MAX_SSML_CHARS,
    Speech,
    estimate_seconds,
    fits,
    validate,
)
from skill.store import ProfileStore
from tests.conftest import begin
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import reprompt, said

plugin = Grounding()

CONTENT = plugin.content("en-US")
CORE = Core().content("en-US")
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
# How a person asks for each pace from the usual one.
ASK_FOR: dict[Pace, str | None] = {
    "slowest": "the slowest pace",
    "slower": "slower please",
    "normal": None,
    "faster": "faster",
}
# "Well under" Alexa's 24 KB for a whole response.
RESPONSE_BYTES = 20 * 1024
LENGTHS = {length.say: length.seconds for length in CONTENT.lengths}
BODY_SCAN_PARTS_AT_SLOWEST = len(Pieces(CONTENT, EXERCISES["body_scan"], "slowest").pack(0))


def ssml(turn: Turn) -> str:
    return str(turn.response["response"]["outputSpeech"]["ssml"])


def reprompt_ssml(turn: Turn) -> str:
    return str(turn.response["response"]["reprompt"]["outputSpeech"]["ssml"])


def breaks(text: str) -> list[float]:
    found = re.findall(r'<break time="(\d+)(ms|s)"/>', text)
    return [int(n) / 1000 if unit == "ms" else float(n) for n, unit in found]


def intro(exercise_id: str, pace: Pace = "normal") -> str:
    return Pieces(CONTENT, EXERCISES[exercise_id], pace).intro_text


def exercise_of(turn: Turn) -> str:
    for exercise in CONTENT.exercises:
        if any(intro(exercise.id, pace) in said(turn) for pace in PACES):
            return exercise.id
    raise AssertionError(f"no exercise intro in {said(turn)!r}")


def heard(turn: Turn) -> str:
    """All an exercise says when the person stays silent: the speech, and a reprompt that
    carries the rest of the exercise (one that holds its closing)."""
    text = said(turn)
    if not turn.ends_session and any(e.closing not in text for e in CONTENT.exercises):
        carried = reprompt(turn)
        if any(e.closing in carried for e in CONTENT.exercises):
            text += " " + carried
    return text


def at_pace(talk: Conversation, pace: Pace) -> None:
    asked = ASK_FOR[pace]
    if asked is not None:
        talk.say(asked)


def test_there_are_at_least_the_six_named_exercises() -> None:
    assert {"box", "four_seven_eight", "sigh", "senses", "body_scan", "muscle_relaxation"} <= set(
        EXERCISES
    )


def test_there_are_four_paces_and_todays_three_stored_values_are_among_them() -> None:
    assert ORDER == ("slowest", "slower", "normal", "faster")
    assert [PACES[p].factor for p in ORDER] == sorted(PACES[p].factor for p in ORDER)[::-1]


@pytest.mark.parametrize("pace", list(PACES))
@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_every_exercise_at_every_pace_keeps_going_within_alexas_limits(
    talk: Conversation, exercise_id: str, pace: Pace
) -> None:
    begin(talk)
    at_pace(talk, pace)
    turn = talk.say(f"do {SPOKEN_NAMES[exercise_id]}")
    exercise = EXERCISES[exercise_id]
    assert exercise_of(turn) == exercise_id
    assert not turn.ends_session
    assert len(json.dumps(turn.response).encode()) < RESPONSE_BYTES
    for speech in (ssml(turn), reprompt_ssml(turn)):
        validate(speech)
        assert len(speech) <= MAX_SSML_CHARS
        assert fits(speech) and estimate_seconds(speech) <= MAX_SPEECH_SECONDS
        assert all(seconds <= MAX_BREAK_SECONDS for seconds in breaks(speech))
    # One continuous piece: no "say next" inside it, and silence carries what did not fit.
    whole = heard(turn)
    assert said(turn).startswith(intro(exercise_id, pace))
    assert "next" not in whole.lower()
    assert exercise.closing in whole
    assert whole.endswith(CONTENT.offer_more)


def test_a_full_box_breathing_exercise_in_one_response_with_no_next(talk: Conversation) -> None:
    begin(talk)
    turn = talk.say("do box breathing")
    speech = said(turn)
    assert speech.startswith(intro("box"))
    assert speech.count("Breathe in.") == 6 and speech.count("Hold.") == 12
    assert EXERCISES["box"].closing in speech
    assert speech.endswith(CONTENT.offer_more)
    assert "next" not in speech.lower()
    assert reprompt(turn) == CONTENT.offer_reprompt


@pytest.mark.parametrize("pace", list(PACES))
def test_counted_breaths_are_real_pauses_of_the_counted_length(
    talk: Conversation, pace: Pace
) -> None:
    begin(talk)
    at_pace(talk, pace)
    turn = talk.say("do box breathing")
    hold = float(phase_seconds(CONTENT.patterns["box"][0], pace))
    # The setup pause, then four phases of the counted length, six times.
    assert breaks(ssml(turn)) == [3 * PACES[pace].factor] + [hold] * 24
    assert f"for {spoken_seconds(CONTENT, int(hold))} each" in said(turn)


@pytest.mark.parametrize("pace", list(PACES))
@pytest.mark.parametrize("exercise_id", [e.id for e in CONTENT.exercises if "{" in e.intro])
def test_the_counts_an_intro_says_are_the_pauses_at_every_pace(
    exercise_id: str, pace: Pace
) -> None:
    exercise = EXERCISES[exercise_id]
    pieces = Pieces(CONTENT, exercise, pace)
    spoken = " ".join(part.speech.ssml() for part in pieces.pack(0))
    assert exercise.pattern is not None
    for phase in CONTENT.patterns[exercise.pattern]:
        seconds = phase_seconds(phase, pace)
        assert spoken_seconds(CONTENT, seconds) in pieces.intro_text
        # Each cue is followed by exactly that silence (breaks of at most 10 s chained).
        escaped = re.escape(Speech(phase.cue).ssml()[len("<speak>") : -len("</speak>")])
        runs = re.findall(escaped + r"(?:</prosody>)?((?:\s*<break time=\"[^\"]+\"/>)+)", spoken)
        assert runs and all(sum(breaks(run)) == seconds for run in runs)


@pytest.mark.parametrize("pace", list(PACES))
@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_every_exercise_announces_its_length_within_15_percent_at_every_pace(
    talk: Conversation, exercise_id: str, pace: Pace
) -> None:
    begin(talk)
    at_pace(talk, pace)
    turn = talk.say(f"do {SPOKEN_NAMES[exercise_id]}")
    announced = re.search(r"It takes about ([^.]+)\.", said(turn))
    assert announced is not None
    # What it says, from its intro to its closing: the question after it is not the exercise.
    seconds = estimate_seconds(ssml(turn))
    if EXERCISES[exercise_id].closing not in said(turn):
        seconds += LISTEN_SECONDS + estimate_seconds(reprompt_ssml(turn))
    seconds -= estimate_seconds(Speech(CONTENT.offer_more).ssml())
    assert LENGTHS[announced.group(1)] == pytest.approx(seconds, rel=0.15)


def test_the_spoken_length_is_within_15_percent_of_any_length_from_15_s_to_10_min() -> None:
    by_phrase = {length.say: length.seconds for length in CONTENT.lengths}
    for seconds in range(15, 601):
        assert by_phrase[spoken_length(CONTENT, seconds)] == pytest.approx(seconds, rel=0.15)
    assert spoken_length(CONTENT, 90) == "a minute and a half"
    assert spoken_length(CONTENT, 14 * 60) == "14 minutes"


def test_the_sensing_and_body_steps_have_the_time_they_ask_for() -> None:
    senses, body = EXERCISES["senses"], EXERCISES["body_scan"]
    see = next(s for s in senses.steps[0] if s.pause is not None)
    assert see.pause is not None and see.pause >= 20  # five things you can see
    regions = [s.pause for step in body.steps[1:] for s in step if s.pause is not None]
    assert min(r for r in regions if r is not None) > 8


def test_a_long_exercise_is_packed_into_as_few_parts_as_fit() -> None:
    long_one = Exercise(
        id="long_one",
        name="a long one",
        intro="This is a long one.",
        kind="body",
        steps=tuple((Segment(say=f"Part {n}."), Segment(pause=40)) for n in range(15)),
        closing="That was long.",
    )
    pieces = Pieces(CONTENT, long_one, "slowest")
    parts = pieces.pack(0)
    # Fifteen steps of about 72 s at the slowest pace: three to a part, each within 240 s.
    assert len(parts) == 5
    assert all(fits(p.speech.ssml()) for p in parts)
    assert parts[0].start == 0 and parts[-1].end == 15
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))


def test_silence_in_a_long_exercise_goes_on_with_its_next_part(talk: Conversation) -> None:
    assert BODY_SCAN_PARTS_AT_SLOWEST == 2  # the body scan at the slowest pace needs two
    begin(talk)
    talk.say("the slowest pace")
    first = talk.say("do the body scan")
    assert not first.ends_session
    assert EXERCISES["body_scan"].closing not in said(first)
    assert not said(first).endswith("?")  # nothing asks the person to speak in the middle
    carried = talk.silence()
    assert isinstance(carried, str)  # Alexa speaks the reprompt: the exercise goes on
    assert EXERCISES["body_scan"].closing in readable(carried)
    assert readable(carried).endswith(CONTENT.offer_more)
    # A yes after it answers its question: another exercise.
    assert exercise_of(talk.say("yes")) != "body_scan"


def test_next_after_the_carried_part_never_says_a_part_twice(talk: Conversation) -> None:
    begin(talk)
    talk.say("the slowest pace")
    first = talk.say("do the body scan")
    carried = reprompt(first)
    after = talk.say("next")
    assert said(after).startswith("That was the end of the body scan.")
    assert carried.split(".")[0] not in said(after)
    assert said(after).endswith(CONTENT.offer_more)


def test_silence_after_a_whole_exercise_hears_its_question_then_closes(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("do three slow breaths")
    assert talk.silence() == Speech(CONTENT.offer_reprompt).ssml()
    ended = talk.silence()
    assert isinstance(ended, Turn)  # the session ends only on the second silence


@pytest.mark.parametrize("consent", [True, False])
def test_pause_really_holds_and_says_honestly_how_to_pick_up(
    talk: Conversation, consent: bool
) -> None:
    begin(talk, consent=consent)
    talk.say("do progressive muscle relaxation")
    paused = talk.say("pause")
    assert not paused.ends_session
    assert "all the time you need" not in said(paused).lower()
    held = reprompt_ssml(paused)
    assert sum(breaks(held)) >= 60  # silences in the reprompt: about two minutes in all
    waits = re.search(r"for about ([^.]+)\.", said(paused))
    assert waits is not None
    total = 2 * LISTEN_SECONDS + estimate_seconds(held)
    assert LENGTHS[waits.group(1)] == pytest.approx(total, rel=0.15)
    # The first silence speaks the reprompt: it holds, then says how to go on and pick up.
    spoken = talk.silence()
    assert isinstance(spoken, str)
    assert "Say continue when you're ready" in readable(spoken)
    if consent:
        assert "Alexa, open Secure Base, and we'll carry on" in readable(spoken)
    else:
        assert "we'll carry on" not in readable(spoken)  # nothing is kept to carry on from
        assert "Alexa, ask Secure Base for a calming exercise" in readable(spoken)
    # Going on, it does not say its intro again (with no time passed, from its first step).
    again = talk.say("continue")
    assert said(again).startswith("Let's carry on. Start with your hands. Make two fists")


def test_pause_picks_up_at_the_step_it_came_in(talk: Conversation) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    talk.say("do the body scan")
    talk.now += timedelta(seconds=75)  # "Alexa, pause", a minute and a quarter in
    talk.say("pause")
    again = said(talk.say("continue"))
    assert again.startswith("Let's carry on.")
    assert intro("body_scan") not in again
    steps = [s.say for step in EXERCISES["body_scan"].steps for s in step if s.say]
    resumed = next(i for i, step in enumerate(steps) if step and step in again[:200])
    assert 1 <= resumed <= 4  # a little before where it was, never past it


def test_a_second_pause_does_not_repeat_how_to_go_on(talk: Conversation) -> None:
    begin(talk)
    talk.say("do the body scan")
    first = talk.say("pause")
    talk.say("continue")
    second = talk.say("pause")
    assert CONTENT.paused_how in said(first)
    assert CONTENT.paused_how not in said(second)
    assert not second.ends_session


def test_stopping_after_a_pause_offers_to_pick_up_there_next_time(talk: Conversation) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    talk.say("do the body scan")
    talk.now += timedelta(seconds=75)
    talk.say("pause")
    talk.say("stop")

    offer = talk.say("open secure base")
    assert "You stopped in the middle of the body scan." in said(offer)
    resumed = talk.say("yes")
    assert said(resumed).startswith("Let's carry on.")
    assert intro("body_scan") not in said(resumed)
    assert EXERCISES["body_scan"].closing in said(resumed)


def test_slower_goes_one_step_at_a_time_and_says_when_it_is_the_slowest(
    talk: Conversation,
) -> None:
    begin(talk)
    first = talk.say("slower please")
    assert said(first).startswith(CONTENT.pace_slower)
    second = talk.say("slower please")
    assert said(second).startswith(f"{CONTENT.pace_slower} {CONTENT.pace_end['slowest']}")
    third = talk.say("slower please")
    assert said(third).startswith(CONTENT.pace_at_slowest)
    assert "say faster" in said(third)
    box = talk.say("do box breathing")
    assert max(breaks(ssml(box))) == float(phase_seconds(CONTENT.patterns["box"][0], "slowest"))


def test_faster_at_the_fastest_says_so_and_offers_slower(talk: Conversation) -> None:
    begin(talk)
    talk.say("faster")
    turn = talk.say("faster")
    assert said(turn).startswith(CONTENT.pace_at_fastest)
    assert "say slower" in said(turn)
    assert not turn.ends_session


def test_too_fast_at_the_slowest_during_an_exercise_says_so_and_goes_on(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("the slowest pace")
    talk.say("do the body scan")
    turn = talk.say("that was too fast")
    assert said(turn).startswith(CONTENT.pace_at_slowest)
    assert not turn.ends_session


def test_too_fast_says_the_part_again_at_the_slower_pace(talk: Conversation) -> None:
    begin(talk)
    first = talk.say("do box breathing")
    assert max(breaks(ssml(first))) == 4.0
    slower = talk.say("that was too fast")
    assert said(slower).startswith(f"{CONTENT.pace_slower} {intro('box', 'slower')}")
    assert max(breaks(ssml(slower))) == 6.0
    assert said(slower).count("Breathe in.") == 6  # the whole piece again, not the next one


def test_faster_after_a_carried_part_says_that_part_again(talk: Conversation) -> None:
    begin(talk)
    talk.say("the slowest pace")
    first = talk.say("do the body scan")
    carried = reprompt(first)
    again = talk.say("a bit faster")
    assert said(again).startswith(CONTENT.pace_faster)
    assert said(first).split(".")[0] not in said(again)  # not the first part
    assert carried.split(".")[0] in said(again)  # the part Alexa spoke last


def test_a_pace_is_kept_after_stop_and_said_once_a_session(talk: Conversation) -> None:
    begin(talk)
    talk.say("slower please")
    talk.say("stop")

    talk.say("open secure base")
    box = talk.say("do box breathing")
    assert said(box).startswith(CONTENT.pace_in_use["slower"] + " " + intro("box", "slower"))
    assert max(breaks(ssml(box))) == 6.0
    again = talk.say("do three slow breaths")
    assert CONTENT.pace_in_use["slower"] not in said(again)
    talk.say("stop")

    talk.say("open secure base")
    assert CONTENT.pace_in_use["slower"] in said(talk.say("do box breathing"))
    assert max(breaks(ssml(talk.say("normal speed")))) == 4.0


def test_the_usual_pace_is_not_announced(talk: Conversation) -> None:
    begin(talk)
    talk.say("stop")
    talk.say("open secure base")
    assert said(talk.say("do box breathing")).startswith(intro("box"))


def test_a_pace_change_when_not_remembered_asks_just_in_time_and_claims_nothing(
    talk: Conversation,
) -> None:
    begin(talk, consent=False)
    asked = talk.say("slower please")
    assert said(asked).startswith(CONTENT.pace_slower)
    assert said(asked).endswith(CONTENT.pace_question)
    assert CONTENT.pace_kept not in said(asked)
    declined = talk.say("no")
    assert not declined.ends_session
    again = talk.say("faster")
    assert CONTENT.pace_this_visit in said(again)  # the truth: asked once, not kept
    assert CONTENT.pace_kept not in said(again)


def test_a_pace_change_when_remembered_says_it_is_kept(talk: Conversation) -> None:
    begin(talk)
    assert CONTENT.pace_kept in said(talk.say("slower please"))


def test_finishing_the_first_exercise_when_not_remembered_asks_to_remember(
    talk: Conversation,
) -> None:
    begin(talk, consent=False)
    first = talk.say("do three slow breaths")
    assert said(first).endswith(CORE.consent_question)
    assert CONTENT.offer_more not in said(first)
    talk.say("no")
    second = talk.say("do the long exhale")
    assert said(second).endswith(CONTENT.offer_more)  # asked once


def test_finishing_when_remembered_does_not_ask(talk: Conversation) -> None:
    begin(talk)
    assert said(talk.say("do three slow breaths")).endswith(CONTENT.offer_more)


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
    chosen = [exercise_of(talk.say("help me calm down")) for _ in range(4)]
    assert all(a != b for a, b in itertools.pairwise(chosen))
    assert all(EXERCISES[c].kind != "body" for c in chosen)  # breathing or senses, when anxious
    talk.say("do box breathing")
    assert exercise_of(talk.say("do box breathing")) == "box"


def test_something_short_is_a_quick_one(talk: Conversation) -> None:
    begin(talk)
    first = exercise_of(talk.say("something short"))
    second = exercise_of(talk.say("a quick one"))
    assert EXERCISES[first].quick and EXERCISES[second].quick
    assert first != second


def test_another_one_after_an_exercise(talk: Conversation) -> None:
    begin(talk)
    done = talk.say("do the long exhale")
    assert "another exercise" in said(done)
    assert exercise_of(talk.say("yes")) != "long_exhale"


def test_start_over_repeat_and_help_right_after_an_exercise(talk: Conversation) -> None:
    begin(talk)
    talk.say("do the body scan")
    talk.say("pause")
    again = talk.say("start over")
    assert said(again).startswith(f"{CONTENT.starting_over} {intro('body_scan')}")
    assert ssml(talk.say("repeat that")) == ssml(again)
    talk.say("pause")
    assert "you're doing the body scan" in said(talk.say("help")).lower()
    assert said(talk.say("stop")).startswith("Okay. I'll keep your place")


def test_the_week_count_is_mentioned_sparingly(talk: Conversation) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # a Monday
    begin(talk)
    endings = [
        said(talk.say(f"do {SPOKEN_NAMES[e]}")) for e in ["three_breaths", "long_exhale"] * 2
    ]
    mentions = ["That's your third exercise this week." in ending for ending in endings]
    assert mentions == [False, False, True, False]


def test_a_redo_at_another_pace_is_not_counted_again(talk: Conversation) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    talk.say("do three slow breaths")
    talk.say("too fast")  # the same exercise again, slower
    talk.say("too fast")
    assert "exercise this week" not in said(talk.say("do the long exhale"))  # the second
    assert "That's your third exercise this week." in said(talk.say("do box breathing"))


def test_no_counts_after_where_to_turn_was_given(talk: Conversation) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    talk.say("I don't want to be alive")
    endings = [
        said(talk.say(f"do {SPOKEN_NAMES[e]}")) for e in ["three_breaths", "long_exhale"] * 2
    ]
    assert not any("exercise this week" in ending for ending in endings)


def test_counts_stay_bounded(talk: Conversation, store: ProfileStore) -> None:
    talk.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    begin(talk)
    for _ in range(3):
        talk.say("do three slow breaths")
    talk.now = talk.now + timedelta(days=8)  # the next week
    talk.say("do three slow breaths")
    (item,) = store.client.scan(TableName=store.table_name)["Items"]
    state = item["plugin_state"]["M"]["grounding"]["M"]
    assert set(state) == {"exercise", "step", "pace", "last", "total", "week", "week_count"}
    assert state["total"] == {"N": "4"}
    assert state["week_count"] == {"N": "1"}


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_a_crisis_statement_after_an_exercise_is_routed_to_help(
    talk: Conversation, exercise_id: str
) -> None:
    begin(talk)
    talk.say(f"do {SPOKEN_NAMES[exercise_id]}")
    turn = talk.say("I don't want to be alive")
    assert "988" in turn.response["response"]["card"]["content"]
    assert not turn.ends_session


def test_replay_every_exercise_to_its_end(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-every-exercise", capsys)
    everything = " ".join(ssml_of(t) for t in turns if "response" in t)
    for exercise in CONTENT.exercises:
        assert intro(exercise.id) in readable(everything)
        assert exercise.closing in readable(everything)
    assert "next" not in readable(everything).lower()


def test_replay_silence_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-silence", capsys)
    silences = [t for t in turns if t.get("silence")]
    # The body scan at the slowest pace: the first silence speaks its second part.
    carried = readable(silences[0]["reprompt"])
    assert EXERCISES["body_scan"].closing in carried
    # "pause": the first silence holds (long breaks), the session stays open.
    held = silences[1]["reprompt"]
    assert sum(breaks(held)) >= 60 and "Say continue when you're ready" in readable(held)
    assert "continue" in turns[turns.index(silences[1]) + 1]["userInput"]
    assert all("request" not in t or t["request"]["request"]["type"] != "SessionEndedRequest"
               for t in turns[: turns.index(silences[1]) + 2])  # fmt: skip


def test_replay_one_shot(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-one-shot", capsys)
    assert "It takes about" in ssml_of(turns[0])
    assert turns[0]["request"]["session"]["new"] is True


def test_replay_change_of_pace(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-pace", capsys)
    assert '<break time="4s"/>' in ssml_of(turns[2])
    assert '<break time="6s"/>' in ssml_of(turns[3])  # "that was too fast": again, slower
    assert CONTENT.pace_in_use["slower"] in readable(ssml_of(turns[6]))  # a new session
    assert '<break time="6s"/>' in ssml_of(turns[6])
    assert '<break time="4s"/>' in ssml_of(turns[7])  # "faster": back to the usual


def test_replay_pause_stop_and_resume(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("grounding-resume", capsys)
    assert "You stopped in the middle of the body scan." in readable(ssml_of(turns[5]))
    assert readable(ssml_of(turns[6])).startswith("Let's carry on.")
