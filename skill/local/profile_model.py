"""The stored profile as the pydantic model it was: the specification of skill/state.py's reader.

Until issue 21 this model was the profile itself. The skill now reads items with a plain reader
(Profile.read), because pydantic is too heavy to import on a returning person's launch; the model
stays here, outside the Lambda package (skill/local is not shipped), as the statement of what an
item holds and how a damaged one is salvaged. tests/test_profile_reader.py shows on generated
items, damaged ones included, that the reader and this model keep the same values.

`ProfileModel.model_validate(item)` first brings an item of an older schema up to date (the same
MIGRATIONS), then keeps every field that validates and resets the ones that don't to their
defaults (`_salvaged`): at the top level the field's, inside plugin_state the plugin's own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
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

from skill.state import (
    NAME_PATTERN,
    PLUGINS_KEPT,
    PROGRESS_VALUES_KEPT,
    RECENT_KEPT,
    SCHEMA_VERSION,
    STORED_ID_PATTERN,
    TOKEN_PATTERN,
    WRITES_KEPT,
    Item,
    migrated,
)

log = logging.getLogger(__name__)

# A plugin's name, or a field of its progress.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
# A value of a plugin's progress that is a string: an id, never words.
StoredId = Annotated[str, StringConstraints(pattern=STORED_ID_PATTERN)]
# One plugin's progress as stored.
ProgressRecord = Annotated[
    dict[Name, int | float | bool | StoredId], Field(max_length=PROGRESS_VALUES_KEPT)
]
# A random token the store makes (skill/store.py: new_token).
Token = Annotated[str, StringConstraints(pattern=TOKEN_PATTERN)]


class ProfileModel(BaseModel):
    # Items written by a newer schema may carry fields this code does not know yet.
    model_config = ConfigDict(extra="ignore")

    schema_version: int = SCHEMA_VERSION
    version: int = Field(default=0, ge=0)
    origin: Token | None = None
    writes: list[Token] = Field(default=[], max_length=WRITES_KEPT)
    visits: int = Field(default=0, ge=0)
    last_visit: date | None = None
    last_activity: Name | None = None
    recent: list[Name] = Field(default=[], max_length=RECENT_KEPT)
    consent: date | None = None
    declined_until: date | None = None
    plugin_state: dict[Name, ProgressRecord] = Field(default={}, max_length=PLUGINS_KEPT)

    @model_validator(mode="wrap")
    @classmethod
    def _from_stored(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> ProfileModel:
        if not isinstance(data, Mapping):
            profile: ProfileModel = handler(data)
            return profile
        return _salvaged(migrated(data), handler)


def _salvaged(item: Item, handler: ValidatorFunctionWrapHandler) -> ProfileModel:
    """The profile from every value of `item` that validates; each one that does not (visits
    "abc", a plugin_state that is not a map, a plugin's value that is a list) is left out, so that
    its default applies: at the top level the field's, inside plugin_state the plugin's own."""
    while True:
        try:
            profile: ProfileModel = handler(item)
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
