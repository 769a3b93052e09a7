"""The reflection questions as data, and everything said around them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from skill.api import Content, MenuContent


class Question(Content):
    id: str = Field(pattern=r"^[a-z_]+$")
    # "blueprint": the inherited-blueprint questions; "blocks": the five blocks to security.
    set: Literal["blueprint", "blocks"]
    ask: str
    follow_ups: tuple[str, ...] = Field(min_length=1, max_length=2)


class ReflectionContent(MenuContent):
    questions: tuple[Question, ...] = Field(min_length=15)
    first_time: str
    question_lead: str  # {n} {total}
    follow_up_lead: str
    take_your_time: str
    reprompt: str
    acknowledgements: tuple[str, ...] = Field(min_length=2)
    skipped: str
    going_back: str
    no_previous: str
    from_the_start: str
    left_many: str  # {left} {total}
    left_one: str  # {total}
    all_done: str
    go_again: str
    resume_offer: str  # {n} {total}
    continuing: str
    not_in_questions: str
    help: str
