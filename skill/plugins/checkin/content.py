"""What the nightly check-in says: its questions, its reminder, its answers about the week."""

from __future__ import annotations

from pydantic import Field

from skill.api import MenuContent


class CheckinContent(MenuContent):
    questions: tuple[str, ...] = Field(min_length=3, max_length=3)  # rose, thorn, bud
    question_reprompt: str
    acknowledgements: tuple[str, ...] = Field(min_length=2)
    evening_greeting: str
    start_lead: str
    partner_turn: str
    rating_question: str
    rating_reprompt: str
    rating_out_of_range: str
    ratings_consent_question: str
    ratings_consent_reprompt: str
    ratings_kept: str
    ratings_not_kept: str
    done: str
    week_summary: str  # {count} {average}
    week_compared_up: str  # {previous}
    week_compared_down: str  # {previous}
    week_compared_same: str
    week_nothing: str
    week_not_kept: str
    ask_time: str
    ask_time_reprompt: str
    need_exact_time: str  # before ask_time, when only a time of day was heard
    which_half: str  # {evening} "10 pm", {heard} "10"
    which_half_reprompt: str  # {evening}
    which_time: str  # {morning}: "10 am", after a no to "10 pm?"
    reminder_text: str
    reminder_set: str  # {time}
    reminder_changed: str  # {time}
    reminder_when: str  # {time}
    reminder_none: str
    reminder_stopped: str
    permission_declined: str  # {time}
    permission_declined_untimed: str
    api_unavailable: str
    help: str
    known_reminder: str  # {time}
    known_ratings: str  # {count}
