"""The repair guidance as data: its questions, its steps in each role, its teaching moments."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from skill.api import Content, MenuContent

Role = Literal["caused", "received", "both"]


class Step(Content):
    # What is said at this step, in the words that fit the person's part in the hurt.
    caused: str
    received: str
    both: str

    def for_role(self, role: str) -> str:
        return str(getattr(self, role if role in ("caused", "received", "both") else "both"))


class RepairContent(MenuContent):
    opening: str
    screening_question: str
    screening_reprompt: str
    upset_question: str
    upset_reprompt: str
    break_advice: str
    steps: tuple[Step, ...] = Field(min_length=5)
    step_lead: str  # {n} {total}
    say_next: str
    step_reprompt: str
    teachings: tuple[str, ...] = Field(min_length=3)
    teach_after: tuple[int, ...]  # step numbers (from 1) after which a teaching moment comes
    closing: str
    going_back: str
    starting_over: str
    no_step_before: str
    resume_offer: str  # {n} {total}
    resume_started: str
    continuing: str
    not_in_repair: str
    help: str
    help_question: str
    role_words: dict[Role, str]
