"""`secure-base db erase-retired`: ratings kept by the previous version leave every item, also
those of people who never come back (whose items no read would ever migrate)."""

from __future__ import annotations

from typing import Any

import pytest

from skill.local import cli
from skill.local.retired import Erased, erase_retired
from skill.state import RETIRED_CHECKIN_FIELDS
from skill.store import ProfileStore, from_dynamo, to_dynamo

RATED: dict[str, Any] = {
    "userId": "amzn1.ask.account.GONE",
    "personId": "account",
    "schema_version": 1,
    "version": 7,
    "consent": "2026-09-01",
    "plugin_state": {
        "checkin": {
            "time": "21:30",
            "reminder": "alert-1",
            "ratings": "2026-11-26=2;2026-11-27=4",
            "ratings_ok": True,
            "ratings_asked": True,
        },
        "grounding": {"total": 4},
    },
}
CURRENT = {
    "userId": "amzn1.ask.account.NOW",
    "personId": "account",
    "schema_version": 2,
    "version": 3,
    "plugin_state": {"checkin": {"time": "20:00"}},
}
DECLINED = {"userId": "amzn1.ask.account.NO", "personId": "account", "declined": "2026-12-08"}


def put(store: ProfileStore, *items: dict[str, Any]) -> None:
    for item in items:
        store.client.put_item(TableName=store.table_name, Item=to_dynamo(item))


def stored(store: ProfileStore, item: dict[str, Any]) -> dict[str, Any] | None:
    key = {"userId": {"S": item["userId"]}, "personId": {"S": item["personId"]}}
    found = store.client.get_item(TableName=store.table_name, Key=key).get("Item")
    return from_dynamo(found) if found else None


def run(store: ProfileStore) -> int:
    return cli.main(["db", "erase-retired", "--table-name", store.table_name])


def test_the_ratings_leave_the_item_and_nothing_else_does(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    put(store, RATED, CURRENT, DECLINED)
    assert run(store) == 0
    assert "from 1 item(s)" in capsys.readouterr().out
    checkin = {
        k: v for k, v in RATED["plugin_state"]["checkin"].items() if k not in RETIRED_CHECKIN_FIELDS
    }
    assert stored(store, RATED) == {
        **RATED,
        "plugin_state": {**RATED["plugin_state"], "checkin": checkin},
    }
    assert stored(store, CURRENT) == CURRENT
    assert stored(store, DECLINED) == DECLINED
    # Once done, done: a second run finds nothing.
    assert run(store) == 0
    assert "from 0 item(s)" in capsys.readouterr().out


def before_the_erase(store: ProfileStore, change: Any) -> None:
    """Runs `change` once, just before the first UpdateItem: a write from elsewhere."""
    done: list[bool] = []

    def hook(**_: Any) -> None:
        if not done:
            done.append(True)
            change()

    store.client.meta.events.register("before-call.dynamodb.UpdateItem", hook)


def test_an_item_written_since_the_scan_is_left_for_another_run(store: ProfileStore) -> None:
    """A version still rolling out writes between the scan and the erase: not overwritten, and
    the operator is told to run it again, which then erases what that write kept."""
    put(store, RATED)
    rewritten = {**RATED, "version": 8}
    before_the_erase(store, lambda: put(store, rewritten))
    assert erase_retired(store) == Erased(items=0, changed=1)
    assert stored(store, RATED) == rewritten
    assert erase_retired(store) == Erased(items=1, changed=0)
    after = stored(store, RATED)
    assert after is not None
    assert not set(after["plugin_state"]["checkin"]) & set(RETIRED_CHECKIN_FIELDS)


def test_an_item_erased_since_the_scan_is_not_made_again(store: ProfileStore) -> None:
    put(store, RATED)
    key = {"userId": {"S": RATED["userId"]}, "personId": {"S": RATED["personId"]}}
    before_the_erase(store, lambda: store.client.delete_item(TableName=store.table_name, Key=key))
    assert erase_retired(store) == Erased(items=0, changed=1)
    assert stored(store, RATED) is None
