"""Affirmations: a complete third-party Secure Base plugin in one small file and its locale data."""

from __future__ import annotations

from skill.api import (
    Handler,
    HandlerInput,
    Intent,
    MenuContent,
    NoProgress,
    Plugin,
    Response,
    menu,
    resolved_id,
)


class AffirmationContent(MenuContent):
    # Affirmations by topic id (the values of the AFFIRMATION_TOPIC slot type).
    affirmations: dict[str, str]
    default_topic: str


class AffirmationHandler(Handler["Affirmations"]):
    intents = ("AffirmationIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        topic = resolved_id(handler_input, "topic") or content.default_topic
        # Nothing to keep but the choice, so that the next launch can name it.
        self.plugin.save(handler_input, NoProgress())
        # The affirmation, then the menu's question: never an open microphone without one.
        return menu(handler_input, content.affirmations[topic])


class Affirmations(Plugin[AffirmationContent, NoProgress]):
    name = "affirmations"
    intents = (Intent(name="AffirmationIntent", slots={"topic": "AFFIRMATION_TOPIC"}),)
    handlers = (AffirmationHandler,)
    menu_position = 10
