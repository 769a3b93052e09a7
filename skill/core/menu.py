"""The spoken menu: the offers of the plugins on it, in their menu order."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.core.session import core_text, last_reprompt, plugins, reply, set_active
from skill.plugin import MenuContent, Plugin
from skill.speech import Speech


def menu_plugins(handler_input: HandlerInput) -> list[Plugin[Any]]:
    """The plugins on the spoken menu, in menu order (help describes them in the same order)."""
    offered = [p for p in plugins(handler_input) if p.menu_position is not None]
    return sorted(offered, key=lambda p: (p.menu_position, p.name))


def menu_contents(handler_input: HandlerInput) -> list[MenuContent]:
    locale = handler_input.request_envelope.request.locale
    return [p.content(locale) for p in menu_plugins(handler_input)]


def spoken_list(items: list[str], or_word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, {or_word} {items[-1]}"


def _options(handler_input: HandlerInput) -> str:
    labels = [content.label for content in menu_contents(handler_input)]
    return spoken_list(labels, core_text(handler_input).or_word)


def menu_reprompt(handler_input: HandlerInput) -> Speech:
    text = core_text(handler_input)
    options = _options(handler_input)
    return Speech(text.menu_reprompt.format(options=options) if options else text.no_offers)


def current_options(handler_input: HandlerInput) -> str:
    """SSML saying what can be said right now: the last reprompt, or else the menu's."""
    return last_reprompt(handler_input) or menu_reprompt(handler_input).safe_ssml()


def menu(handler_input: HandlerInput, *lead: str) -> Response:
    """Speaks `lead`, then asks which of the offers the person would like."""
    set_active(handler_input, None)
    text = core_text(handler_input)
    options = _options(handler_input)
    if not options:
        return reply(handler_input, Speech(*lead, text.no_offers))
    question = text.menu_question.format(options=options)
    return reply(handler_input, Speech(*lead, question), menu_reprompt(handler_input))
