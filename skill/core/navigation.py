"""The built-in intents every skill answers: help, stop, repeat, yes/no, fallback, session end."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.consent import ASKED_CONSENT, offer_to_remember
from skill.blocks.expect import from_last_turn, keep_expecting, last_reprompt
from skill.blocks.focus import any_active
from skill.blocks.loaded import loaded
from skill.blocks.menu import current_options, menu, menu_reprompt, offers, on_offer
from skill.blocks.plugin import Handler, is_intent
from skill.blocks.reply import reply
from skill.blocks.session import LAST_RESPONSE, RESUME_OFFERED, THIS_TURN, remembered
from skill.blocks.turn_log import set_outcome
from skill.blocks.words import CorePlugin
from skill.core.privacy import ASKED_TO_ERASE
from skill.core.saving import still_kept
from skill.speech import Speech

# The core's own yes/no questions: help while one waits says how to answer it.
CORE_QUESTIONS = (ASKED_CONSENT, ASKED_TO_ERASE, RESUME_OFFERED)
# Help names this many things to say next; "what can you do" tells them all.
HELP_OPTIONS = 3


class HelpHandler(Handler[CorePlugin]):
    """Help is short and where the person is: the active plugin's own help, else two or three
    things to say; "what can you do" is the tour, a line from each plugin on the menu. Both end
    with the footers (the safety layer's: where to turn in a crisis)."""

    intents = ("AMAZON.HelpIntent", "WhatCanYouDoIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        plugins = loaded(handler_input)
        footer = [
            line
            for plugin in (plugins.safety, *plugins.plugins)
            if (line := plugin.help_footer(handler_input))
        ]
        text = self.plugin.text(handler_input)
        if is_intent(handler_input, "WhatCanYouDoIntent"):
            offered = on_offer(handler_input)
            lines = [p for plugin in offered if (p := plugin.help_line(handler_input))]
            tour = (text.help_intro, *lines, text.help_controls, text.disclaimer, *footer)
            return menu(handler_input, *tour, full=True)
        active = plugins.active(handler_input)
        # A question of the core's own (remember? erase? pick up?) is answered first, even in
        # the middle of an activity.
        core_asking = any(from_last_turn(handler_input, key) for key in CORE_QUESTIONS)
        own = active.help(handler_input, *footer) if active and not core_asking else None
        if own is not None:
            return own
        asked = last_reprompt(handler_input)
        if asked and handler_input.attributes_manager.request_attributes.get(THIS_TURN):
            # A question is waiting (consent, a time, "another exercise?"): it stays open, and
            # its reprompt says what to answer.
            keep_expecting(handler_input)
            return reply(handler_input, Speech(*footer).then(asked), asked)
        said = text.help_short.format(options=offers(handler_input, HELP_OPTIONS))
        return reply(handler_input, Speech(said, *footer), menu_reprompt(handler_input))


def goodbye(handler_input: HandlerInput, text: str) -> Response:
    return reply(handler_input, Speech(text))


class StopHandler(Handler[CorePlugin]):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        active = loaded(handler_input).active(handler_input)
        if active is not None and active.resume_offer(handler_input):
            # Stopping in the middle is when remembering the place would help: asked once.
            if not remembered(handler_input):
                asked = offer_to_remember(handler_input, Speech(text.stop_in_middle), leaving=True)
                if asked is not None:
                    return asked
            elif still_kept(handler_input):
                return reply(handler_input, Speech(text.place_kept, text.goodbye))
        return goodbye(handler_input, text.goodbye)


class RepeatHandler(Handler[CorePlugin]):
    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        last = handler_input.attributes_manager.session_attributes.get(LAST_RESPONSE)
        if not last:
            return menu(handler_input, self.plugin.text(handler_input).nothing_to_repeat)
        keep_expecting(handler_input)
        builder = handler_input.response_builder.speak(last["speech"])
        if last.get("reprompt"):
            builder.ask(last["reprompt"])
        response: Response = builder.response
        return response


class YesNoHandler(Handler[CorePlugin]):
    """A "yes" or "no" that no pending question claimed: the menu and "anything else?"
    questions. Yes lists what can be chosen; no is a warm goodbye."""

    intents = ("AMAZON.YesIntent", "AMAZON.NoIntent")

    def applies(self, handler_input: HandlerInput) -> bool:
        # Inside an activity, an unclaimed yes or no (a "no" meaning "not ready yet") is not a
        # goodbye: the fallback asks the activity's question again.
        return not any_active(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_intent(handler_input, "AMAZON.NoIntent"):
            return goodbye(handler_input, self.plugin.text(handler_input).goodbye)
        options = menu_reprompt(handler_input)
        return reply(handler_input, options, options)


class NothingInProgressHandler(Handler[CorePlugin]):
    """Next, continue, pause, start over or skip when no activity claimed them."""

    intents = (
        *(f"AMAZON.{name}Intent" for name in ("Next", "Resume", "Pause", "StartOver")),
        "SkipQuestionIntent",
    )

    def applies(self, handler_input: HandlerInput) -> bool:
        # Inside an activity that did not claim them (it is asking something), the fallback
        # asks again instead.
        return not any_active(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return menu(handler_input, self.plugin.text(handler_input).nothing_in_progress)


class FallbackHandler(Handler[CorePlugin]):
    """AMAZON.FallbackIntent, and any intent no handler wanted at this point (an intent of
    another model version): says what can be said right now, which is the reprompt of the turn
    the person is in, and keeps its question open."""

    requests = ("IntentRequest",)

    def handle(self, handler_input: HandlerInput) -> Response:
        options = current_options(handler_input)
        keep_expecting(handler_input)
        speech = Speech(self.plugin.text(handler_input).fallback).then(options)
        return reply(handler_input, speech, options)


class SessionEndedHandler(Handler[CorePlugin]):
    """Alexa closed the session: the profile is saved by the interceptors; nothing is spoken."""

    requests = ("SessionEndedRequest",)

    def handle(self, handler_input: HandlerInput) -> Response:
        error = handler_input.request_envelope.request.error
        if error is not None:
            set_outcome(handler_input, f"alexa-error:{error.object_type}")
        response: Response = handler_input.response_builder.response
        return response


class SystemExceptionHandler(Handler[CorePlugin]):
    """Alexa reports that our last response failed: it takes no speech in answer."""

    requests = ("System.ExceptionEncountered",)

    def handle(self, handler_input: HandlerInput) -> Response:
        error = handler_input.request_envelope.request.error
        set_outcome(handler_input, f"alexa-error:{getattr(error, 'object_type', None)}")
        response: Response = handler_input.response_builder.response
        return response
