"""DynamoDB faults: the person is always answered in time, told when progress was not kept, and
newer stored progress is never overwritten with older."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from skill.local.conversation import Conversation, Turn
from skill.local.nlu import LocalNlu
from skill.store import READ_TIMEOUT, REQUEST_BUDGET_SECONDS, ProfileStore, from_dynamo
from tests.conftest import begin, make_conversation
from tests.dynamo_faults import FaultyDynamo
from tests.speech_helpers import said

NOT_READ = "I can't reach what I keep for you just now"
NOT_SAVED = "I couldn't save your progress just now"
# Each attempt that hangs costs at least the read timeout, and none starts past the budget.
MOST_ATTEMPTS = int(REQUEST_BUDGET_SECONDS / READ_TIMEOUT)
# Every way a call can fail (tests/dynamo_faults.py).
FAULTS = ["hang", "throttle", "500", "reset", "denied"]


@pytest.fixture
def dynamo(dynamodb: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultyDynamo]:
    proxy = FaultyDynamo(dynamodb)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint)
    yield proxy
    proxy.close()


@pytest.fixture
def store(
    dynamodb: str,
    dynamo: FaultyDynamo,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> ProfileStore:
    name = f"faults-{request.node.name}"[:200].replace("[", "-").replace("]", "")
    # Made straight on moto, with boto3's own timeouts: the store's half-second read timeout
    # and the proxy are for the skill's calls, and a busy machine must not fail the set-up.
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb)
    creator = ProfileStore(name)
    creator._client = boto3.client("dynamodb", endpoint_url=dynamodb)
    creator.create_table()
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint)
    return ProfileStore(name)


def device(store: ProfileStore, nlu: LocalNlu, number: int = 1) -> Conversation:
    return make_conversation(store, nlu, device_id=f"device-{number}")


def stored(store: ProfileStore) -> dict[str, Any]:
    (item,) = store.client.scan(TableName=store.table_name)["Items"]
    return from_dynamo(item)


def visit_once(talk: Conversation) -> None:
    """A first visit, consented and ended: the profile is stored."""
    begin(talk)
    talk.say("stop")


def come_back(talk: Conversation, dynamo: FaultyDynamo) -> tuple[Turn, int]:
    """Opens the skill again: its answer, and how many times the profile's read was tried."""
    before = dynamo.calls["GetItem"]
    turn = talk.say("open secure base")
    return turn, dynamo.calls["GetItem"] - before


def test_a_throttled_read_is_tried_again_and_the_person_is_welcomed_back(
    talk: Conversation, dynamo: FaultyDynamo
) -> None:
    visit_once(talk)
    dynamo.fail("GetItem", "throttle")
    turn, reads = come_back(talk, dynamo)
    assert said(turn).startswith("Welcome back")
    assert reads == 2


@pytest.mark.parametrize("fault", FAULTS)
def test_when_the_profile_cannot_be_read_the_person_is_told_and_answered(
    talk: Conversation, store: ProfileStore, dynamo: FaultyDynamo, fault: str
) -> None:
    visit_once(talk)
    visits = stored(store)["visits"]
    dynamo.fail("GetItem", fault, times=10)
    turn, reads = come_back(talk, dynamo)
    assert said(turn).startswith(NOT_READ)
    assert "Welcome to Secure Base" in said(turn)
    assert not turn.ends_session
    assert 1 <= reads <= MOST_ATTEMPTS
    # The table is back: the yes is merged onto what was stored, never written over it.
    dynamo.heal()
    assert NOT_READ not in said(talk.say("remember my progress"))
    assert stored(store)["visits"] == visits + 1


@pytest.mark.parametrize("fault", FAULTS)
def test_a_change_that_could_not_be_saved_is_told_once_and_saved_next_turn(
    talk: Conversation, store: ProfileStore, dynamo: FaultyDynamo, fault: str
) -> None:
    begin(talk)
    dynamo.fail("PutItem", fault, times=10)
    turn = talk.say("do box breathing")
    assert said(turn).startswith(NOT_SAVED)
    assert "box" in said(turn).lower()
    again = talk.say("slower")
    assert NOT_SAVED not in said(again)  # said once per session
    assert stored(store)["plugin_state"] == {}
    dynamo.heal()
    talk.say("next")
    grounding = stored(store)["plugin_state"]["grounding"]
    assert "box" in (grounding["exercise"], grounding["last"])
    assert grounding["pace"] == "slower"


def test_newer_progress_from_another_device_is_merged_not_overwritten(
    store: ProfileStore, dynamo: FaultyDynamo, nlu: LocalNlu
) -> None:
    kitchen, bedroom = device(store, nlu, 1), device(store, nlu, 2)
    begin(kitchen)
    bedroom.say("open secure base")  # reads the profile kitchen just stored
    kitchen.say("do three breaths")  # kitchen writes first
    conflicts = dynamo.calls["PutItem"]
    bedroom.say("reflection questions")  # bedroom's copy is now older than the stored one
    assert dynamo.calls["PutItem"] - conflicts == 2  # refused, merged, written
    state = stored(store)
    assert state["plugin_state"]["grounding"]["last"] == "three_breaths"
    assert state["plugin_state"]["grounding"]["total"] == 1
    assert state["plugin_state"]["reflection"]["started"] is True
    assert state["visits"] == 2
    assert state["last_activity"] == "reflection"


def test_forget_me_when_the_table_does_not_answer_erases_nothing_and_says_so(
    talk: Conversation, store: ProfileStore, dynamo: FaultyDynamo
) -> None:
    begin(talk)
    talk.say("forget me")
    dynamo.fail("Query", "hang", times=10)
    turn = talk.say("yes")
    assert "couldn't reach my storage to erase it" in said(turn)
    assert not turn.ends_session
    dynamo.heal()
    assert stored(store)["consent"]
    talk.say("forget me")
    assert "erased everything" in said(talk.say("yes"))
    assert store.client.scan(TableName=store.table_name)["Items"] == []


def test_a_write_applied_whose_answer_was_lost_counts_once(
    talk: Conversation, store: ProfileStore, dynamo: FaultyDynamo
) -> None:
    begin(talk)
    before = stored(store)["visits"]
    for _ in range(5):
        dynamo.fail("PutItem", "late")  # applied; the answer comes after the client gave up
        talk.say("do three breaths")
    assert dynamo.late["PutItem"] == 5
    grounding = stored(store)["plugin_state"]["grounding"]
    assert grounding["total"] == 5
    assert grounding["week_count"] == 5
    assert stored(store)["visits"] == before


def test_a_late_write_then_a_table_that_stops_answering_still_counts_once(
    talk: Conversation, store: ProfileStore, dynamo: FaultyDynamo
) -> None:
    begin(talk)
    # Applied, but every answer lost for the rest of the turn: the turn cannot know it landed.
    dynamo.fail("PutItem", "late")
    dynamo.fail("PutItem", "hang", times=10)
    dynamo.fail("GetItem", "hang", times=10)
    assert said(talk.say("do three breaths")).startswith(NOT_SAVED)
    assert stored(store)["plugin_state"]["grounding"]["total"] == 1  # it did land
    dynamo.heal()
    talk.say("do three breaths")  # the next write finds the earlier one: builds on it
    assert stored(store)["plugin_state"]["grounding"]["total"] == 2
