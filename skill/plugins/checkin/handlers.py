"""The nightly check-in itself: three short questions and an optional rating from one to five.

Only the ratings are kept, and only after the person agrees once.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from skill.alexa_api import ApiUnavailable, PermissionMissing
from skill.alexa_api import time_zone as device_time_zone
from skill.api import (
    Handler,
    HandlerInput,
    Response,
    Speech,
    expect_next_turn,
    from_last_turn,
    is_intent,
    menu,
    reply,
    slot_value,
)
from skill.plugins.checkin.state import (
    ASKED_RATINGS,
    RATING_STAGE,
    CheckinPlugin,
    CheckinProgress,
    local_now,
)


def start_checkin(plugin: CheckinPlugin, handler_input: HandlerInput, *lead: str) -> Response:
    state = plugin.progress(handler_input).but(stage=0)
    if not state.zone:
        # Dates of check-ins and ratings are the person's local dates.
        with contextlib.suppress(ApiUnavailable, PermissionMissing):  # else UTC dates
            state = state.but(zone=device_time_zone(handler_input))
    return ask(plugin, handler_input, state, *lead)


def ask(
    plugin: CheckinPlugin, handler_input: HandlerInput, state: CheckinProgress, *lead: str
) -> Response:
    content = plugin.text(handler_input)
    plugin.save(handler_input, state)
    plugin.activate(handler_input)
    if state.stage < RATING_STAGE:
        speech = Speech(*lead, content.questions[state.stage])
        return reply(handler_input, speech, Speech(content.question_reprompt))
    speech = Speech(*lead, content.rating_question)
    return reply(handler_input, speech, Speech(content.rating_reprompt))


def finish(
    plugin: CheckinPlugin, handler_input: HandlerInput, rating: int | None, *lead: str
) -> Response:
    content = plugin.text(handler_input)
    state = plugin.progress(handler_input)
    today = local_now(handler_input, state.zone).date()
    done = state.but(stage=-1, last_done=today.isoformat())
    if rating is not None and done.ratings_ok:
        done = done.with_rating(today, rating)
    plugin.save(handler_input, done)
    return menu(handler_input, *lead, content.done)


class _InStage(Handler[CheckinPlugin]):
    """A handler for the questions (stages 0 to 2) or the rating of a check-in in progress."""

    rating = False
    while_active = True

    def applies(self, handler_input: HandlerInput) -> bool:
        stage = self.plugin.progress(handler_input).stage
        return stage == RATING_STAGE if self.rating else 0 <= stage < RATING_STAGE


class StartCheckinHandler(Handler[CheckinPlugin]):
    intents = ("StartCheckinIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        return start_checkin(self.plugin, handler_input, self.plugin.text(handler_input).start_lead)


class PartnerTurnHandler(Handler[CheckinPlugin]):
    """Now my partner: the partner starts their own check-in, in their own voice, so that
    Alexa can recognise them and their own profile is used (or the account's, if it can't)."""

    intents = ("PartnerTurnIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        self.plugin.deactivate(handler_input)
        return reply(handler_input, Speech(content.partner_turn), Speech(content.partner_turn))


class QuestionAnswerHandler(_InStage):
    """An answer to a check-in question: thanks, then on. Whatever intent Alexa heard in it
    ("we had a fight about money" sounds like a request for repair guidance), it is an answer;
    only the check-in's own requests, and the core's (help, stop), are not. The check-in has
    focus while it asks, so no other plugin hears these first."""

    OWN = ("PartnerTurnIntent", "StartCheckinIntent", "StopCheckinIntent", "SetCheckinIntent")
    requests = ("IntentRequest",)

    def applies(self, handler_input: HandlerInput) -> bool:
        return super().applies(handler_input) and not is_intent(handler_input, *self.OWN)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        state = self.plugin.progress(handler_input)
        thanks = content.acknowledgements[state.stage % len(content.acknowledgements)]
        return ask(self.plugin, handler_input, state.but(stage=state.stage + 1), thanks)


class RatingHandler(_InStage):
    """The rating from one to five; "skip" or "no" leaves it out."""

    rating = True
    intents = (
        "RatingIntent",
        "AMAZON.NoIntent",
        "SkipQuestionIntent",
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        if is_intent(handler_input, "AMAZON.NoIntent", "SkipQuestionIntent"):
            return finish(self.plugin, handler_input, None)
        value = (
            slot_value(handler_input, "rating")
            if is_intent(handler_input, "RatingIntent")
            else None
        )
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        rating = int(value) if value and value.isdecimal() else 0
        state = self.plugin.progress(handler_input)
        if not 1 <= rating <= 5:
            return ask(self.plugin, handler_input, state, content.rating_out_of_range)
        if state.ratings_asked:
            return finish(self.plugin, handler_input, rating)
        self.plugin.save(handler_input, state.but(ratings_asked=True, stage=-1))
        expect_next_turn(handler_input, ASKED_RATINGS, rating)
        speech = Speech(content.ratings_consent_question)
        return reply(handler_input, speech, Speech(content.ratings_consent_reprompt))


class RatingsConsentHandler(Handler[CheckinPlugin]):
    """Asked once: may the ratings be kept, to tell the person about their week?"""

    intents = ("AMAZON.YesIntent", "AMAZON.NoIntent")

    def applies(self, handler_input: HandlerInput) -> bool:
        return from_last_turn(handler_input, ASKED_RATINGS) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        agreed = is_intent(handler_input, "AMAZON.YesIntent")
        self.plugin.save(handler_input, self.plugin.progress(handler_input).but(ratings_ok=agreed))
        kept = from_last_turn(handler_input, ASKED_RATINGS)
        # What the last turn left is read back from the session, which Alexa returns as sent.
        rating = kept if type(kept) is int and 1 <= kept <= 5 else None
        said = content.ratings_kept if agreed else content.ratings_not_kept
        return finish(self.plugin, handler_input, rating, said)


class WeekHandler(Handler[CheckinPlugin]):
    """How was my week: the ratings of this week, against last week's."""

    intents = ("WeekSummaryIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        content = self.plugin.text(handler_input)
        state = self.plugin.progress(handler_input)
        if not state.ratings_ok:
            return menu(handler_input, content.week_not_kept)
        today = local_now(handler_input, state.zone).date()
        this_week = _week(state, today)
        if not this_week:
            return menu(handler_input, content.week_nothing)
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
        return menu(handler_input, *said)


def _week(state: CheckinProgress, day: date) -> list[int]:
    week = day.isocalendar()[:2]
    return [r for d, r in state.rated().items() if date.fromisoformat(d).isocalendar()[:2] == week]


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
