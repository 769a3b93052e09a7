"""Affirmations: a complete third-party Secure Base plugin in one small file and its locale data."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.menu import menu_reprompt
from skill.core.session import profile, reply, update_profile
from skill.plugin import Intent, MenuContent, Plugin
from skill.slots import resolved_id
from skill.speech import Speech


class AffirmationContent(MenuContent):
    # Affirmations by topic id (the values of the AFFIRMATION_TOPIC slot type).
    affirmations: dict[str, str]
    default_topic: str


class AffirmationHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("AffirmationIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = plugin.content(handler_input.request_envelope.request.locale)
        topic = resolved_id(handler_input, "topic") or content.default_topic
        chosen = profile(handler_input).model_copy(update={"last_activity": plugin.name})
        update_profile(handler_input, chosen)
        speech = Speech(content.affirmations[topic]).pause(1.5)
        return reply(handler_input, speech, menu_reprompt(handler_input))


plugin: Plugin[AffirmationContent] = Plugin(
    name="affirmations",
    package=__name__,
    content_model=AffirmationContent,
    handlers=lambda: [AffirmationHandler()],
    intents=(Intent(name="AffirmationIntent", slots={"topic": "AFFIRMATION_TOPIC"}),),
    menu_position=10,
)
