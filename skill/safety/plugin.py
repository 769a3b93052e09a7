"""The safety layer declared like a plugin: its intents, its handlers (tried before any
other's), its words per locale, and the line it adds to every help."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.content import Intent
from skill.blocks.expect import from_last_turn
from skill.blocks.plugin import Plugin
from skill.blocks.progress import NoProgress
from skill.safety.content import SafetyContent
from skill.safety.handlers import (
    AfterHelpHandler,
    AfterResourcesHandler,
    BreathingAfterCrisisHandler,
    CrisisHandler,
    GoOnHandler,
    MedicalHandler,
    PastHurtHandler,
    PastHurtOfferHandler,
)
from skill.safety.resources import OFFERED_BREATHING


class Safety(Plugin[SafetyContent, NoProgress]):
    name = "safety"
    testing = """
        Crisis routing works in every activity and comes before anything else: say "I want to
        kill myself" or "my partner hits me" and the skill gives the help lines for the
        country of the locale at once, then asks whether to go on. The skill cannot call anyone:
        "call the police" is answered with the emergency number to call.
    """
    intents = (
        # Said without the skill's name, a crisis or present abuse is claimed: the answer is
        # the help lines at once, the one thing this skill can do for it safely. Not the
        # emergency and medical intents below: a skill that cannot call anyone does not claim
        # "call the police" or "I'm having a heart attack" from Alexa's own answers.
        Intent(name="CrisisIntent", name_free=True),
        Intent(name="AbuseIntent", name_free=True),
        # "that's not what I meant", "let's go on": back to the activity after a safety response
        Intent(name="GoOnIntent"),
        # "call the police": Alexa says it cannot, then gives the numbers
        Intent(name="EmergencyIntent"),
        # "what was the number", "who can I talk to": the numbers again
        Intent(name="NumbersIntent"),
        # "I have chest pain", "I think I'm having a heart attack": the emergency number first
        Intent(name="MedicalIntent"),
    )
    # Crisis first of all, before the core's handlers and any plugin's.
    handlers = (
        MedicalHandler, CrisisHandler, PastHurtHandler, PastHurtOfferHandler,
        BreathingAfterCrisisHandler, GoOnHandler, AfterResourcesHandler,
        AfterHelpHandler,
    )  # fmt: skip

    def help_footer(self, handler_input: HandlerInput) -> str | None:
        if from_last_turn(handler_input, OFFERED_BREATHING):
            return None  # the numbers were just given, and the reprompt says how to hear them
        return self.text(handler_input).help_mention
