"""The nightly check-in: setting up its daily reminder, and the check-in itself.

The reminder goes through Alexa's Reminders API with the reminders permission, asked for by
voice when missing (Connections.SendRequest AskFor, answered by a Connections.Response). The
check-in is three short questions and an optional rating from one to five; only the ratings are
kept, and only after the person agrees once.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective

from skill.alexa_api import REMINDERS_SCOPE, ApiUnavailable, PermissionMissing, has_permission
from skill.alexa_api import time_zone as device_time_zone
from skill.core.menu import menu
from skill.core.session import (
    expect_next_turn,
    from_last_turn,
    intent_in,
    is_active,
    plugin_state,
    profile,
    reply,
    set_active,
    set_plugin_state,
)
from skill.plugins.checkin import reminder
from skill.plugins.checkin.content import CheckinContent
from skill.safety import safety_text
from skill.slots import slot_value
from skill.speech import Speech

log = logging.getLogger(__name__)

NAME = "checkin"
ASKED_TIME = "checkinAskedTime"
ASKED_RATINGS = "checkinAskedRatings"
TOKEN_PREFIX = "checkin:"
RATING_STAGE = 3
KEEP_RATINGS_DAYS = 56  # the last eight weeks
EVENING_HOUR = 18
NEAR_CHOSEN_TIME = timedelta(hours=2)


@dataclass(frozen=True)
class Checkin:
    """What the profile keeps: the reminder's time and id, and dated ratings when agreed."""

    time: str = ""  # "21:30", local to `zone`
    zone: str = ""
    reminder: str = ""  # the Reminders API's alert token
    last_done: str = ""  # the local date of the last check-in
    stage: int = -1  # -1: none in progress; 0 to 2: the questions; 3: the rating
    ratings: str = ""  # "2026-11-27=4;2026-11-26=3": numbers only, at most eight weeks
    ratings_ok: bool = False
    ratings_asked: bool = False

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Checkin:
        state = plugin_state(handler_input, NAME)
        return cls(**{k: v for k, v in state.items() if k in _FIELDS})

    def save(self, handler_input: HandlerInput) -> None:
        set_plugin_state(handler_input, NAME, asdict(self))

    def rated(self) -> dict[str, int]:
        pairs = (item.split("=") for item in self.ratings.split(";") if "=" in item)
        return {day: int(value) for day, value in pairs}

    def with_rating(self, day: date, rating: int) -> Checkin:
        kept = {
            d: r for d, r in self.rated().items()
            if date.fromisoformat(d) > day - timedelta(days=KEEP_RATINGS_DAYS)
        }  # fmt: skip
        kept[day.isoformat()] = rating
        return replace(self, ratings=";".join(f"{d}={r}" for d, r in sorted(kept.items())))


_FIELDS = set(Checkin.__dataclass_fields__)


def text(handler_input: HandlerInput) -> CheckinContent:
    # The plugin is declared in the package's __init__, which imports this module first.
    from skill.plugins.checkin import plugin

    return plugin.content(handler_input.request_envelope.request.locale)


def remembered(handler_input: HandlerInput) -> bool:
    """Whether the person said yes to being remembered (else nothing of theirs is kept)."""
    return profile(handler_input).consent is not None


def local_now(handler_input: HandlerInput, zone: str) -> datetime:
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    now: datetime = handler_input.request_envelope.request.timestamp.astimezone(tz)
    return now


def spoken_time(time: str) -> str:
    hour, minute = (int(part) for part in time.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12} {suffix}" if minute == 0 else f"{hour12}:{minute:02d} {suffix}"


def parse_time(value: str | None) -> str | None:
    """Alexa's AMAZON.TIME value ("21:30") as HH:MM; None for vague ones ("EV" for evening)."""
    found = re.fullmatch(r"(\d{1,2}):(\d{2})", value or "")
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        return None
    return f"{int(found.group(1)):02d}:{found.group(2)}"


# Setting up, changing, asking about and stopping the reminder.


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
        time = str(request.token).removeprefix(TOKEN_PREFIX)
        status = (request.payload or {}).get("status")
        if status == "ACCEPTED" and parse_time(time):
            return schedule(handler_input, time, just_granted=True)
        said = text(handler_input).permission_declined.format(time=spoken_time(time))
        return menu(handler_input, said)


class WhenHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("WhenIsCheckinIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        content = text(handler_input)
        state = Checkin.of(handler_input)
        if not state.reminder:
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


# The check-in itself.


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
        rating = int(value) if value and value.isdigit() else 0
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
        rating = int(from_last_turn(handler_input, ASKED_RATINGS))
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
    if state.reminder:
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
