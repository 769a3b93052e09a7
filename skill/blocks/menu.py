"""The spoken menu: the offers of the plugins on it, in their menu order."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill.blocks.expect import last_reprompt
from skill.blocks.focus import set_active
from skill.blocks.loaded import core_text, loaded
from skill.blocks.plugin import Plugin
from skill.blocks.reply import reply
from skill.blocks.session import ABUSE_GIVEN, MENU_SAID, help_given_for, in_session
from skill.speech import Speech

# After the full menu, a later one names this many offers (never the one just finished).
SHORT_MENU_OFFERS = 2


def spoken_list(items: list[str], or_word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, {or_word} {items[-1]}"


def on_offer(handler_input: HandlerInput) -> list[Plugin[Any, Any]]:
    """The plugins on the menu now: after the domestic violence resources were given in this
    session, without those that assume a safe relationship (couple repair)."""
    abuse_told = help_given_for(handler_input) == ABUSE_GIVEN
    return [p for p in loaded(handler_input).on_menu() if p.after_abuse or not abuse_told]


def offers(
    handler_input: HandlerInput, most: int | None = None, leaving_out: str | None = None
) -> str:
    """The offers on the menu, in menu order, as a spoken list: all of them, or the first `most`,
    without the plugin `leaving_out` (the one the person just finished)."""
    return spoken_list(labels(handler_input, most, leaving_out), core_text(handler_input).or_word)


def labels(
    handler_input: HandlerInput, most: int | None = None, leaving_out: str | None = None
) -> list[str]:
    locale = get_locale(handler_input)
    on_menu = [plugin for plugin in on_offer(handler_input) if plugin.name != leaving_out]
    return [plugin.label(locale) for plugin in on_menu[:most]]


def menu_reprompt(handler_input: HandlerInput, leaving_out: str | None = None) -> Speech:
    text = core_text(handler_input)
    options = offers(handler_input, leaving_out=leaving_out)
    return Speech(text.menu_reprompt.format(options=options) if options else text.no_offers)


def current_options(handler_input: HandlerInput) -> str:
    """SSML saying what can be said right now: the last reprompt, or else the menu's."""
    return last_reprompt(handler_input) or menu_reprompt(handler_input).safe_ssml()


def menu(
    handler_input: HandlerInput,
    *lead: str,
    done: str | None = None,
    full: bool = False,
    most: int | None = None,
) -> Response:
    """Speaks `lead`, then asks which of the offers the person would like: all of them the first
    time in a session (or when `full`), after that two, never `done`, the plugin just finished."""
    set_active(handler_input, None)
    text = core_text(handler_input)
    session = (
        handler_input.attributes_manager.session_attributes if in_session(handler_input) else {}
    )
    short = not full and (bool(session.get(MENU_SAID)) or done is not None)
    options = offers(handler_input, SHORT_MENU_OFFERS if short else most, leaving_out=done)
    if not options:
        return reply(handler_input, Speech(*lead, text.no_offers))
    if short:
        # "Would you like X, Y, or shall we stop here?": the list's own "or" is the question's.
        listed = ", ".join(labels(handler_input, SHORT_MENU_OFFERS, leaving_out=done))
        question = text.menu_again.format(options=listed)
    else:
        question = text.menu_question.format(options=options)
        if in_session(handler_input):
            session[MENU_SAID] = True
    return reply(handler_input, Speech(*lead, question), menu_reprompt(handler_input, done))
