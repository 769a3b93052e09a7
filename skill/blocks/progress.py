"""A plugin's progress: one pydantic model, stored in the person's profile under its name.

Fields are numbers, flags and ids only, never the person's words. A counter (`Counter`) or a bit
set (`BitSet`) says how two devices' changes merge when both saved at once: counters add up both
devices' increments, bit sets join; any other field takes whichever side changed it (see
skill/blocks/merge.py). A stored value that does not validate (another version's type, a damaged
item) is reset to its field's default, field by field; fields a newer version added or an older
one dropped are ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from skill.state import StoredId

log = logging.getLogger(__name__)


class Merge(Enum):
    ADD = "add"  # a counter: both devices' increments count
    JOIN = "join"  # a bit set: both devices' bits are kept


# A whole number that only goes up (merged by adding increments).
Counter = Annotated[int, Field(ge=0), Merge.ADD]
# A set of small numbers kept as the bits of one int (merged by joining).
BitSet = Annotated[int, Field(ge=0), Merge.JOIN]


_STORED_ID: TypeAdapter[str] = TypeAdapter(StoredId)


class Progress(BaseModel):
    # Strict: a stored bool is not an int and a string is not a number; an int is a float.
    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    @field_validator("*")
    @classmethod
    def _string_is_an_id(cls, value: object) -> object:
        # The profile keeps only what Profile's StoredId allows (short ids, never words), so a
        # plugin finds out when it builds its progress, not when a stored value is reset.
        return _STORED_ID.validate_python(value) if isinstance(value, str) else value

    @classmethod
    def read(cls, stored: Mapping[str, Any]) -> Self:
        """The progress in `stored`, every value that does not validate reset to its default."""
        item = {key: value for key, value in stored.items() if key in cls.model_fields}
        while True:
            try:
                return cls.model_validate(item)
            except ValidationError as error:
                place = error.errors()[0]["loc"]
                field = place[0] if place else None
                if field not in item:
                    # Not one stored value (a check across fields): the progress starts over.
                    log.warning("stored %s did not validate and was reset", cls.__name__)
                    return cls()
                # The field's name only: logs never hold data.
                log.warning("stored %s.%s did not validate and was reset", cls.__name__, field)
                item = {key: value for key, value in item.items() if key != field}

    def stored(self) -> dict[str, int | float | bool | str]:
        return self.model_dump(mode="json")

    @classmethod
    def merge_rules(cls) -> dict[str, Merge]:
        """Field name -> how it merges, for the fields declared as Counter or BitSet."""
        return {
            name: kind
            for name, field in cls.model_fields.items()
            for kind in field.metadata
            if isinstance(kind, Merge)
        }


class NoProgress(Progress):
    """For a plugin that keeps nothing."""
