"""The local NLU understands what Alexa would, from the interaction model."""

from __future__ import annotations

import pytest

from skill.local.nlu import LocalNlu


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("help", "AMAZON.HelpIntent"),
        ("Help!", "AMAZON.HelpIntent"),
        ("um, what can I say?", "AMAZON.HelpIntent"),
        ("could you help me please", "AMAZON.HelpIntent"),
        ("help me out", "AMAZON.HelpIntent"),  # close paraphrase of "help me"
        ("how does this thing work", "AMAZON.HelpIntent"),
        ("STOP", "AMAZON.StopIntent"),
        ("I'm done", "AMAZON.StopIntent"),
        ("okay that's enough", "AMAZON.StopIntent"),
        ("never mind", "AMAZON.CancelIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("can you repeat that please", "AMAZON.RepeatIntent"),
        ("main menu", "AMAZON.NavigateHomeIntent"),
        ("what's the weather in Paris", "AMAZON.FallbackIntent"),
        ("play some jazz music", "AMAZON.FallbackIntent"),
        ("tell me a joke", "AMAZON.FallbackIntent"),
        ("help with my homework", "AMAZON.FallbackIntent"),
        ("don't stop believing", "AMAZON.FallbackIntent"),
    ],
)
def test_intents(nlu: LocalNlu, utterance: str, intent: str) -> None:
    assert nlu.understand(utterance).intent == intent


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
        ("I want to try a calming exercize", "a calming exercize", "grounding"),  # misspelt
        ("i want a calming exercises", "a calming exercises", "grounding"),  # close paraphrase
    ],
)
def test_custom_slot_values_and_synonyms_resolve(
    nlu: LocalNlu, utterance: str, heard: str, offer: str
) -> None:
    understood = nlu.understand(utterance)
    assert understood.intent == "ChooseOfferIntent"
    slot = understood.slots["offer"]
    assert slot.resolved_id == offer
    assert slot.value == heard


def test_a_sample_with_an_unknown_value_fills_the_slot_without_resolution(nlu: LocalNlu) -> None:
    understood = nlu.understand("I'd like to do a crossword puzzle")
    assert understood.intent == "ChooseOfferIntent"
    assert understood.slots["offer"].value == "a crossword puzzle"
    assert understood.slots["offer"].resolved_id is None


def test_a_bare_unknown_phrase_is_not_taken_for_a_slot_value(nlu: LocalNlu) -> None:
    assert nlu.understand("purple elephants").intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize(
    "utterance",
    ["open secure base", "Alexa, open Secure Base.", "launch secure base", "start secure base"],
)
def test_invocations_launch(nlu: LocalNlu, utterance: str) -> None:
    understood = nlu.understand(utterance)
    assert understood.intent is None
    assert understood.invocation


@pytest.mark.parametrize(
    ("utterance", "intent", "offer"),
    [
        ("ask secure base for a calming exercise", "ChooseOfferIntent", "grounding"),
        ("Alexa, ask Secure Base to help", "AMAZON.HelpIntent", None),
        ("open secure base and start repair guidance", "ChooseOfferIntent", "repair"),
        ("tell secure base I'd like reflection questions", "ChooseOfferIntent", "reflection"),
        ("do a breathing exercise with secure base", "ChooseOfferIntent", "grounding"),
    ],
)
def test_one_shot_requests_carry_their_intent_into_a_new_session(
    nlu: LocalNlu, utterance: str, intent: str, offer: str | None
) -> None:
    understood = nlu.understand(utterance)
    assert understood.invocation
    assert understood.intent == intent
    if offer:
        assert understood.slots["offer"].resolved_id == offer


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
