"""What the skill stores about a person, and nothing more.

One small item per (user, person). It never holds the person's own words:
only counters, dates and the names of things the skill offered.

A stored item is read through `Profile.read`, which first brings an item of an older schema up to
date (`MIGRATIONS`), then keeps every field that validates and resets the ones that don't to their
defaults, so that a damaged item never stops the person being served. Nothing is written for that
alone: the interceptors write only when the turn changed something, and never over an item of a
newer schema (see skill/core/interceptors.py).

Profile is a plain frozen dataclass, and its reader plain Python (skill/state_values.py): every
returning person's launch reads it, and pydantic is too heavy to import on that path (issue 21).
The pydantic model it replaced stays as its specification (skill/local/profile_model.py), and
tests/test_profile_reader.py shows on generated items, damaged ones included, that both read every
item alike.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from skill.state_dates import calendar_date
from skill.state_values import (
    Invalid,
    Reader,
    at_least_0,
    listed,
    matching,
    optional,
    progress_value,
    whole,
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
# A value of a plugin's progress: an exercise's id, a pace, an ISO week ("2026-W48"), an id
# an Alexa API gave (a reminder's alert token): no spaces, nothing SSML could read as markup.
# (The length once made room for eight weeks of dated check-in ratings, no longer kept.)
STORED_ID_PATTERN = r"^[A-Za-z0-9_.:;/+=#-]{0,1024}$"
# One plugin's progress as stored (its progress model says more: skill/blocks/progress.py):
# at most this many values, each an int, a float, a bool or a stored id, under a name.
PROGRESS_VALUES_KEPT = 64
ProgressRecord = dict[str, int | float | bool | str]
# How many plugins' progress an item keeps, and how many plugin names Profile.recent keeps.
PLUGINS_KEPT = 32
RECENT_KEPT = 8
# How many write tokens an item keeps: a write applied while its answer was lost is found among
# them as long as fewer writes followed it before its retry read the item back (a retry comes
# within a second; tests/test_concurrency.py's two devices, writing every few milliseconds,
# make 15 in that time).
WRITES_KEPT = 32
# A random token the store makes (skill/store.py: new_token).
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{8,32}$"

_NAME = re.compile(NAME_PATTERN)


class UnreadableProfile(ValueError):
    """What was given as a stored profile is not a map at all (so has no field to keep)."""


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
# A step must only touch what it recognises as old, e.g. rename a field only when the old name
# is there.
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


def _plugin_states(value: Any) -> dict[str, ProgressRecord]:
    """Each plugin's record that validates; inside one, each value that validates. A plugin's
    value left out takes its progress model's default when the plugin reads it.

    As the model's salvage did it, resets are logged in the item's order, and the limit counts
    the records that validate as they are: past it, plugin_state is reset whole, whatever else is
    wrong in it; then each record salvaged counts too, and one past the limit resets it."""
    if not isinstance(value, Mapping):
        raise Invalid
    read: list[tuple[Any, ProgressRecord | None, list[Any]]] = []
    for plugin, stored in value.items():
        try:
            _name(plugin)  # first: a record under a name that is not one goes whole
            read.append((plugin, *_record(stored)))
        except Invalid:
            read.append((plugin, None, []))
    kept = sum(1 for _, record, dropped in read if record is not None and not dropped)
    if kept > PLUGINS_KEPT:
        raise Invalid
    states: dict[str, ProgressRecord] = {}
    for plugin, record, dropped in read:
        if record is None:
            _reset("plugin_state", plugin)
            continue
        for key in dropped:
            _reset("plugin_state", plugin, key)
        kept += bool(dropped)
        if kept > PLUGINS_KEPT:
            raise Invalid
        states[plugin] = record
    return states


_progress_value = progress_value(matching(STORED_ID_PATTERN))


def _record(value: Any) -> tuple[ProgressRecord, list[Any]]:
    """A plugin's record without the values that do not validate, and their keys. A record
    with more values that validate than it may keep is not kept at all."""
    if not isinstance(value, Mapping):
        raise Invalid
    record: ProgressRecord = {}
    dropped: list[Any] = []
    for key, stored in value.items():
        try:
            name = _name(key)
            record[name] = _progress_value(stored)
        except Invalid:
            dropped.append(key)
    if len(record) > PROGRESS_VALUES_KEPT:
        raise Invalid
    return record, dropped


def _name(value: Any) -> str:
    if not isinstance(value, str) or _NAME.fullmatch(value) is None:
        raise Invalid
    return value


def _reset(*path: Any) -> None:
    # The field's path only: its value could be anything, and logs never hold data.
    log.warning("stored profile: %s did not validate and was reset", _named(path))


def _named(path: tuple[Any, ...]) -> str:
    # A key that is not a name the skill uses could be anything (forged words): not logged.
    return ".".join(
        str(key) if isinstance(key, int) or _NAME.fullmatch(str(key)) else "?" for key in path
    )


def _reads(reader: Reader) -> dict[str, Reader]:
    """A field's metadata: how Profile.read reads its stored value."""
    return {"read": reader}


_token = matching(TOKEN_PATTERN)
_plugin_name = matching(NAME_PATTERN)


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What is kept about one person. Built in code, it is taken as given (like `changed`, it
    checks nothing): what goes to the table or the session is read again first
    (skill/core/carried.py: checked)."""

    schema_version: int = field(default=SCHEMA_VERSION, metadata=_reads(whole))
    # Optimistic lock: the stored version this profile was read at (0 = never stored).
    version: int = field(default=0, metadata=_reads(at_least_0(whole)))
    # A token made when the item was first written and kept by every write after: an item
    # erased and made anew has another, so that a session that read the old one never writes
    # its progress into the new one (see SaveProfile).
    origin: str | None = field(default=None, metadata=_reads(optional(_token)))
    # The tokens of the item's last few writes (skill/store.py: with_write). A write that was
    # applied while its answer was lost finds its own token here, and is not counted again.
    writes: list[str] = field(default_factory=list, metadata=_reads(listed(_token, WRITES_KEPT)))
    visits: int = field(default=0, metadata=_reads(at_least_0(whole)))
    last_visit: date | None = field(default=None, metadata=_reads(optional(calendar_date)))
    # Name of the last activity chosen (e.g. "grounding"), used to say where they left off.
    last_activity: str | None = field(default=None, metadata=_reads(optional(_plugin_name)))
    # The plugins used, most recent first (names only): launch offers the most recent one with
    # a place to resume, so that a detour into another never loses it.
    recent: list[str] = field(
        default_factory=list, metadata=_reads(listed(_plugin_name, RECENT_KEPT))
    )
    # The day the person said yes to being remembered; without it nothing is written.
    consent: date | None = field(default=None, metadata=_reads(optional(calendar_date)))
    # After a no to being remembered: the day until which it is not asked again. Without
    # consent this date is the whole item (ProfileStore.note_declined), and it soon expires.
    declined_until: date | None = field(default=None, metadata=_reads(optional(calendar_date)))
    # Each plugin's own small progress record (e.g. the step it stopped at), by plugin name.
    # Numbers, flags and ids only: never the person's words.
    plugin_state: dict[str, ProgressRecord] = field(
        default_factory=dict, metadata=_reads(_plugin_states)
    )

    @classmethod
    def read(cls, stored: Mapping[str, Any]) -> Profile:
        """The profile a stored item (or the session's copy) holds: migrated to SCHEMA_VERSION,
        then every field that validates, each one that does not reset to its default (and
        logged by its path). Raises UnreadableProfile when `stored` is not a map."""
        if not isinstance(stored, Mapping):
            raise UnreadableProfile("a stored profile must be a map")
        item = migrated(stored)
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(cls):
            if spec.name not in item:
                continue
            try:
                values[spec.name] = spec.metadata["read"](item[spec.name])
            except Invalid:
                _reset(spec.name)
        return cls(**values)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(spec.name for spec in dataclasses.fields(cls))

    def changed(self, **values: Any) -> Profile:
        """This profile with `values` in place of its own (checked no more than a profile built
        in code: see the class)."""
        return dataclasses.replace(self, **values)

    def with_visit(self, today: date) -> Profile:
        return self.changed(visits=self.visits + 1, last_visit=today)

    def dumped(self) -> dict[str, Any]:
        """The profile as JSON holds it (dates as ISO strings), for the table and the session."""
        return {name: _json(getattr(self, name)) for name in self.field_names()}

    def content(self) -> dict[str, object]:
        """The fields that matter to the person: a change here is worth a write."""
        return {
            name: value
            for name, value in self.dumped().items()
            if name not in ("version", "origin", "writes")
        }


def _json(value: Any) -> Any:
    """`value` with fresh containers, its dates as ISO strings (a copy: what is dumped can be
    changed without changing the profile)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json(item) for item in value]
    return value


def fits(value: object, default: object) -> bool:
    """Whether a stored progress value has the type of its field's default (an int where a float
    is expected too; a bool is not an int here), so that a plugin can leave out the rest."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))
