"""Who hears a turn: each handler in its place, and the plugins with focus first.

The SDK tries request handlers in a fixed order. The plugins' handlers are tried through one of
them, `FocusFirst`, which asks the active plugin's handlers before any other plugin's (so the
check-in, not a plugin that happens to share a sample, gets the check-in's answer), then the
other plugins' in the enabled order.
"""

from __future__ import annotations

import json
import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.loaded import loaded
from skill.blocks.sdk import RequestHandler
from skill.blocks.turn_log import HANDLED_BY

log = logging.getLogger("skill.turns")

CHOSEN = "turn.chosen"


def can_handle_safely(
    handler: AbstractRequestHandler, owner: str, handler_input: HandlerInput
) -> bool:
    try:
        return bool(handler.can_handle(handler_input))
    except Exception as error:
        # One plugin's faulty check must not take every later handler (the menu) down.
        log.error(json.dumps({"plugin": owner, "canHandleFailed": type(error).__name__}))
        return False


class Attributed(RequestHandler):
    """A handler that records which part of the skill ("core", "safety") answered the turn."""

    def __init__(self, handler: AbstractRequestHandler, owner: str) -> None:
        self.handler = handler
        self.owner = owner

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return can_handle_safely(self.handler, self.owner, handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.request_attributes[HANDLED_BY] = self.owner
        response: Response = self.handler.handle(handler_input)
        return response


class FocusFirst(RequestHandler):
    """Every enabled plugin's handlers, the active plugin's first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        for plugin in loaded(handler_input).focus_first(handler_input):
            for handler in plugin.request_handlers:
                if can_handle_safely(handler, plugin.name, handler_input):
                    handler_input.attributes_manager.request_attributes[CHOSEN] = (plugin, handler)
                    return True
        return False

    def handle(self, handler_input: HandlerInput) -> Response:
        plugin, handler = handler_input.attributes_manager.request_attributes.pop(CHOSEN)
        handler_input.attributes_manager.request_attributes[HANDLED_BY] = plugin.name
        response: Response = handler.handle(handler_input)
        return response
