"""Name-free interaction: "Alexa, help me calm down" said without the skill's name. Alexa first
asks each skill by a CanFulfillIntentRequest; the answer says YES or NO for the intent and for
each slot, and changes nothing: nothing of the person's is read or written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from skill.app import build_skill, handle_event
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.model_build import manifest
from skill.plugins.grounding import Grounding
from skill.store import ProfileStore
from tests.conftest import SKILL_ID


def documented(intent: dict[str, Any], locale: str = "en-US") -> dict[str, Any]:
    """Amazon's example CanFulfillIntentRequest, as its page gives it (no session; the slots
    with their words and no resolution), with this skill's id and `intent`."""
    return {
        "version": "1.0",
        "request": {
            "type": "CanFulfillIntentRequest",
            "requestId": "EdwRequestId.12345678-1234-1234-1234-123456789012",
            "intent": intent,
            "locale": locale,
            "timestamp": "2026-12-01T22:02:29Z",
        },
        "context": {
            "System": {
                "application": {"applicationId": SKILL_ID},
                "user": {"userId": "amzn1.ask.account.NAMEFREE"},
                "device": {"supportedInterfaces": {}},
            }
        },
    }


def intent(name: str, **slots: str) -> dict[str, Any]:
    return {"name": name, "slots": {k: {"name": k, "value": v} for k, v in slots.items()}}


def resolved(value: str, status: str, value_id: str | None = None) -> dict[str, Any]:
    """A slot as Alexa sends it with entity resolution of a custom type."""
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.EXERCISE",
        "status": {"code": status},
    }
    if value_id:
        authority["values"] = [{"value": {"name": value, "id": value_id}}]
    return {
        "name": "exercise",
        "value": value,
        "resolutions": {"resolutionsPerAuthority": [authority]},
    }


@pytest.fixture
def untouched(store: ProfileStore) -> Iterator[ProfileStore]:
    """The store, where any call to DynamoDB fails the test (a stubber with nothing queued)."""
    with Stubber(store.client) as stubber:
        yield store
        stubber.assert_no_pending_responses()


def ask(store: ProfileStore, event: dict[str, Any]) -> dict[str, Any]:
    response = handle_event(build_skill(store=store, skill_id=SKILL_ID), event, None)
    assert not response.get("sessionAttributes"), response  # nothing carried back either
    body: dict[str, Any] = response["response"]
    # Nothing observable: no speech, no card, no directive, only the answer.
    assert set(body) == {"canFulfillIntent"}, body
    answer: dict[str, Any] = body["canFulfillIntent"]
    return answer


YES_YES = {"canUnderstand": "YES", "canFulfill": "YES"}
NO_NO = {"canUnderstand": "NO", "canFulfill": "NO"}


@pytest.mark.parametrize(
    "name",
    ["PanicIntent", "QuickGroundingIntent", "ReflectionIntent", "RepairIntent", "CrisisIntent"],
)
def test_the_activities_and_a_crisis_are_claimed(untouched: ProfileStore, name: str) -> None:
    assert ask(untouched, documented(intent(name))) == {"canFulfill": "YES"}


def test_a_known_exercise_by_its_words_or_its_resolution_is_claimed_with_its_slot(
    untouched: ProfileStore,
) -> None:
    # The documentation's shape: the words alone, looked up among the type's values.
    words = ask(untouched, documented(intent("GroundingIntent", exercise="box breathing")))
    assert words == {"canFulfill": "YES", "slots": {"exercise": YES_YES}}
    matched = documented({"name": "GroundingIntent", "slots": {"exercise": resolved(
        "square breathing", "ER_SUCCESS_MATCH", "box")}})  # fmt: skip
    assert ask(untouched, matched) == {"canFulfill": "YES", "slots": {"exercise": YES_YES}}


def every_exercise_phrase() -> list[str]:
    values = Grounding().locale_file("en-US").slot_types["EXERCISE"]
    return [phrase for value in values for phrase in (value.value, *value.synonyms)]


@pytest.mark.parametrize("phrase", every_exercise_phrase())
def test_every_name_and_synonym_of_an_exercise_is_claimed_by_its_words(
    untouched: ProfileStore, phrase: str
) -> None:
    """ "Alexa, do square breathing": the words alone, as in Amazon's example request."""
    answer = ask(untouched, documented(intent("GroundingIntent", exercise=phrase)))
    assert answer == {"canFulfill": "YES", "slots": {"exercise": YES_YES}}


@pytest.mark.parametrize("practice", ["sleep meditation", "mindfulness meditation", "lion breath"])
def test_a_practice_the_skill_does_not_have_is_not_claimed(
    untouched: ProfileStore, practice: str
) -> None:
    answer = ask(untouched, documented(intent("GroundingIntent", exercise=practice)))
    assert answer == {"canFulfill": "NO", "slots": {"exercise": NO_NO}}


def test_words_that_name_no_exercise_in_particular_are_claimed(untouched: ProfileStore) -> None:
    """ "Alexa, can we do something calming": the plugin chooses one, as it would in a turn."""
    vague = ask(untouched, documented(intent("GroundingIntent", exercise="something calming")))
    assert vague == {"canFulfill": "YES", "slots": {"exercise": YES_YES}}


def test_an_exercise_the_skill_does_not_have_is_not_claimed(untouched: ProfileStore) -> None:
    """ "Alexa, do the lion breath": Alexa is told NO, so a skill that has it is chosen."""
    unknown = documented(
        {
            "name": "GroundingIntent",
            "slots": {"exercise": resolved("lion breath", "ER_SUCCESS_NO_MATCH")},
        }
    )
    assert ask(untouched, unknown) == {"canFulfill": "NO", "slots": {"exercise": NO_NO}}
    words = ask(untouched, documented(intent("GroundingIntent", exercise="lion breath")))
    assert words == {"canFulfill": "NO", "slots": {"exercise": NO_NO}}


@pytest.mark.parametrize(
    "name",
    [
        "AnswerIntent",  # an answer needs the question it answers
        "DeleteDataIntent",  # never "forget me" without the skill's name
        "SetCheckinIntent",  # a reminder is set only inside the skill, after why it asks
        "MedicalIntent",  # "I'm having a heart attack" is Alexa's own to answer
        "EmergencyIntent",  # "call the police": this skill cannot call anyone
        "AMAZON.StopIntent",
        "SomeoneElsesIntent",
    ],
)
def test_what_is_not_a_whole_activity_is_refused(untouched: ProfileStore, name: str) -> None:
    assert ask(untouched, documented(intent(name))) == {"canFulfill": "NO"}


def test_a_locale_the_skill_does_not_serve_is_refused(untouched: ProfileStore) -> None:
    assert ask(untouched, documented(intent("PanicIntent"), "de-DE")) == {"canFulfill": "NO"}


def test_with_a_session_and_a_kept_profile_nothing_is_read_written_or_called(
    store: ProfileStore, alexa: FakeAlexaApi
) -> None:
    """Alexa's rule: no change of state and no interaction. A person remembered, a session
    in the envelope, Alexa's APIs reachable: still not one call to either."""
    event = documented(intent("ReflectionIntent"))
    system = event["context"]["System"]
    system.update(apiEndpoint=alexa.endpoint, apiAccessToken="token")
    event["session"] = {
        "new": True,
        "sessionId": "amzn1.echo-api.session.namefree",
        "application": system["application"],
        "user": system["user"],
        # Whatever a session brings (here a forged profile) is neither read nor sent back.
        "attributes": {"profile": {"visits": 9}, "lastResponse": {"speech": "<speak>hi</speak>"}},
    }
    with Stubber(store.client) as stubber:
        assert ask(store, event) == {"canFulfill": "YES"}
        stubber.assert_no_pending_responses()
    assert alexa.calls == []


def test_the_answer_is_logged_without_the_words(
    untouched: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO"):
        ask(untouched, documented(intent("GroundingIntent", exercise="lion breath")))
    assert "lion" not in caplog.text
    assert any(
        json.loads(r.getMessage()).get("outcome") == "can-fulfill NO"
        for r in caplog.records
        if r.getMessage().startswith("{")
    )


def test_the_manifest_declares_the_interface() -> None:
    from skill.discovery import discover

    interfaces = manifest(discover().plugins)["manifest"]["apis"]["custom"]["interfaces"]
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in interfaces
