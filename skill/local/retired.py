"""`secure-base db erase-retired`: fields this version no longer keeps, erased from every item.

A schema step (skill/state.py, MIGRATIONS) drops a retired field from an item when it is read,
and the next write leaves it out; but an item whose person never comes back would keep it until
it expires. Run once after deploying a version that retires fields (the check-in's ratings, in
schema 2), with the operator's credentials (the function's role may not scan): each item still
holding one loses it, if it has not changed since it was scanned; run it again for those that
had (the report says how many).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skill.state import RETIRED_CHECKIN_FIELDS
from skill.store import VERSION_ATTRIBUTE, ProfileStore


@dataclass(frozen=True)
class Erased:
    items: int  # items that held a retired field and no longer do
    changed: int  # items that changed between the scan and the erase: left for another run


def erase_retired(store: ProfileStore) -> Erased:
    names = {"#ps": "plugin_state", "#c": "checkin", "#v": VERSION_ATTRIBUTE} | {
        f"#f{i}": field for i, field in enumerate(RETIRED_CHECKIN_FIELDS)
    }
    holding = " OR ".join(
        f"attribute_exists(#ps.#c.#f{i})" for i in range(len(RETIRED_CHECKIN_FIELDS))
    )
    erased = changed = 0
    pages = store.client.get_paginator("scan").paginate(
        TableName=store.table_name,
        FilterExpression=holding,
        ExpressionAttributeNames=names,
        ProjectionExpression="userId, personId, #v, #ps.#c",
    )
    for page in pages:
        for item in page.get("Items", []):
            if _erase(store, item):
                erased += 1
            else:
                changed += 1
    return Erased(erased, changed)


def _erase(store: ProfileStore, item: dict[str, Any]) -> bool:
    checkin = item.get("plugin_state", {}).get("M", {}).get("checkin", {}).get("M", {})
    held = [i for i, field in enumerate(RETIRED_CHECKIN_FIELDS) if field in checkin]
    names = {"#ps": "plugin_state", "#c": "checkin", "#v": VERSION_ATTRIBUTE} | {
        f"#f{i}": RETIRED_CHECKIN_FIELDS[i] for i in held
    }
    version = item.get(VERSION_ATTRIBUTE)
    condition = "#v = :v" if version is not None else "attribute_not_exists(#v)"
    request: dict[str, Any] = {
        "TableName": store.table_name,
        "Key": {"userId": item["userId"], "personId": item["personId"]},
        "UpdateExpression": "REMOVE " + ", ".join(f"#ps.#c.#f{i}" for i in held),
        # Not over a write made since the scan (a version still rolling out may have kept a
        # rating again), and never making an item that was erased meanwhile.
        "ConditionExpression": f"attribute_exists(userId) AND {condition}",
        "ExpressionAttributeNames": names,
    }
    if version is not None:
        request["ExpressionAttributeValues"] = {":v": version}
    try:
        store.client.update_item(**request)
    except store.client.exceptions.ConditionalCheckFailedException:
        return False
    return True
