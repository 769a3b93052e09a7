"""The safety layer declared like a plugin: its intents, its handlers (tried before any
other's), its words per locale, and the line it adds to every help."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.content import Intent
from skill.blocks.plugin import Plugin
from skill.blocks.progress import NoProgress
from skill.safety.content import SafetyContent
from skill.safety.handlers import (
    AfterResourcesHandler,
    BreathingAfterCrisisHandler,
    CrisisHandler,
    GoodbyeAfterResourcesHandler,
    GoOnHandler,
    PastHurtHandler,
    PastHurtOfferHandler,
)


class Safety(Plugin[SafetyContent, NoProgress]):
    name = "safety"
    intents = (
        Intent(name="CrisisIntent"),
        Intent(name="AbuseIntent"),
        # "that's not what I meant", "let's go on": back to the activity after a safety response
        Intent(name="GoOnIntent"),
        # "call the police": Alexa says it cannot, then gives the numbers
        Intent(name="EmergencyIntent"),
        # "what was the number", "who can I talk to": the numbers again
        Intent(name="NumbersIntent"),
    )
    # Crisis first of all, before the core's handlers and any plugin's.
    handlers = (
        CrisisHandler, PastHurtHandler, PastHurtOfferHandler, BreathingAfterCrisisHandler,
        GoOnHandler, AfterResourcesHandler, GoodbyeAfterResourcesHandler,
    )  # fmt: skip

    def help_footer(self, handler_input: HandlerInput) -> str | None:
        return self.text(handler_input).help_mention
