"""The spoken menu: the offers of the plugins on it, in their menu order."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.core.session import core_text, menu_labels, reply
from skill.speech import Speech


def spoken_list(items: list[str], or_word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, {or_word} {items[-1]}"


def menu_reprompt(handler_input: HandlerInput) -> Speech:
    text = core_text(handler_input)
    options = spoken_list(menu_labels(handler_input), text.or_word)
    return Speech(text.menu_reprompt.format(options=options) if options else text.no_offers)


def menu(handler_input: HandlerInput, *lead: str) -> Response:
    """Speaks `lead`, then asks which of the offers the person would like."""
    text = core_text(handler_input)
    options = spoken_list(menu_labels(handler_input), text.or_word)
    if not options:
        return reply(handler_input, Speech(*lead, text.no_offers))
    question = text.menu_question.format(options=options)
    return reply(handler_input, Speech(*lead, question), menu_reprompt(handler_input))
