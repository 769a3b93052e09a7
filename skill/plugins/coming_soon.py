"""A menu offer whose content is not written yet: it says so honestly, and is remembered."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.menu import menu_reprompt
from skill.core.session import core_text, profile, reply, update_profile
from skill.plugin import Intent, MenuContent, Plugin
from skill.speech import Speech


class ComingSoonContent(MenuContent):
    coming_soon: str


class ComingSoonHandler(AbstractRequestHandler):  # type: ignore[misc]
    def __init__(self, plugin: Plugin[ComingSoonContent], intent: str) -> None:
        self.plugin = plugin
        self.intent = intent

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name(self.intent)(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        chosen = profile(handler_input).model_copy(update={"last_activity": self.plugin.name})
        update_profile(handler_input, chosen)
        content = self.plugin.content(handler_input.request_envelope.request.locale)
        speech = Speech(content.coming_soon, core_text(handler_input).anything_else)
        return reply(handler_input, speech, menu_reprompt(handler_input))


def coming_soon_plugin(
    name: str, package: str, intent: str, menu_position: int
) -> Plugin[ComingSoonContent]:
    plugin: Plugin[ComingSoonContent] = Plugin(
        name=name,
        package=package,
        content_model=ComingSoonContent,
        handlers=lambda: [ComingSoonHandler(plugin, intent)],
        intents=(Intent(name=intent),),
        menu_position=menu_position,
        start=lambda handler_input: ComingSoonHandler(plugin, intent).handle(handler_input),
    )
    return plugin
