"""The plugins this skill serves, in their order, as every turn sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.focus import active_name
from skill.blocks.plugin import Plugin
from skill.blocks.session import PLUGINS
from skill.blocks.words import CoreContent


@dataclass(frozen=True, eq=False)
class Loaded:
    """The safety layer, the core and the enabled plugins, in the order their handlers are
    tried: safety, the core's global handlers, then the plugins in `plugins` order (the one the
    person is in first of all), then the core's menu and fallback."""

    safety: Plugin[Any, Any]
    core: Plugin[CoreContent, Any]
    plugins: tuple[Plugin[Any, Any], ...]

    @property
    def everything(self) -> tuple[Plugin[Any, Any], ...]:
        """Every declaration whose intents and samples make up the interaction model."""
        return (self.core, self.safety, *self.plugins)

    def named(self, name: object) -> Plugin[Any, Any] | None:
        return next((p for p in self.plugins if p.name == name), None)

    def providing(self, capability: str) -> Plugin[Any, Any] | None:
        """The first enabled plugin that provides `capability` ("breathing"), or None."""
        return next((p for p in self.plugins if capability in p.provides), None)

    def on_menu(self) -> list[Plugin[Any, Any]]:
        """The plugins on the spoken menu, in menu order (help describes them in this order)."""
        offered = [p for p in self.plugins if p.menu_position is not None]
        return sorted(offered, key=lambda p: (p.menu_position, p.name))

    def active(self, handler_input: HandlerInput) -> Plugin[Any, Any] | None:
        """The plugin the person is in the middle of, if any."""
        return self.named(active_name(handler_input))

    def focus_first(self, handler_input: HandlerInput) -> list[Plugin[Any, Any]]:
        """The plugins in the order they hear this turn: the active one, then the others."""
        active = self.active(handler_input)
        if active is None:
            return list(self.plugins)
        return [active, *(p for p in self.plugins if p is not active)]


def loaded(handler_input: HandlerInput) -> Loaded:
    found: Loaded = handler_input.attributes_manager.request_attributes[PLUGINS]
    return found


def core_text(handler_input: HandlerInput) -> CoreContent:
    return loaded(handler_input).core.text(handler_input)
