"""Everything a plugin needs, from one import: `from skill.api import ...`.

A plugin is a `Plugin` subclass; its handlers are `Handler` subclasses it lists, each bound to
it (`self.plugin`). Through the plugin a handler reaches its texts (`self.plugin.text(h)`), its
progress (`self.plugin.progress(h)`, `self.plugin.save(h, progress)`) and focus
(`self.plugin.activate(h)`). Alexa's service APIs (reminders, the device's time zone, permissions)
are `api.alexa`. See docs/plugins.md.
"""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import alexa_api as alexa
from skill.blocks.answers import Meaning, Question, YesNoAnswer, meaning
from skill.blocks.consent import ASKED_CONSENT, offer_to_remember
from skill.blocks.content import Constraint, Content, Intent, MenuContent
from skill.blocks.expect import expect_next_turn, from_last_turn
from skill.blocks.focus import any_active
from skill.blocks.handoff import can_start, offer_return, start_capability
from skill.blocks.menu import menu, menu_reprompt
from skill.blocks.plugin import Handler, Plugin, is_intent
from skill.blocks.plural import Plural
from skill.blocks.progress import BitSet, Counter, NoProgress, Progress
from skill.blocks.reply import reply
from skill.blocks.session import first_time, help_given_for, remembered
from skill.blocks.slots import resolved_id, slot_value
from skill.safety.resources import abuse_resources, emergency_number, gentle_resources
from skill.safety.slots import folded, heard
from skill.speech import (
    LISTEN_SECONDS,
    MAX_RESPONSE_BYTES,
    MAX_SPEECH_SECONDS,
    MAX_SSML_CHARS,
    Speech,
    estimate_seconds,
)

__all__ = [
    "ASKED_CONSENT",
    "LISTEN_SECONDS",
    "MAX_RESPONSE_BYTES",
    "MAX_SPEECH_SECONDS",
    "MAX_SSML_CHARS",
    "BitSet",
    "Constraint",
    "Content",
    "Counter",
    "Handler",
    "HandlerInput",
    "Intent",
    "Meaning",
    "MenuContent",
    "NoProgress",
    "Plugin",
    "Plural",
    "Progress",
    "Question",
    "Response",
    "Speech",
    "YesNoAnswer",
    "abuse_resources",
    "alexa",
    "any_active",
    "can_start",
    "emergency_number",
    "estimate_seconds",
    "expect_next_turn",
    "first_time",
    "folded",
    "from_last_turn",
    "gentle_resources",
    "heard",
    "help_given_for",
    "is_intent",
    "meaning",
    "menu",
    "menu_reprompt",
    "offer_return",
    "offer_to_remember",
    "remembered",
    "reply",
    "resolved_id",
    "slot_value",
    "start_capability",
]
