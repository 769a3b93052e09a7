"""What the nightly check-in says: its questions, its reminder, its answer about the week."""

from __future__ import annotations

from typing import Annotated

from skill.api import Constraint, Content, MenuContent

Three = tuple[str, str, str]  # one line per question: rose, thorn, bud


class Acknowledgements(Content):
    """What follows an answer, by what kind of answer it was (see reading.py); each line is
    right for any answer of its kind, so none of them assumes what was said."""

    answered: Three  # an answer the check-in did not read further: a thanks that fits anything
    nothing: Three  # "nothing", "no": per question, since "no" to the thorn is good news
    unsure: str  # "I don't know", "I'd rather not say"
    skipped: str  # "skip", "next"
    hard: str  # a hard day told: before the offer of something calming
    unheard: str  # "um", or words Alexa could not place: the question again, gently
    moved_on: str  # still nothing heard after asking again: on to the next question


class Reading(Content):
    """The phrases the check-in reads an answer for, in this locale's words (never kept)."""

    hard: Annotated[
        tuple[str, ...], Constraint(min_length=1)
    ]  # a hard day: "he said he is leaving"
    # The same, as the whole of the words heard: "bad" (from "pretty bad": Alexa sends only
    # the words after a carrier phrase), never inside other words ("not bad at all").
    hard_alone: tuple[str, ...]
    negations: tuple[str, ...]  # just before a hard phrase, it is not one: "not awful"
    fillers: tuple[str, ...]  # on their own, no answer: "um", "hmm"


class CheckinContent(MenuContent):
    questions: Three  # rose, thorn, bud
    question_reprompt: str
    acknowledgements: Acknowledgements
    reading: Reading
    evening_greeting: str
    start_lead: str
    partner_turn: str
    rating_question: str
    rating_skip_hint: str  # said with the rating question once a session
    rating_reprompt: str
    rating_out_of_range: str
    rating_again: str  # words, but no number in them
    done: str
    done_sober: str  # after where to turn was given this session: no cheer
    hard_rating: str  # a rating of one or two
    offer_breathing: str  # a hard day: a breathing exercise?
    offer_breathing_reprompt: str
    offer_both: str  # a hard day: a breathing exercise, or repair guidance?
    offer_both_reprompt: str
    offer_repair: str  # a hard day, and no breathing exercise to offer: repair guidance?
    offer_repair_reprompt: str
    offer_declined: str
    gentle_close: str  # a hard day, and nothing to offer
    # "How was my week": no rating is kept, so there is no week to tell (fit for any moment,
    # after where to turn was given too).
    week_not_kept: str
    ask_time: str
    ask_time_reprompt: str
    need_exact_time: str  # before ask_time, when only a time of day was heard
    which_half: str  # {evening} "10 pm", {heard} "10"
    which_half_reprompt: str  # {evening}
    which_time: str  # {morning}: "10 am", after a no to "10 pm?"
    # What the reminder says and shows: short (about 25 characters show on a small screen),
    # discreet on a shared device, and without the skill's name (Alexa says it).
    reminder_text: str
    permission_why: str  # {time}: the one sentence before Alexa asks for the permission
    reminder_set: str  # {time}
    reminder_changed: str  # {time}
    reminder_when: str  # {time}
    reminder_none: str
    reminder_stopped: str
    permission_declined: str  # {time}
    permission_declined_untimed: str
    api_unavailable: str
    # Erasing, when the reminders could not be deleted: how the person removes them.
    reminders_not_erased: str
    help: str
    known_reminder: str  # {time}
