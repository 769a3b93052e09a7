"""Choosing one of the three offers from the menu.

Until the content plugins land, each offer honestly says it is coming soon; the choice is still
remembered so that the next launch can say where the person left off.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.core.launch import menu
from skill.core.session import profile, reply, strings, update_profile
from skill.slots import resolved_id
from skill.speech import Speech

OFFERS = ("grounding", "reflection", "repair")


class ChooseOfferHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("ChooseOfferIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        say = strings(handler_input)
        offer = resolved_id(handler_input, "offer")
        if offer not in OFFERS:
            return menu(handler_input, say["unknown_offer"])
        update_profile(
            handler_input, profile(handler_input).model_copy(update={"last_activity": offer})
        )
        speech = Speech(say[f"coming_soon_{offer}"], say["anything_else"])
        return reply(handler_input, speech, Speech(say["menu_reprompt"]))
