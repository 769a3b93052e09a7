"""A plugin's progress: one frozen dataclass, stored in the person's profile under its name.

Fields are numbers, flags and ids only, never the person's words: `int`, `float`, `bool`, `str`
(an id: STORED_ID_PATTERN), `Counter` and `BitSet`. A counter or a bit set says how two devices'
changes merge when both saved at once: counters add up both devices' increments, bit sets join;
any other field takes whichever side changed it (see skill/blocks/merge.py). A stored value that
does not validate (another version's type, a damaged item) is reset to its field's default,
field by field; fields a newer version added or an older one dropped are ignored.

The checks are pydantic's strict mode, written out: a bool is not a number, a string is not a
number, a whole number is a float (and read as one). They are plain Python because every
returning person's launch reads a plugin's progress (the resume offer), and pydantic is too
heavy to import on that path (issue 21).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar, Self, dataclass_transform, get_origin, get_type_hints

from skill.state import NAME_PATTERN, STORED_ID_PATTERN

log = logging.getLogger(__name__)

_NAME = re.compile(NAME_PATTERN)
_STORED_ID = re.compile(STORED_ID_PATTERN)


class Merge(Enum):
    ADD = "add"  # a counter: both devices' increments count
    JOIN = "join"  # a bit set: both devices' bits are kept


# A whole number that only goes up (merged by adding increments), never below 0.
Counter = Annotated[int, Merge.ADD]
# A set of small numbers kept as the bits of one int (merged by joining), never below 0.
BitSet = Annotated[int, Merge.JOIN]

# Each check returns the value as kept, or raises ValueError saying what the field must be.
# The messages never hold the value: it could be words a person said.
Check = Callable[[object], object]


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return int.__int__(value)  # an int subclass (an IntEnum) is kept as the plain number


def _count(value: object) -> int:
    number = _whole(value)
    if number < 0:
        raise ValueError("must be a whole number, 0 or more")
    return number


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    try:
        return float(int.__int__(value)) if isinstance(value, int) else float.__float__(value)
    except OverflowError:
        raise ValueError("must be a number a float can hold") from None


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be True or False")
    return value


def _an_id(value: object) -> str:
    if not isinstance(value, str) or not _STORED_ID.fullmatch(value):
        raise ValueError(
            "must be an id (at most 1024 of A-Z a-z 0-9 _ . : ; / + = # -), never words"
        )
    return str.__str__(value)


# The types a field may declare, and how each is checked.
_CHECKS: tuple[tuple[object, Check], ...] = (
    (bool, _flag),
    (int, _whole),
    (float, _number),
    (str, _an_id),
    (Counter, _count),
    (BitSet, _count),
)


@dataclass_transform(frozen_default=True, kw_only_default=True)
class Progress:
    """Base of a plugin's progress: each subclass is made a frozen, keyword-only dataclass.

    `class GroundingProgress(Progress): step: int = 0` declares a field; every field needs a
    default (a first visit reads the defaults). Building one checks every value, and so does
    `changed`; `read` resets what does not validate instead. A check of a field beyond its
    type goes in `accepts`.
    """

    # Filled in for each subclass when it is defined: its fields' checks and merge rules.
    _checks: ClassVar[dict[str, Check]] = {}
    _merges: ClassVar[dict[str, Merge]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__post_init__" in cls.__dict__:
            raise TypeError(f"progress {cls.__qualname__}: check a field in accepts()")
        hints = get_type_hints(cls, include_extras=True)  # `from __future__ import annotations`
        dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        checks: dict[str, Check] = {}
        for field in dataclasses.fields(cls):  # type: ignore[arg-type]
            hint = hints[field.name]
            found = [check for kind, check in _CHECKS if kind == hint]
            if not found:
                raise TypeError(
                    f"progress {cls.__qualname__}.{field.name}: {hint!r} cannot be stored: "
                    "use int, float, bool, str (an id), Counter or BitSet"
                )
            checks[field.name] = found[0]
        cls._checks = checks
        cls._merges = {
            name: kind
            for name in checks
            if get_origin(hints[name]) is Annotated
            for kind in hints[name].__metadata__
            if isinstance(kind, Merge)
        }
        cls.check_declaration()

    def __post_init__(self) -> None:
        """Every value checked as a stored one is (a plugin finds out when it builds its
        progress, not when a stored value is reset), and kept in its field's own type."""
        for name, check in self._checks.items():
            value = getattr(self, name)
            kept = self._checked(name, check, value)
            if kept is not value:
                object.__setattr__(self, name, kept)

    @classmethod
    def _checked(cls, name: str, check: Check, value: object) -> object:
        try:
            kept = check(value)
        except ValueError as error:
            raise ValueError(f"{cls.__name__}.{name} {error}") from None
        if not cls.accepts(name, kept):
            raise ValueError(f"{cls.__name__}.{name}: not a value {cls.__name__} accepts")
        return kept

    @classmethod
    def accepts(cls, field: str, value: object) -> bool:
        """Whether `value` (already of `field`'s type) is one this progress keeps. Override
        for a check of one field beyond its type (a time that must be a time): a value it
        refuses is reset when read, and refused with ValueError when built or `changed`."""
        return True

    @classmethod
    def read(cls, stored: Mapping[str, Any]) -> Self:
        """The progress in `stored`, every value that does not validate reset to its default."""
        kept: dict[str, object] = {}
        for name, check in cls._checks.items():
            if name not in stored:
                continue
            try:
                kept[name] = cls._checked(name, check, stored[name])
            except ValueError:
                # The field's name only: logs never hold data.
                log.warning("stored %s.%s did not validate and was reset", cls.__name__, name)
        return cls(**kept)

    def changed(self, **fields: object) -> Self:
        """This progress with `fields` changed, checked as building one is."""
        return dataclasses.replace(self, **fields)  # type: ignore[type-var]

    def stored(self) -> dict[str, int | float | bool | str]:
        return {name: getattr(self, name) for name in self._checks}

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(cls._checks)

    @classmethod
    def merge_rules(cls) -> dict[str, Merge]:
        """Field name -> how it merges, for the fields declared as Counter or BitSet."""
        return dict(cls._merges)

    @classmethod
    def check_declaration(cls) -> None:
        """Raises ValueError when a field's name is not one the profile keeps, or a field has
        no default or one that does not validate. Run when each subclass is defined."""
        if not dataclasses.is_dataclass(cls):
            return  # Progress itself: no fields
        for field in dataclasses.fields(cls):
            if not _NAME.fullmatch(field.name):
                # The profile keeps progress field names in the same form as plugin names.
                raise ValueError(
                    f"progress {cls.__qualname__}.{field.name}: a field's name is lowercase "
                    "letters, digits and _, starting with a letter (at most 40)"
                )
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                # A first visit reads the defaults: every field needs one that validates.
                raise ValueError(f"progress {cls.__qualname__}.{field.name} needs a default")
        try:
            cls()
        except ValueError as error:
            raise ValueError(f"progress {cls.__qualname__}: a default: {error}") from None


class NoProgress(Progress):
    """For a plugin that keeps nothing."""
