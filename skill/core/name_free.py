"""Name-free interaction: Alexa asks, before any turn, whether this skill can serve a request
said without its name ("Alexa, help me breathe"), by a CanFulfillIntentRequest.

Alexa's rules for the answer: no side effects and no state, and quickly; so it is decided from
the plugins' declarations alone, without reading or writing anything kept for the person, and
without a word spoken. An intent can be fulfilled when an enabled plugin (or the safety layer)
declares it `name_free`, in a locale the skill serves. Each slot Alexa filled is answered too:
a built-in type's value, or a custom value among the type's values or synonyms, is understood
and served; one that is not ("the lion breath") is neither, and the whole answer is then NO, so
that Alexa chooses a skill that knows that exercise.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, is_request_type
from ask_sdk_model import Response, Slot
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from skill.blocks.content import Intent
from skill.blocks.loaded import Loaded, loaded
from skill.blocks.plugin import LOCALES, Handler, Plugin
from skill.blocks.slots import matched_id
from skill.blocks.turn_log import set_outcome
from skill.blocks.words import CorePlugin

REQUEST_TYPE = "CanFulfillIntentRequest"

YES, NO = "YES", "NO"


def is_name_free_query(handler_input: HandlerInput) -> bool:
    """Whether this request only asks whether the skill could serve an intent: nothing of the
    person's is read for it, and nothing is kept."""
    return bool(is_request_type(REQUEST_TYPE)(handler_input))


class CanFulfillHandler(Handler[CorePlugin]):
    """Registered before every other handler: a CanFulfillIntentRequest is never a turn."""

    requests = (REQUEST_TYPE,)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        intent = getattr(request, "intent", None)
        locale = get_locale(handler_input)
        found = None
        if intent is not None and locale in LOCALES:
            found = name_free_intents(loaded(handler_input)).get(intent.name)
        if found is None or intent is None:
            answer = CanFulfillIntent(can_fulfill=CanFulfillIntentValues(NO))
        else:
            answer = can_fulfill(*found, locale, intent.slots or {})
        set_outcome(handler_input, f"can-fulfill {answer.can_fulfill.value}")
        if handler_input.request_envelope.session is not None:
            # Nothing goes back but the answer: not what the session brought with it.
            handler_input.attributes_manager.session_attributes.clear()
        builder = handler_input.response_builder.set_can_fulfill_intent(answer)
        response: Response = builder.response
        return response


def name_free_intents(serving: Loaded) -> dict[str, tuple[Plugin[Any, Any], Intent]]:
    """The intents said without the skill's name that it serves, with who declares each."""
    return {
        intent.name: (plugin, intent)
        for plugin in (serving.safety, *serving.plugins)
        for intent in plugin.intents
        if intent.name_free
    }


def can_fulfill(
    plugin: Plugin[Any, Any], declared: Intent, locale: str, slots: dict[str, Slot]
) -> CanFulfillIntent:
    """YES when every slot Alexa filled is one the skill knows; else NO (Amazon: NO when the
    skill cannot understand or fulfill all the slots). MAYBE is for a request more turns could
    complete: each of these intents starts its activity whole, or says what it lacks."""
    answers = {
        name: _slot(plugin, declared, locale, name, slot)
        for name, slot in slots.items()
        if isinstance(slot.value, str) and slot.value
    }
    served = all(a.can_fulfill == CanFulfillSlotValues.YES for a in answers.values())
    return CanFulfillIntent(
        can_fulfill=CanFulfillIntentValues(YES if served else NO), slots=answers or None
    )


def _slot(
    plugin: Plugin[Any, Any], declared: Intent, locale: str, name: str, slot: Slot
) -> CanFulfillSlot:
    slot_type = declared.slots.get(name)
    # Amazon's example request carries a slot's words without a resolution: the plugin reads
    # them as its own type's values (or its own way, understands_slot).
    known = slot_type is not None and plugin.understands_slot(
        locale, slot_type, str(slot.value), matched_id(slot)
    )
    answer = YES if known else NO
    return CanFulfillSlot(CanUnderstandSlotValues(answer), CanFulfillSlotValues(answer))
