"""Understood at the first words: the issue's transcripts replayed, and what each answer means.

The phrasings a new person used in a trial (panic, partners, reminders, repeat, hedged answers)
reach what a person would expect; a yes/no question reads any answer for yes, no, unsure or
something else; help is short. tests/test_utterances.py holds the sentences as data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.blocks.answers import Decision, Meaning, Question
from skill.blocks.plugin import LOCALES
from skill.core import Core
from skill.local.conversation import Conversation
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.plugins.grounding import Grounding
from skill.plugins.reflection import Reflection
from skill.plugins.repair import Repair
from skill.plugins.repair.content import Role
from skill.safety import Safety
from skill.speech import estimate_seconds
from skill.store import ProfileStore
from tests.conftest import ROOT, begin, make_conversation
from tests.speech_helpers import reprompt, said
from tests.test_checkin import person

CORE = Core().content("en-US")
SAFETY = Safety().content("en-US")
GROUNDING = Grounding().content("en-US")
REPAIR = Repair().content("en-US")
CHECKIN = Checkin().content("en-US")
QUESTION_1 = Reflection().content("en-US").questions[0].ask
PANIC_LEAD = GROUNDING.panic_lead.format(emergency="nine one one")
# The most a help response may say, in seconds of speech (the "about 15 seconds").
HELP_SECONDS = 15


@pytest.mark.parametrize(
    "utterance",
    ["I can't stop panicking", "I'm having a panic attack", "I'm freaking out",
     "I'm so anxious right now", "I can't breathe", "my heart is racing"],
)  # fmt: skip
def test_panic_starts_a_short_exercise_at_once_with_where_to_turn(
    talk: Conversation, utterance: str
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert said(turn).startswith(PANIC_LEAD)
    assert "Breathe in" in said(turn)
    assert not turn.ends_session


@pytest.mark.parametrize("locale", LOCALES)
def test_the_panic_lead_gives_the_locales_emergency_number(
    store: ProfileStore, locale: str
) -> None:
    talk = make_conversation(store, LocalNlu.from_file(_model(locale)))
    talk.locale = locale
    begin(talk)
    number = Safety().content(locale).resources.emergency.spoken
    turn = talk.say("I'm having a panic attack")
    assert f"call {number} now" in said(turn) and "Breathe in" in said(turn)


@pytest.mark.parametrize("utterance", ["can you help me breathe", "help me breathe"])
def test_help_me_breathe_is_a_breathing_exercise_not_the_help_menu(
    talk: Conversation, utterance: str
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert "Breathe in" in said(turn) or "breath" in said(turn).lower()
    assert CORE.help_short.split("{")[0] not in said(turn)


@pytest.mark.parametrize(
    ("utterance", "role"),
    [("my girlfriend and I just had a huge fight", "both"),
     ("I hurt my girlfriend's feelings", "caused"), ("I yelled at my wife", "caused"),
     ("my husband and I are fighting", "both"), ("we broke up", "both"),
     ("she won't talk to me", "both"), ("my fiance said something hurtful", "received")],
)  # fmt: skip
def test_partners_by_any_name_reach_the_repair_guidance(
    talk: Conversation, utterance: str, role: Role
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert said(turn).startswith(REPAIR.opening)
    assert REPAIR.role_words[role] in said(turn) and REPAIR.upset_question in said(turn)


def _model(locale: str) -> Path:
    return ROOT / "interaction_models" / "interactionModels" / "custom" / f"{locale}.json"


def reminder_rule(alexa: FakeAlexaApi) -> str:
    body = alexa.reminder_calls()[-1].body or {}
    rule: str = body["trigger"]["recurrence"]["recurrenceRules"][0]
    return rule


@pytest.mark.parametrize(
    ("utterances", "hour", "minute"),
    [(["remind me at 10 every night", "yes"], 22, 0),
     (["set a reminder for 10 pm"], 22, 0),
     (["can you remind me nightly at nine thirty", "yes"], 21, 30),
     (["remind me every night at ten", "no", "ten am"], 10, 0),
     (["remind me every night at ten", "no", "eleven pm"], 23, 0),
     (["remind me at midnight"], 0, 0),
     (["remind me every night at twelve", "yes"], 0, 0),
     (["remind me every night at ten", "ten"], 22, 0),
     (["remind me every night at ten", "no", "ten"], 10, 0),
     (["can you set a nightly reminder for nine", "no", "nine thirty am"], 9, 30),
     (["remind me every night", "10", "yes"], 22, 0),
     (["set a reminder", "quarter to nine", "in the evening"], 20, 45),
     (["remind me every night at ten", "ten pm"], 22, 0)],
)  # fmt: skip
def test_reminder_times_the_way_people_say_them(
    store: ProfileStore,
    nlu: LocalNlu,
    alexa: FakeAlexaApi,
    utterances: list[str],
    hour: int,
    minute: int,
) -> None:
    talk = person(store, nlu, alexa)
    begin(talk)
    turns = [talk.say(utterance) for utterance in utterances]
    assert turns[-1].asked_for is not None  # Alexa asks for the reminders permission
    talk.say("yes")
    assert f"BYHOUR={hour};BYMINUTE={minute};" in reminder_rule(alexa)


def test_a_time_that_could_be_morning_or_night_is_asked_about_and_why(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi
) -> None:
    talk = person(store, nlu, alexa)
    begin(talk)
    asked = talk.say("remind me every night at ten")
    assert said(asked) == (
        "Just to check: 10 pm? I'm asking because 10 could be in the morning or at night."
    )
    assert "10 pm" in reprompt(asked)


def test_twelve_asks_whether_midnight_is_meant(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi
) -> None:
    talk = person(store, nlu, alexa)
    begin(talk)
    assert said(talk.say("remind me every night at twelve")).startswith("Just to check: midnight?")


def test_a_no_to_ten_pm_asks_which_time_and_a_yes_then_is_not_taken_for_ten_pm(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi
) -> None:
    talk = person(store, nlu, alexa)
    begin(talk)
    talk.say("remind me every night at ten")
    which = talk.say("no")
    assert said(which) == CHECKIN.which_time.format(morning="10 am")
    assert talk.say("yes").asked_for is None  # no reminder set at the time refused
    assert alexa.reminder_calls() == []


def test_a_time_of_day_without_a_clock_time_is_asked_for_with_the_reason(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi
) -> None:
    talk = person(store, nlu, alexa)
    begin(talk)
    vague = talk.say("set my check-in for evening")
    assert said(vague) == f"{CHECKIN.need_exact_time} {CHECKIN.ask_time}"
    assert talk.say("nine pm").asked_for is not None


def test_half_past_ten_in_en_gb(store: ProfileStore, alexa: FakeAlexaApi) -> None:
    talk = person(store, LocalNlu.from_file(_model("en-GB")), alexa)
    talk.locale = "en-GB"
    begin(talk)
    talk.say("set up my nightly check-in at nine pm")
    talk.say("yes")
    asked = talk.say("can you change it to half past ten")
    assert "10:30 pm?" in said(asked)
    talk.say("yes")
    assert "BYHOUR=22;BYMINUTE=30;" in reminder_rule(alexa)


@pytest.mark.parametrize("utterance", ["what was that", "what?", "huh", "sorry?", "come again"])
def test_what_and_huh_repeat_even_in_the_reflection_questions(
    talk: Conversation, utterance: str
) -> None:
    begin(talk)
    asked = talk.say("ask me a reflection question")
    again = talk.say(utterance)
    assert said(again) == said(asked)
    assert QUESTION_1 in said(again)


def test_ok_goes_on_inside_an_exercise(talk: Conversation) -> None:
    begin(talk)
    talk.say("do the body scan")
    talk.say("pause")
    assert said(talk.say("ok")).startswith(GROUNDING.continuing)


def to_screening(talk: Conversation) -> None:
    begin(talk)
    talk.say("we had a fight")
    assert REPAIR.screening_question in said(talk.say("no I'm fine now"))


@pytest.mark.parametrize(
    "answer",
    ["yes sometimes", "kind of", "well she threw a plate at me", "a little", "maybe", "only once"],
)
def test_a_hedged_or_telling_answer_to_the_safety_question_is_a_yes(
    talk: Conversation, answer: str
) -> None:
    to_screening(talk)
    turn = talk.say(answer)
    assert SAFETY.resources.domestic_violence[0].spoken in said(turn)
    assert "card" in turn.response["response"]


@pytest.mark.parametrize(
    "answer", ["no, nothing like that", "no he's never hurt me", "not really", "no never"]
)
def test_a_no_in_any_words_goes_on_to_the_steps(talk: Conversation, answer: str) -> None:
    to_screening(talk)
    # On to the steps: first, once, whether the partner is there too.
    assert REPAIR.together_question in said(talk.say(answer))


def test_not_knowing_gives_the_resources_gently_and_the_way_back(talk: Conversation) -> None:
    to_screening(talk)
    gentle = talk.say("I don't know")
    assert said(gentle).startswith(SAFETY.opening_unsure)
    assert SAFETY.resources.domestic_violence[0].spoken in said(gentle)
    back = talk.say("let's go on")
    # Not the same question again: "I don't know" is not a disclosure, so the repair goes on.
    assert REPAIR.together_question in said(back)


@pytest.mark.parametrize(
    "answer",
    ["I'd rather not say", "why are you asking", "it's complicated", "what does that mean"],
)
def test_a_refusal_or_a_question_to_the_safety_question_is_met_gently(
    talk: Conversation, answer: str
) -> None:
    to_screening(talk)
    assert said(talk.say(answer)).startswith(SAFETY.opening_unsure)


@pytest.mark.parametrize(
    "answer",
    ["yeah I'm shaking honestly", "a little", "I'm freaking out", "yes I am", "I'm not good",
     "nothing helps", "I'm not calm at all"],
)  # fmt: skip
def test_still_upset_in_any_words_breathes_first(talk: Conversation, answer: str) -> None:
    begin(talk)
    talk.say("we had a fight")
    turn = talk.say(answer)
    assert REPAIR.break_advice in said(turn) and "Breathe in" in said(turn)


def test_not_sure_if_upset_is_asked_once_more_then_breathes_first(talk: Conversation) -> None:
    begin(talk)
    talk.say("we had a fight")
    again = talk.say("I don't know")
    assert said(again).startswith(CORE.answer_unsure_again)
    assert REPAIR.upset_reprompt in said(again)
    assert REPAIR.break_advice in said(talk.say("I don't know"))


@pytest.mark.parametrize(
    ("answers", "remembered"),
    [(["yes that's fine"], True), (["um sure I guess"], True), (["no I'd rather not"], False),
     (["hmm", "hmm"], False), (["I don't know", "yes"], True), (["why", "no"], False)],
)  # fmt: skip
def test_the_consent_question_reads_any_answer(
    talk: Conversation, answers: list[str], remembered: bool
) -> None:
    to_consent(talk)
    turns = [talk.say(answer) for answer in answers]
    if len(answers) > 1:
        unsure = answers[0] in ("I don't know", "why")
        lead = CORE.answer_unsure_again if unsure else CORE.answer_again
        assert said(turns[0]).startswith(lead)
    if remembered:
        expected = CORE.consent_given
    else:
        # A no said is kept (so as not to ask again for a week); an unclear answer keeps nothing.
        expected = CORE.consent_unclear if answers == ["hmm", "hmm"] else CORE.consent_declined
    assert said(turns[-1]).startswith(expected)


def to_consent(talk: Conversation) -> None:
    """To the question whether to remember, as a new person meets it: after a first answer."""
    talk.say("open secure base")
    talk.say("some reflection questions")
    for answer in ("my parents argued a lot", "my grandmother", "I go quiet"):
        if "keep your place" in said(talk.say(answer)):
            return
    raise AssertionError("the question whether to remember was never asked")


def test_no_worries_is_a_yes_in_en_au(store: ProfileStore) -> None:
    talk = make_conversation(store, LocalNlu.from_file(_model("en-AU")))
    talk.locale = "en-AU"
    to_consent(talk)
    assert said(talk.say("no worries")).startswith(CORE.consent_given)


def test_a_request_said_in_answer_is_served(talk: Conversation) -> None:
    talk.say("open secure base")
    assert said(talk.say("I'm having a panic attack")).startswith(PANIC_LEAD)
    begin(talk)
    talk.say("ask me a reflection question")
    turn = talk.say("can we go back to the fight stuff")
    assert REPAIR.upset_question in said(turn)


def test_an_unclear_answer_to_forget_me_erases_nothing(talk: Conversation) -> None:
    begin(talk)
    talk.say("forget me")
    assert said(talk.say("I don't know")).startswith(CORE.answer_unsure_again)
    assert said(talk.say("hmm")).startswith(CORE.erase_cancelled)


@pytest.mark.parametrize(
    ("meaning", "asked_again", "safety", "decided"),
    [(Meaning.PARTLY, False, True, Decision.YES), (Meaning.OTHER, False, True, Decision.YES),
     (Meaning.UNSURE, False, True, Decision.HELP), (Meaning.NOTHING, False, True, Decision.AGAIN),
     (Meaning.NOTHING, True, True, Decision.HELP), (Meaning.OTHER, False, False, Decision.AGAIN),
     (Meaning.UNSURE, True, False, Decision.NO), (Meaning.NO, False, True, Decision.NO)],
)  # fmt: skip
def test_what_a_question_decides(
    meaning: Meaning, asked_again: bool, safety: bool, decided: Decision
) -> None:
    assert Question("q", safety=safety).decide(meaning, asked_again) is decided


HELP_PLACES = {
    "the menu": [],
    "an exercise": ["do box breathing"],
    "the reflection questions": ["ask me a reflection question"],
    "the repair's first question": ["we had a fight"],
    "the repair's steps": ["we had a fight", "no", "no"],
    "a check-in question": ["start my check-in", "yes"],
    "the check-in's rating": ["start my check-in", "yes", "no", "yes"],
    "after the resources": ["I need help now"],
    "the consent question": [],
    "choosing a reminder time": ["remind me every night"],
}


@pytest.mark.parametrize("place", HELP_PLACES)
def test_help_is_short_wherever_the_person_is(talk: Conversation, place: str) -> None:
    if place == "the consent question":
        to_consent(talk)
    else:
        begin(talk)
    for utterance in HELP_PLACES[place]:
        talk.say(utterance)
    helped = talk.say("help")
    seconds = estimate_seconds(helped.response["response"]["outputSpeech"]["ssml"])
    assert seconds <= HELP_SECONDS, f"{place}: {seconds:.1f} s: {said(helped)}"
    assert not helped.ends_session
    # Where to turn in a crisis, unless the numbers were just given (and "repeat" says them).
    assert ("I need help now" in said(helped)) is (place != "after the resources")


def test_help_keeps_a_waiting_question_open(talk: Conversation) -> None:
    to_consent(talk)
    helped = talk.say("help")
    assert said(helped).endswith(CORE.consent_reprompt)
    assert said(talk.say("yes")).startswith(CORE.consent_given)


def test_the_whole_tour_only_on_what_can_you_do(talk: Conversation) -> None:
    begin(talk)
    tour = said(talk.say("what can you do"))
    assert tour.startswith(CORE.help_intro) and CORE.disclaimer in tour
    short = said(talk.say("help"))
    assert CORE.help_intro not in short and "what can you do" in short


@pytest.mark.parametrize(
    "utterance", ["I have chest pain", "I think I'm having a heart attack", "call an ambulance"]
)
def test_a_medical_emergency_hears_the_number_first_and_plainly(
    talk: Conversation, utterance: str
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    assert said(turn).startswith(SAFETY.medical.format(number="nine one one"))
    assert SAFETY.resources.domestic_violence[0].spoken not in said(turn)
    assert "911" in turn.response["response"]["card"]["content"]
    breathing = talk.say("yes")
    assert "Breathe in" in said(breathing)


def test_do_i_have_to_at_the_consent_question_is_not_a_goodbye(talk: Conversation) -> None:
    to_consent(talk)
    turn = talk.say("do I have to")
    assert said(turn).startswith(CORE.answer_unsure_again) and not turn.ends_session
