"""Focus: the plugin the person is in the middle of, whose handlers hear the next turn first."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.session import ACTIVE, in_session, session_get


def set_active(handler_input: HandlerInput, plugin: str | None) -> None:
    """Marks `plugin` as the activity in progress (None: back at the menu)."""
    if not in_session(handler_input):
        return
    session = handler_input.attributes_manager.session_attributes
    if plugin is None:
        session.pop(ACTIVE, None)
    else:
        session[ACTIVE] = plugin


def active_name(handler_input: HandlerInput) -> str | None:
    name = session_get(handler_input, ACTIVE)
    return name if isinstance(name, str) else None


def is_active(handler_input: HandlerInput, plugin: str) -> bool:
    return active_name(handler_input) == plugin


def any_active(handler_input: HandlerInput) -> bool:
    """Whether the person is in the middle of some activity, whichever plugin's."""
    return active_name(handler_input) is not None
