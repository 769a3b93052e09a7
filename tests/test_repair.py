"""Repair guidance: settling, safety, then five steps for one person or two, resumed next time.

Each test is what a person would notice: the words they hear, what is asked and when.
"""

from __future__ import annotations

import itertools
import json
import logging
import re

import pytest

from skill.discovery import discover
from skill.local.conversation import Conversation, Turn
from skill.local.nlu import LocalNlu
from skill.plugins.repair import Repair
from skill.speech import estimate_seconds
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.dialogs import replay, ssml_of
from tests.speech_helpers import reprompt, said

plugin = Repair()

CONTENT = plugin.content("en-US")
STEPS = CONTENT.steps
ROLES = ("both", "caused", "received")
# Alexa's documented limit on one outputSpeech, and the conservative bound on its length that
# the design takes from the 240 s of audio Alexa plays in one response.
MAX_SSML_CHARS = 8000
MAX_SECONDS = 240.0
# Words that speak to two people: never said to a person doing the repair alone.
TO_BOTH = ("each of you", "both of you", "one of you", "the other's", "take turns")
CONSENT = "Shall I remember"
THANKS = CONTENT.acknowledgements
# What people say at a step that invites them to speak (a held-out set, not the samples).
STEP_ANSWERS = [
    "I feel like she never listens to me",
    "I feel hurt",
    "hurt",
    "lonely and sad",
    "scared I guess",
    "I'm sad",
    "she always ignores me when I talk",
    "he said I was useless",
    "it started about the dishes",
    "I'm sorry I shouted",
    "I need a hug",
    "my husband never listens to me",
    "I want him to apologize",
    "that makes sense",
    "next time I'll take a break",
    "we both said things we didn't mean",
    "I guess I was tired",
]


def is_step(turn: Turn, n: int) -> bool:
    return f"Step {n} of {len(STEPS)}." in said(turn)


def within_limits(turn: Turn) -> None:
    body = turn.response["response"]
    for speech in (body.get("outputSpeech"), (body.get("reprompt") or {}).get("outputSpeech")):
        if speech:
            assert len(speech["ssml"]) <= MAX_SSML_CHARS
            assert estimate_seconds(speech["ssml"]) <= MAX_SECONDS


def to_first_step(
    talk: Conversation, entry: str = "we had a fight", together: bool = False
) -> Turn:
    begin(talk)
    talk.say(entry)
    talk.say("no")  # not still very upset
    talk.say("no")  # not afraid, nobody hurt, threatened or controlled
    return talk.say("yes" if together else "no")  # whether the partner is there


def whole_repair(talk: Conversation, entry: str, together: bool) -> list[Turn]:
    turns = [to_first_step(talk, entry, together)]
    turns += [talk.say("next") for _ in STEPS]
    return turns


@pytest.mark.parametrize(
    "entry",
    ["we had a fight", "help me repair", "we're not talking", "I hurt my partner",
     "my partner hurt my feelings", "how do I apologize"],
)  # fmt: skip
def test_entry_then_the_three_questions_before_any_step(talk: Conversation, entry: str) -> None:
    begin(talk)
    first = talk.say(entry)
    assert said(first).startswith(CONTENT.opening)
    assert CONTENT.upset_question in said(first)
    assert CONTENT.screening_question in said(talk.say("no"))
    assert CONTENT.together_question in said(talk.say("no"))
    assert is_step(talk.say("no"), 1)


def test_a_one_shot_request(talk: Conversation) -> None:
    turn = talk.say("ask secure base to help me repair")
    assert turn.request["session"]["new"] is True
    assert CONTENT.upset_question in said(turn)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("together", [False, True])
def test_every_step_is_worded_for_one_person_or_for_both(
    talk: Conversation, role: str, together: bool
) -> None:
    entry = {"both": "we had a fight", "caused": "I hurt my partner",
             "received": "my partner hurt my feelings"}[role]  # fmt: skip
    turns = whole_repair(talk, entry, together)
    for index, turn in enumerate(turns[: len(STEPS)]):
        assert is_step(turn, index + 1)
        assert STEPS[index].said(role, together) in said(turn)
        if not together:
            assert not any(words in said(turn).lower() for words in TO_BOTH), said(turn)
    assert CONTENT.closing.said(together) in said(turns[-1])
    for turn in turns:
        within_limits(turn)


def test_no_step_speaks_to_two_people_when_one_is_alone() -> None:
    for step, role in itertools.product(STEPS, ROLES):
        alone = step.said(role, together=False).lower()
        assert not any(words in alone for words in TO_BOTH), alone
    # Every step says something different to two people than to one.
    assert all(step.said("both", True) != step.said("both", False) for step in STEPS)


def test_the_partner_is_asked_about_once_and_a_hedged_yes_is_together(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("no")
    talk.say("no")
    first = talk.say("kind of, she's in the next room")
    assert is_step(first, 1) and STEPS[0].said("both", True) in said(first)
    later = [talk.say("next") for _ in STEPS[1:]]
    assert not any(CONTENT.together_question in said(turn) for turn in [first, *later])


def test_an_unclear_answer_about_the_partner_is_asked_once_more_then_taken_as_alone(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("no")
    talk.say("no")
    again = talk.say("hmm")
    assert CONTENT.together_reprompt in said(again)
    first = talk.say("hmm")
    assert is_step(first, 1) and STEPS[0].said("both", False) in said(first)


@pytest.mark.parametrize("answer", STEP_ANSWERS)
def test_what_the_person_says_at_a_step_is_acknowledged_and_the_repair_goes_on(
    talk: Conversation, answer: str
) -> None:
    to_first_step(talk)
    turn = talk.say(answer)
    assert "didn't catch" not in said(turn)
    assert any(thanks in said(turn) for thanks in THANKS)
    assert is_step(turn, 2)
    assert not said(turn).startswith(CONTENT.opening)  # not a new repair
    acknowledgement = said(turn).split("Step 2 of")[0].lower()
    assert answer.lower() not in acknowledgement  # never repeated back


def test_i_dont_know_is_all_right_and_no_waits_at_the_step(talk: Conversation) -> None:
    to_first_step(talk)
    unsure = talk.say("I don't know")
    assert said(unsure).startswith(CONTENT.not_sure) and is_step(unsure, 2)
    waiting = talk.say("no")
    assert said(waiting).startswith(CONTENT.not_yet)
    assert not is_step(waiting, 3)
    assert is_step(talk.say("next"), 3)


def test_how_do_i_do_that_hears_the_step_again(talk: Conversation) -> None:
    to_first_step(talk)
    again = talk.say("how do I do that")
    assert said(again).startswith(CONTENT.said_again) and is_step(again, 1)


def test_together_each_partner_has_a_turn_before_the_next_step(talk: Conversation) -> None:
    to_first_step(talk, together=True)
    first = talk.say("I feel hurt")
    assert CONTENT.partner_turn in said(first) and not is_step(first, 2)
    second = talk.say("I feel scared that we'll split up")
    assert any(thanks in said(second) for thanks in THANKS) and is_step(second, 2)


def test_answers_are_never_kept_or_logged(
    talk: Conversation, store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    to_first_step(talk)
    turns = [talk.say("I feel like Philomena never listens to me"), talk.say("the caravan")]
    talk.say("stop")
    stored = json.dumps(store.client.scan(TableName=store.table_name)["Items"]).lower()
    attributes = json.dumps([t.response.get("sessionAttributes") for t in turns]).lower()
    for word in ("philomena", "listens", "caravan"):
        assert word not in stored and word not in attributes
        assert word not in caplog.text.lower()
    assert '"repair"' in stored


def test_a_past_hurt_told_at_a_step_is_met_gently_and_the_step_waits(
    talk: Conversation,
) -> None:
    to_first_step(talk)
    gentle = talk.say("my mom used to yell at me")
    assert not is_step(gentle, 2)
    assert is_step(talk.say("no thanks"), 2)  # the way on, after the offer


def test_still_upset_advises_a_break_and_never_asks_to_go_on_until_ready(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("slower please")  # the slowest pace: still within Alexa's limits
    talk.say("my partner hurt my feelings")
    settling = talk.say("yes I'm still upset")
    within_limits(settling)
    assert said(settling).startswith(CONTENT.break_advice)
    assert "twenty minutes" in said(settling)
    assert CONTENT.come_back_when_ready in said(settling)
    assert CONTENT.come_back_next_time in said(settling)  # remembered: the launch offers it
    assert "Breathe in" in said(settling)  # a short exercise began
    # After the exercise, nothing asks to go back to the repair: the break is not over.
    after_exercise = said(settling).split(CONTENT.break_exercise)[-1]
    assert "repair" not in after_exercise.lower() and "repair" not in reprompt(settling).lower()
    silence = talk.silence()
    assert isinstance(silence, str) and "repair" not in silence.lower()
    ready = talk.say("back to the repair")
    assert said(ready).startswith(CONTENT.after_break)
    assert CONTENT.screening_question in said(ready)
    talk.say("no")
    first = talk.say("no")
    assert is_step(first, 1) and STEPS[0].said("received", False) in said(first)


@pytest.mark.parametrize(
    "ready", ["I'm ready", "let's continue", "we're ready", "next", "back to the repair"]
)
def test_after_the_break_the_person_says_when(
    store: ProfileStore, nlu: LocalNlu, ready: str
) -> None:
    without = tuple(p for p in discover().plugins if "breathing" not in p.provides)
    talk = make_conversation(store, nlu, plugins=without)
    begin(talk)
    talk.say("we had a fight")
    resting = talk.say("yes")
    assert said(resting).startswith(CONTENT.break_advice)
    assert CONTENT.screening_question not in said(resting)  # not asked at once
    assert reprompt(resting) == CONTENT.break_reprompt
    assert said(talk.say("I'm still so angry")) == CONTENT.break_reprompt
    assert CONTENT.screening_question in said(talk.say(ready))


def test_a_break_offers_to_remember_a_person_who_is_not(store: ProfileStore, nlu: LocalNlu) -> None:
    without = tuple(p for p in discover().plugins if "breathing" not in p.provides)
    talk = make_conversation(store, nlu, plugins=without)
    talk.say("open secure base")
    talk.say("we had a fight")
    resting = talk.say("yes")
    assert CONSENT in said(resting)
    assert CONTENT.come_back_next_time not in said(resting)  # not true before a yes


def test_pause_at_a_step_waits_honestly_and_ready_goes_on(talk: Conversation) -> None:
    to_first_step(talk)
    paused = talk.say("let's take a break")
    assert said(paused).startswith(CONTENT.come_back_when_ready)
    assert "all the time you need" not in said(paused)
    assert is_step(talk.say("I'm ready"), 2)


def test_say_next_is_said_once_per_repair(talk: Conversation) -> None:
    turns = whole_repair(talk, "we had a fight", together=False)
    spoken = [said(turn) for turn in turns]
    assert sum(CONTENT.say_next.alone in speech for speech in spoken) == 1
    assert "say next" in reprompt(turns[2]).lower()  # the reprompt still says how


@pytest.mark.parametrize("together", [False, True], ids=["alone", "together"])
def test_every_step_ends_with_a_question_or_a_cue_to_say_next(
    talk: Conversation, together: bool
) -> None:
    """The microphone is never open on a statement: a step without a question of its own
    ends by saying how to go on (the first step with the longer cue, later ones the short)."""
    turns = whole_repair(talk, "we had a fight", together=together)
    cues = (CONTENT.say_next.said(together), CONTENT.say_next_again.said(together))
    for turn in turns[: len(STEPS)]:
        text = said(turn)
        assert text.endswith("?") or any(cue in text for cue in cues), text


def test_the_end_offers_to_remember_once_then_a_menu_without_repair(
    talk: Conversation,
) -> None:
    talk.say("open secure base")
    for utterance in ("we had a fight", "no", "no", "no"):
        talk.say(utterance)
    *_, last = [talk.say("next") for _ in STEPS]
    assert said(last).startswith(CONTENT.closing.alone)
    assert CONSENT in said(last)
    menu = talk.say("no thanks")
    assert "repair" not in said(menu).lower()


def test_a_remembered_person_hears_the_close_and_a_short_menu_without_repair(
    talk: Conversation,
) -> None:
    *_, last = whole_repair(talk, "we had a fight", together=True)
    assert said(last).startswith(CONTENT.closing.together)
    assert CONSENT not in said(last)
    assert "repair guidance" not in said(last).split(CONTENT.closing.together)[-1]


def test_fear_during_the_breathing_cancels_the_way_back_to_couple_steps(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("yes I'm still upset")
    assert "card" in talk.say("I am afraid of my partner").response["response"]
    talk.say("yes")  # the breathing exercise offered with the resources
    for utterance in ("I'm ready", "next", "let's go on", "repair guidance"):
        turn = talk.say(utterance)
        assert not any(step.said("both", False) in said(turn) for step in STEPS)
        assert CONTENT.screening_question not in said(turn)


@pytest.mark.parametrize(
    "asked", ["we had a fight", "repair guidance", "I hurt my partner", "let's go on"]
)
def test_after_an_abuse_disclosure_no_couple_repair_in_that_session(
    talk: Conversation, asked: str
) -> None:
    begin(talk)
    talk.say("my husband hurts me")
    turn = talk.say(asked)
    assert "Step" not in said(turn) and CONTENT.upset_question not in said(turn)
    if asked != "let's go on":
        assert said(turn).startswith(CONTENT.not_after_abuse)
        assert "1-800-799-7233" in turn.response["response"]["card"]["content"]
    assert CONTENT.opening not in said(turn)  # no "they can be repaired"


def test_abuse_told_at_a_step_ends_the_couple_steps(talk: Conversation) -> None:
    to_first_step(talk)
    talk.say("next")
    assert "card" in talk.say("he hits me").response["response"]
    back = talk.say("let's go on")
    assert not is_step(back, 3) and said(back).startswith(CONTENT.not_after_abuse)
    talk.say("stop")
    relaunch = said(talk.say("open secure base"))
    assert "pick up where you left off" not in relaunch and "Last time" not in relaunch


def test_not_knowing_at_the_safety_question_gives_resources_gently_then_goes_on(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("no")
    gentle = talk.say("I don't know")
    assert "card" in gentle.response["response"]
    # Not a disclosure: "let's go on" goes on, to the next question rather than the same one.
    back = talk.say("let's go on")
    assert CONTENT.together_question in said(back) and CONTENT.screening_question not in said(back)


def test_a_break_is_offered_back_next_time_and_goes_on_to_the_safety_question(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    without = tuple(p for p in discover().plugins if "breathing" not in p.provides)
    talk = make_conversation(store, nlu, plugins=without)
    begin(talk)
    talk.say("we had a fight")
    talk.say("yes")  # still very upset: a break
    talk.say("stop")
    offer = talk.say("open secure base")
    assert CONTENT.resume_break in said(offer)
    assert CONTENT.screening_question in said(talk.say("yes"))


def test_after_a_crisis_the_repair_has_no_cheerful_lines(talk: Conversation) -> None:
    begin(talk)
    talk.say("I don't want to be here anymore")
    talk.say("no")  # no breathing exercise now
    turns = [talk.say(u) for u in ("we had a fight", "no", "no", "no")]
    turns += [talk.say("next") for _ in STEPS]
    spoken = " ".join(said(turn) for turn in turns)
    assert is_step(turns[3], 1)
    assert not any(teaching in spoken for teaching in CONTENT.teachings)
    assert CONTENT.closing.alone not in spoken and CONTENT.closing_after_help in spoken


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
    "partner question": ["we had a fight", "no", "no"],
    "step 1": ["we had a fight", "no", "no", "no"],
    "step 4, together": ["we had a fight", "no", "no", "yes", "next", "next", "next"],
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
    assert not any(step.said(r, t) in said(turn) for step in STEPS for r in ROLES
                   for t in (False, True))  # fmt: skip
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
        for turn in whole_repair(talk, "we had a fight", together=False):
            found = [t for t in CONTENT.teachings if t in said(turn)]
            assert len(found) <= 1
            heard += found
        talk.say("stop")
    assert len(heard) == 2 * len(CONTENT.teach_after)
    assert all(a != b for a, b in itertools.pairwise(heard))


def test_stop_and_relaunch_resumes_at_the_step_asking_again_who_is_there(
    talk: Conversation,
) -> None:
    to_first_step(talk, "my partner hurt my feelings", together=True)
    talk.say("next")
    talk.say("stop")
    offer = talk.say("open secure base")
    assert "You were working through a repair, and step 3 of 5 is next." in said(offer)
    asked = talk.say("yes")
    assert said(asked).startswith(CONTENT.continuing)
    assert CONTENT.together_question in said(asked)  # another visit: maybe alone this time
    resumed = talk.say("no")
    assert is_step(resumed, 3) and STEPS[2].said("received", False) in said(resumed)


def test_going_on_after_a_detour_in_the_session_does_not_ask_again(
    talk: Conversation,
) -> None:
    to_first_step(talk, together=True)
    talk.say("ask me a reflection question")
    back = talk.say("back to the repair")
    assert CONTENT.together_question not in said(back)


def test_no_start_over_at_the_resume_offer_begins_again_for_the_same_hurt(
    talk: Conversation,
) -> None:
    to_first_step(talk, "I hurt my partner")
    talk.say("next")
    talk.say("stop")
    talk.say("open secure base")
    again = talk.say("no, start over")
    assert said(again).startswith(CONTENT.opening)
    assert CONTENT.role_words["caused"] in said(again)
    assert CONTENT.upset_question in said(again)
    for answer in ("no", "no"):
        talk.say(answer)
    first = talk.say("no")
    assert is_step(first, 1) and STEPS[0].said("caused", False) in said(first)


def test_going_on_after_a_finished_repair_never_jumps_to_a_step(talk: Conversation) -> None:
    # The resume hook has nothing to resume: not step 1 without the questions before it.
    whole_repair(talk, "we had a fight", together=False)
    turn = talk.say("let's keep going")
    assert "Step" not in said(turn)
    assert CONTENT.upset_question in said(talk.say("back to the repair"))  # a new repair


def test_partners_on_one_speaker_word_the_steps_for_each_visit(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    alex = make_conversation(store, nlu, user_id="account-1", person_id="alex")
    assert STEPS[0].said("both", True) in said(to_first_step(alex, together=True))
    sam = make_conversation(store, nlu, user_id="account-1", person_id="sam")
    assert STEPS[0].said("both", False) in said(to_first_step(sam, together=False))


def test_replays(capsys: pytest.CaptureFixture[str]) -> None:
    caused = replay("repair-caused", capsys, "--fresh")
    assert CONTENT.closing.alone in ssml_of(caused[-2])
    upset = replay("repair-upset", capsys, "--fresh")
    assert CONTENT.break_advice in ssml_of(upset[3])
    assert upset[4]["silence"] and "repair" not in upset[4]["reprompt"]
    assert CONTENT.screening_question in ssml_of(upset[5])
    assert "Step 1 of 5." in ssml_of(upset[7])
    assert "Step 2 of 5." in ssml_of(upset[8])
    assert "step 3 of 5 is next" in ssml_of(upset[10])
    assert "Step 3 of 5." in ssml_of(upset[12])
    abuse = replay("repair-abuse", capsys, "--fresh")
    assert "card" in abuse[3]["response"]["response"]
    assert ssml_of(abuse[5]).startswith(f"<speak>{CONTENT.not_after_abuse}")
    assert "Step" not in " ".join(
        ssml_of(t) for t in abuse if "outputSpeech" in t["response"]["response"]
    )


def test_the_alone_and_together_replays(capsys: pytest.CaptureFixture[str]) -> None:
    alone = replay("repair-alone", capsys, "--fresh")
    spoken = [ssml_of(t) if "response" in t else t["reprompt"] for t in alone]
    assert "didn't catch" not in " ".join(spoken)
    assert not any(words in " ".join(spoken).lower() for words in TO_BOTH)
    assert alone[6].get("silence")  # silence at a step: the reprompt, not the end
    together = replay("repair-together", capsys, "--fresh")
    spoken = [ssml_of(t) for t in together if "response" in t and "outputSpeech" in
              t["response"]["response"]]  # fmt: skip
    assert CONTENT.partner_turn in " ".join(spoken)
    assert "didn't catch" not in " ".join(spoken)


def test_together_a_step_holds_a_minute_of_quiet_before_its_reprompt_speaks(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("no")  # not very upset
    talk.say("no")  # nobody afraid or hurt
    first = talk.say("yes she's here")  # together
    assert "Step 1 of" in said(first)
    reprompt_ssml = first.response["response"]["reprompt"]["outputSpeech"]["ssml"]
    held = sum(float(s) for s in re.findall(r'<break time="(\d+)s"/>', reprompt_ssml))
    assert held >= 60 and estimate_seconds(reprompt_ssml) <= MAX_SECONDS


@pytest.mark.parametrize(
    ("answer", "together"),
    [("just me", False), ("I'm on my own", False), ("both of us", True), ("she's here", True)],
)
def test_who_is_there_is_heard_without_a_yes_or_no_in_it(
    talk: Conversation, answer: str, together: bool
) -> None:
    begin(talk)
    talk.say("we had a fight")
    talk.say("no")  # not very upset
    talk.say("no")  # nobody afraid or hurt
    first = said(talk.say(answer))
    assert "Step 1 of" in first
    assert ("When you're both ready" in first or "Each of you" in first) is together
