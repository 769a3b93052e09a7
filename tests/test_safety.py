"""Crisis and abuse routing: from any state, in every locale, on the very next response."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest

from skill.blocks.plugin import LOCALES, Plugin
from skill.discovery import discover
from skill.local.conversation import Conversation
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu, SlotValue, Understanding
from skill.local.render import spoken
from skill.local.safety_figures import answer_of
from skill.plugins.checkin import Checkin
from skill.plugins.reflection import Reflection
from skill.safety import Safety, handlers, screening, slots
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.dialogs import replay
from tests.fixtures.resumable import Steps
from tests.speech_helpers import reprompt, said

checkin = Checkin()
reflection = Reflection()
SAFETY = Safety()

PLUGINS: tuple[Plugin[Any, Any], ...] = (*discover().plugins, Steps())
ACKNOWLEDGEMENTS = reflection.content("en-US").acknowledgements
# The numbers each locale must give, as shown on the card.
EXPECTED_NUMBERS = {
    "en-US": ["911", "988", "1-800-799-7233", "START to 88788"],
    "en-GB": ["999", "116 123", "0808 2000 247"],
    "en-CA": ["911", "988", "sheltersafe.ca"],
    "en-AU": ["000", "13 11 14", "1800 737 732"],
    "en-IN": ["112", "14416", "181"],
}


@pytest.fixture(scope="module")
def nlus() -> dict[str, LocalNlu]:
    return {locale: LocalNlu(interaction_model(locale, PLUGINS)) for locale in LOCALES}


def conversation(store: ProfileStore, nlus: dict[str, LocalNlu], locale: str) -> Conversation:
    talk = make_conversation(store, nlus[locale], plugins=PLUGINS)
    talk.locale = locale
    return talk


def answer_a_reflection_question(talk: Conversation, answer: str) -> Any:
    begin(talk)
    talk.say("ask me a reflection question")
    return talk.say(answer)


@pytest.fixture
def en_us(store: ProfileStore, nlus: dict[str, LocalNlu]) -> Conversation:
    """A conversation in en-US, with every plugin (and the resumable test one)."""
    return conversation(store, nlus, "en-US")


def card(turn: Any) -> str:
    return str(turn.response["response"]["card"]["content"])


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_crisis_and_domestic_violence_resources(locale: str) -> None:
    resources = SAFETY.content(locale).resources
    assert resources.crisis and resources.domestic_violence and resources.emergency.display
    shown = " ".join(r.display for r in (*resources.crisis, *resources.domestic_violence))
    for number in EXPECTED_NUMBERS[locale][1:]:
        assert number in shown


# What a person says to reach each state they can be in when they say it.
CONSENTED = ["open secure base", "yes"]
STATES: dict[str, list[str]] = {
    "launch, consent asked": ["open secure base"],
    "menu": CONSENTED,
    "help": [*CONSENTED, "help"],
    "mid plugin": [*CONSENTED, "do box breathing", "next"],
    "resume offered": [*CONSENTED, "take a step", "stop", "open secure base"],
    "erase confirmation": [*CONSENTED, "forget me"],
    "after resources": [*CONSENTED, "I need help now"],
}
STATEMENTS = {
    "I want to hurt myself": "crisis",
    "my partner hits me": "abuse",
    "I'm not okay": "crisis",
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("statement", list(STATEMENTS))
def test_a_crisis_statement_from_any_state_gets_the_locale_resources_next(
    store: ProfileStore, nlus: dict[str, LocalNlu], locale: str, state: str, statement: str
) -> None:
    talk = conversation(store, nlus, locale)
    for utterance in STATES[state]:
        talk.say(utterance)
    turn = talk.say(statement)

    for number in EXPECTED_NUMBERS[locale]:
        assert number in card(turn)
    speech = said(turn)
    emergency = SAFETY.content(locale).resources.emergency.spoken
    assert f"please call {emergency} now" in speech
    assert "breathing exercise" in speech
    assert not turn.ends_session
    assert "say yes" in reprompt(turn).lower()
    assert "<prosody rate=" in turn.response["response"]["outputSpeech"]["ssml"]
    # The matching resources come first.
    resources = SAFETY.content(locale).resources
    first = resources.crisis if STATEMENTS[statement] == "crisis" else resources.domestic_violence
    other = resources.domestic_violence if STATEMENTS[statement] == "crisis" else resources.crisis
    assert speech.index(first[0].spoken) < speech.index(other[0].spoken)


@pytest.mark.parametrize(
    "statement",
    ["I need help now", "I'm in danger", "I am not okay", "I don't want to be alive",
     "I'm scared of my partner", "I'm not safe at home", "my husband threatened to kill me"],
)  # fmt: skip
def test_plain_ways_in_reach_the_resources(talk: Conversation, statement: str) -> None:
    begin(talk)
    assert "988" in card(talk.say(statement))


@pytest.mark.parametrize(
    "answer",
    ["I felt so alone back then that I wanted to die", "I think he hits me when he drinks",
     "I remember thinking about suicide a lot back then",
     "honestly I've thought about ending my life", "I remember being afraid of him every night"],
)  # fmt: skip
def test_free_speech_answers_are_screened_before_the_plugin_sees_them(
    en_us: Conversation, answer: str
) -> None:
    turn = answer_a_reflection_question(en_us, answer)
    assert turn.request["request"]["intent"]["name"] == "AnswerIntent"
    assert not any(thanks in said(turn) for thanks in ACKNOWLEDGEMENTS)
    assert "988" in card(turn)


@pytest.mark.parametrize(
    "answer",
    ["I felt safe", "I think we hit the road early", "I remember it killed me how funny it was",
     "I felt like my parents fought a lot", "I remember feeling hurt by my mother's words",
     "well we cannot go on like this", "I felt scared of the dark as a child"],
)  # fmt: skip
def test_ordinary_answers_that_share_words_do_not_trigger(en_us: Conversation, answer: str) -> None:
    turn = answer_a_reflection_question(en_us, answer)
    assert any(said(turn).startswith(thanks) for thanks in ACKNOWLEDGEMENTS)
    assert "card" not in turn.response["response"]


def test_yes_after_the_resources_starts_a_breathing_exercise_and_no_goes_to_the_menu(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("I'm in danger")
    assert "It takes about" in said(talk.say("yes"))  # a breathing exercise begins
    talk.say("I need help now")
    assert "would you like a calming exercise" in said(talk.say("no")).lower()


def test_nothing_the_person_says_is_logged_or_stored(
    store: ProfileStore, nlus: dict[str, LocalNlu], caplog: pytest.LogCaptureFixture
) -> None:
    said_aloud = [
        "open secure base",
        "yes",
        "ask me a reflection question",
        "I felt like my mother zanzibar never listened",
        "I think quixotic partner hits me",
        "yes",
        "I want to hurt myself",
        "I remember the xylophone summer",
        "stop",
    ]
    talk = conversation(store, nlus, "en-US")
    with caplog.at_level(logging.DEBUG):
        for utterance in said_aloud:
            talk.say(utterance)
        talk.leave()
    logged = caplog.text.lower()
    for private in ["zanzibar", "quixotic", "hurt myself", "xylophone", "mother", "summer"]:
        assert private not in logged
    stored = json.dumps(store.client.scan(TableName=store.table_name)["Items"]).lower()
    for private in ["zanzibar", "quixotic", "hurt", "xylophone", "mother", "summer"]:
        assert private not in stored

    turns = [json.loads(r.getMessage()) for r in caplog.records if r.name == "skill.turns"]
    assert len(turns) == len(said_aloud)
    assert {"requestId", "requestType", "intent", "plugin", "latencyMs", "outcome"} <= set(turns[0])
    outcomes = [t["outcome"] for t in turns]
    assert outcomes.count("safety:abuse_now") == 1 and outcomes.count("safety:crisis") == 1
    assert turns[3]["plugin"] == "reflection" and turns[4]["plugin"] == "safety"
    assert all(re.fullmatch(r"amzn1\.echo-api\.request\..+", t["requestId"]) for t in turns)


@pytest.mark.parametrize(
    "answer",
    ["I think I wanted to die back then", "I wish I was dead", "I don't want to live anymore",
     "I'd be better off dead", "I took too many pills last night", "nobody would miss me",
     "he's violent when he drinks", "my partner is hurting me", "he'll kill me if I leave",
     "she grabbed me by the throat"],
)  # fmt: skip
def test_answers_are_screened_as_whole_sentences_whatever_the_carrier_phrase(
    en_us: Conversation, answer: str
) -> None:
    turn = answer_a_reflection_question(en_us, answer)
    assert "988" in card(turn)
    assert not turn.ends_session


@pytest.mark.parametrize(
    "answer",
    ["I felt the city was no place to live", "I think the cake was to die for",
     "he's kind when I'm tired", "I wanted to be alone"],
)  # fmt: skip
def test_whole_sentence_screening_does_not_overreach(en_us: Conversation, answer: str) -> None:
    turn = answer_a_reflection_question(en_us, answer)
    assert "card" not in turn.response["response"]


def test_words_right_after_the_resources_get_warmth_not_a_shrug(talk: Conversation) -> None:
    begin(talk)
    talk.say("I need help now")
    turn = talk.say("purple elephants everywhere")
    assert said(turn).startswith("I'm here with you.")
    assert "It takes about" in said(talk.say("yes"))  # the offer is still open


SAFETY_TEXT = SAFETY.content("en-US")
CHECKIN_QUESTIONS = [q for q in checkin.content("en-US").questions]


class FixedNlu:
    """Hands the skill exactly the intent and slots a test gives, as a forged request would."""

    def __init__(self, understanding: Understanding) -> None:
        self.understanding = understanding

    def understand(self, utterance: str) -> Understanding:
        return self.understanding


def answer_slot(talk: Conversation, slot: str, value: str) -> Any:
    """An AnswerIntent whose one slot holds `value`, as Alexa would send it."""
    heard = {slot: SlotValue(slot, value, "AMAZON.SearchQuery")}
    nlu, talk.nlu = talk.nlu, FixedNlu(Understanding("AnswerIntent", heard))
    try:
        return talk.say(value)
    finally:
        talk.nlu = nlu


def test_a_past_hurt_gets_warmth_an_offer_and_the_questions_go_on(
    store: ProfileStore, nlus: dict[str, LocalNlu]
) -> None:
    plain = make_conversation(store, nlus["en-US"], "amzn1.ask.account.PLAIN", plugins=PLUGINS)
    expected_next = said(answer_a_reflection_question(plain, "we moved house a lot"))

    talk = make_conversation(store, nlus["en-US"], "amzn1.ask.account.HURT", plugins=PLUGINS)
    turn = answer_a_reflection_question(talk, "my mom used to hit me when I cried")
    assert said(turn).startswith(SAFETY_TEXT.past_hurt_acknowledgement)
    assert SAFETY_TEXT.past_hurt_offer in said(turn)
    assert "card" not in turn.response["response"] and not turn.ends_session
    # No: the reflection goes on exactly where an ordinary answer would have taken it.
    assert said(talk.say("no")) == expected_next


@pytest.mark.parametrize("go_on", ["let's go on", "continue the questions", "next"])
def test_after_the_past_hurt_resources_the_questions_go_on(talk: Conversation, go_on: str) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    talk.say("my dad drank a lot and I was scared of him")
    resources = talk.say("yes")
    assert said(resources).startswith(SAFETY_TEXT.opening_past_hurt)
    speech = said(resources)
    # Domestic violence support first, for what happened at home; the card holds the numbers.
    assert speech.index("Domestic Violence Hotline") < speech.index("Lifeline")
    assert "1-800-799-7233" in card(resources) and not resources.ends_session
    back = talk.say(go_on)
    assert said(back).startswith(SAFETY_TEXT.going_on)
    assert "If you'd like to go a little further" in said(back)  # the reflection's follow-up
    answered = said(talk.say("we talked it through"))
    assert any(answered.startswith(thanks) for thanks in ACKNOWLEDGEMENTS)


def test_a_past_hurt_at_the_top_level_is_acknowledged_and_no_goes_to_the_menu(
    talk: Conversation,
) -> None:
    begin(talk)
    turn = talk.say("my mom used to hit me when I cried")
    assert said(turn).startswith(SAFETY_TEXT.past_hurt_acknowledgement)
    assert "would you like a calming exercise" in said(talk.say("no")).lower()


def test_let_s_go_on_is_offered_only_when_there_is_somewhere_to_go_back_to(
    talk: Conversation,
) -> None:
    """Said at once on opening ("ask secure base, I want to end my life"), the resources have
    no activity behind them: the reprompt offers a breathing exercise and the numbers, not a
    way back to nothing; said in the check-in, the way back is offered."""
    alone = talk.say("tell secure base I want to kill myself")
    assert reprompt(alone) == f"{SAFETY_TEXT.reprompt_breathing} {SAFETY_TEXT.reprompt_repeat}"
    talk.say("stop")
    begin(talk)
    talk.say("start my check-in")
    inside = talk.say("I want to kill myself")
    assert reprompt(inside).endswith(SAFETY_TEXT.reprompt_go_on)


def test_after_a_crisis_in_the_check_in_going_on_asks_its_question_again(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("start my check-in")
    talk.say("I want to kill myself")
    back = said(talk.say("let's go on"))
    assert back.startswith(SAFETY_TEXT.going_on) and CHECKIN_QUESTIONS[0] in back


def test_a_past_hurt_in_the_check_in_is_acknowledged_and_the_check_in_goes_on(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("start my check-in")
    turn = talk.say("my dad used to hit me when I was little")
    assert said(turn).startswith(SAFETY_TEXT.past_hurt_acknowledgement)
    assert CHECKIN_QUESTIONS[1] in said(talk.say("go on"))


@pytest.mark.parametrize("way_back", ["that's not what I meant", "let's go on", "continue"])
def test_after_the_resources_the_person_can_go_back_to_the_question(
    talk: Conversation, way_back: str
) -> None:
    begin(talk)
    question = said(talk.say("ask me a reflection question"))
    assert "Question 1 of 16" in question
    talk.say("I want to hurt myself")
    back = talk.say(way_back)
    assert "Question 1 of 16" in said(back) and not back.ends_session
    assert "card" not in back.response["response"]


def test_answers_right_after_the_resources_are_met_with_warmth_then_go_to_the_questions(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    talk.say("I don't want to be alive")
    first = said(talk.say("I'm scared"))
    # Warmth first, the way back named, the numbers and the breathing still on offer...
    assert first.startswith(SAFETY_TEXT.still_here) and "let's go on" in first
    # ...and the next answer is the reflection's: the safety response never swallows answers.
    answered = said(talk.say("I felt safe with my grandmother"))
    assert any(answered.startswith(thanks) for thanks in ACKNOWLEDGEMENTS)


@pytest.mark.parametrize(
    ("answer", "first"),
    [("yes I'd like that", "Domestic Violence Hotline"), ("tell me", "Domestic Violence Hotline"),
     ("it still weighs on me", "Domestic Violence Hotline"), ("he still does", "Domestic Violence"),
     ("who can I talk to", "Domestic Violence Hotline")],
)  # fmt: skip
def test_the_past_hurt_offer_is_accepted_in_the_persons_own_words(
    talk: Conversation, answer: str, first: str
) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    talk.say("my dad used to hit me")
    turn = talk.say(answer)
    assert "1-800-799-7233" in card(turn) and first in said(turn)
    if "still" in answer and "weighs" not in answer:
        # Still happening: the present-danger words, not "whenever it still hurts".
        assert said(turn).startswith(SAFETY_TEXT.opening_abuse)


@pytest.mark.parametrize("answer", ["no thanks", "I'm okay let's go on", "not now"])
def test_the_past_hurt_offer_declined_in_any_words_goes_on(talk: Conversation, answer: str) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    talk.say("my dad used to hit me")
    turn = talk.say(answer)
    assert "card" not in turn.response["response"]
    assert "If you'd like to go a little further" in said(turn)


def test_words_alexa_cannot_place_after_the_past_hurt_offer_hear_it_again(
    talk: Conversation,
) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    talk.say("my dad used to hit me")
    assert said(talk.say("purple elephants dancing")) == SAFETY_TEXT.past_hurt_reprompt
    assert "1-800-799-7233" in card(talk.say("yes"))


def test_no_to_the_breathing_exercise_goes_back_to_the_question(talk: Conversation) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    talk.say("I want to hurt myself")
    back = said(talk.say("no"))
    assert back.startswith(SAFETY_TEXT.no_breathing)
    assert "Question 1 of 16" in back
    # One way of saying "back to it", not two in a row.
    assert sum(back.count(lead) for lead in ("go back to where we were", "carry on")) <= 1


def test_stop_right_after_the_resources_says_where_the_numbers_are(talk: Conversation) -> None:
    begin(talk)
    talk.say("I'm not safe")
    turn = talk.say("stop")
    assert said(turn).startswith(SAFETY_TEXT.goodbye_after_help)
    assert "call or text nine eight eight" in said(turn)  # the main number, once more
    assert said(turn).endswith(SAFETY_TEXT.goodbye_with_numbers) and turn.ends_session


@pytest.mark.parametrize("utterance", ["call the police", "can you call nine one one"])
def test_asking_for_the_police_says_alexa_cannot_call_and_gives_the_emergency_number_first(
    talk: Conversation, utterance: str
) -> None:
    begin(talk)
    turn = talk.say(utterance)
    speech = said(turn)
    assert speech.startswith(SAFETY_TEXT.cannot_call)
    assert speech.index("please call nine one one now") < speech.index("Hotline")
    assert "911" in card(turn)


def test_the_numbers_can_be_asked_for_again(talk: Conversation) -> None:
    begin(talk)
    talk.say("I'm in danger")
    turn = talk.say("what was the number")
    assert said(turn).startswith(SAFETY_TEXT.numbers_again) and "988" in card(turn)


def test_when_the_resources_cannot_be_built_the_numbers_are_still_spoken(
    talk: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a fault while building the response")

    monkeypatch.setattr(handlers, "resources_response", broken)
    begin(talk)
    turn = talk.say("I want to kill myself")
    assert "988" in said(turn) and "911" in said(turn) and not turn.ends_session


@pytest.mark.parametrize(
    ("slot", "value", "alarm"),
    [("answerNobody", "hit me but it felt cold", False), ("answerHe", "hits me", True),
     ("answerMy", "mom used to hit me", False), ("answer", "he hits me", True),
     ("answerI", "want to d\u200bie", True), ("answerI", "\uff57\uff41\uff4e\uff54 to die", True)],
)  # fmt: skip
def test_a_slot_is_read_with_its_own_carrier_phrase(
    talk: Conversation, slot: str, value: str, alarm: bool
) -> None:
    begin(talk)
    talk.say("ask me a reflection question")
    turn = answer_slot(talk, slot, value)
    assert ("card" in turn.response["response"]) is alarm


def test_each_slot_value_is_screened_once_whatever_the_number_of_samples(
    talk: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    screened: list[str] = []
    original = screening.screen

    def counting(text: str, rules: Any) -> Any:
        screened.append(text)
        return original(text, rules)

    monkeypatch.setattr(slots, "screen", counting)
    begin(talk)
    talk.say("ask me a reflection question")
    answer_slot(talk, "answerNobody", "hit me but it felt cold")
    assert screened == ["nobody hit me but it felt cold"]


def test_the_screening_issues_transcripts_replay_as_the_issue_asks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    turns: dict[str, dict[str, Any]] = {}
    for turn in replay("safety-screening", capsys):
        turns.setdefault(turn["userInput"], turn["response"])

    def answer(utterance: str) -> str:
        return answer_of(turns[utterance], "en-US")

    for crisis in ["I took a bunch of pills", "I can't do this anymore",
                   "honestly I just want it all to end", "I want to hurt myself"]:  # fmt: skip
        assert answer(crisis) == "crisis", crisis
    assert answer("my boyfriend grabbed me and threw me against the wall") == "abuse_now"
    for past in [
        "my dad drank a lot and I was scared of him",
        "my mom used to hit me when I cried",
    ]:
        assert answer(past) == "past_hurt", past
    for ordinary in ["I felt safe with my dad but we would hit the road every summer",
                     "nobody hit me but it felt cold", "my partner is mad at me", "I'm scared",
                     "I'm not going to hurt myself, I promise", "go on", "continue the questions",
                     "that's not what I meant"]:  # fmt: skip
        assert answer(ordinary) == "ordinary", ordinary
    assert "Question 2 of 16" in spoken(turns["that's not what I meant"])
