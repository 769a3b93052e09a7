"""Nightly check-in: a daily reminder at the person's chosen time, and a short check-in."""

from __future__ import annotations

from skill.alexa_api import REMINDERS_SCOPE
from skill.api import HandlerInput, Intent, Plugin, Response
from skill.plugins.checkin.content import CheckinContent
from skill.plugins.checkin.handlers import (
    PartnerTurnHandler,
    QuestionAnswerHandler,
    RatingHandler,
    RatingsConsentHandler,
    StartCheckinHandler,
    WeekHandler,
    ask,
    start_checkin,
)
from skill.plugins.checkin.setup import (
    PermissionAnswerHandler,
    SetupHandler,
    StopReminderHandler,
    WhenHandler,
    forget_reminder,
)
from skill.plugins.checkin.state import (
    EVENING_HOUR,
    NEAR_CHOSEN_TIME,
    CheckinProgress,
    local_now,
    spoken_time,
)


class Checkin(Plugin[CheckinContent, CheckinProgress]):
    name = "checkin"
    intents = (
        Intent(name="SetCheckinIntent", slots={"time": "AMAZON.TIME"}),
        Intent(name="CheckinTimeIntent", slots={"time": "AMAZON.TIME"}),
        Intent(name="WhenIsCheckinIntent"),
        Intent(name="StopCheckinIntent"),
        Intent(name="StartCheckinIntent"),
        Intent(name="PartnerTurnIntent"),
        Intent(name="RatingIntent", slots={"rating": "AMAZON.NUMBER"}),
        Intent(name="WeekSummaryIntent"),
        Intent(name="AMAZON.YesIntent"),
        Intent(name="AMAZON.NoIntent"),
    )
    handlers = (
        PermissionAnswerHandler,
        SetupHandler,
        WhenHandler,
        StopReminderHandler,
        StartCheckinHandler,
        PartnerTurnHandler,
        RatingsConsentHandler,
        QuestionAnswerHandler,
        RatingHandler,
        WeekHandler,
    )
    permissions = (REMINDERS_SCOPE,)
    menu_position = 4

    def start(self, handler_input: HandlerInput, *lead: str) -> Response:
        return start_checkin(self, handler_input, *lead)

    def on_launch(self, handler_input: HandlerInput, *lead: str) -> Response | None:
        """An evening launch opens with the check-in, for someone who set one up, once a day."""
        state = self.progress(handler_input)
        if not state.time:
            return None
        now = local_now(handler_input, state.zone)
        if state.last_done == now.date().isoformat():
            return None
        hour, minute = (int(part) for part in state.time.split(":"))
        chosen = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if now.hour < EVENING_HOUR and abs(now - chosen) > NEAR_CHOSEN_TIME:
            return None
        greeting = self.text(handler_input).evening_greeting
        return start_checkin(self, handler_input, *lead, greeting)

    def help(self, handler_input: HandlerInput, *footer: str) -> Response:
        """Help in the middle of the check-in: what can be said, then the question again."""
        help_text = self.text(handler_input).help
        return ask(self, handler_input, self.progress(handler_input), help_text, *footer)

    def describe(self, handler_input: HandlerInput) -> str | None:
        content = self.text(handler_input)
        state = self.progress(handler_input)
        said = []
        if state.reminder and state.time:
            said.append(content.known_reminder.format(time=spoken_time(state.time)))
        if state.ratings:
            said.append(content.known_ratings.format(count=len(state.rated())))
        return " ".join(said) or None

    def forget(self, handler_input: HandlerInput) -> None:
        forget_reminder(handler_input)
