"""The light reader of the stored profile (Profile.read) keeps what the pydantic model kept.

The skill reads every stored item and every profile the session carries with Profile.read,
plain Python (skill/state.py, skill/state_values.py). The pydantic model that read them before
issue 21 is kept as its specification (skill/local/profile_model.py). Here both read the same
generated items, as the table or the session gives them: the ones this version writes, other
versions' (a newer schema, types changed, schema 1's ratings), and damaged ones (wrong types,
numbers out of range, strings past their patterns, lists too long, plugin_state or a record that
is not a map, unknown keys, an unreadable schema_version), field by field. They must keep the
same value in every field, of the same type, and log the same resets.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from skill.local.profile_model import ProfileModel
from skill.state import (
    PLUGINS_KEPT,
    PROGRESS_VALUES_KEPT,
    RECENT_KEPT,
    RETIRED_CHECKIN_FIELDS,
    WRITES_KEPT,
    Profile,
    UnreadableProfile,
)
from tests.strategies import CORRUPT, OTHER_VERSION, PLUGINS, THIS_VERSION, profiles

SETTINGS = settings(max_examples=400, deadline=None, derandomize=True, database=None)


# -- what both read ---------------------------------------------------------------------------


def typed(value: Any) -> Any:
    """`value` with the type of every part spelled out: 1, 1.0 and True are not the same value
    to a person's progress, though Python's == says they are (and NaN is not even itself)."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value)
    return (type(value).__name__, value)


class Resets(logging.Handler):
    """The paths a reader logged as reset."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.paths: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "did not validate" in message:
            self.paths.append(message)


@contextmanager
def resets(logger: str) -> Iterator[Resets]:
    handler = Resets()
    watched = logging.getLogger(logger)
    watched.addHandler(handler)
    try:
        yield handler
    finally:
        watched.removeHandler(handler)


def assert_read_alike(item: dict[str, Any]) -> Profile:
    with resets("skill.state") as light:
        read = Profile.read(item)
    with resets("skill.local.profile_model") as reference:
        model = ProfileModel.model_validate(item)
    for name in Profile.field_names():
        assert typed(getattr(read, name)) == typed(getattr(model, name)), name
    assert typed(read.dumped()) == typed(model.model_dump(mode="json"))
    assert typed(read.content()) == typed(
        model.model_dump(mode="json", exclude={"version", "origin", "writes"})
    )
    assert light.paths == reference.paths
    return read


def test_both_have_the_same_fields_and_defaults() -> None:
    assert Profile.field_names() == tuple(ProfileModel.model_fields)
    assert typed(Profile().dumped()) == typed(ProfileModel().model_dump(mode="json"))


# -- items as versions of the skill write them -----------------------------------------------


@SETTINGS
@given(profiles(THIS_VERSION) | profiles(OTHER_VERSION) | profiles(CORRUPT))
def test_items_the_skill_or_another_version_wrote_are_read_alike(item: dict[str, Any]) -> None:
    assert_read_alike(item)


@settings(SETTINGS, max_examples=150)
@given(profiles(THIS_VERSION) | profiles(OTHER_VERSION) | profiles(CORRUPT))
def test_a_profile_comes_back_from_the_session_as_it_went(item: dict[str, Any]) -> None:
    """The session carries dumped() as JSON: read back, it is the same profile, dates and all
    (skill/core/carried.py takes a carried profile only when it is exactly that)."""
    read = Profile.read(item)
    carried = json.loads(json.dumps(read.dumped()))
    assert carried == read.dumped()
    assert typed(Profile.read(carried).dumped()) == typed(read.dumped())
    assert Profile.read(carried).last_visit == read.last_visit


# -- damaged items, field by field -------------------------------------------------------------

# Keys inside damaged nested values: never a union member's label ("int") or "[key]", which the
# model's salvage loop followed into such a value, logging its path twice (the reader, once).
_JUNK_KEYS = st.text(alphabet="xyz", max_size=3)
_WHITESPACE = st.sampled_from(["", " ", "\t", "\n", "\xa0", "\u3000", "\x1c"])


def _padded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda before, core, after: before + core + after, _WHITESPACE, text, _WHITESPACE
    )


_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_JUNK_KEYS, inner, max_size=3),
    max_leaves=6,
)
# Whole numbers written every way pydantic's lax mode reads one, and ways it does not.
_NUMBER_TEXT = _padded(
    st.builds(
        lambda sign, zeros, digits, tail: sign + zeros + digits + tail,
        st.sampled_from(["", "+", "-", "+-", "--"]),
        st.sampled_from(["", "0", "00", "0_0"]),
        st.text(alphabet="0123456789", max_size=22),
        st.sampled_from(["", ".", ".0", ".00", ".5", "e3", "_1", "__1", "_", "x", ".0_0"]),
    )
)
_NUMBERS = st.one_of(
    st.booleans(),
    st.integers(-5, 50),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.integers(-1000, 1000).map(float),
    _NUMBER_TEXT,
    st.sampled_from(["1" * 4300, "1" * 4301, " " + "1" * 4301, "0" * 5000 + "1"]),
)
# Dates: ISO ones, datetimes at midnight and after, with offsets; Unix timestamps (seconds and
# milliseconds, as numbers and as text) at midnight and just off it; days that do not exist.
_DAY_NUMBER = st.integers(-719_600, 2_932_900)  # year 0 to past 9999, in days from 1970
_EPSILON = st.sampled_from([0, 1e-7, -1e-7, 5e-7, -5e-7, 6e-7, 5e-4, -5e-4, 0.5, 1])
_STAMPS = st.one_of(
    st.builds(lambda day, off: day * 86_400 + off, _DAY_NUMBER, _EPSILON),
    st.builds(lambda day, off: day * 86_400_000 + off, _DAY_NUMBER, _EPSILON),
    st.integers(-(2**64), 2**64),
    st.sampled_from([20_000_000_000, 20_000_000_001, -20_000_000_001]),
)
_ISO_DATES = st.dates().map(date.isoformat) | st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
)
_TIMES = st.builds(
    lambda sep, hour, minute, second, offset: f"{sep}{hour}:{minute}{second}{offset}",
    st.sampled_from(["T", "t", " ", "_", "x"]),
    st.sampled_from(["00", "00", "01", "24"]),
    st.sampled_from(["00", "00", "59", "60"]),
    st.sampled_from(["", ":00", ":01", ":00.000", ":00.0000001", ":00.", ":00,0", ":60"]),
    st.sampled_from(
        ["", "Z", "+01:00", "-0800", "\u221205:30", "+24:00", "-23:59", "+00:60", "+1", "x"]
    ),
)
_DATES = st.one_of(
    _ISO_DATES,
    st.builds(lambda day, time: day + time, _ISO_DATES, _TIMES),
    _STAMPS,
    _STAMPS.map(str),
    _STAMPS.map(lambda stamp: f"{stamp:.1f}"),
    _padded(st.dates().map(date.isoformat)),
    st.sampled_from(["yesterday", "2026-W48", "20261126", "2026/11/26", "86400.", ".0", "8.64e4"]),
)
# Names and tokens near their patterns: lengths at the limits, capitals, a trailing newline.
_VALID_NAMES = st.sampled_from(PLUGINS) | st.from_regex(r"[a-z][a-z0-9_]{0,39}", fullmatch=True)
_NAMES = st.one_of(
    _VALID_NAMES,
    st.sampled_from(["", "a" * 40, "a" * 41, "Grounding", "9lives", "repair\n", "two words", "é"]),
    st.text(max_size=12),
)
_VALID_TOKENS = st.from_regex(r"[A-Za-z0-9_-]{8,32}", fullmatch=True)
_TOKENS = st.one_of(
    _VALID_TOKENS,
    st.sampled_from(["short", "x" * 33, "with space__", "token-1\n", "tøken-with-ø"]),
    st.text(max_size=40),
)


def _lists_of(
    valid: st.SearchStrategy[Any], values: st.SearchStrategy[Any], kept: int
) -> st.SearchStrategy[Any]:
    """Lists of any values; of valid ones around `kept` long, perhaps with one that is not (and
    as tuples, which pydantic read as lists)."""
    at_limit = st.builds(
        lambda items, odd, at: items if odd is None else [*items[:at], odd, *items[at:]],
        st.lists(valid, min_size=kept - 1, max_size=kept + 1),
        st.none() | values,
        st.integers(0, kept),
    )
    lists = st.lists(values, max_size=3) | at_limit
    return lists | lists.map(tuple)


# A value of a plugin's progress: every type pydantic's union kept, and strings that are not ids
# but read as numbers (" 3", "1e5 ", " inf").
_PROGRESS_VALUES = st.one_of(
    st.booleans(),
    st.integers() | st.integers(-(2**70), 2**70),
    st.floats(),
    st.from_regex(r"[A-Za-z0-9_.:;/+=#-]{0,20}", fullmatch=True),
    _NUMBER_TEXT,
    _padded(st.sampled_from(["inf", "-Infinity", "nan", "1.5", "3.", ".5", "1e5", "1E+5"])),
    st.sampled_from(["x" * 1025, "1" * 1025, "1" * 4301, "my partner hit me", "yes "]),
    st.text(max_size=12),
    _JUNK,
)

FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "schema_version": st.integers(0, 99) | st.sampled_from(["abc", "2", -1, True, 1.5, None, 2.0]),
    "version": _NUMBERS,
    "origin": st.none() | _TOKENS,
    "writes": _lists_of(_VALID_TOKENS, _TOKENS, WRITES_KEPT),
    "visits": _NUMBERS,
    "last_visit": st.none() | _DATES,
    "last_activity": st.none() | _NAMES,
    "recent": _lists_of(_VALID_NAMES, _NAMES, RECENT_KEPT),
    "consent": st.none() | _DATES,
    "declined_until": st.none() | _DATES,
    "plugin_state": st.dictionaries(_NAMES, st.dictionaries(_NAMES, _PROGRESS_VALUES)) | _JUNK,
}


@settings(SETTINGS, max_examples=600)
@given(
    st.one_of(*(st.tuples(st.just(name), values | _JUNK) for name, values in FIELD_VALUES.items()))
)
@example(("visits", "3."))
@example(("version", "3.00"))
@example(("consent", "2026-11-20_00:00"))
@example(("last_visit", 1_700_000_000_000))
def test_any_value_of_any_field_is_read_alike(field: tuple[str, Any]) -> None:
    name, value = field
    assert_read_alike({name: value})


@settings(SETTINGS, max_examples=800)
@given(_DATES)
@example("2026-11-20T00:00:00.0000001Z")
@example("2026-11-20 00:00+24:00")
@example("2026-11-20_00:00-23:59")
def test_any_date_is_read_alike(value: Any) -> None:
    assert_read_alike({"consent": value, "last_visit": value})


@settings(SETTINGS, max_examples=500)
@given(_NUMBERS)
def test_any_whole_number_is_read_alike(value: Any) -> None:
    assert_read_alike({"visits": value, "version": value})


@settings(SETTINGS, max_examples=500)
@given(_PROGRESS_VALUES)
@example(" 3")
@example("1e5 ")
@example(" 3.")
def test_any_value_of_a_plugin_s_progress_is_read_alike(value: Any) -> None:
    assert_read_alike({"plugin_state": {"grounding": {"step": value}}})


@st.composite
def _around_limit(
    draw: st.DrawFn, kinds: dict[str, tuple[st.SearchStrategy[Any], int, int]]
) -> dict[str, Any]:
    """A map with entries of each kind (key prefix: values, fewest, most), in any order. The keys
    are told apart by a number: a name unless the prefix makes it none."""
    entries = [
        (f"{prefix}{index}", value)
        for prefix, (values, fewest, most) in kinds.items()
        for index, value in enumerate(draw(st.lists(values, min_size=fewest, max_size=most)))
    ]
    return dict(draw(st.permutations(entries)))


# Records around their limit: values that validate, values that do not, keys that are not names.
_RECORDS_AT_LIMIT = _around_limit(
    {
        "good": (st.integers(0, 9), PROGRESS_VALUES_KEPT - 2, PROGRESS_VALUES_KEPT + 1),
        "bad_value": (st.just([1]), 0, 2),
        "Bad key": (st.integers(0, 9), 0, 1),
    }
)
# plugin_state around its limit: records that validate as they are, records salvaged (a value
# reset), records reset whole (not a map, or under a key that is not a name).
_PLUGIN_STATES_AT_LIMIT = _around_limit(
    {
        "good": (st.just({"step": 1}), PLUGINS_KEPT - 2, PLUGINS_KEPT + 1),
        "salvaged": (st.just({"step": [1], "pace": "slow"}), 0, 3),
        "reset": (st.just("21:30"), 0, 2),
        "Bad key": (st.just({"step": 1}), 0, 1),
    }
)


@settings(SETTINGS, max_examples=150)
@given(_RECORDS_AT_LIMIT)
def test_a_record_at_its_limit_is_salvaged_alike(record: dict[str, Any]) -> None:
    assert_read_alike({"plugin_state": {"repair": record}})


@settings(SETTINGS, max_examples=150)
@given(_PLUGIN_STATES_AT_LIMIT)
def test_plugin_state_at_its_limit_is_salvaged_alike(plugin_state: dict[str, Any]) -> None:
    assert_read_alike({"plugin_state": plugin_state})


_RATINGS = st.fixed_dictionaries(
    {}, optional=dict.fromkeys(RETIRED_CHECKIN_FIELDS, _PROGRESS_VALUES)
)
DAMAGED_FIELDS = {
    **{name: values | _JUNK for name, values in FIELD_VALUES.items()},
    # Keys no version has used (and one a newer version could).
    "nickname_hash": _JUNK,
    "": _JUNK,
}


@st.composite
def damaged_items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = draw(st.fixed_dictionaries({}, optional=DAMAGED_FIELDS))
    states = item.get("plugin_state")
    if draw(st.booleans()) and isinstance(states, dict):
        # Schema 1's ratings in the check-in's record (erased by the step to 2), or in a record
        # of the wrong type (left to the salvage).
        checkin = states.get("checkin")
        extra = draw(_RATINGS)
        states["checkin"] = {**checkin, **extra} if isinstance(checkin, dict) else checkin
    return item


@SETTINGS
@given(damaged_items())
# The lax readings a stored item relies on, always tried.
@example({"visits": " 3 ", "version": "3.00", "writes": ("abcdefgh",), "recent": ["repair"]})
@example({"visits": True, "version": 3.0, "last_visit": "2026-11-20T00:00:00+01:00"})
@example({"visits": "1_000", "consent": 86_400, "declined_until": "86400"})
@example({"consent": 1_700_000_000_000, "last_visit": "2026-11-20T00:00:01"})
@example({"plugin_state": {"grounding": {"step": " 3", "pace": "1e5 ", "total": " inf"}}})
@example({"plugin_state": {"checkin": {"time": "21:30", "ratings": "x", "ratings_ok": True}}})
@example({"schema_version": 1, "plugin_state": {"checkin": {"ratings": "2026-11-23=2"}}})
@example({"schema_version": "abc", "plugin_state": {"checkin": {"ratings": "2026-11-23=2"}}})
@example({"plugin_state": {"Bad Name": {"x": 1}, "repair": {"step": [1], "Role": "x"}}})
def test_damaged_items_are_salvaged_alike(item: dict[str, Any]) -> None:
    assert_read_alike(item)


def test_the_salvage_is_logged_by_paths_only(caplog: pytest.LogCaptureFixture) -> None:
    words = "my partner hit me"
    item = {"visits": words, "plugin_state": {words: {"x": 1}, "repair": {"step": words}}}
    with caplog.at_level(logging.WARNING):
        assert_read_alike(item)
    assert words not in caplog.text
    assert "plugin_state.repair.step did not validate" in caplog.text


@pytest.mark.parametrize("item", [None, [], ["visits", 3], "visits", 3, b"{}"])
def test_an_item_that_is_not_a_map_is_refused_by_both(item: Any) -> None:
    with pytest.raises(UnreadableProfile):
        Profile.read(item)
    with pytest.raises(ValidationError):
        ProfileModel.model_validate(item)


# -- a profile changed in code -----------------------------------------------------------------


def test_changed_checks_nothing_and_reading_again_resets_what_it_let_through() -> None:
    """As model_copy(update=...) did: a plugin's mistake (words where an id goes) is caught when
    the profile is read again before it is kept (skill/core/carried.py: checked)."""
    leaky = Profile().changed(visits=-1, plugin_state={"grounding": {"last": "my partner hit me"}})
    assert leaky.plugin_state["grounding"]["last"] == "my partner hit me"
    again = assert_read_alike(leaky.dumped())
    assert again.plugin_state == {"grounding": {}} and again.visits == 0
