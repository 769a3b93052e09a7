"""Opening the skill: a warm welcome, consent, the offers, and where a person left off."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill.blocks.answers import Question, YesNoAnswer
from skill.blocks.expect import expect_next_turn, from_last_turn
from skill.blocks.loaded import loaded
from skill.blocks.menu import menu
from skill.blocks.plugin import Handler, Plugin
from skill.blocks.reply import reply
from skill.blocks.session import (
    ABUSE_GIVEN,
    RESUME_OFFERED,
    help_given_for,
    profile,
    remembered,
)
from skill.blocks.words import CorePlugin
from skill.speech import Speech

# The first launch offers the three things the skill is for.
FIRST_OFFERS = 3


class LaunchRequestHandler(Handler[CorePlugin]):
    requests = ("LaunchRequest",)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        if not remembered(handler_input):
            # First visit, or someone not remembered: what the skill is, and the first offers.
            # Remembering is asked later, when it would help (blocks.consent).
            return menu(handler_input, text.front_door, text.disclaimer_short, most=FIRST_OFFERS)
        plugins = loaded(handler_input)
        for plugin in plugins.plugins:
            taken = plugin.on_launch(handler_input, text.welcome_back)
            if taken is not None:
                return taken
        person = profile(handler_input)
        waiting = unfinished(handler_input)
        if waiting:
            # The most recent activity with a place to pick up; "what was I doing" names all.
            first = waiting[0]
            expect_next_turn(handler_input, RESUME_OFFERED, first.name)
            offer = first.resume_offer(handler_input) or ""
            speech = Speech(text.welcome_back, offer, text.resume_question)
            return reply(handler_input, speech, Speech(text.resume_reprompt))
        last = plugins.named(person.last_activity)
        left_off = (
            text.left_off.format(label=last.label(get_locale(handler_input)))
            if last is not None and last.menu_position is not None
            else ""
        )
        return menu(handler_input, text.welcome_back, left_off)


def unfinished(handler_input: HandlerInput) -> list[Plugin[Any, Any]]:
    """The plugins with a place to pick up, most recent first. None after a session in which
    where to turn was given (it left no last activity): that visit is not offered back."""
    person = profile(handler_input)
    if person.last_activity is None:
        return []
    plugins = loaded(handler_input)
    abuse_told = help_given_for(handler_input) == ABUSE_GIVEN
    found: list[Plugin[Any, Any]] = []
    for name in dict.fromkeys([person.last_activity, *person.recent]):
        plugin = plugins.named(name)
        if plugin is None or (abuse_told and not plugin.after_abuse):
            continue
        if plugin.resume_offer(handler_input):
            found.append(plugin)
    return found


class WhatWasIDoingHandler(Handler[CorePlugin]):
    """ "What was I doing?": every activity with a place to pick up, the most recent offered."""

    intents = ("WhatWasIDoingIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        waiting = unfinished(handler_input)
        if not waiting:
            return menu(handler_input, text.nothing_unfinished)
        offers = [plugin.resume_offer(handler_input) or "" for plugin in waiting]
        expect_next_turn(handler_input, RESUME_OFFERED, waiting[0].name)
        speech = Speech(*offers)
        if len(waiting) > 1:
            label = waiting[0].label(get_locale(handler_input))
            speech.say(text.pick_up_which.format(label=label))
        else:
            speech.say(text.resume_question)
        return reply(handler_input, speech, Speech(text.resume_reprompt))


class ResumeAnswerHandler(YesNoAnswer[CorePlugin]):
    """A yes or no right after Launch offered to pick up where the person left off."""

    question = Question(RESUME_OFFERED)

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response:
        plugin = loaded(handler_input).named(self.asked(handler_input))
        if yes and plugin is not None:
            resumed = plugin.resume(handler_input)
            if resumed is not None:
                return resumed
        return menu(handler_input)


class ResumeStartOverHandler(Handler[CorePlugin]):
    """ "No, start over" to "pick up where you left off?": that activity, from its beginning."""

    intents = ("AMAZON.StartOverIntent",)

    def applies(self, handler_input: HandlerInput) -> bool:
        return from_last_turn(handler_input, RESUME_OFFERED) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        plugin = loaded(handler_input).named(from_last_turn(handler_input, RESUME_OFFERED))
        started = plugin.start_over(handler_input) if plugin is not None else None
        return started if started is not None else menu(handler_input)


class NavigateHomeHandler(Handler[CorePlugin]):
    intents = ("AMAZON.NavigateHomeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        # Asked for: the whole menu, however many were said before.
        return menu(handler_input, self.plugin.text(handler_input).home, full=True)
