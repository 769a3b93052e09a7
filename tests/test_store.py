"""DynamoDB persistence: round trip, numbers, optimistic locking, and how often it is used."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.local.conversation import Conversation
from skill.local.envelopes import Caller, envelope, request_for
from skill.local.nlu import Understanding
from skill.state import Profile
from skill.store import (
    RETENTION_SECONDS,
    NotConsented,
    ProfileConflict,
    ProfileStore,
    from_dynamo,
    to_dynamo,
)
from tests.conftest import Calls, begin


def kept(**fields: Any) -> Profile:
    """A profile the person said yes to keeping (the store writes no other)."""
    return Profile(consent=date(2026, 11, 1), **fields)


def request_envelope(person_id: str | None = None) -> Any:
    caller = Caller(skill_id="skill", user_id="user-1", device_id="d", person_id=person_id)
    request = request_for(Understanding(None), "en-US", datetime.now(UTC), "skill")
    event = envelope(caller, request, "session", True, {})
    return DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)


def test_profile_round_trip(store: ProfileStore) -> None:
    envelope_ = request_envelope()
    profile = kept(visits=3, last_activity="repair")
    store.save_attributes(envelope_, profile.dumped())

    loaded = Profile.read(store.get_attributes(envelope_))

    assert loaded.visits == 3
    assert loaded.last_activity == "repair"
    assert loaded.version == 1


def test_a_profile_without_consent_is_never_written(store: ProfileStore) -> None:
    with pytest.raises(NotConsented):
        store.save_attributes(request_envelope(), Profile(visits=3).dumped())
    assert store.client.scan(TableName=store.table_name)["Items"] == []


def test_a_write_based_on_an_erased_item_fails_even_at_the_same_version(
    store: ProfileStore,
) -> None:
    envelope_ = request_envelope()
    store.save_attributes(envelope_, kept(visits=1).dumped())
    old = Profile.read(store.get_attributes(envelope_))
    store.delete_user(envelope_)
    store.save_attributes(envelope_, kept(visits=7).dumped())  # made anew
    assert old.version == Profile.read(store.get_attributes(envelope_)).version
    with pytest.raises(ProfileConflict):
        store.save_attributes(envelope_, old.changed(visits=2).dumped())
    assert store.get_attributes(envelope_)["visits"] == 7


def test_unknown_person_gets_an_empty_profile(store: ProfileStore) -> None:
    assert Profile.read(store.get_attributes(request_envelope())) == Profile()


def test_item_is_keyed_by_user_and_person_and_expires(store: ProfileStore) -> None:
    store.save_attributes(request_envelope("person-7"), kept(visits=1).dumped())
    item = store.client.scan(TableName=store.table_name)["Items"][0]
    assert item["userId"] == {"S": "user-1"}
    assert item["personId"] == {"S": "person-7"}
    expires = int(item["expiresAt"]["N"])
    assert abs(expires - (time.time() + RETENTION_SECONDS)) < 60


def test_decimals_come_back_as_plain_numbers() -> None:
    stored = to_dynamo({"count": 4, "ratio": 0.75, "nested": {"xs": [1, 2.5]}})
    assert stored["ratio"] == {"N": "0.75"}
    back = from_dynamo(stored)
    assert back == {"count": 4, "ratio": 0.75, "nested": {"xs": [1, 2.5]}}
    assert not any(isinstance(v, Decimal) for v in (back["count"], back["ratio"]))


def test_a_stale_write_never_overwrites_newer_progress(store: ProfileStore) -> None:
    envelope_ = request_envelope()
    store.save_attributes(envelope_, kept(visits=1).dumped())  # now version 1
    device_a = Profile.read(store.get_attributes(envelope_))
    device_b = Profile.read(store.get_attributes(envelope_))

    store.save_attributes(envelope_, device_a.changed(visits=5).dumped())
    with pytest.raises(ProfileConflict):
        store.save_attributes(envelope_, device_b.changed(visits=2).dumped())

    final = Profile.read(store.get_attributes(envelope_))
    assert (final.visits, final.version) == (5, 2)


def test_two_first_visits_racing_cannot_both_create_the_item(store: ProfileStore) -> None:
    envelope_ = request_envelope()
    first = kept(visits=1, last_activity="repair").dumped()
    store.save_attributes(envelope_, first)
    with pytest.raises(ProfileConflict):
        store.save_attributes(envelope_, kept(visits=1).dumped())
    assert store.get_attributes(envelope_)["last_activity"] == "repair"


def test_a_conflict_mid_session_keeps_both_devices_progress(
    talk: Conversation, store: ProfileStore
) -> None:
    begin(talk)
    # Another device saves newer progress while this session is open.
    key = {"userId": {"S": "amzn1.ask.account.TEST"}, "personId": {"S": "account"}}
    store.client.update_item(
        TableName=store.table_name,
        Key=key,
        UpdateExpression="SET #v = #v + :one, plugin_state.reflection = :progress",
        ExpressionAttributeNames={"#v": "version"},
        ExpressionAttributeValues={
            ":one": {"N": "1"},
            ":progress": {"M": {"current": {"N": "3"}, "answered": {"N": "5"}}},
        },
    )
    turn = talk.say("repair guidance")
    assert not turn.ends_session
    item = from_dynamo(store.client.get_item(TableName=store.table_name, Key=key)["Item"])
    assert item["plugin_state"]["reflection"] == {"current": 3, "answered": 5}
    assert "repair" in item["plugin_state"]
    assert item["last_activity"] == "repair"
    # The next turn goes on from the merged profile, without counting this visit twice.
    talk.say("a calming exercise")
    item = from_dynamo(store.client.get_item(TableName=store.table_name, Key=key)["Item"])
    assert item["last_activity"] == "grounding"
    assert item["plugin_state"]["reflection"] == {"current": 3, "answered": 5}
    assert item["visits"] == 1


def test_a_profile_from_a_newer_schema_is_never_overwritten(
    talk: Conversation, store: ProfileStore
) -> None:
    key = {"userId": {"S": "amzn1.ask.account.TEST"}, "personId": {"S": "account"}}
    newer = {
        **key,
        "schema_version": {"N": "99"},
        "version": {"N": "4"},
        "consent": {"S": "2026-01-01"},
        "visits": {"N": "7"},
        "future_field": {"S": "x"},
    }
    store.client.put_item(TableName=store.table_name, Item=newer)
    talk.say("open secure base")
    talk.say("repair guidance")
    assert store.client.get_item(TableName=store.table_name, Key=key)["Item"] == newer


def test_one_read_per_session_and_no_write_when_nothing_changed(
    talk: Conversation, calls: Calls
) -> None:
    talk.say("open secure base")
    assert (calls["GetItem"], calls["PutItem"]) == (1, 0)  # nothing kept without consent
    talk.say("remember my progress")
    assert (calls["GetItem"], calls["PutItem"]) == (1, 1)  # the consent and the visit

    for utterance in ["help", "repeat", "what is the weather", "go to the main menu"]:
        talk.say(utterance)
    assert (calls["GetItem"], calls["PutItem"]) == (1, 1)

    talk.say("calming exercise")  # a finished exercise changes the profile
    talk.say("what can you do")  # the tour changes nothing
    talk.say("stop")
    assert (calls["GetItem"], calls["PutItem"]) == (1, 2)

    talk.say("open secure base")  # a new session reads once more
    assert calls["GetItem"] == 2
