"""Stored profiles of other schema versions, or damaged ones, read through whole conversations.

Raw items go into the (moto) table as DynamoDB would hold them; then the person talks to the
skill. An older item is migrated and goes on; a newer one is used but never written over; a
damaged one keeps every value that validates, and is never replaced wholesale.

The versions: 0, items without schema_version; 1, the check-in's ratings kept after a yes of
their own (PREVIOUS); 2, no rating kept (CURRENT), and those of version 1 erased.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from skill import state
from skill.blocks.session import PROFILE, PROFILE_OF, VISIT_COUNTED
from skill.core import Core
from skill.core.carried import owner_of
from skill.local.conversation import Conversation
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.state import MIGRATIONS, SCHEMA_VERSION, Profile, migrated
from skill.store import ProfileStore, from_dynamo, to_dynamo
from tests.conftest import Calls, make_conversation
from tests.speech_helpers import said
from tests.test_checkin import EVENING, MORNING

checkin = Checkin()
CORE = Core()

TEXT = CORE.content("en-US")
CHECKIN = checkin.content("en-US")
KEY = {"userId": "amzn1.ask.account.TEST", "personId": "account"}

# A profile as the current schema writes it, for a person who said yes long ago.
CURRENT: dict[str, Any] = {
    "schema_version": SCHEMA_VERSION,
    "version": 3,
    "visits": 4,
    "last_visit": "2026-11-20",
    "last_activity": "grounding",
    "consent": "2026-10-01",
    "plugin_state": {
        "grounding": {"exercise": "", "step": 0, "pace": "slow", "last": "box", "total": 6},
        "checkin": {"time": "21:30", "zone": "America/Chicago", "reminder": "token-1"},
    },
}

# The same person's item as schema 1 wrote it, after a yes to keeping the check-in's ratings:
# dated numbers from one to five (one of them damaged), for "how was my week".
RATINGS = {
    "ratings": "2026-11-23=2;2026-11-25=4;yesterday=5;2026-11-27=3",
    "ratings_ok": True,
    "ratings_asked": True,
}
PREVIOUS: dict[str, Any] = {
    **CURRENT,
    "schema_version": 1,
    "last_activity": "checkin",
    "plugin_state": {
        **CURRENT["plugin_state"],
        "checkin": {
            **CURRENT["plugin_state"]["checkin"],
            "last_done": "2026-11-27",
            "stage": -1,
            **RATINGS,
        },
    },
}
# What is left of PREVIOUS's check-in once the ratings are erased.
PREVIOUS_CHECKIN = {
    key: value for key, value in PREVIOUS["plugin_state"]["checkin"].items() if key not in RATINGS
}


@pytest.fixture
def talk(store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi) -> Conversation:
    """The person of KEY, on a morning (an evening launch opens the check-in instead)."""
    conversation = make_conversation(
        store, nlu, api_endpoint=alexa.endpoint, api_access_token="token-account"
    )
    conversation.now = MORNING
    return conversation


def put(store: ProfileStore, attributes: dict[str, Any]) -> dict[str, Any]:
    """Puts the item as given (no version, no expiry added); returns it, DynamoDB-typed."""
    item = to_dynamo({**attributes, **KEY})
    store.client.put_item(TableName=store.table_name, Item=item)
    return item


def raw(store: ProfileStore) -> dict[str, Any]:
    item: dict[str, Any] = store.client.get_item(
        TableName=store.table_name, Key=to_dynamo(KEY), ConsistentRead=True
    )["Item"]
    return item


def stored(store: ProfileStore) -> dict[str, Any]:
    return from_dynamo(raw(store))


def served(talk: Conversation, utterance: str) -> str:
    turn = talk.say(utterance)
    assert TEXT.error not in said(turn)
    assert not turn.ends_session or utterance == "stop"
    return said(turn)


# The migration table


def test_every_older_version_has_a_step() -> None:
    assert set(MIGRATIONS) == set(range(SCHEMA_VERSION))


def test_an_item_from_before_versioning_counts_as_version_0() -> None:
    before = {key: value for key, value in CURRENT.items() if key != "schema_version"}
    assert migrated(before) == {**before, "schema_version": SCHEMA_VERSION}


def test_steps_run_in_order_from_the_item_s_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """How a later change would be written: schema 3 renames `last_activity` to `last_choice`.
    An item of version 1 goes through both steps: its ratings go, then the rename."""

    def rename(item: dict[str, Any]) -> dict[str, Any]:
        item = dict(item)
        if "last_activity" in item:
            item["last_choice"] = item.pop("last_activity")
        return item

    monkeypatch.setattr(state, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(MIGRATIONS, 2, rename)
    unversioned = {"visits": 2, "last_activity": "repair"}
    assert migrated(unversioned) == {"visits": 2, "last_choice": "repair", "schema_version": 3}
    rated = {**unversioned, "plugin_state": {"checkin": dict(RATINGS)}, "schema_version": 1}
    assert migrated(rated) == {
        "visits": 2,
        "last_choice": "repair",
        "plugin_state": {"checkin": {}},
        "schema_version": 3,
    }
    assert migrated({**unversioned, "schema_version": 2})["last_choice"] == "repair"
    current = {"visits": 2, "last_choice": "repair", "schema_version": 3}
    assert migrated(current) == current
    newer = {"visits": 2, "last_activity": "repair", "schema_version": 4}
    assert migrated(newer) == newer  # never touched: this code does not know version 4


def test_the_step_to_2_erases_the_check_in_s_ratings_and_nothing_else() -> None:
    after = migrated(PREVIOUS)
    assert after == {
        **PREVIOUS,
        "schema_version": 2,
        "plugin_state": {**PREVIOUS["plugin_state"], "checkin": PREVIOUS_CHECKIN},
    }
    assert PREVIOUS["plugin_state"]["checkin"]["ratings_ok"] is True  # the input untouched


@pytest.mark.parametrize(
    "plugin_state",
    [
        None,  # no plugin_state at all: nothing to drop
        {"grounding": {"total": 6}},  # no check-in record
        {"checkin": {"time": "21:30"}},  # a check-in record without ratings
        "grounding",  # damaged: left to validation, which resets it
        {"checkin": "21:30"},  # damaged the same way
    ],
    ids=["none", "no-checkin", "no-ratings", "plugin_state-text", "checkin-text"],
)
def test_the_step_to_2_leaves_an_item_without_ratings_as_it_is(plugin_state: Any) -> None:
    item: dict[str, Any] = {"visits": 3, "schema_version": 1}
    if plugin_state is not None:
        item["plugin_state"] = plugin_state
    assert migrated(item) == {**item, "schema_version": 2}


def test_a_newer_item_keeps_fields_of_the_same_names() -> None:
    """The step is for version 1 only: what a newer version stores under these names (it
    could mean something else by then) is that version's, and not touched."""
    newer = {"schema_version": 3, "plugin_state": {"checkin": dict(RATINGS)}}
    assert migrated(newer) == newer


def test_a_profile_built_in_code_reads_back_as_built() -> None:
    """What the skill writes of a profile it built (the table's item, the session's copy) is of
    the current schema: read again, it goes through no step and loses nothing."""
    built = Profile(visits=3, last_activity="repair", plugin_state={"repair": {"step": 2}})
    assert built.schema_version == SCHEMA_VERSION
    assert Profile.read(built.dumped()) == built


@pytest.mark.parametrize("version", ["abc", -1, True, 1.5])
def test_an_unreadable_schema_version_counts_as_newer(version: object) -> None:
    profile = Profile.read({**CURRENT, "schema_version": version})
    assert profile.schema_version > SCHEMA_VERSION
    assert profile.visits == 4 and profile.plugin_state == CURRENT["plugin_state"]


# Older items, through a conversation


def test_an_item_from_before_versioning_is_migrated_and_goes_on(
    talk: Conversation, store: ProfileStore
) -> None:
    before = {key: value for key, value in CURRENT.items() if key != "schema_version"}
    put(store, before)
    assert served(talk, "open secure base").startswith(TEXT.welcome_back)
    talk.say("stop")
    after = stored(store)
    assert after["schema_version"] == SCHEMA_VERSION
    assert after["visits"] == 5 and after["version"] == 4
    assert after["consent"] == "2026-10-01"
    assert after["plugin_state"] == CURRENT["plugin_state"]


def test_an_item_from_before_versioning_without_a_version_lock_can_be_saved(
    talk: Conversation, store: ProfileStore
) -> None:
    before = {k: v for k, v in CURRENT.items() if k not in ("schema_version", "version")}
    put(store, before)
    opened = served(talk, "open secure base")
    talk.say("stop")
    assert TEXT.progress_not_saved not in opened
    after = stored(store)
    assert (after["schema_version"], after["version"], after["visits"]) == (SCHEMA_VERSION, 1, 5)


# Newer items: used, never written over


NEWER: dict[str, Any] = {
    **CURRENT,
    "schema_version": 99,
    "version": 12,
    "visits": {"total": 40, "this_month": 3},  # a field whose type changed
    "nickname_hash": "9f2c",  # fields this code has never heard of
    "preferences": {"voice": "calm", "pace": 0.8},
    "plugin_state": {
        "grounding": {"exercise": "", "step": 0, "pace": "slow", "favourite": "box"},
        "gratitude": {"streak": 5},  # a plugin this version does not have
    },
    "expiresAt": 1_900_000_000,
}


def test_a_newer_item_is_used_and_left_byte_for_byte_unchanged(
    talk: Conversation, store: ProfileStore, calls: Calls
) -> None:
    before = put(store, NEWER)
    assert served(talk, "open secure base").startswith(TEXT.welcome_back)
    served(talk, "a calming exercise")  # changes the last activity and the grounding progress
    served(talk, "next")
    assert "You asked me to remember your place on" in served(talk, "what do you know about me")
    talk.say("stop")
    assert raw(store) == before
    assert calls["PutItem"] == 1  # the item put above: the skill wrote nothing

    # Another day, another session: the same.
    talk.now = EVENING
    served(talk, "open secure base")
    talk.say("stop")
    assert raw(store) == before


def test_a_newer_item_is_not_written_over_even_on_a_merge(
    talk: Conversation, store: ProfileStore
) -> None:
    """A newer version of the skill (another device) writes between this session's turns: this
    session's next write conflicts, re-reads the item, finds a newer schema, and leaves it be."""
    put(store, CURRENT)
    served(talk, "open secure base")
    newer = put(store, {**NEWER, "version": stored(store)["version"] + 1})
    served(talk, "a calming exercise")
    talk.say("stop")
    assert raw(store) == newer


# Damaged items: keep what validates, reset what doesn't


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        # visits reset to 0, then this visit counted; everything else kept
        ({"visits": "abc"}, {"visits": 1}),
        ({"visits": -7}, {"visits": 1}),
        ({"last_visit": "last tuesday"}, {"visits": 5}),
        ({"last_activity": ["grounding"]}, {"last_activity": None}),
        # the whole plugin_state is unusable: reset; the rest of the profile is kept
        ({"plugin_state": "grounding"}, {"plugin_state": {}, "visits": 5}),
        # one plugin's record is unusable: that one alone is dropped
        (
            {"plugin_state": {**CURRENT["plugin_state"], "checkin": "21:30"}},
            {"plugin_state": {"grounding": CURRENT["plugin_state"]["grounding"]}},
        ),
        # one value inside a record is unusable: that value alone is dropped
        (
            {"plugin_state": {**CURRENT["plugin_state"], "grounding": {"step": [1], "total": 6}}},
            {"plugin_state": {**CURRENT["plugin_state"], "grounding": {"total": 6}}},
        ),
    ],
    ids=[
        "visits-text",
        "visits-negative",
        "last_visit",
        "last_activity",
        "plugin_state",
        "one-plugin",
        "one-value",
    ],
)
def test_a_damaged_item_serves_the_person_and_keeps_what_validates(
    talk: Conversation, store: ProfileStore, damage: dict[str, Any], expected: dict[str, Any]
) -> None:
    put(store, {**CURRENT, **damage})
    assert served(talk, "open secure base").startswith(TEXT.welcome_back)
    served(talk, "what do you know about me")
    talk.say("stop")
    after = stored(store)
    kept = {**CURRENT, "visits": 5, **expected}
    for field in ("visits", "last_activity", "consent", "plugin_state"):
        assert after[field] == kept[field], field
    assert after["version"] == CURRENT["version"] + 1  # written once, over the version read


def test_a_damaged_item_is_written_only_when_something_else_changes(
    talk: Conversation, store: ProfileStore, calls: Calls
) -> None:
    put(store, {**CURRENT, "visits": "abc", "plugin_state": {"grounding": "x"}})
    served(talk, "open secure base")
    assert calls["PutItem"] == 2  # the item put above, then this visit (the only change)
    for utterance in ["help", "repeat", "what do you know about me", "go to the main menu"]:
        served(talk, utterance)
    talk.say("stop")
    assert calls["PutItem"] == 2  # resetting damaged values is no reason to write


def test_a_damaged_item_without_a_valid_consent_is_never_written(
    talk: Conversation, store: ProfileStore
) -> None:
    before = put(store, {**CURRENT, "consent": "yes please", "visits": "abc"})
    # Consent unreadable: as for anyone who has not said yes, the skill asks when it would
    # help (after the first exercise), and a no keeps nothing, not even over the damaged item.
    assert TEXT.consent_question not in served(talk, "open secure base")
    assert TEXT.consent_question in served(talk, "a calming exercise")
    served(talk, "no")
    talk.say("stop")
    assert raw(store) == before


def test_a_check_in_record_of_the_wrong_types_does_not_break_the_evening_launch(
    talk: Conversation, store: ProfileStore
) -> None:
    damaged = {
        "time": 2130,  # a number, not "21:30": every evening launch used to fail on it
        "zone": ["America/Chicago"],  # not a scalar at all: dropped by the profile
        "reminder": "token-1",
        "stage": "two",
        "last_done": 20261126,
    }
    put(store, {**CURRENT, "last_activity": "checkin", "plugin_state": {"checkin": damaged}})
    talk.now = EVENING
    opened = served(talk, "open secure base")
    assert opened.startswith(TEXT.welcome_back)
    # Without a time the reminder is not described; its token is kept, so it can still be
    # stopped or set again ("set up my nightly check-in at nine pm" updates it).
    assert served(talk, "when is my check-in").startswith(CHECKIN.reminder_none)
    served(talk, "what do you know about me")
    assert served(talk, "how was my week").startswith(CHECKIN.week_not_kept)
    assert CHECKIN.questions[0] in served(talk, "start my check-in")
    talk.say("stop")
    kept = stored(store)["plugin_state"]["checkin"]
    assert kept["reminder"] == "token-1"
    assert kept["time"] == "" and kept["stage"] == 0


# The previous version's ratings: never told again, and erased at the next write


def checkin_told(talk: Conversation) -> tuple[str, str]:
    """What "what do you know about me" and "how was my week" say."""
    return served(talk, "what do you know about me"), served(talk, "how was my week")


def assert_nothing_of_ratings(known: str, week: str) -> None:
    assert "For your nightly check-in: the reminder at 9:30 pm" in known  # the item was read
    assert "rating" not in known.lower()
    assert week.startswith(CHECKIN.week_not_kept)
    for figure in ("out of five", "and a half", "2", "3", "4", "5"):
        assert figure not in week, figure  # the stored ones were 2, 4, 5 and 3


def assert_erased(store: ProfileStore, version: int) -> None:
    """The item was written (over the version read) and holds no rating field any more."""
    after = stored(store)
    assert after["schema_version"] == SCHEMA_VERSION
    assert after["version"] == version + 1
    assert after["plugin_state"]["checkin"] == PREVIOUS_CHECKIN
    assert "rating" not in json.dumps(raw(store))


def test_a_previous_item_s_ratings_are_never_told_and_erased_at_the_next_write(
    talk: Conversation, store: ProfileStore
) -> None:
    put(store, PREVIOUS)
    assert served(talk, "open secure base").startswith(TEXT.welcome_back)
    assert_nothing_of_ratings(*checkin_told(talk))
    talk.say("stop")
    assert_erased(store, PREVIOUS["version"])
    after = stored(store)
    assert after["visits"] == PREVIOUS["visits"] + 1  # the visit is the write
    assert after["plugin_state"]["grounding"] == PREVIOUS["plugin_state"]["grounding"]


def test_a_session_the_previous_version_began_carries_no_rating_into_this_one(
    talk: Conversation, store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Deployed mid-session: the session carries the profile as version 1 left it, ratings
    and all. It is not what this version writes, so it is dropped and the item read (and
    migrated) instead; the next write erases the ratings."""
    talk.say("open secure base")  # a session; what follows is as version 1 served it
    put(store, PREVIOUS)  # this session's visit counted and written by version 1
    carried = Profile.read(PREVIOUS).dumped()
    carried["schema_version"] = 1
    carried["plugin_state"]["checkin"] = PREVIOUS["plugin_state"]["checkin"]
    talk._attributes = {
        PROFILE: carried,
        PROFILE_OF: owner_of(KEY),
        VISIT_COUNTED: KEY["personId"],
    }
    with caplog.at_level(logging.WARNING):
        told = checkin_told(talk)
    assert json.dumps({"droppedSessionAttributes": [PROFILE]}) in caplog.text
    assert_nothing_of_ratings(*told)
    served(talk, "a calming exercise")  # a change: written
    talk.say("stop")
    assert_erased(store, PREVIOUS["version"])


def test_a_grounding_record_of_the_wrong_types_does_not_break_the_exercise(
    talk: Conversation, store: ProfileStore
) -> None:
    damaged = {"exercise": "box", "step": "three", "pace": 2, "total": "many", "last": "box"}
    put(store, {**CURRENT, "plugin_state": {"grounding": damaged}})
    served(talk, "open secure base")
    assert "It takes about" in served(talk, "a calming exercise")
    talk.say("stop")
    kept = stored(store)["plugin_state"]["grounding"]
    assert isinstance(kept["step"], int)
    assert kept["pace"] == "normal" and kept["total"] in (0, 1)  # "many" reset, then counted
