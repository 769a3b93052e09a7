"""The spoken menu: the offers of the plugins on it, in their menu order."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill.blocks.expect import last_reprompt
from skill.blocks.focus import set_active
from skill.blocks.loaded import core_text, loaded
from skill.blocks.reply import reply
from skill.speech import Speech


def spoken_list(items: list[str], or_word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, {or_word} {items[-1]}"


def offers(handler_input: HandlerInput, most: int | None = None) -> str:
    """The offers on the menu, in menu order, as a spoken list: all of them, or the first `most`."""
    locale = get_locale(handler_input)
    labels = [plugin.label(locale) for plugin in loaded(handler_input).on_menu()[:most]]
    return spoken_list(labels, core_text(handler_input).or_word)


def menu_reprompt(handler_input: HandlerInput) -> Speech:
    text = core_text(handler_input)
    options = offers(handler_input)
    return Speech(text.menu_reprompt.format(options=options) if options else text.no_offers)


def current_options(handler_input: HandlerInput) -> str:
    """SSML saying what can be said right now: the last reprompt, or else the menu's."""
    return last_reprompt(handler_input) or menu_reprompt(handler_input).safe_ssml()


def menu(handler_input: HandlerInput, *lead: str) -> Response:
    """Speaks `lead`, then asks which of the offers the person would like."""
    set_active(handler_input, None)
    text = core_text(handler_input)
    options = offers(handler_input)
    if not options:
        return reply(handler_input, Speech(*lead, text.no_offers))
    question = text.menu_question.format(options=options)
    return reply(handler_input, Speech(*lead, question), menu_reprompt(handler_input))
