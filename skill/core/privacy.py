"""The privacy promises, by voice: consent before anything is kept, what is kept, erase it all."""

from __future__ import annotations

import logging
from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill.blocks.answers import Meaning, Question, YesNoAnswer, meaning
from skill.blocks.consent import ASK_AGAIN_AFTER_DAYS, ASKED_CONSENT, LEAVING, RESUMING
from skill.blocks.expect import expect_next_turn
from skill.blocks.loaded import loaded
from skill.blocks.menu import menu
from skill.blocks.plugin import Handler, is_intent
from skill.blocks.reply import reply
from skill.blocks.session import (
    CONSENTED_NOW,
    ERASED,
    STORE,
    profile,
    update_profile,
)
from skill.blocks.words import CorePlugin
from skill.core.saving import erased_elsewhere
from skill.speech import Speech
from skill.store import ProfileStore, StoreUnavailable

log = logging.getLogger(__name__)

ASKED_TO_ERASE = "askedToErase"


def _record_consent(handler_input: HandlerInput) -> None:
    today = handler_input.request_envelope.request.timestamp.date()
    update_profile(
        handler_input, profile(handler_input).changed(consent=today, declined_until=None)
    )
    handler_input.attributes_manager.request_attributes[CONSENTED_NOW] = True


def _record_no(handler_input: HandlerInput) -> None:
    """Keeps only the date until which not to ask again (and no progress): honouring a no needs
    that much, and the item expires on its own soon after."""
    today = handler_input.request_envelope.request.timestamp.date()
    until = today + timedelta(days=ASK_AGAIN_AFTER_DAYS)
    update_profile(handler_input, profile(handler_input).changed(declined_until=until))
    try:
        _store(handler_input).note_declined(handler_input.request_envelope, until)
    except StoreUnavailable:
        log.warning("the no to being remembered was not kept: the table did not answer")


def _store(handler_input: HandlerInput) -> ProfileStore:
    store: ProfileStore = handler_input.attributes_manager.request_attributes[STORE]
    return store


class ConsentAnswerHandler(YesNoAnswer[CorePlugin]):
    # Unclear twice: nothing is kept without a yes. "Keep my place" or "remember my progress" in
    # answer is a yes to this question, and what was asked for goes on as after any yes.
    question = Question(ASKED_CONSENT, yes_intents=("RememberMeIntent",))

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response:
        text = self.plugin.text(handler_input)
        after = self.asked(handler_input)
        said_no = meaning(handler_input) is Meaning.NO or is_intent(
            handler_input, "AMAZON.NoIntent"
        )
        if yes:
            _record_consent(handler_input)
        elif said_no:
            # A no said is kept so as not to ask again; an answer that stayed unclear is not.
            _record_no(handler_input)
        if after == LEAVING:
            said = text.consent_given_bye if yes else text.goodbye
            return reply(handler_input, Speech(said))
        said = (
            text.consent_given
            if yes
            else (text.consent_declined if said_no else text.consent_unclear)
        )
        if isinstance(after, str) and after.startswith(RESUMING):
            plugin = loaded(handler_input).named(after.removeprefix(RESUMING))
            resumed = plugin.resume(handler_input, said) if plugin is not None else None
            if resumed is not None:
                return resumed
            after = None
        return menu(handler_input, said, done=after if isinstance(after, str) else None)


class RememberMeHandler(Handler[CorePlugin]):
    """Consent given any time ("remember my progress"), not only when first asked."""

    intents = ("RememberMeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        _record_consent(handler_input)
        return menu(handler_input, self.plugin.text(handler_input).consent_given)


class WhatDoYouKnowHandler(Handler[CorePlugin]):
    intents = ("WhatDoYouKnowIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        # One read: what was erased on another device since this session read it is not told.
        erased_elsewhere(handler_input)
        person = profile(handler_input)
        if person.consent is None:
            if person.declined_until is not None:
                until = person.declined_until.strftime(text.date_format)
                return menu(handler_input, text.known_declined.format(date=until), text.never_words)
            return menu(handler_input, text.known_nothing, text.never_words)
        known = [text.known_consent.format(date=person.consent.strftime(text.date_format))]
        known.append(text.known_visits.format(visits=person.visits))
        plugins = loaded(handler_input)
        if person.last_activity:
            last = plugins.named(person.last_activity)
            label = last.label(get_locale(handler_input)) if last else person.last_activity
            known.append(text.known_last_activity.format(activity=label))
        if person.plugin_state:
            known.append(text.known_progress)
        for plugin in plugins.plugins:
            described = plugin.describe(handler_input)
            if described:
                known.append(described)
        return menu(handler_input, *known, text.never_words, text.retention, text.how_to_erase)


class EraseRequestHandler(Handler[CorePlugin]):
    intents = ("DeleteDataIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = self.plugin.text(handler_input)
        expect_next_turn(handler_input, ASKED_TO_ERASE, True)
        return reply(handler_input, Speech(text.erase_question), Speech(text.erase_reprompt))


class EraseAnswerHandler(YesNoAnswer[CorePlugin]):
    # Unclear twice: nothing is erased without a yes.
    question = Question(ASKED_TO_ERASE)

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response:
        text = self.plugin.text(handler_input)
        if not yes:
            return menu(handler_input, text.erase_cancelled)
        # The items first: a plugin's own clean-up (an API that is down) must not keep them.
        try:
            _store(handler_input).delete_user(handler_input.request_envelope)
        except StoreUnavailable:
            log.warning("erase failed: the table did not answer")
            return menu(handler_input, text.erase_failed)
        left: list[str] = []
        for plugin in loaded(handler_input).plugins:
            try:
                told = plugin.forget(handler_input)
            except Exception as error:
                log.error("plugin %s could not forget: %s", plugin.name, type(error).__name__)
                told = None
            if told:
                left.append(told)
        handler_input.attributes_manager.request_attributes[ERASED] = True
        if left:
            return reply(handler_input, Speech(text.erased_but.format(what=" ".join(left))))
        return reply(handler_input, Speech(text.erased))


class SkillDisabledHandler(Handler[CorePlugin]):
    """Disabling the skill in the Alexa app erases the account's data, as "forget me" does."""

    requests = ("AlexaSkillEvent.SkillDisabled",)

    def handle(self, handler_input: HandlerInput) -> Response:
        deleted = _store(handler_input).delete_user(handler_input.request_envelope)
        log.info("skill disabled: %d item(s) erased", deleted)
        response: Response = handler_input.response_builder.response
        return response
