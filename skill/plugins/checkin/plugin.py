"""The check-in plugin, and the check-in itself: three short questions and an optional rating.

Only the ratings are kept, and only after the person agrees once.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from skill import api
from skill.plugins.checkin.content import CheckinContent
from skill.plugins.checkin.setup import (
    HalfAnswerHandler,
    PermissionAnswerHandler,
    SetupHandler,
    StopReminderHandler,
    WhenHandler,
    forget_reminder,
)
from skill.plugins.checkin.state import (
    ASKED_RATINGS,
    EVENING_HOUR,
    NEAR_CHOSEN_TIME,
    RATING_STAGE,
    CheckinPlugin,
    CheckinProgress,
    local_now,
    spoken_time,
)


def start_checkin(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, *lead: str
) -> api.Response:
    state = plugin.progress(handler_input).but(stage=0)
    if not state.zone:
        # Dates of check-ins and ratings are the person's local dates (else UTC dates).
        with contextlib.suppress(api.alexa.ApiUnavailable, api.alexa.PermissionMissing):
            state = state.but(zone=api.alexa.time_zone(handler_input))
    return ask(plugin, handler_input, state, *lead)


def ask(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, state: CheckinProgress, *lead: str
) -> api.Response:
    content = plugin.text(handler_input)
    plugin.activate(handler_input, at=state)
    if state.stage < RATING_STAGE:
        speech = api.Speech(*lead, content.questions[state.stage])
        return api.reply(handler_input, speech, api.Speech(content.question_reprompt))
    speech = api.Speech(*lead, content.rating_question)
    return api.reply(handler_input, speech, api.Speech(content.rating_reprompt))


def finish(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, rating: int | None, *lead: str
) -> api.Response:
    content = plugin.text(handler_input)
    state = plugin.progress(handler_input)
    today = local_now(handler_input, state.zone).date()
    done = state.but(stage=-1, last_done=today.isoformat())
    if rating is not None and done.ratings_ok:
        done = done.with_rating(today, rating)
    plugin.save(handler_input, done)
    return api.menu(handler_input, *lead, content.done)


class _InStage(api.Handler[CheckinPlugin]):
    """A handler for the questions (stages 0 to 2) or the rating of a check-in in progress."""

    rating = False
    while_active = True

    def applies(self, handler_input: api.HandlerInput) -> bool:
        stage = self.plugin.progress(handler_input).stage
        return stage == RATING_STAGE if self.rating else 0 <= stage < RATING_STAGE


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


class QuestionAnswerHandler(_InStage):
    """An answer to a check-in question: thanks, then on. Whatever intent Alexa heard in it
    ("we had a fight about money" sounds like a request for repair guidance), it is an answer;
    only the check-in's own requests, and the core's (help, stop), are not. The check-in has
    focus while it asks, so no other plugin hears these first."""

    OWN = ("PartnerTurnIntent", "StartCheckinIntent", "StopCheckinIntent", "SetCheckinIntent")
    requests = ("IntentRequest",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return super().applies(handler_input) and not api.is_intent(handler_input, *self.OWN)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        thanks = content.acknowledgements[state.stage % len(content.acknowledgements)]
        return ask(self.plugin, handler_input, state.but(stage=state.stage + 1), thanks)


class RatingHandler(_InStage):
    """The rating from one to five; "skip" or "no" leaves it out. A number alone that Alexa
    heard as a time ("three", as "03:00") is the rating it names."""

    rating = True
    intents = (
        "RatingIntent",
        "CheckinTimeIntent",
        "AMAZON.NoIntent",
        "SkipQuestionIntent",
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        if api.is_intent(handler_input, "AMAZON.NoIntent", "SkipQuestionIntent"):
            return finish(self.plugin, handler_input, None)
        value = (
            api.slot_value(handler_input, "rating")
            if api.is_intent(handler_input, "RatingIntent")
            else _hour_alone(api.slot_value(handler_input, "time"))
        )
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        rating = int(value) if value and value.isdecimal() else 0
        state = self.plugin.progress(handler_input)
        if not 1 <= rating <= 5:
            return ask(self.plugin, handler_input, state, content.rating_out_of_range)
        if state.ratings_asked:
            return finish(self.plugin, handler_input, rating)
        self.plugin.save(handler_input, state.but(ratings_asked=True, stage=-1))
        api.expect_next_turn(handler_input, ASKED_RATINGS, rating)
        speech = api.Speech(content.ratings_consent_question)
        return api.reply(handler_input, speech, api.Speech(content.ratings_consent_reprompt))


class RatingsConsentHandler(api.YesNoAnswer[CheckinPlugin]):
    """Asked once: may the ratings be kept, to tell the person about their week?"""

    # Unclear twice: the ratings are not kept without a yes.
    question = api.Question(ASKED_RATINGS)

    def answer(self, handler_input: api.HandlerInput, agreed: bool) -> api.Response:
        content = self.plugin.text(handler_input)
        self.plugin.save(handler_input, self.plugin.progress(handler_input).but(ratings_ok=agreed))
        kept = self.asked(handler_input)
        # What the last turn left is read back from the session, which Alexa returns as sent.
        rating = kept if type(kept) is int and 1 <= kept <= 5 else None
        said = content.ratings_kept if agreed else content.ratings_not_kept
        return finish(self.plugin, handler_input, rating, said)


class WeekHandler(api.Handler[CheckinPlugin]):
    """How was my week: the ratings of this week, against last week's."""

    intents = ("WeekSummaryIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        if not state.ratings_ok:
            return api.menu(handler_input, content.week_not_kept)
        today = local_now(handler_input, state.zone).date()
        this_week = _week(state, today)
        if not this_week:
            return api.menu(handler_input, content.week_nothing)
        average = sum(this_week) / len(this_week)
        said = [content.week_summary.format(count=len(this_week), average=_number(average))]
        last_week = _week(state, today - timedelta(days=7))
        if last_week:
            previous = sum(last_week) / len(last_week)
            said.append(
                content.week_compared_same if round(previous, 1) == round(average, 1)
                else (content.week_compared_up if average > previous
                      else content.week_compared_down).format(previous=_number(previous))
            )  # fmt: skip
        return api.menu(handler_input, *said)


def _week(state: CheckinProgress, day: date) -> list[int]:
    week = day.isocalendar()[:2]
    return [r for d, r in state.rated().items() if date.fromisoformat(d).isocalendar()[:2] == week]


def _hour_alone(time: str | None) -> str | None:
    """ "3" for Alexa's "03:00": a number said alone, heard as a time."""
    hour, _, minute = (time or "").partition(":")
    return str(int(hour)) if hour.isdecimal() and minute == "00" else None


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


class Checkin(api.Plugin[CheckinContent, CheckinProgress]):
    name = "checkin"
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
        StartCheckinHandler, PartnerTurnHandler, RatingsConsentHandler, QuestionAnswerHandler,
        RatingHandler, WeekHandler,
    )  # fmt: skip
    permissions = (api.alexa.REMINDERS_SCOPE,)
    menu_position = 4

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
        rating = api.from_last_turn(handler_input, ASKED_RATINGS)
        if rating is not None:  # the question about keeping ratings, still waiting
            api.expect_next_turn(handler_input, ASKED_RATINGS, rating)
            speech = api.Speech(content.help, *footer, content.ratings_consent_question)
            return api.reply(handler_input, speech, api.Speech(content.ratings_consent_reprompt))
        if state.stage < 0:
            return None  # nothing asked: the general help
        if state.stage == RATING_STAGE:  # its reprompt says what to say, in fewer words
            speech = api.Speech(*footer, content.rating_reprompt)
            return api.reply(handler_input, speech, api.Speech(content.rating_reprompt))
        return ask(self, handler_input, state, content.help, *footer)

    def describe(self, handler_input: api.HandlerInput) -> str | None:
        content = self.text(handler_input)
        state = self.progress(handler_input)
        said = []
        if state.reminder and state.time:
            said.append(content.known_reminder.format(time=spoken_time(state.time)))
        if state.ratings:
            said.append(content.known_ratings.format(count=len(state.rated())))
        return " ".join(said) or None

    def forget(self, handler_input: api.HandlerInput) -> None:
        forget_reminder(handler_input)
