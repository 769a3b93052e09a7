"""The reflection questions as data, and everything said around them."""

from __future__ import annotations

from typing import Annotated, Literal

from skill.api import Constraint, Content, MenuContent, Plural


class Question(Content):
    id: Annotated[str, Constraint(pattern=r"^[a-z_]+$")]
    # "blueprint": the inherited-blueprint questions; "blocks": the five blocks to security.
    set: Literal["blueprint", "blocks"]
    ask: str
    follow_ups: Annotated[tuple[str, ...], Constraint(min_length=1, max_length=2)]


class ReflectionContent(MenuContent):
    questions: Annotated[tuple[Question, ...], Constraint(min_length=15)]
    first_time: str
    question_lead: str  # {n} {total}
    # Said before the first follow-up of a session only: later ones follow the thanks directly.
    follow_up_lead: str
    # Said once per session (and in help), not after every question.
    take_your_time: str
    # The reprompt on silence: after a pause, this, the question again, and `hold_options`.
    hold: str
    hold_options: str
    # After an answer, short and varied: they follow any answer, even a single word.
    acknowledgements: Annotated[tuple[str, ...], Constraint(min_length=3)]
    # To "I don't know" or "I'd rather not say": no follow-up digging deeper, the next question.
    not_knowing: Annotated[tuple[str, ...], Constraint(min_length=1)]
    skipped: str
    going_back: str
    no_previous: str
    from_the_start: str
    left: Plural  # {count} questions not asked yet, {total}
    none_left: str  # on the last question
    all_done: str
    # The close after where to turn was given this session: sober, no cheer, no "again".
    all_done_quiet: str
    go_again: str
    # The one-sentence consent question at the end of a pass (the core handles the answer).
    remember_question: str
    remember_question_mid: str  # after the first answer
    resume_offer: str  # {n} {total}
    continuing: str
    not_in_questions: str
    help: str
