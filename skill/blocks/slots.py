"""Reading slots the way Alexa fills them, including entity resolution of custom types."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Slot
from ask_sdk_model.slu.entityresolution import StatusCode


def resolved_id(handler_input: HandlerInput, slot_name: str) -> str | None:
    """The id of the custom slot value Alexa matched (synonyms included), or None."""
    return matched_id(get_slot(handler_input, slot_name))


def matched_id(slot: Slot | None) -> str | None:
    """The id of the custom value this slot resolved to, or None (no match, or no resolution:
    a built-in type's slot, or one Alexa did not fill)."""
    if slot is None or slot.resolutions is None:
        return None
    for authority in slot.resolutions.resolutions_per_authority or []:
        if authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            value_id: str | None = authority.values[0].value.id
            return value_id
    return None


def slot_value(handler_input: HandlerInput, slot_name: str) -> str | None:
    """The slot's value as Alexa heard it (e.g. "21:30" for AMAZON.TIME), or None."""
    slot = get_slot(handler_input, slot_name)
    value: str | None = slot.value if slot is not None else None
    return value
