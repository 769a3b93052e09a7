"""The repair guidance as data: its questions, its steps for each part in the hurt, for a person
alone or for both partners together, and its teaching moments."""

from __future__ import annotations

from typing import Annotated, Literal

from skill.api import Constraint, Content, MenuContent

Role = Literal["caused", "received", "both"]


class Wording(Content):
    # What is said in the words that fit the person's part in the hurt; a part without words
    # of its own is said as `both` (the person told neither part, or it reads the same).
    both: str
    caused: str | None = None
    received: str | None = None

    def for_role(self, role: str) -> str:
        if role == "caused" and self.caused is not None:
            return self.caused
        if role == "received" and self.received is not None:
            return self.received
        return self.both


class Step(Content):
    # The same step for a person doing it alone (whose partner is not there to hear "each of
    # you") and for two partners doing it together.
    alone: Wording
    together: Wording

    def said(self, role: str, together: bool) -> str:
        return (self.together if together else self.alone).for_role(role)


class Pair(Content):
    """One line, for a person alone or for both partners together."""

    alone: str
    together: str

    def said(self, together: bool) -> str:
        return self.together if together else self.alone


class RepairContent(MenuContent):
    opening: str
    screening_question: str
    screening_reprompt: str
    upset_question: str
    upset_reprompt: str
    # Still very upset: the break, and how to come back when ready (said instead of asking to
    # go on: a break of twenty minutes is not over when a short exercise ends).
    break_advice: str
    come_back_when_ready: str
    come_back_next_time: str  # only to a person who is remembered: the launch offers it back
    break_exercise: str
    break_reprompt: str
    # Said instead of a step after "I'm ready": the break is over.
    after_break: str
    together_question: str
    together_reprompt: str
    steps: Annotated[tuple[Step, ...], Constraint(min_length=5)]
    step_lead: str  # {n} {total}
    # How to go on: said once in a repair (instructions are not said at every step).
    say_next: Pair
    # After the first time, a step that ends with no question of its own still ends with a
    # cue: the microphone is never open on a statement.
    say_next_again: Pair
    quiet_note: str  # once, to a remembered person: a session that closes is picked up later
    step_reprompt: Pair
    # What the person says at a step is acknowledged, never repeated or kept.
    acknowledgements: Annotated[tuple[str, ...], Constraint(min_length=3)]
    not_sure: str  # "I don't know": all right too
    not_yet: str  # "no", "not yet": all right, and the step waits
    partner_turn: str  # together: after the first answer at a step, the other partner's turn
    partner_turn_reprompt: str
    said_again: str  # "what do you mean?" at a step: the step once more
    teachings: Annotated[tuple[str, ...], Constraint(min_length=3)]
    teach_after: tuple[int, ...]  # step numbers (from 1) after which a teaching moment comes
    closing: Pair
    closing_after_help: str  # after where to turn was given in the session: nothing cheerful
    going_back: str
    starting_over: str
    no_step_before: str
    resume_offer: str  # {n} {total}
    resume_started: str
    resume_break: str
    continuing: str
    not_in_repair: str
    # After the domestic violence resources were given in the session: no couple steps.
    not_after_abuse: str
    help: Pair
    help_question: str
    role_words: dict[Role, str]
