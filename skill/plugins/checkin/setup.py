"""Setting up, changing, asking about and stopping the check-in's one daily reminder.

The reminder goes through Alexa's Reminders API with the reminders permission, asked for by
voice when missing (Connections.SendRequest AskFor, answered by a Connections.Response).
"""

from __future__ import annotations

import logging

from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill import api
from skill.plugins.checkin import reminder
from skill.plugins.checkin.state import (
    ASKED_HALF,
    ASKED_TIME,
    NOT_EVENING,
    TOKEN_PREFIX,
    CheckinPlugin,
    either_half,
    in_the_evening,
    on_the_clock,
    parse_time,
    spoken_time,
)

# AMAZON.TIME's vague times of day, as an answer to "ten pm?": which half they mean.
EVENING_WORDS = {"AF": True, "EV": True, "NI": True, "MO": False}

log = logging.getLogger(__name__)


def schedule(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, time: str, just_granted: bool = False
) -> api.Response:
    content = plugin.text(handler_input)
    state = plugin.progress(handler_input)
    if not just_granted and not api.alexa.has_permission(handler_input, api.alexa.REMINDERS_SCOPE):
        return ask_permission(plugin, handler_input, time)
    try:
        zone = api.alexa.time_zone(handler_input)
        body = reminder.reminder_request(handler_input, time, zone, content.reminder_text)
        alert_token = state.reminder
        if not alert_token and not api.remembered(handler_input):
            # Nothing is kept without a yes, so the reminder's id wasn't either: it is found
            # again among the skill's reminders, so that setting up twice never makes two.
            alert_token = next(iter(reminder.owned(handler_input)), "")
        if alert_token:
            try:
                reminder.update(handler_input, alert_token, body)
            except api.alexa.ApiUnavailable as error:
                if str(error) != "404":
                    raise
                alert_token = ""  # deleted in the Alexa app meanwhile: make a new one
                if state.reminder:  # and forget the old one, even if making the new one fails
                    state = state.changed(time="", reminder="")
                    plugin.save(handler_input, state)
        if not alert_token:
            alert_token = reminder.create(handler_input, body)
    except api.alexa.PermissionMissing:
        if just_granted:  # asking again right after a yes would go round in circles
            return api.menu(handler_input, content.api_unavailable)
        return ask_permission(plugin, handler_input, time)
    except api.alexa.ApiUnavailable:
        return api.menu(handler_input, content.api_unavailable)
    said = content.reminder_changed if state.time else content.reminder_set
    plugin.save(handler_input, state.changed(time=time, zone=zone, reminder=alert_token))
    return api.menu(handler_input, said.format(time=spoken_time(time)))


def ask_permission(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, time: str
) -> api.Response:
    """One sentence of why, then Alexa itself asks for the reminders permission (the current,
    second version of the request) and answers the skill with a Connections.Response."""
    why = plugin.text(handler_input).permission_why.format(time=spoken_time(time))
    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [
                {"permissionScope": api.alexa.REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}
            ],
        },
        token=f"{TOKEN_PREFIX}{time}",
    )
    builder = handler_input.response_builder.speak(api.Speech(why).safe_ssml())
    response: api.Response = builder.add_directive(directive).response
    return response


def consented(handler_input: api.HandlerInput) -> bool:
    """Whether the answer to the AskFor grants the reminders permission.

    The first version answers `payload.status`; Amazon's page for the second shows the status
    beside the scopes it answers, in `payload.permissionScopes`: both are read, and so is the
    permission the request's context now carries (ACCEPTED also means granted before).
    """
    payload = handler_input.request_envelope.request.payload or {}
    statuses = [payload.get("status")]
    scopes = payload.get("permissionScopes")
    for scope in scopes if isinstance(scopes, list) else []:
        if isinstance(scope, dict) and scope.get("permissionScope") in (
            None,
            api.alexa.REMINDERS_SCOPE,
        ):
            statuses += [scope.get("status"), scope.get("permissionStatus")]
    return "ACCEPTED" in statuses or api.alexa.has_permission(
        handler_input, api.alexa.REMINDERS_SCOPE
    )


class SetupHandler(api.Handler[CheckinPlugin]):
    """Setting up ("at 9 pm"), changing the time, or the time the person was asked for. A
    number alone heard as a rating ("ten") is a time here."""

    intents = ("SetCheckinIntent", "CheckinTimeIntent", "RatingIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return api.is_intent(handler_input, "SetCheckinIntent") or bool(
            api.from_last_turn(handler_input, ASKED_TIME)
        )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        heard = api.slot_value(handler_input, "time") or _hour(handler_input)
        half = api.from_last_turn(handler_input, ASKED_HALF)
        if isinstance(half, str) and heard in EVENING_WORDS:  # "ten pm?" "in the evening"
            return schedule(self.plugin, handler_input, _half(half, EVENING_WORDS[heard]))
        time = parse_time(heard)
        if time is not None and time == half:  # "ten pm?" "ten": said again, it is confirmed
            return schedule(self.plugin, handler_input, in_the_evening(time))
        morning = api.from_last_turn(handler_input, NOT_EVENING)
        if time is None:
            # A time of day without a clock time ("in the evening") is not enough: say so.
            lead = (content.need_exact_time,) if heard else ()
            api.expect_next_turn(handler_input, ASKED_TIME, True)
            speech = api.Speech(*lead, content.ask_time)
            return api.reply(handler_input, speech, api.Speech(content.ask_time_reprompt))
        # Asked once: after a no to "ten pm?", the time said next is taken as heard ("ten",
        # "nine thirty am" both reach the skill as morning times; "nine thirty pm" is evening).
        if either_half(time) and morning is None:
            api.expect_next_turn(handler_input, ASKED_TIME, True)
            api.expect_next_turn(handler_input, ASKED_HALF, time)
            evening = spoken_time(in_the_evening(time))
            said = content.which_half.format(evening=evening, heard=on_the_clock(time))
            reprompt = content.which_half_reprompt.format(evening=evening)
            return api.reply(handler_input, api.Speech(said), api.Speech(reprompt))
        return schedule(self.plugin, handler_input, time)


def _hour(handler_input: api.HandlerInput) -> str | None:
    """A number alone ("ten", heard as a rating) as the hour it names, "10:00"."""
    value = api.slot_value(handler_input, "rating")
    if value and value.isdecimal() and 1 <= int(value) <= 12:
        return f"{int(value):02d}:00"
    return None


def _half(time: str, evening: bool) -> str:
    return in_the_evening(time) if evening else time


class HalfAnswerHandler(api.YesNoAnswer[CheckinPlugin]):
    """Yes to "ten pm?" (a time heard without am or pm) sets it; no asks which time, and the
    time said next is taken as heard ("ten", "nine thirty am"). Unclear twice: the evening."""

    question = api.Question(ASKED_HALF, otherwise=True)

    def answer(self, handler_input: api.HandlerInput, yes: bool) -> api.Response:
        time = str(self.asked(handler_input))
        if parse_time(time) is None:  # the session came back changed
            return api.menu(handler_input)
        if yes:
            return schedule(self.plugin, handler_input, in_the_evening(time))
        content = self.plugin.text(handler_input)
        api.expect_next_turn(handler_input, ASKED_TIME, True)
        api.expect_next_turn(handler_input, NOT_EVENING, time)
        said = content.which_time.format(morning=spoken_time(time))
        return api.reply(handler_input, api.Speech(said), api.Speech(content.ask_time_reprompt))


class PermissionAnswerHandler(api.Handler[CheckinPlugin]):
    """Alexa's Connections.Response to the AskFor: accepted, denied, or not answered."""

    requests = ("Connections.Response",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return str(request.token or "").startswith(TOKEN_PREFIX)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        request = handler_input.request_envelope.request
        time = parse_time(str(request.token).removeprefix(TOKEN_PREFIX))
        content = self.plugin.text(handler_input)
        if consented(handler_input):
            if time:
                return schedule(self.plugin, handler_input, time, just_granted=True)
            # A yes whose token came back without its time: the time is asked again.
            api.expect_next_turn(handler_input, ASKED_TIME, True)
            return api.reply(
                handler_input, api.Speech(content.ask_time), api.Speech(content.ask_time_reprompt)
            )
        # Denied, or not answered: said, and a card in the Alexa app that leads to the
        # permission, as Amazon asks. A token that lost its time still gets the answer.
        said = content.permission_declined.format(time=spoken_time(time)) if time else ""
        card = AskForPermissionsConsentCard(permissions=[api.alexa.REMINDERS_SCOPE])
        handler_input.response_builder.set_card(card)
        return api.menu(handler_input, said or content.permission_declined_untimed)


class WhenHandler(api.Handler[CheckinPlugin]):
    intents = ("WhenIsCheckinIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        if not state.reminder or not state.time:  # no time: a damaged item (see CheckinProgress)
            return api.menu(handler_input, content.reminder_none)
        return api.menu(handler_input, content.reminder_when.format(time=spoken_time(state.time)))


def delete_reminders(handler_input: api.HandlerInput, alert_tokens: list[str]) -> None:
    """Deletes these reminders; one that is already gone is fine."""
    for alert_token in alert_tokens:
        try:
            reminder.delete(handler_input, alert_token)
        except api.alexa.ApiUnavailable as error:
            if str(error) != "404":
                raise
        except api.alexa.PermissionMissing:
            return  # the permission was withdrawn: Alexa removed the skill's reminders with it


def forget_reminder(plugin: CheckinPlugin, handler_input: api.HandlerInput) -> str | None:
    """The plugin's forget hook: every reminder the skill set on the account, partners' too;
    when Alexa's API does not let them be deleted, the words that say how to do it by hand."""
    try:
        delete_reminders(handler_input, reminder.owned(handler_input))
    except (api.alexa.ApiUnavailable, api.alexa.PermissionMissing) as error:
        log.warning("reminders not deleted while erasing: %s", type(error).__name__)
        if (
            isinstance(error, api.alexa.PermissionMissing)
            and not plugin.progress(handler_input).reminder
        ):
            return None  # no permission and none kept: the skill set none it could delete
        return plugin.text(handler_input).reminders_not_erased
    return None


class StopReminderHandler(api.Handler[CheckinPlugin]):
    """Stop my nightly reminder: one sentence, and it is gone."""

    intents = ("StopCheckinIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        try:
            # This person's reminder; or, when nothing was kept, the skill's reminders.
            tokens = [state.reminder] if state.reminder else []
            if not tokens and not api.remembered(handler_input):
                tokens = reminder.owned(handler_input)
            if not tokens:
                return api.menu(handler_input, content.reminder_none)
            delete_reminders(handler_input, tokens)
        except api.alexa.ApiUnavailable:
            return api.menu(handler_input, content.api_unavailable)
        except api.alexa.PermissionMissing:
            pass  # without the permission, Alexa keeps none of the skill's reminders
        self.plugin.save(handler_input, state.changed(time="", reminder=""))
        return api.menu(handler_input, content.reminder_stopped)
