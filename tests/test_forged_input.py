"""Session attributes come back from the device: forged ones are refused or re-checked, never
trusted as the profile, never spoken as SSML, and never stored."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest

from skill.app import MalformedEnvelope, build_skill
from skill.blocks.session import LAST_RESPONSE, PROFILE, PROFILE_OF
from skill.core.envelope import MAX_DEPTH
from skill.local.conversation import Conversation
from skill.local.nlu import LocalNlu
from skill.plugins.grounding.progress import GroundingProgress
from skill.speech import MAX_RESPONSE_BYTES
from skill.store import ProfileStore, from_dynamo, to_dynamo
from skill.web.service import create_app
from tests.conftest import SKILL_ID, Calls, begin, make_conversation
from tests.speech_helpers import said


def stored(store: ProfileStore) -> list[dict[str, Any]]:
    return [from_dynamo(item) for item in store.client.scan(TableName=store.table_name)["Items"]]


def nested(levels: int) -> Any:
    value: Any = "deep"
    for _ in range(levels):
        value = {"x": value}
    return value


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(item) for item in value), default=0)
    return 0


def send_forged(talk: Conversation, utterance: str, **attributes: Any) -> Any:
    talk._attributes = {**talk._attributes, **attributes}
    return talk.say(utterance)


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 600, 5000])
def test_deeply_nested_session_attributes_are_refused_in_one_line(
    talk: Conversation, caplog: pytest.LogCaptureFixture, levels: int
) -> None:
    begin(talk)
    # Built as JSON off the wire is: the local tools' own envelope builder could not nest it.
    event = copy.deepcopy(talk.say("help").request)
    event["session"]["attributes"]["forged"] = nested(levels)
    with caplog.at_level(logging.WARNING), pytest.raises(MalformedEnvelope):
        talk.handler(event, None)
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == [json.dumps({"outcome": "refused", "malformed": "depth"})]


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5000, 100_000])
def test_over_the_web_service_a_deep_envelope_is_a_400_not_a_500(
    talk: Conversation, store: ProfileStore, levels: int
) -> None:
    talk.say("open secure base")
    body = json.dumps(talk.say("help").request)
    attributes = '"attributes": {"'
    assert attributes in body
    # Written as text: json.dumps itself could not nest 100,000 levels.
    deep = "[" * levels + "]" * levels
    forged = body.replace(attributes, f'"attributes": {{"x": {deep}, "', 1)
    if levels < 900:
        assert json.loads(forged)["session"]["attributes"]["x"]  # well-formed, only deep
    app = create_app(skill=build_skill(store=store, skill_id=SKILL_ID), verify=False)
    answer = app.test_client().post("/", data=forged, content_type="application/json")
    assert answer.status_code == 400
    assert "malformed" in answer.get_json()["reason"]


def test_session_attributes_larger_than_any_response_are_refused(talk: Conversation) -> None:
    begin(talk)
    with pytest.raises(MalformedEnvelope) as refused:
        send_forged(talk, "help", forged="a" * MAX_RESPONSE_BYTES)
    assert refused.value.part == "session.attributes size"


def test_the_skills_own_envelopes_are_far_from_the_limits(talk: Conversation) -> None:
    deepest = 0
    begin(talk)
    for utterance in ("reflection questions", "next", "do box breathing", "slower", "stop"):
        turn = talk.say(utterance)
        deepest = max(deepest, depth(turn.request))
        size = len(json.dumps(turn.request["session"]["attributes"]).encode())
        assert size < MAX_RESPONSE_BYTES / 4
    assert deepest <= MAX_DEPTH // 2


def test_a_profile_with_a_forged_string_is_not_kept_or_stored(
    talk: Conversation, store: ProfileStore
) -> None:
    begin(talk)
    talk.say("do three breaths")
    profile = dict(talk._attributes[PROFILE])
    words = "my partner hit me last night " * 20
    profile["recent"] = [*profile["recent"], words]
    profile["plugin_state"] = {**profile["plugin_state"], "repair": {"stage": words}}
    send_forged(talk, "do box breathing", **{PROFILE: profile})
    talk.say("reflection questions")
    assert words.strip() not in json.dumps(stored(store))
    (item,) = stored(store)
    assert item["plugin_state"]["grounding"]["total"] == 2  # the stored profile went on


def test_a_profile_carried_to_another_users_request_is_not_theirs(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    alex = make_conversation(store, nlu, user_id="amzn1.ask.account.ALEX")
    begin(alex)
    for _ in range(3):
        alex.say("do three breaths")
    sam = make_conversation(store, nlu, user_id="amzn1.ask.account.SAM")
    sam.say("open secure base")
    carried = {PROFILE: alex._attributes[PROFILE], PROFILE_OF: alex._attributes[PROFILE_OF]}
    told = said(send_forged(sam, "what do you know about me", **carried))
    assert "three" not in told and "You said yes" not in told
    send_forged(sam, "do box breathing", **carried)
    owners = {item["userId"]: item for item in stored(store)}
    assert set(owners) == {"amzn1.ask.account.ALEX"}  # Sam said no yes: nothing of Sam's


def test_repeat_never_plays_audio_put_in_the_session(talk: Conversation) -> None:
    begin(talk)
    talk.say("reflection questions")
    forged = {
        "speech": '<speak>Hello <audio src="https://example.org/a.mp3"/> there</speak>',
        "reprompt": '<speak><voice name="Matthew">Say it</voice></speak>',
    }
    turn = send_forged(talk, "repeat", **{LAST_RESPONSE: forged})
    body = turn.response["response"]
    assert "<audio" not in json.dumps(body) and "<voice" not in json.dumps(body)
    assert said(turn) == "Hello there"


def test_repeat_says_the_skills_own_speech_exactly(talk: Conversation) -> None:
    begin(talk)
    asked = talk.say("do box breathing")
    again = talk.say("repeat")
    assert again.response["response"]["outputSpeech"] == asked.response["response"]["outputSpeech"]


def test_words_a_plugin_saves_by_mistake_are_never_stored(
    talk: Conversation, store: ProfileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = "my partner hit me"
    real = GroundingProgress.stored

    def leaky(self: GroundingProgress) -> dict[str, int | float | bool | str]:
        # Progress checks what a plugin builds, but a plugin's own stored() could hand over
        # anything.
        return {**real(self), "last": words}

    monkeypatch.setattr(GroundingProgress, "stored", leaky)
    begin(talk)
    talk.say("do three breaths")
    assert words not in json.dumps(stored(store))
    assert words not in json.dumps(talk._attributes)
    assert stored(store)[0]["plugin_state"]["grounding"]["total"] == 1


def test_a_damaged_stored_value_is_read_once_a_session(
    talk: Conversation, store: ProfileStore, calls: Calls
) -> None:
    damaged = {
        "userId": talk.caller.user_id,
        "personId": "account",
        "schema_version": 1,
        "version": 3,
        "visits": 2,
        "consent": "2026-01-01",
        "plugin_state": {"repair": {"stage": "", "step": "x"}},  # a string where a number goes
    }
    store.client.put_item(TableName=store.table_name, Item=to_dynamo(damaged))
    talk.say("open secure base")
    for _ in range(4):
        talk.say("do three breaths")
    assert calls["GetItem"] == 1


def test_forged_keys_are_not_logged(
    talk: Conversation, store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    begin(talk)
    profile = dict(talk._attributes[PROFILE])
    profile["plugin_state"] = {"my partner hit me last night": {"x": 1}}
    with caplog.at_level(logging.DEBUG):
        send_forged(talk, "help", **{PROFILE: profile})
    assert "partner" not in caplog.text


@pytest.mark.parametrize(
    "speech",
    ["<speak " + "&" * 6000, "<speak>" + "a&b " * 1990 + "<"],
    ids=["unparsed-ampersands", "escaped-past-the-limit"],
)
def test_speech_in_the_session_that_cannot_be_rebuilt_is_not_a_crash(
    talk: Conversation, speech: str
) -> None:
    begin(talk)
    turn = send_forged(talk, "help", forged=speech, **{LAST_RESPONSE: {"speech": speech}})
    assert "you can" in said(turn).lower()
