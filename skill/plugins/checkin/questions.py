"""The check-in itself: three short questions, an optional rating, and a close that fits the day.

Each answer is read for its kind (reading.py) and forgotten; what follows it is right for any
answer of that kind. A hard day, told in an answer or by a rating of one or two, ends the
questions with a gentle word and an offer of something calming instead of the cheerful close.
The rating, too, is used in the turn it is said in and never kept (docs/health-policy.md).
"""

from __future__ import annotations

import contextlib

from skill import api
from skill.plugins.checkin import reading
from skill.plugins.checkin.reading import Kind
from skill.plugins.checkin.state import (
    ASKED_AGAIN,
    OFFERED_CALM,
    RATING_STAGE,
    SKIP_HINT,
    CheckinPlugin,
    CheckinProgress,
    local_now,
)

# A rating at or below this tells of a hard day.
HARD_RATING = 2
BREATHING = "breathing"
REPAIR = "repair"


def start_checkin(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, *lead: str
) -> api.Response:
    state = plugin.progress(handler_input).changed(stage=0)
    if not state.zone:
        # The date of a check-in is the person's local date (else the UTC date).
        with contextlib.suppress(api.alexa.ApiUnavailable, api.alexa.PermissionMissing):
            state = state.changed(zone=api.alexa.time_zone(handler_input))
    return ask(plugin, handler_input, state, *lead)


def ask(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, state: CheckinProgress, *lead: str
) -> api.Response:
    content = plugin.text(handler_input)
    plugin.activate(handler_input, at=state)
    if state.stage < RATING_STAGE:
        speech = api.Speech(*lead, content.questions[state.stage])
        # The question again in the reprompt: after a silence, and as "let's go on" after a
        # safety response says it, the person hears what is asked, not only how to answer.
        reprompt = api.Speech(content.questions[state.stage], content.question_reprompt)
        return api.reply(handler_input, speech, reprompt)
    # "Or say skip" once a session: the reprompt says it again when it is needed.
    hint = (content.rating_skip_hint,) if api.first_time(handler_input, SKIP_HINT) else ()
    speech = api.Speech(*lead, content.rating_question, *hint)
    return api.reply(handler_input, speech, api.Speech(content.rating_reprompt))


def ask_again(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, state: CheckinProgress
) -> api.Response:
    """No words heard ("um", or a fallback, which carries none): the same question, gently.
    Still none after that: a question moves on (it may have been an answer Alexa could not
    place), the rating asks once more, briefly."""
    content = plugin.text(handler_input)
    acks = content.acknowledgements
    again = api.from_last_turn(handler_input, ASKED_AGAIN) == state.stage
    api.expect_next_turn(handler_input, ASKED_AGAIN, state.stage)
    if not again:
        return ask(plugin, handler_input, state, acks.unheard)
    if state.stage < RATING_STAGE:
        return ask(plugin, handler_input, state.changed(stage=state.stage + 1), acks.moved_on)
    return rating_again(plugin, handler_input)


def rating_again(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, said: str | None = None
) -> api.Response:
    """Words without one number in them: what to say, briefly (the question was just heard)."""
    content = plugin.text(handler_input)
    plugin.activate(handler_input)
    reprompt = api.Speech(content.rating_reprompt)
    return api.reply(handler_input, api.Speech(said or content.rating_again), reprompt)


def finish(
    plugin: CheckinPlugin, handler_input: api.HandlerInput, rating: int | None, *lead: str
) -> api.Response:
    """The check-in is done: a rating of one or two closes gently with an offer; else the
    close, with the one question about remembering when there is a reminder to remember and
    the person isn't remembered yet. The rating is used here and goes no further."""
    content = plugin.text(handler_input)
    state = plugin.progress(handler_input)
    today = local_now(handler_input, state.zone).date()
    done = state.changed(stage=-1, last_done=today.isoformat())
    plugin.save(handler_input, done)
    if rating is not None and rating <= HARD_RATING:
        return offer_calm(plugin, handler_input, *lead, content.hard_rating)
    sober = api.help_given_for(handler_input) is not None
    closing = content.done_sober if sober else content.done
    if done.time:
        # The reminder is what remembering would keep for the check-in: its time, so that the
        # evening launch opens with the check-in, and its id. Without one, a finished check-in
        # leaves nothing worth the question. (offer_to_remember decides the rest: never
        # someone remembered, nor after where to turn was given.)
        speech = api.Speech(*lead, closing)
        asked = api.offer_to_remember(handler_input, speech, after=plugin.name)
        if asked is not None:
            plugin.deactivate(handler_input)
            return asked
    return api.menu(handler_input, *lead, closing, done=plugin.name)


def hard_day(plugin: CheckinPlugin, handler_input: api.HandlerInput, *lead: str) -> api.Response:
    """An answer that tells of a hard day: no more questions tonight, and the offer."""
    content = plugin.text(handler_input)
    state = plugin.progress(handler_input)
    today = local_now(handler_input, state.zone).date()
    plugin.save(handler_input, state.changed(stage=-1, last_done=today.isoformat()))
    return offer_calm(plugin, handler_input, *(lead or (content.acknowledgements.hard,)))


def offer_calm(plugin: CheckinPlugin, handler_input: api.HandlerInput, *lead: str) -> api.Response:
    """A breathing exercise, and repair guidance where it can be offered (never after where to
    turn was given this session: after an abuse disclosure, couple repair is not safe)."""
    content = plugin.text(handler_input)
    plugin.deactivate(handler_input)
    breathing = api.can_start(handler_input, BREATHING)
    repair = api.help_given_for(handler_input) is None and api.can_start(handler_input, REPAIR)
    offers = {
        (True, True): (content.offer_both, content.offer_both_reprompt),
        (True, False): (content.offer_breathing, content.offer_breathing_reprompt),
        (False, True): (content.offer_repair, content.offer_repair_reprompt),
    }
    if (breathing, repair) not in offers:
        return api.menu(handler_input, *lead, content.gentle_close, done=plugin.name)
    said, reprompt = offers[(breathing, repair)]
    api.expect_next_turn(handler_input, OFFERED_CALM, BREATHING if breathing else REPAIR)
    return api.reply(handler_input, api.Speech(*lead, said), api.Speech(reprompt))


class _InStage(api.Handler[CheckinPlugin]):
    """A handler for the questions (stages 0 to 2) or the rating of a check-in in progress."""

    rating = False
    while_active = True

    def applies(self, handler_input: api.HandlerInput) -> bool:
        stage = self.plugin.progress(handler_input).stage
        return stage == RATING_STAGE if self.rating else 0 <= stage < RATING_STAGE


class QuestionAnswerHandler(_InStage):
    """An answer to a check-in question. Whatever intent Alexa heard in it ("we had a fight
    about money" sounds like a request for repair guidance), it is an answer; only the
    check-in's own requests, and the core's (help, stop), are not. The check-in has focus while
    it asks, so no other plugin hears these first."""

    OWN = ("PartnerTurnIntent", "StartCheckinIntent", "StopCheckinIntent", "SetCheckinIntent")
    requests = ("IntentRequest",)

    # A panic attack said in answer is served at once (the calming exercise), not thanked.
    SERVED = ("PanicIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return super().applies(handler_input) and not api.is_intent(
            handler_input, *self.OWN, *self.SERVED
        )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        acks = content.acknowledgements
        kind = reading.read(handler_input, content.reading)
        if kind is Kind.UNHEARD:
            return ask_again(self.plugin, handler_input, state)
        if kind is Kind.HARD:
            return hard_day(self.plugin, handler_input)
        said = {
            Kind.ANSWERED: acks.answered[state.stage],
            Kind.NOTHING: acks.nothing[state.stage],
            Kind.UNSURE: acks.unsure,
            Kind.SKIPPED: acks.skipped,
        }[kind]
        return ask(self.plugin, handler_input, state.changed(stage=state.stage + 1), said)


class RatingHandler(_InStage):
    """The rating from one to five, said alone or with words around it ("two I guess", "a two
    really"); "skip" or "no" leaves it out; "I don't know" too, gently. A number alone that
    Alexa heard as a time ("three", as "03:00") is the rating it names."""

    rating = True
    intents = (
        "RatingIntent",
        "CheckinTimeIntent",
        "AMAZON.NoIntent",
        "AMAZON.YesIntent",
        "SkipQuestionIntent",
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        rating = _rating(handler_input)
        if rating is None:
            kind = reading.read(handler_input, content.reading)
            if kind is Kind.HARD:  # "pretty bad": the questions are over, the rating told
                return hard_day(self.plugin, handler_input, content.hard_rating)
            if kind is Kind.UNHEARD:
                return ask_again(self.plugin, handler_input, state)
            if kind in (Kind.SKIPPED, Kind.NOTHING):
                return finish(self.plugin, handler_input, None)
            if kind is Kind.UNSURE:
                return finish(self.plugin, handler_input, None, content.acknowledgements.unsure)
            return rating_again(self.plugin, handler_input)
        if not 1 <= rating <= 5:
            return rating_again(self.plugin, handler_input, content.rating_out_of_range)
        return finish(self.plugin, handler_input, rating)


def _rating(handler_input: api.HandlerInput) -> int | None:
    """The number said, whichever intent carried it; None when there is none."""
    if api.is_intent(handler_input, "CheckinTimeIntent"):
        return _hour_alone(api.slot_value(handler_input, "time"))
    value = api.slot_value(handler_input, "rating")
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if api.is_intent(handler_input, "RatingIntent") and value and value.isdecimal():
        return int(value)
    if api.is_intent(handler_input, "RatingIntent", "AnswerIntent"):
        # Words around the number ("a four because we talked"), or a number slot that came
        # with words in it: the one number said, if there is one.
        return reading.number_in(reading.heard(handler_input))
    return None


def _hour_alone(time: str | None) -> int | None:
    """3 for Alexa's "03:00": a number said alone, heard as a time."""
    hour, _, minute = (time or "").partition(":")
    return int(hour) if hour.isdecimal() and minute == "00" else None


class CalmOfferAnswerHandler(api.YesNoAnswer[CheckinPlugin]):
    """After a hard day: yes to the breathing exercise (or to repair guidance, when that was
    the only offer); "repair guidance" said in answer goes to the repair plugin itself."""

    # Unclear twice: nothing is started without a yes.
    question = api.Question(OFFERED_CALM)

    def answer(self, handler_input: api.HandlerInput, yes: bool) -> api.Response:
        content = self.plugin.text(handler_input)
        offered = self.asked(handler_input)
        if yes:
            capability = REPAIR if offered == REPAIR else BREATHING
            started = api.start_capability(handler_input, capability)
            if started is not None:
                return started
        said = content.offer_declined if not yes else content.gentle_close
        return api.menu(handler_input, said, done=self.plugin.name)
