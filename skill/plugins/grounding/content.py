"""The calming exercises as data: breath patterns, exercises and what is said around them."""

from __future__ import annotations

import itertools
import string
from dataclasses import field
from typing import Annotated, Literal

from skill.api import Constraint, Content, MenuContent, Plural

# The paces a profile can keep, slowest first ("slower", "normal" and "faster" are the three an
# earlier version kept: they stay readable).
Pace = Literal["slowest", "slower", "normal", "faster"]


# An intro's placeholders for its breath pattern's counts, in the pattern's order.
COUNT_NAMES = ("first", "second", "third", "fourth", "fifth", "sixth")


class Phase(Content):
    cue: str  # "Breathe in."
    seconds: Annotated[float, Constraint(gt=0)]  # the silent count that follows, at the normal pace


class Segment(Content):
    """One thing said or done in a step: a sentence, a silence, or breath cycles."""

    say: str | None = None
    pause: Annotated[float | None, Constraint(gt=0)] = None
    breath: str | None = None
    cycles: Annotated[int, Constraint(ge=1)] = 1

    def check(self) -> None:
        if sum(x is not None for x in (self.say, self.pause, self.breath)) != 1:
            raise ValueError("a segment is exactly one of say, pause or breath")


class Exercise(Content):
    id: Annotated[str, Constraint(pattern=r"^[a-z_]+$")]
    name: str  # "box breathing"
    # One or two sentences: what it is. "{first}", "{second}"... say the counts of the first
    # breath pattern the steps use, at the person's pace ("four seconds"): what is said is what
    # is timed.
    intro: str
    kind: Literal["breathing", "senses", "body"]
    quick: bool = False
    # The steps are the places an exercise may be split at, when it does not fit in one
    # response, and where it can be picked up again; they are not turns.
    steps: Annotated[tuple[tuple[Segment, ...], ...], Constraint(min_length=1)]
    closing: str

    @property
    def pattern(self) -> str | None:
        """The breath pattern the intro's counts are of: the first one the steps use."""
        return next((s.breath for step in self.steps for s in step if s.breath), None)

    def count_fields(self) -> set[int]:
        """Which of the pattern's counts the intro says ({first} -> 0)."""
        found: set[int] = set()
        for _, placeholder, _, _ in string.Formatter().parse(self.intro):
            if placeholder is None:
                continue
            if placeholder not in COUNT_NAMES:
                raise ValueError(f"{self.id}: unknown placeholder {{{placeholder}}} in the intro")
            found.add(COUNT_NAMES.index(placeholder))
        return found


class Length(Content):
    seconds: Annotated[float, Constraint(gt=0)]
    say: str  # "a minute and a half"


class GroundingContent(MenuContent):
    patterns: dict[str, tuple[Phase, ...]]
    exercises: Annotated[tuple[Exercise, ...], Constraint(min_length=6)]
    # How long it takes, said after the intro from the estimate: "It takes about {length}."
    takes: str
    # Spoken lengths, shortest first; the one nearest the estimate is said (each within 15%).
    lengths: Annotated[tuple[Length, ...], Constraint(min_length=2)]
    # Past the last of `lengths`: "{count} minutes".
    minutes: Plural
    # The words for the counts: numbers[4] == "four".
    numbers: Annotated[tuple[str, ...], Constraint(min_length=11)]
    seconds: Plural  # a count in seconds: {count} is the number in words ("four seconds")
    # Before a short exercise, for "I'm having a panic attack": {emergency} is the number.
    panic_lead: str
    # Between an exercise's parts, when it needs more than two (said in the reprompt): the
    # first time in an activity, and then a short question.
    go_on_first: str
    go_on_again: str
    next_reprompt: str
    # "pause": it waits for about {length} (the reprompt's silences), then says how to go on.
    paused: str  # {length}
    paused_how: str  # said the first time in an activity
    pause_reprompt: str
    pick_up_remembered: str
    pick_up_not_remembered: str
    offer_more: str
    offer_reprompt: str
    more_gently: str  # before another exercise, for words such as "I still feel scared"
    glad_to_rest: str  # for "I feel a bit better", "thank you" after an exercise
    with_you: str  # before the offer again, for other words ("I still feel scared")
    # Words that, in an answer after an exercise, close it warmly ("that was lovely, thank
    # you", "feeling better"), unless one of `still_words` is there too ("not better yet").
    rest_words: tuple[str, ...] = ()
    still_words: tuple[str, ...] = ()
    # "next" or "continue" when the whole exercise was already said.
    ended: str  # {name}
    # Pace changes: one step slower or faster, or to a named pace; at the ends, the truth.
    pace_slower: str  # one step slower
    pace_faster: str
    pace_named: dict[Pace, str]  # a pace asked for by name ("the slowest", "normal speed")
    pace_end: dict[Pace, str]  # added when a step reaches an end: "This is my slowest pace."
    pace_at_slowest: str
    pace_at_fastest: str
    pace_already: str
    pace_in_use: dict[Pace, str]  # once a session, to a returning person
    pace_kept: str  # remembered: it is kept for next time
    pace_this_visit: str  # not remembered: for this visit only
    pace_question: str  # the one-sentence question to remember it
    pace_go_on: str  # at an end during an exercise
    week_count: str  # {ordinal}
    ordinals: dict[str, str]  # completed count this week -> "third"; only these are mentioned
    # A name asked for that is not one of `exercises` ("do the lion breath"): never another in
    # its place. Said so, as heard ({name}) when it has the form of a name, and a few of the
    # exercises named, with a question a plain yes answers (skill/plugins/grounding/choices.py).
    unknown_named: str  # {name}
    unknown_unnamed: str  # when the words heard are no name to say back
    choices: str  # {choices}, {first}: the question a yes answers with the first
    choices_reprompt: str  # {first}
    choices_going_on: str  # {choices}, {current}: during an exercise, yes goes on with it
    choices_going_on_reprompt: str  # {current}
    a_few_more: str  # the last of the list, when it does not name them all
    and_word: str
    choice_declined: str  # before the menu, for a no
    # Words that name no exercise ("can we do something for my anxiety", "let's do that"): a
    # slot value made only of these asks for none in particular, as before (one is chosen).
    # Not the names of practices the skill does not have ("a sleep meditation", "mindfulness"):
    # those are names it does not know, said as such.
    vague_words: tuple[str, ...] = ()
    # Words that make the words heard a name to say back ("the lion breath", not "it again").
    name_words: tuple[str, ...] = ()
    # "the second one": a place in the list just said, 0 the first, -1 the last.
    picks: dict[str, int] = field(default_factory=dict)
    resume_offer: str  # {name}
    help: str  # {name}
    starting_over: str
    continuing: str
    nothing_to_continue: str

    def check(self) -> None:
        for exercise in self.exercises:
            for step in exercise.steps:
                for segment in step:
                    if segment.breath is not None and segment.breath not in self.patterns:
                        raise ValueError(f"{exercise.id}: no breath pattern {segment.breath}")
            fields = exercise.count_fields()
            phases = len(self.patterns[exercise.pattern]) if exercise.pattern else 0
            if fields and max(fields) >= phases:
                raise ValueError(f"{exercise.id}: the intro says a count its pattern lacks")
        if any(a.seconds >= b.seconds for a, b in itertools.pairwise(self.lengths)):
            raise ValueError("lengths must be in increasing order")

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)
