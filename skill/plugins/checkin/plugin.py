"""The check-in plugin: a short nightly check-in (questions.py), its reminder (setup.py) and
"how was my week" (week.py), which says that no week is kept.

After a yes to being remembered, it keeps the reminder's time and id, the time zone, the date of
the last check-in and the place in one under way. Never what the person says, and never the
rating: it is used in the turn it is said in, then forgotten (docs/health-policy.md).
"""

from __future__ import annotations

from skill import api
from skill.plugins.checkin.content import CheckinContent
from skill.plugins.checkin.questions import (
    CalmOfferAnswerHandler,
    QuestionAnswerHandler,
    RatingHandler,
    ask,
    start_checkin,
)
from skill.plugins.checkin.setup import (
    HalfAnswerHandler,
    PermissionAnswerHandler,
    SetupHandler,
    StopReminderHandler,
    WhenHandler,
    forget_reminder,
)
from skill.plugins.checkin.state import (
    EVENING_HOUR,
    NEAR_CHOSEN_TIME,
    RATING_STAGE,
    CheckinPlugin,
    CheckinProgress,
    local_now,
    spoken_time,
)
from skill.plugins.checkin.week import WeekHandler


class StartCheckinHandler(api.Handler[CheckinPlugin]):
    intents = ("StartCheckinIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return start_checkin(self.plugin, handler_input, self.plugin.text(handler_input).start_lead)


class PartnerTurnHandler(api.Handler[CheckinPlugin]):
    """Now my partner: the partner starts their own check-in, in their own voice, so that
    Alexa can recognise them and their own profile is used (or the account's, if it can't)."""

    intents = ("PartnerTurnIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        self.plugin.deactivate(handler_input)
        return api.reply(
            handler_input, api.Speech(content.partner_turn), api.Speech(content.partner_turn)
        )


class Checkin(api.Plugin[CheckinContent, CheckinProgress]):
    name = "checkin"
    testing = """
        Nightly check-in and the reminders permission: say "set up my nightly check-in at nine
        thirty pm". The skill says in one sentence why it needs the reminders permission, then
        Alexa asks for it. Grant it: a daily reminder is set for 9:30 pm, "when is my check-in"
        tells the time and "stop my reminder" deletes it. Decline (or say nothing): the skill
        says the reminder was not set and sends a card to the Alexa app to grant the
        permission later. "start my check-in" asks three short questions and an optional
        rating from one to five, used only during the session (a one or two ends the check-in
        gently, with the offer of a breathing exercise) and never kept; "how was my week" says
        so.
    """
    intents = (
        api.Intent(name="SetCheckinIntent", slots={"time": "AMAZON.TIME"}),
        # A number alone ("four") fits both: before the time, since it is the rating in a
        # check-in; when a time was asked for, SetupHandler takes it as the hour.
        api.Intent(name="RatingIntent", slots={"rating": "AMAZON.NUMBER"}),
        api.Intent(name="CheckinTimeIntent", slots={"time": "AMAZON.TIME"}),
        *api.Intent.named("WhenIsCheckinIntent", "StopCheckinIntent", "StartCheckinIntent"),
        *api.Intent.named(
            "PartnerTurnIntent", "WeekSummaryIntent", "AMAZON.YesIntent", "AMAZON.NoIntent"
        ),
    )
    # Tried in this order (after the safety layer's and the core's).
    handlers = (
        PermissionAnswerHandler, SetupHandler, HalfAnswerHandler, WhenHandler, StopReminderHandler,
        StartCheckinHandler, PartnerTurnHandler, CalmOfferAnswerHandler, QuestionAnswerHandler,
        RatingHandler, WeekHandler,
    )  # fmt: skip
    permissions = (api.alexa.REMINDERS_SCOPE,)
    menu_position = 4
    # Its questions are about good moments with the partner: not offered after an abuse
    # disclosure in the session.
    after_abuse = False

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        return start_checkin(self, handler_input, *lead)

    def on_launch(self, handler_input: api.HandlerInput, *lead: str) -> api.Response | None:
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

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response | None:
        """Help in the middle of the check-in: what can be said, then the question again."""
        content, state = self.text(handler_input), self.progress(handler_input)
        if state.stage < 0:
            return None  # nothing asked: the general help
        if state.stage == RATING_STAGE:  # its reprompt says what to say, in fewer words
            speech = api.Speech(*footer, content.rating_reprompt)
            return api.reply(handler_input, speech, api.Speech(content.rating_reprompt))
        return ask(self, handler_input, state, content.help, *footer)

    def describe(self, handler_input: api.HandlerInput) -> str | None:
        state = self.progress(handler_input)
        if not (state.reminder and state.time):
            return None
        return self.text(handler_input).known_reminder.format(time=spoken_time(state.time))

    def forget(self, handler_input: api.HandlerInput) -> str | None:
        return forget_reminder(self, handler_input)
