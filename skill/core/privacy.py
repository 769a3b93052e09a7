"""The privacy promises, by voice: consent before anything is kept, what is kept, erase it all."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.core.menu import menu
from skill.core.session import (
    ERASED,
    core_text,
    expect_next_turn,
    from_last_turn,
    intent_in,
    plugin_named,
    plugins,
    profile,
    reply,
    update_profile,
)
from skill.speech import Speech
from skill.store import ProfileStore, StoreUnavailable

log = logging.getLogger(__name__)

ASKED_CONSENT = "askedConsent"
ASKED_TO_ERASE = "askedToErase"


def _yes_or_no_to(handler_input: HandlerInput, question: str) -> bool:
    return bool(
        from_last_turn(handler_input, question)
        and (intent_in(handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"))
    )


def ask_consent(handler_input: HandlerInput, *lead: str) -> Response:
    text = core_text(handler_input)
    expect_next_turn(handler_input, ASKED_CONSENT, True)
    return reply(handler_input, Speech(*lead, text.consent_question), Speech(text.consent_reprompt))


def _record_consent(handler_input: HandlerInput) -> None:
    today = handler_input.request_envelope.request.timestamp.date()
    update_profile(handler_input, profile(handler_input).model_copy(update={"consent": today}))


class ConsentAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _yes_or_no_to(handler_input, ASKED_CONSENT)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = core_text(handler_input)
        if is_intent_name("AMAZON.YesIntent")(handler_input):
            _record_consent(handler_input)
            return menu(handler_input, text.consent_given)
        return menu(handler_input, text.consent_declined)


class RememberMeHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Consent given any time ("remember my progress"), not only when first asked."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("RememberMeIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        _record_consent(handler_input)
        return menu(handler_input, core_text(handler_input).consent_given)


class WhatDoYouKnowHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhatDoYouKnowIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        text = core_text(handler_input)
        person = profile(handler_input)
        if person.consent is None:
            return menu(handler_input, text.known_nothing, text.never_words)
        known = [text.known_consent.format(date=person.consent.strftime(text.date_format))]
        known.append(text.known_visits.format(visits=person.visits))
        if person.last_activity:
            known.append(text.known_last_activity.format(activity=_label(handler_input)))
        if person.plugin_state:
            known.append(text.known_progress)
        for plugin in plugins(handler_input):
            described = plugin.describe(handler_input) if plugin.describe else None
            if described:
                known.append(described)
        return menu(handler_input, *known, text.never_words, text.retention, text.how_to_erase)


class EraseRequestHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("DeleteDataIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        text = core_text(handler_input)
        expect_next_turn(handler_input, ASKED_TO_ERASE, True)
        return reply(handler_input, Speech(text.erase_question), Speech(text.erase_reprompt))


class EraseAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    def __init__(self, store: ProfileStore) -> None:
        self.store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _yes_or_no_to(handler_input, ASKED_TO_ERASE)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = core_text(handler_input)
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return menu(handler_input, text.erase_cancelled)
        # The items first: a plugin's own clean-up (an API that is down) must not keep them.
        try:
            self.store.delete_user(handler_input.request_envelope)
        except StoreUnavailable:
            log.warning("erase failed: the table did not answer")
            return menu(handler_input, text.erase_failed)
        for plugin in plugins(handler_input):
            if plugin.forget is None:
                continue
            try:
                plugin.forget(handler_input)
            except Exception as error:
                log.error("plugin %s could not forget: %s", plugin.name, type(error).__name__)
        handler_input.attributes_manager.request_attributes[ERASED] = True
        return reply(handler_input, Speech(text.erased))


class SkillDisabledHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Disabling the skill in the Alexa app erases the account's data, as "forget me" does."""

    def __init__(self, store: ProfileStore) -> None:
        self.store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        deleted = self.store.delete_user(handler_input.request_envelope)
        log.info("skill disabled: %d item(s) erased", deleted)
        response: Response = handler_input.response_builder.response
        return response


def _label(handler_input: HandlerInput) -> str:
    name = profile(handler_input).last_activity
    plugin = plugin_named(handler_input, name)
    content = plugin.content(handler_input.request_envelope.request.locale) if plugin else None
    return str(getattr(content, "label", name))
