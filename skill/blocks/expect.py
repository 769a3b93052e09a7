"""Next-turn expectations: what a question just asked waits for, for one turn only."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.session import LAST_RESPONSE, NEXT_TURN, THIS_TURN


def expect_next_turn(handler_input: HandlerInput, key: str, value: Any) -> None:
    """Remembers `value` for the person's very next turn only."""
    session = handler_input.attributes_manager.session_attributes
    session.setdefault(NEXT_TURN, {})[key] = value


def from_last_turn(handler_input: HandlerInput, key: str) -> Any:
    """What the previous turn set with expect_next_turn, or None."""
    return handler_input.attributes_manager.request_attributes.get(THIS_TURN, {}).get(key)


def keep_expecting(handler_input: HandlerInput) -> None:
    """Carries what the last turn expected over to the next one: for answers that repeat the
    last question (repeat, not understood, an error), so that answering it still works."""
    expected = handler_input.attributes_manager.request_attributes.get(THIS_TURN)
    session = handler_input.attributes_manager.session_attributes
    if expected:
        session[NEXT_TURN] = dict(expected)
    else:
        session.pop(NEXT_TURN, None)


def last_reprompt(handler_input: HandlerInput) -> str | None:
    """The SSML of the last reprompt: it says what the person can say right now."""
    last = handler_input.attributes_manager.session_attributes.get(LAST_RESPONSE) or {}
    reprompt = last.get("reprompt")
    return reprompt if isinstance(reprompt, str) else None
