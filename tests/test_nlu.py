"""The local NLU understands what Alexa would, from the interaction model."""

from __future__ import annotations

import pytest

from skill.local.nlu import LocalNlu

# A model of its own, so that slot matching is tested whatever the shipped plugins declare.
OFFER_VALUES = [
    ("grounding", "calming exercise", ["grounding", "breathing exercise", "something calming"]),
    ("reflection", "reflection questions", ["reflection", "blueprint questions", "questions"]),
    ("repair", "repair guidance", ["repair", "help after a fight", "making up"]),
]
SLOT_MODEL = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "secure base",
            "intents": [
                {
                    "name": "ChooseOfferIntent",
                    "slots": [{"name": "offer", "type": "OFFER"}],
                    "samples": [
                        "{offer}", "I'd like {offer}", "I want {offer}", "let's do {offer}",
                        "I need {offer}", "I want to try {offer}", "I'd like to do {offer}",
                    ],
                },
                {"name": "AMAZON.HelpIntent", "samples": []},
            ],
            "types": [
                {
                    "name": "OFFER",
                    "values": [
                        {"id": i, "name": {"value": v, "synonyms": syn}}
                        for i, v, syn in OFFER_VALUES
                    ],
                }
            ],
        }
    }
}  # fmt: skip


@pytest.fixture(scope="module")
def slot_nlu() -> LocalNlu:
    return LocalNlu(SLOT_MODEL)


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("help", "AMAZON.HelpIntent"),
        ("Help!", "AMAZON.HelpIntent"),
        ("um, what can I say?", "AMAZON.HelpIntent"),
        ("could you help me please", "AMAZON.HelpIntent"),
        ("help me out", "AMAZON.HelpIntent"),
        ("what can I do here", "AMAZON.HelpIntent"),  # close paraphrase of "what can I do"
        ("how does this thing work", "AMAZON.HelpIntent"),
        ("STOP", "AMAZON.StopIntent"),
        ("I'm done", "AMAZON.StopIntent"),
        ("okay that's enough", "AMAZON.StopIntent"),
        ("never mind", "AMAZON.CancelIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("can you repeat that please", "AMAZON.RepeatIntent"),
        ("main menu", "AMAZON.NavigateHomeIntent"),
        ("play some jazz music", "AMAZON.FallbackIntent"),
        ("don't stop believing", "AMAZON.FallbackIntent"),
    ],
)
def test_intents(nlu: LocalNlu, utterance: str, intent: str) -> None:
    assert nlu.understand(utterance).intent == intent


@pytest.mark.parametrize(
    ("utterance", "slots"),
    [
        ("what's the weather in Paris", {"answerWhatIs": "the weather in paris"}),
        ("tell me a joke", {"answer": "me a joke"}),
        ("help with my homework", {"answer": "with my homework"}),
        ("nobody hit me but it felt cold", {"answerNobody": "hit me but it felt cold"}),
        ("my dad drank a lot", {"answerMy": "dad drank a lot"}),
    ],
)
def test_free_speech_after_a_carrier_phrase_is_captured_with_its_carrier_known(
    nlu: LocalNlu, utterance: str, slots: dict[str, str]
) -> None:
    # As on a device, words after a carrier phrase fill AnswerIntent's slot for that carrier,
    # so the safety screening hears them (and knows "nobody" came first).
    understood = nlu.understand(utterance)
    assert understood.intent == "AnswerIntent"
    assert {name: s.value for name, s in understood.slots.items()} == slots


def test_a_sample_with_please_is_told_apart_from_the_same_words_without_it(nlu: LocalNlu) -> None:
    assert nlu.understand("please help me").intent == "CrisisIntent"
    assert nlu.understand("help me").intent == "AMAZON.HelpIntent"
    assert nlu.understand("could you help me please").intent == "AMAZON.HelpIntent"


@pytest.mark.parametrize(
    ("utterance", "not_this"),
    [("I'm not going to hurt myself", "CrisisIntent"), ("I'm scared of spiders", "AbuseIntent")],
)
def test_a_near_miss_of_a_safety_sample_is_not_taken_for_it(
    nlu: LocalNlu, utterance: str, not_this: str
) -> None:
    # A paraphrase never turns a statement round, and a carrier phrase that fits beats a
    # near miss: the words reach the screening instead.
    assert nlu.understand(utterance).intent == "AnswerIntent" != not_this


@pytest.mark.parametrize(
    ("utterance", "heard", "offer"),
    [
        ("calming exercise", "calming exercise", "grounding"),
        ("I'd like a calming exercise", "a calming exercise", "grounding"),
        ("I would like the breathing exercise please", "the breathing exercise", "grounding"),
        ("let's do the blueprint questions", "the blueprint questions", "reflection"),
        ("Reflection questions.", "reflection questions", "reflection"),
        ("I need help after a fight", "help after a fight", "repair"),
        ("uh, repair guidance please", "repair guidance", "repair"),
        ("making up", "making up", "repair"),
        ("I want to try a calming exercize", "a calming exercize", "grounding"),  # misspelt
        ("i want a calming exercises", "a calming exercises", "grounding"),  # close paraphrase
    ],
)
def test_custom_slot_values_and_synonyms_resolve(
    slot_nlu: LocalNlu, utterance: str, heard: str, offer: str
) -> None:
    understood = slot_nlu.understand(utterance)
    assert understood.intent == "ChooseOfferIntent"
    slot = understood.slots["offer"]
    assert slot.resolved_id == offer
    assert slot.value == heard


def test_a_sample_with_an_unknown_value_fills_the_slot_without_resolution(
    slot_nlu: LocalNlu,
) -> None:
    understood = slot_nlu.understand("I'd like to do a crossword puzzle")
    assert understood.intent == "ChooseOfferIntent"
    assert understood.slots["offer"].value == "a crossword puzzle"
    assert understood.slots["offer"].resolved_id is None


@pytest.mark.parametrize(
    ("utterance", "heard"),
    [
        ("I'd like to do the making out", "the making out"),
        ("I want to try a calming dance", "a calming dance"),
    ],
)
def test_an_unknown_value_in_a_carrier_that_fits_is_not_swapped_for_a_known_one(
    slot_nlu: LocalNlu, utterance: str, heard: str
) -> None:
    """Alexa passes the words heard in the slot; only the stand-in's paraphrases could put a
    known value in their place ("making up" for "the making out"), a silent substitute."""
    understood = slot_nlu.understand(utterance)
    assert understood.intent == "ChooseOfferIntent"
    assert understood.slots["offer"].value == heard
    assert understood.slots["offer"].resolved_id is None


def test_a_bare_unknown_phrase_is_not_taken_for_a_slot_value(slot_nlu: LocalNlu) -> None:
    assert slot_nlu.understand("purple elephants").intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize(
    "utterance",
    ["open secure base", "Alexa, open Secure Base.", "launch secure base", "start secure base"],
)
def test_invocations_launch(nlu: LocalNlu, utterance: str) -> None:
    understood = nlu.understand(utterance)
    assert understood.intent is None
    assert understood.invocation


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("ask secure base for a calming exercise", "GroundingIntent"),
        ("Alexa, ask Secure Base to help", "AMAZON.HelpIntent"),
        ("open secure base and start a calming exercise", "GroundingIntent"),
        ("tell secure base we had a fight", "RepairIntent"),
        ("ask secure base for the blueprint questions", "ReflectionIntent"),
        ("do a breathing exercise with secure base", "GroundingIntent"),
    ],
)
def test_one_shot_requests_carry_their_intent_into_a_new_session(
    nlu: LocalNlu, utterance: str, intent: str
) -> None:
    understood = nlu.understand(utterance)
    assert understood.invocation
    assert understood.intent == intent


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("I'm feeling really anxious", "PanicIntent"),
        ("um, help me calm down please", "PanicIntent"),
        ("we had a big fight", "RepairIntent"),
        ("how do i apologise", "RepairCausedIntent"),
        ("ask me the reflection question", "ReflectionIntent"),
    ],
)
def test_plugin_intents_from_the_generated_model(
    nlu: LocalNlu, utterance: str, intent: str
) -> None:
    assert nlu.understand(utterance).intent == intent


def test_intents_absent_from_the_model_are_never_produced() -> None:
    model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "secure base",
                "intents": [{"name": "AMAZON.StopIntent", "samples": []}],
            }
        }
    }
    small = LocalNlu(model)
    assert small.understand("help").intent == "AMAZON.FallbackIntent"
    assert small.understand("stop").intent == "AMAZON.StopIntent"


def test_a_short_word_is_never_a_slot_value_by_closeness() -> None:
    # "ten" is 86% like "then", and "then" is "okay then" once the opener is dropped.
    word = {"name": "WORD", "values": [{"name": {"value": "okay then"}}]}
    intents = [{"name": "WordIntent", "slots": [{"name": "w", "type": "WORD"}],
                "samples": ["{w}"]}]  # fmt: skip
    model = {"interactionModel": {"languageModel": {
        "invocationName": "secure base", "intents": intents, "types": [word]}}}  # fmt: skip
    short = LocalNlu(model)
    assert short.understand("ten").intent == "AMAZON.FallbackIntent"
    assert short.understand("okay then").slots["w"].resolved_name == "okay then"


def test_a_paraphrase_never_puts_a_slot_values_words_in_place_of_what_was_said(
    nlu: LocalNlu,
) -> None:
    heard = nlu.understand("I don't want to exist")
    assert all("exist" in slot.value for slot in heard.slots.values()) and heard.slots


def test_a_carrier_of_dropped_words_alone_takes_nothing(nlu: LocalNlu) -> None:
    # "okay so {answer}" would be "{answer}" once "okay" and "so" are dropped: any sentence.
    assert nlu.understand("play some jazz music").intent == "AMAZON.FallbackIntent"
