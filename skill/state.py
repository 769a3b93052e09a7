"""What the skill stores about a person, and nothing more.

One small item per (user, person). It never holds the person's own words:
only counters, dates and the names of things the skill offered.

A stored item is read through `Profile.model_validate`, which first brings an item of an older
schema up to date (`MIGRATIONS`), then keeps every field that validates and resets the ones that
don't to their defaults (`_salvaged`), so that a damaged item never stops the person being served.
Nothing is written for that alone: the interceptors write only when the turn changed something,
and never over an item of a newer schema (see skill/core/interceptors.py).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
# What an item whose schema_version is not a whole number counts as: newer than any this code
# knows, so that it is read as well as it can be, and never written over.
UNREADABLE_VERSION = sys.maxsize

# Sort key when Alexa does not recognise the speaker: progress is then per account.
ACCOUNT_PERSON = "account"

Item = dict[str, Any]

# Every string the skill stores is a name or an id it made itself, never words a person said:
# these limits say so, and a value past them (a damaged item, forged session attributes) is
# reset like any value that does not validate.
# A plugin's name, or a field of its progress (entry point names are such names).
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
# A value of a plugin's progress: an exercise's id, a pace, an ISO week ("2026-W48"), an id
# an Alexa API gave (a reminder's alert token): no spaces, nothing SSML could read as markup.
# (The length once made room for eight weeks of dated check-in ratings, no longer kept.)
StoredId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:;/+=#-]{0,1024}$")]
# One plugin's progress as stored (its progress model says more: skill/blocks/progress.py).
ProgressRecord = Annotated[dict[Name, int | float | bool | StoredId], Field(max_length=64)]
# How many write tokens an item keeps: a write applied while its answer was lost is found among
# them as long as fewer writes followed it before its retry read the item back (a retry comes
# within a second; tests/test_concurrency.py's two devices, writing every few milliseconds,
# make 15 in that time).
WRITES_KEPT = 32
# A random token the store makes (skill/store.py: new_token).
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{8,32}$"
Token = Annotated[str, StringConstraints(pattern=TOKEN_PATTERN)]


def _from_unversioned(item: Item) -> Item:
    """0 -> 1: an item without schema_version, from before profiles carried one.

    This code has written schema_version since the first profile, so such items come from
    outside it (put by hand, imported, restored); their fields are version 1's. Counting them as
    version 0 rather than as the current version is what matters: they still go through every
    step after it (1 -> 2 erases the check-in's ratings).
    """
    return dict(item)


# The check-in's fields for its ratings, kept by schema 1 after a yes of their own: a number
# from one to five a day, with its date, for "how was my week".
RETIRED_CHECKIN_FIELDS = ("ratings", "ratings_ok", "ratings_asked")


def _without_ratings(item: Item) -> Item:
    """1 -> 2: the check-in's ratings are no longer kept (Amazon's health policy, on the careful
    reading: docs/health-policy.md), and those stored are erased.

    Dropped here, on every read, so that they are never told again, and gone from the item at its
    next write (the store puts the whole item). Unreadable parts (a plugin_state or a check-in
    record that is not a map) are left to the validation that follows.
    """
    states = item.get("plugin_state")
    if not isinstance(states, dict):
        return dict(item)
    checkin = states.get("checkin")
    if not isinstance(checkin, dict) or not any(f in checkin for f in RETIRED_CHECKIN_FIELDS):
        return dict(item)
    kept = {key: value for key, value in checkin.items() if key not in RETIRED_CHECKIN_FIELDS}
    return {**item, "plugin_state": {**states, "checkin": kept}}


# MIGRATIONS[n] turns a stored item (the plain dict read from DynamoDB) of schema version n into
# one of version n + 1; raise SCHEMA_VERSION with each step added. A step is needed when a field
# is renamed, moved, changes meaning or must be erased; a field added with a default needs none.
# Steps also see the fields a Profile(...) is built from in code (which carry no schema_version
# either): a step must only touch what it recognises as old, e.g. rename a field only when the
# old name is there.
MIGRATIONS: dict[int, Callable[[Item], Item]] = {
    0: _from_unversioned,
    1: _without_ratings,
}


def migrated(stored: Mapping[str, Any]) -> Item:
    """The stored item brought to SCHEMA_VERSION; an item of a newer version is left as it is."""
    item = dict(stored)
    version = item.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        log.warning("stored profile has an unreadable schema version; it will not be written")
        return {**item, "schema_version": UNREADABLE_VERSION}
    while version < SCHEMA_VERSION:
        item = {**MIGRATIONS[version](item), "schema_version": version + 1}
        version += 1
    return item


class Profile(BaseModel):
    # Items written by a newer schema may carry fields this code does not know yet.
    model_config = ConfigDict(extra="ignore")

    schema_version: int = SCHEMA_VERSION
    # Optimistic lock: the stored version this profile was read at (0 = never stored).
    version: int = Field(default=0, ge=0)
    # A token made when the item was first written and kept by every write after: an item
    # erased and made anew has another, so that a session that read the old one never writes
    # its progress into the new one (see SaveProfile).
    origin: Token | None = None
    # The tokens of the item's last few writes (skill/store.py: with_write). A write that was
    # applied while its answer was lost finds its own token here, and is not counted again.
    writes: list[Token] = Field(default=[], max_length=WRITES_KEPT)
    visits: int = Field(default=0, ge=0)
    last_visit: date | None = None
    # Name of the last activity chosen (e.g. "grounding"), used to say where they left off.
    last_activity: Name | None = None
    # The plugins used, most recent first (names only): launch offers the most recent one with
    # a place to resume, so that a detour into another never loses it.
    recent: list[Name] = Field(default=[], max_length=8)
    # The day the person said yes to being remembered; without it nothing is written.
    consent: date | None = None
    # After a no to being remembered: the day until which it is not asked again. Without
    # consent this date is the whole item (ProfileStore.note_declined), and it soon expires.
    declined_until: date | None = None
    # Each plugin's own small progress record (e.g. the step it stopped at), by plugin name.
    # Numbers, flags and ids only: never the person's words.
    plugin_state: dict[Name, ProgressRecord] = Field(default={}, max_length=32)

    @model_validator(mode="wrap")
    @classmethod
    def _from_stored(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Profile:
        if not isinstance(data, Mapping):
            profile: Profile = handler(data)
            return profile
        return _salvaged(migrated(data), handler)

    def with_visit(self, today: date) -> Profile:
        return self.model_copy(update={"visits": self.visits + 1, "last_visit": today})

    def content(self) -> dict[str, object]:
        """The fields that matter to the person: a change here is worth a write."""
        return self.model_dump(mode="json", exclude={"version", "origin", "writes"})


def _salvaged(item: Item, handler: ValidatorFunctionWrapHandler) -> Profile:
    """The profile from every value of `item` that validates; each one that does not (visits
    "abc", a plugin_state that is not a map, a plugin's value that is a list) is left out, so that
    its default applies: at the top level the field's, inside plugin_state the plugin's own."""
    while True:
        try:
            profile: Profile = handler(item)
            return profile
        except ValidationError as error:
            path = _stored_path(item, error.errors()[0]["loc"])
            if not path:
                raise  # not a field's value: the item itself is not a map
            # The field's path only: its value could be anything, and logs never hold data.
            log.warning("stored profile: %s did not validate and was reset", _named(path))
            item = _without(item, path)


def _stored_path(item: Item, loc: tuple[int | str, ...]) -> tuple[Any, ...]:
    """The part of an error's location that names keys of the item (pydantic adds the union
    member tried, e.g. ("plugin_state", "checkin", "stage", "int"))."""
    node: Any = item
    path: list[Any] = []
    for key in loc:
        if not isinstance(node, dict) or key not in node:
            break
        path.append(key)
        node = node[key]
    return tuple(path)


def _without(item: Item, path: tuple[Any, ...]) -> Item:
    head, *rest = path
    if not rest:
        return {key: value for key, value in item.items() if key != head}
    return {**item, head: _without(item[head], tuple(rest))}


def _named(path: tuple[Any, ...]) -> str:
    # A key that is not a name the skill uses could be anything (forged words): not logged.
    return ".".join(
        str(key) if isinstance(key, int) or re.fullmatch(NAME_PATTERN, str(key)) else "?"
        for key in path
    )


def fits(value: object, default: object) -> bool:
    """Whether a stored progress value has the type of its field's default (an int where a float
    is expected too; a bool is not an int here), so that a plugin can leave out the rest."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))
