"""The skill package Alexa receives, checked against the code that answers it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from skill.local.conversation import Conversation
from skill.local.envelopes import envelope, request_for
from skill.local.nlu import Understanding
from tests.conftest import MODEL_PATH, ROOT, SKILL_ID

MANIFEST = json.loads((ROOT / "interaction_models" / "skill.json").read_text())["manifest"]
LANGUAGE_MODEL = json.loads(MODEL_PATH.read_text())["interactionModel"]["languageModel"]
REQUIRED_BUILTINS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.RepeatIntent",
}


def test_manifest_describes_secure_base_honestly() -> None:
    locale = MANIFEST["publishingInformation"]["locales"]["en-US"]
    assert locale["name"] == "Secure Base"
    assert "not a substitute" in locale["description"]
    assert "open secure base" in " ".join(locale["examplePhrases"]).lower()
    privacy = MANIFEST["privacyAndCompliance"]
    assert privacy["isChildDirected"] is False
    assert "privacyPolicyUrl" in privacy["locales"]["en-US"]


def test_model_has_the_invocation_name_and_builtins() -> None:
    assert LANGUAGE_MODEL["invocationName"] == "secure base"
    assert {intent["name"] for intent in LANGUAGE_MODEL["intents"]} >= REQUIRED_BUILTINS


def test_every_slot_type_used_is_declared_or_built_in() -> None:
    declared = {t["name"] for t in LANGUAGE_MODEL.get("types", [])}
    for intent in LANGUAGE_MODEL["intents"]:
        for slot in intent.get("slots", []):
            assert slot["type"] in declared or slot["type"].startswith("AMAZON."), slot
        names = {s["name"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            for placeholder in _placeholders(sample):
                assert placeholder in names, (intent["name"], sample)


@pytest.mark.parametrize("intent", [i["name"] for i in LANGUAGE_MODEL["intents"]])
def test_every_intent_in_the_model_has_its_own_answer(talk: Conversation, intent: str) -> None:
    """No intent Alexa can send falls through to the error apology."""
    talk.say("open secure base")
    request = request_for(Understanding(intent), "en-US", datetime.now(UTC), SKILL_ID)
    response = talk.handler(envelope(talk.caller, request, "s", False, talk._attributes), None)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "something went wrong" not in speech
    # Answers to a question only make sense while it is asked; elsewhere, as any words Alexa
    # could not place, they get "didn't catch that" and what can be said.
    answers = ("AnswerIntent", "CheckinTimeIntent", "RatingIntent", "PresenceIntent")
    if intent not in ("AMAZON.FallbackIntent", *answers):
        assert "didn't catch that" not in speech


def _placeholders(sample: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", sample)
