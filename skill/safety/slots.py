"""Screening every slot value before any handler runs, read with its carrier phrase."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, is_request_type

from skill.blocks.heard import carriers as heard_carriers
from skill.blocks.loaded import loaded
from skill.blocks.plugin import served
from skill.blocks.sdk import RequestInterceptor
from skill.safety.content import safety_text
from skill.safety.screening import Risk, fold, screen
from skill.text import words

SCREENED = "safety.screened"
# Request attribute: what was heard this turn, carriers put back (never kept past the request).
HEARD = "safety.heard"
_URGENCY = (Risk.CRISIS, Risk.ABUSE, Risk.PAST_HURT)


class ScreenSlots(RequestInterceptor):
    """Screens every slot value of every intent, whichever plugin it is for, once each.

    A slot holds only the words after its sample's carrier phrase. A slot that one carrier
    phrase alone uses (AnswerIntent's "nobody {answerNobody}") is read with that phrase put back,
    so the rules hear "nobody hit me" and not "hit me"; a slot that several carriers share is
    read as heard (its carriers, "yes" or "honestly", change nothing).
    """

    def process(self, handler_input: HandlerInput) -> None:
        if not is_request_type("IntentRequest")(handler_input):
            return
        intent = handler_input.request_envelope.request.intent
        locale = get_locale(handler_input)
        carriers = heard_carriers(loaded(handler_input), served(locale))
        rules = safety_text(handler_input).screening()
        found: set[Risk] = set()
        for name, slot in (intent.slots or {}).items():
            if not isinstance(slot.value, str) or not slot.value:
                continue
            carrier = carriers.get((intent.name, name))
            sentence = carrier.replace("{" + name + "}", slot.value) if carrier else slot.value
            attributes = handler_input.attributes_manager.request_attributes
            attributes[HEARD] = f"{attributes.get(HEARD, '')} {sentence}".strip()
            risk = screen(sentence, rules)
            if risk is not None:
                found.add(risk)
        for risk in _URGENCY:
            if risk in found:
                handler_input.attributes_manager.request_attributes[SCREENED] = risk
                return


def screened(handler_input: HandlerInput) -> Risk | None:
    risk: Risk | None = handler_input.attributes_manager.request_attributes.get(SCREENED)
    return risk


def heard(handler_input: HandlerInput) -> str:
    """This turn's words, folded as the rules read them ("" when Alexa handed over none)."""
    return folded(str(handler_input.attributes_manager.request_attributes.get(HEARD, "")))


def folded(text: str) -> str:
    """`text` as `heard` gives words: to compare a phrase of content with what was heard."""
    return " ".join(words(fold(text)))
