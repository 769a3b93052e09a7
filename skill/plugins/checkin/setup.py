"""Setting up, changing, asking about and stopping the check-in's one daily reminder.

The reminder goes through Alexa's Reminders API with the reminders permission, asked for by
voice when missing (Connections.SendRequest AskFor, answered by a Connections.Response).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective

from skill.alexa_api import REMINDERS_SCOPE, ApiUnavailable, PermissionMissing, has_permission
from skill.alexa_api import time_zone as device_time_zone
from skill.core.menu import menu
from skill.core.session import expect_next_turn, from_last_turn, reply
from skill.plugins.checkin import reminder
from skill.plugins.checkin.state import (
    ASKED_TIME,
    TOKEN_PREFIX,
    Checkin,
    parse_time,
    remembered,
    spoken_time,
    text,
)
from skill.slots import slot_value
from skill.speech import Speech

log = logging.getLogger(__name__)


def schedule(handler_input: HandlerInput, time: str, just_granted: bool = False) -> Response:
    content = text(handler_input)
    state = Checkin.of(handler_input)
    if not just_granted and not has_permission(handler_input, REMINDERS_SCOPE):
        return ask_permission(handler_input, time)
    try:
        zone = device_time_zone(handler_input)
        body = reminder.reminder_request(handler_input, time, zone, content.reminder_text)
        alert_token = state.reminder
        if not alert_token and not remembered(handler_input):
            # Nothing is kept without a yes, so the reminder's id wasn't either: it is found
            # again among the skill's reminders, so that setting up twice never makes two.
            alert_token = next(iter(reminder.owned(handler_input)), "")
        if alert_token:
            try:
                reminder.update(handler_input, alert_token, body)
            except ApiUnavailable as error:
                if str(error) != "404":
                    raise
                alert_token = ""  # deleted in the Alexa app meanwhile: make a new one
                if state.reminder:  # and forget the old one, even if making the new one fails
                    state = replace(state, time="", reminder="")
                    state.save(handler_input)
        if not alert_token:
            alert_token = reminder.create(handler_input, body)
    except PermissionMissing:
        if just_granted:  # asking again right after a yes would go round in circles
            return menu(handler_input, content.api_unavailable)
        return ask_permission(handler_input, time)
    except ApiUnavailable:
        return menu(handler_input, content.api_unavailable)
    said = content.reminder_changed if state.time else content.reminder_set
    replace(state, time=time, zone=zone, reminder=alert_token).save(handler_input)
    return menu(handler_input, said.format(time=spoken_time(time)))


def ask_permission(handler_input: HandlerInput, time: str) -> Response:
    """Alexa itself asks the person for the reminders permission, then answers the skill."""
    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "1",
            "permissionScope": REMINDERS_SCOPE,
        },
        token=f"{TOKEN_PREFIX}{time}",
    )
    response: Response = handler_input.response_builder.add_directive(directive).response
    return response


class SetupHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Setting up ("at 9 pm"), changing the time, or the time the person was asked for."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("SetCheckinIntent")(handler_input)) or bool(
            from_last_turn(handler_input, ASKED_TIME)
            and is_intent_name("CheckinTimeIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        time = parse_time(slot_value(handler_input, "time"))
        if time is None:
            content = text(handler_input)
            expect_next_turn(handler_input, ASKED_TIME, True)
            return reply(handler_input, Speech(content.ask_time), Speech(content.ask_time_reprompt))
        return schedule(handler_input, time)


class PermissionAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Alexa's Connections.Response to the AskFor: accepted, denied, or not answered."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return bool(is_request_type("Connections.Response")(handler_input)) and str(
            request.token or ""
        ).startswith(TOKEN_PREFIX)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        time = parse_time(str(request.token).removeprefix(TOKEN_PREFIX))
        status = (request.payload or {}).get("status")
        if status == "ACCEPTED" and time:
            return schedule(handler_input, time, just_granted=True)
        content = text(handler_input)
        # A token that lost its time (it comes back from Alexa as sent) still gets the answer.
        said = content.permission_declined.format(time=spoken_time(time)) if time else ""
        return menu(handler_input, said or content.permission_declined_untimed)


class WhenHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhenIsCheckinIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        state = Checkin.of(handler_input)
        if not state.reminder or not state.time:  # no time: a damaged item (see Checkin.of)
            return menu(handler_input, content.reminder_none)
        return menu(handler_input, content.reminder_when.format(time=spoken_time(state.time)))


def delete_reminders(handler_input: HandlerInput, alert_tokens: list[str]) -> None:
    """Deletes these reminders; one that is already gone is fine."""
    for alert_token in alert_tokens:
        try:
            reminder.delete(handler_input, alert_token)
        except ApiUnavailable as error:
            if str(error) != "404":
                raise
        except PermissionMissing:
            return  # the permission was withdrawn: Alexa removed the skill's reminders with it


def forget_reminder(handler_input: HandlerInput) -> None:
    """The plugin's forget hook: every reminder the skill set on the account, partners' too."""
    try:
        delete_reminders(handler_input, reminder.owned(handler_input))
    except (ApiUnavailable, PermissionMissing):
        log.warning("reminders not deleted while erasing: Alexa's API unavailable")


class StopReminderHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Stop my nightly reminder: one sentence, and it is gone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("StopCheckinIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        state = Checkin.of(handler_input)
        try:
            # This person's reminder; or, when nothing was kept, the skill's reminders.
            tokens = [state.reminder] if state.reminder else []
            if not tokens and not remembered(handler_input):
                tokens = reminder.owned(handler_input)
            if not tokens:
                return menu(handler_input, content.reminder_none)
            delete_reminders(handler_input, tokens)
        except ApiUnavailable:
            return menu(handler_input, content.api_unavailable)
        except PermissionMissing:
            pass  # without the permission, Alexa keeps none of the skill's reminders
        replace(state, time="", reminder="").save(handler_input)
        return menu(handler_input, content.reminder_stopped)
