"""The nightly check-in itself: three short questions and an optional rating from one to five.

Only the ratings are kept, and only after the person agrees once.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa_api import ApiUnavailable, PermissionMissing
from skill.alexa_api import time_zone as device_time_zone
from skill.core.menu import menu
from skill.core.session import (
    expect_next_turn,
    from_last_turn,
    intent_in,
    is_active,
    reply,
    set_active,
)
from skill.plugins.checkin.setup import (
    PermissionAnswerHandler,
    SetupHandler,
    StopReminderHandler,
    WhenHandler,
)
from skill.plugins.checkin.state import (
    ASKED_RATINGS,
    EVENING_HOUR,
    NAME,
    NEAR_CHOSEN_TIME,
    RATING_STAGE,
    Checkin,
    local_now,
    spoken_time,
    text,
)
from skill.safety import safety_text
from skill.slots import slot_value
from skill.speech import Speech


def start_checkin(handler_input: HandlerInput, *lead: str) -> Response:
    state = replace(Checkin.of(handler_input), stage=0)
    if not state.zone:
        # Dates of check-ins and ratings are the person's local dates.
        with contextlib.suppress(ApiUnavailable, PermissionMissing):  # else UTC dates
            state = replace(state, zone=device_time_zone(handler_input))
    return ask(handler_input, state, *lead)


def ask(handler_input: HandlerInput, state: Checkin, *lead: str) -> Response:
    content = text(handler_input)
    state.save(handler_input)
    set_active(handler_input, NAME)
    if state.stage < RATING_STAGE:
        speech = Speech(*lead, content.questions[state.stage])
        return reply(handler_input, speech, Speech(content.question_reprompt))
    speech = Speech(*lead, content.rating_question)
    return reply(handler_input, speech, Speech(content.rating_reprompt))


def finish(handler_input: HandlerInput, rating: int | None, *lead: str) -> Response:
    content = text(handler_input)
    state = Checkin.of(handler_input)
    today = local_now(handler_input, state.zone).date()
    done = replace(state, stage=-1, last_done=today.isoformat())
    if rating is not None and done.ratings_ok:
        done = done.with_rating(today, rating)
    done.save(handler_input)
    return menu(handler_input, *lead, content.done)


def _in_stage(handler_input: HandlerInput, questions: bool) -> bool:
    if not is_active(handler_input, NAME):
        return False
    stage = Checkin.of(handler_input).stage
    return 0 <= stage < RATING_STAGE if questions else stage == RATING_STAGE


class StartCheckinHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("StartCheckinIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return start_checkin(handler_input, text(handler_input).start_lead)


class PartnerTurnHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Now my partner: the partner starts their own check-in, in their own voice, so that
    Alexa can recognise them and their own profile is used (or the account's, if it can't)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("PartnerTurnIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        set_active(handler_input, None)
        return reply(handler_input, Speech(content.partner_turn), Speech(content.partner_turn))


class QuestionAnswerHandler(AbstractRequestHandler):  # type: ignore[misc]
    """An answer to a check-in question: thanks, then on. Whatever intent Alexa heard in it
    ("we had a fight about money" sounds like a request for repair guidance), it is an answer;
    only the check-in's own requests, and the core's (help, stop), are not."""

    OWN = ("PartnerTurnIntent", "StartCheckinIntent", "StopCheckinIntent", "SetCheckinIntent")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            _in_stage(handler_input, questions=True)
            and bool(is_request_type("IntentRequest")(handler_input))
            and not any(is_intent_name(name)(handler_input) for name in self.OWN)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        state = Checkin.of(handler_input)
        thanks = content.acknowledgements[state.stage % len(content.acknowledgements)]
        return ask(handler_input, replace(state, stage=state.stage + 1), thanks)


class RatingHandler(AbstractRequestHandler):  # type: ignore[misc]
    """The rating from one to five; "skip" or "no" leaves it out."""

    INTENTS = (
        "RatingIntent",
        "AMAZON.NoIntent",
        "SkipQuestionIntent",
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _in_stage(handler_input, questions=False) and any(
            is_intent_name(name)(handler_input) for name in self.INTENTS
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        if is_intent_name("AMAZON.NoIntent")(handler_input) or is_intent_name("SkipQuestionIntent")(
            handler_input
        ):
            return finish(handler_input, None)
        value = (
            slot_value(handler_input, "rating")
            if is_intent_name("RatingIntent")(handler_input)
            else None
        )
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        rating = int(value) if value and value.isdecimal() else 0
        if not 1 <= rating <= 5:
            return ask(handler_input, Checkin.of(handler_input), content.rating_out_of_range)
        state = Checkin.of(handler_input)
        if state.ratings_asked:
            return finish(handler_input, rating)
        replace(state, ratings_asked=True, stage=-1).save(handler_input)
        expect_next_turn(handler_input, ASKED_RATINGS, rating)
        speech = Speech(content.ratings_consent_question)
        return reply(handler_input, speech, Speech(content.ratings_consent_reprompt))


class RatingsConsentHandler(AbstractRequestHandler):  # type: ignore[misc]
    """Asked once: may the ratings be kept, to tell the person about their week?"""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return from_last_turn(handler_input, ASKED_RATINGS) is not None and bool(
            intent_in(handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        agreed = bool(is_intent_name("AMAZON.YesIntent")(handler_input))
        replace(Checkin.of(handler_input), ratings_ok=agreed).save(handler_input)
        kept = from_last_turn(handler_input, ASKED_RATINGS)
        # What the last turn left is read back from the session, which Alexa returns as sent.
        rating = kept if type(kept) is int and 1 <= kept <= 5 else None
        return finish(
            handler_input, rating, content.ratings_kept if agreed else content.ratings_not_kept
        )


class WeekHandler(AbstractRequestHandler):  # type: ignore[misc]
    """How was my week: the ratings of this week, against last week's."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WeekSummaryIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        state = Checkin.of(handler_input)
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


def _week(state: Checkin, day: date) -> list[int]:
    week = day.isocalendar()[:2]
    return [r for d, r in state.rated().items() if date.fromisoformat(d).isocalendar()[:2] == week]


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def describe(handler_input: HandlerInput) -> str | None:
    content = text(handler_input)
    state = Checkin.of(handler_input)
    said = []
    if state.reminder and state.time:
        said.append(content.known_reminder.format(time=spoken_time(state.time)))
    if state.ratings:
        said.append(content.known_ratings.format(count=len(state.rated())))
    return " ".join(said) or None


def checkin_help(handler_input: HandlerInput) -> Response:
    """Help in the middle of the check-in: what can be said, then the question again."""
    mention = safety_text(handler_input).help_mention
    return ask(handler_input, Checkin.of(handler_input), text(handler_input).help, mention)


def on_launch(handler_input: HandlerInput, *lead: str) -> Response | None:
    """An evening launch opens with the check-in, for someone who set one up, once a day."""
    state = Checkin.of(handler_input)
    if not state.time:
        return None
    now = local_now(handler_input, state.zone)
    if state.last_done == now.date().isoformat():
        return None
    hour, minute = (int(part) for part in state.time.split(":"))
    chosen = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if now.hour < EVENING_HOUR and abs(now - chosen) > NEAR_CHOSEN_TIME:
        return None
    return start_checkin(handler_input, *lead, text(handler_input).evening_greeting)


def handlers() -> list[AbstractRequestHandler]:
    return [
        PermissionAnswerHandler(),
        SetupHandler(),
        WhenHandler(),
        StopReminderHandler(),
        StartCheckinHandler(),
        PartnerTurnHandler(),
        RatingsConsentHandler(),
        QuestionAnswerHandler(),
        RatingHandler(),
        WeekHandler(),
    ]
