"""A plugin's progress model as its author and an operator meet it: what a damaged stored value
reads as and what the log says, what building one refuses, and what a declaration must be."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from skill.blocks.progress import BitSet, Counter, Merge, Progress
from skill.plugins.checkin.state import CheckinProgress

ROOT = Path(__file__).resolve().parent.parent
WORDS = "my partner hit me"


class Place(Progress):
    step: int = 2
    speed: float = 1.0
    done: bool = False
    exercise: str = "box"
    total: Counter = 5
    seen: BitSet = 3


@pytest.mark.parametrize(
    ("field", "damaged"),
    [
        ("step", True),  # a bool is not a number
        ("step", "3"),  # nor is a string
        ("step", 2.0),  # nor a float, for a whole number
        ("speed", False),
        ("speed", "1.5"),
        ("done", 1),  # a number is not a flag
        ("exercise", WORDS),  # an id never holds spaces
        ("exercise", 7),
        ("total", -1),  # a counter never goes below 0
        ("seen", -4),
    ],
)
def test_a_damaged_stored_value_is_reset_and_logged_by_its_field_only(
    field: str, damaged: object, caplog: pytest.LogCaptureFixture
) -> None:
    stored = {**Place(step=9, speed=2.5, done=True, exercise="scan", total=8).stored()}
    with caplog.at_level(logging.WARNING, logger="skill.blocks.progress"):
        read = Place.read({**stored, field: damaged})
    assert read == Place(**{**stored, field: getattr(Place(), field)})  # the rest is kept
    assert caplog.messages == [f"stored Place.{field} did not validate and was reset"]


def test_a_whole_number_stored_for_a_float_reads_as_that_float() -> None:
    # DynamoDB gives 2.0 back as 2 (skill/store.py); a float field keeps it as a float.
    read = Place.read({"speed": 2})
    assert read.speed == 2.0 and type(read.speed) is float
    assert type(read.stored()["speed"]) is float


def test_keys_a_version_does_not_declare_are_ignored_and_missing_ones_are_defaults(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        read = Place.read({"total": 6, "retired_field": "x", "newer": 3})
    assert read == Place(total=6)
    assert read.stored() == {
        "step": 2,
        "speed": 1.0,
        "done": False,
        "exercise": "box",
        "total": 6,
        "seen": 3,
    }
    assert caplog.messages == []


def test_building_progress_refuses_words_where_an_id_goes_without_repeating_them() -> None:
    with pytest.raises(ValueError, match=r"Place\.exercise must be an id") as refused:
        Place(exercise=WORDS)
    assert WORDS not in str(refused.value)  # the message reaches logs
    with pytest.raises(ValueError, match=r"Place\.step must be a whole number"):
        Place(step=True)


def test_changed_checks_like_building_and_leaves_the_original_alone() -> None:
    place = Place()
    moved = place.changed(step=3, total=6)
    assert (moved.step, moved.total, moved.exercise) == (3, 6, "box")
    assert place == Place()
    with pytest.raises(ValueError, match=r"Place\.total must be a whole number, 0 or more"):
        place.changed(total=-1)
    with pytest.raises(ValueError, match=r"Place\.exercise must be an id"):
        place.changed(exercise=WORDS)
    with pytest.raises(TypeError):
        place.changed(stpe=3)  # a typo is not a field quietly added
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.step = 4  # type: ignore[misc]


def test_a_field_type_the_profile_cannot_keep_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match=r"progress .*Listed\.items: .* cannot be stored"):

        class Listed(Progress):
            items: list[str] = dataclasses.field(default_factory=list)


def test_a_field_name_the_profile_cannot_keep_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(ValueError, match=r"progress .*Shouting\.Step: a field's name is"):

        class Shouting(Progress):
            Step: int = 0


def test_a_default_that_does_not_validate_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(ValueError, match=r"Worded: a default: Worded\.said must be an id"):

        class Worded(Progress):
            said: str = "hello there"


def test_a_checks_hook_of_its_own_is_refused_for_accepts() -> None:
    with pytest.raises(TypeError, match="accepts"):

        class Checked(Progress):
            step: int = 0

            def __post_init__(self) -> None:
                pass


class MorePlace(Place):
    again: Counter = 0


def test_a_subclass_keeps_its_bases_fields_and_merge_rules() -> None:
    assert MorePlace.field_names() == (*Place.field_names(), "again")
    assert Place.field_names() == ("step", "speed", "done", "exercise", "total", "seen")
    assert MorePlace.merge_rules() == {"total": Merge.ADD, "seen": Merge.JOIN, "again": Merge.ADD}
    assert MorePlace.read({"again": 2, "total": True}) == MorePlace(again=2)


def test_the_check_in_time_must_be_a_time_when_read_and_when_built(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        read = CheckinProgress.read({"time": "25:99", "zone": "Europe/Paris"})
    assert (read.time, read.zone) == ("", "Europe/Paris")
    assert caplog.messages == ["stored CheckinProgress.time did not validate and was reset"]
    assert CheckinProgress.read({"time": "21:30"}).time == "21:30"
    with pytest.raises(ValueError, match=r"CheckinProgress\.time"):
        CheckinProgress(time="soon")
    with pytest.raises(ValueError, match=r"CheckinProgress\.time"):
        CheckinProgress().changed(time="7:75")
    assert CheckinProgress(time="21:30").changed(time="").time == ""  # none set


def test_reading_progress_does_not_import_pydantic() -> None:
    # Every returning person's launch reads a plugin's progress (the resume offer).
    check = "import skill.blocks.progress, sys; assert 'pydantic' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True)
