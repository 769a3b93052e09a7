"""Writes whose answer never came: settled by one read before the next write, so that a change
that landed is never added again, whatever else happened in between."""

from __future__ import annotations

from typing import Any

from skill.blocks.session import PENDING_WRITES
from skill.local.conversation import Conversation
from skill.local.nlu import LocalNlu
from skill.state import SCHEMA_VERSION
from skill.store import ProfileStore, from_dynamo, to_dynamo
from tests.conftest import begin, make_conversation
from tests.dynamo_faults import ScriptedFaults
from tests.speech_helpers import said

NOT_SAVED = "I couldn't save your progress just now"


def item(store: ProfileStore) -> dict[str, Any]:
    (stored,) = store.client.scan(TableName=store.table_name)["Items"]
    return from_dynamo(stored)


def exercises(store: ProfileStore) -> int:
    total: int = item(store)["plugin_state"]["grounding"]["total"]
    return total


def landed_unseen(faults: ScriptedFaults) -> None:
    """The next write lands, but neither its answer nor the read after its retry comes back."""
    faults.script["put_item"] = ["late"]
    faults.script["get_item"] = ["hang"] * 3


def test_three_turns_of_unknown_outcome_count_each_exercise_once(
    talk: Conversation, store: ProfileStore
) -> None:
    begin(talk)
    talk.say("do three breaths")
    before = exercises(store)
    faults = ScriptedFaults(store.client)
    landed_unseen(faults)
    assert said(talk.say("do three breaths")).startswith(NOT_SAVED)
    for _ in range(2):
        faults.script["get_item"] = ["hang"] * 3  # nothing can be settled: nothing written
        talk.say("do three breaths")
    assert len(talk._attributes[PENDING_WRITES]) == 1  # one write at most is ever unsettled
    talk.say("do three breaths")  # the table answers again
    assert exercises(store) == before + 4
    assert PENDING_WRITES not in talk._attributes


def test_a_landed_write_merged_with_another_devices_counts_both_once(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    bedroom = make_conversation(store, nlu, device_id="bedroom")
    kitchen = make_conversation(store, nlu, device_id="kitchen")
    begin(bedroom)
    kitchen.say("open secure base")
    bedroom.say("do three breaths")
    before = exercises(store)
    faults = ScriptedFaults(store.client)
    landed_unseen(faults)
    bedroom.say("do three breaths")  # landed, unseen
    kitchen.say("do three breaths")

    def kitchen_again() -> None:
        kitchen.say("do three breaths")  # in the middle of bedroom's next turn
        faults.script["put_item"] = ["hang"] * 3  # bedroom's merged write then fails

    faults.before_put = [kitchen_again]
    # Bedroom settles its landed write, loses the race to kitchen, merges, and cannot write.
    assert NOT_SAVED not in said(bedroom.say("do three breaths"))  # told once, the first time
    assert bedroom._attributes[PENDING_WRITES]  # only the write that failed, not the settled one
    bedroom.say("do three breaths")
    assert exercises(store) == before + 5  # bedroom's three and kitchen's two, each once


def test_a_landed_write_then_a_newer_version_s_item_is_left_as_it_is(
    talk: Conversation, store: ProfileStore
) -> None:
    begin(talk)
    talk.say("do three breaths")
    faults = ScriptedFaults(store.client)
    landed_unseen(faults)
    talk.say("do three breaths")
    # A newer version of the skill (a canary, or before a rollback) writes on top of it.
    newer = {**item(store), "schema_version": SCHEMA_VERSION + 1, "new_field": {"kept": "later"}}
    newer["version"] += 1
    store.client.put_item(TableName=store.table_name, Item=to_dynamo(newer))
    talk.say("do three breaths")
    after = item(store)
    assert after["new_field"] == {"kept": "later"}
    assert after["version"] == newer["version"]
