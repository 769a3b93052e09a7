"""What the words of an exercise name ask for: a known exercise, none in particular, a place in
the list just said ("the second one"), or a name the skill does not know.

Alexa fills a custom slot with the words it heard even when they match none of the slot type's
values (entity resolution then says ER_SUCCESS_NO_MATCH), and a carrier phrase such as "can we
do {exercise}" takes any words: "the lion breath", but also "something for my anxiety" or
"that". Words that name no exercise (the locale's `vague_words`) ask for none in particular; a
known exercise's name among such words is that exercise; any other word makes the words a name,
and a name the skill does not know is said to be unknown, never replaced by another exercise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from skill import api
from skill.plugins.grounding.content import GroundingContent

# A name is said back only when it is short and plain: the words of a name, not a sentence.
MAX_NAME_WORDS = 5
_PLAIN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*(?: [^\W_]+(?:['-][^\W_]+)*)*")


@dataclass(frozen=True)
class Asked:
    exercise: str | None = None  # the id of a known exercise
    pick: int | None = None  # a place in the list just said: 0 the first, -1 the last
    # The words of a name the skill does not know: as heard, or "" when they are not fit to be
    # said back (one word, a sentence, characters no name has).
    unknown: str | None = None

    @property
    def vague(self) -> bool:
        """No exercise in particular ("a breathing exercise", "that one")."""
        return self.exercise is None and self.pick is None and self.unknown is None


def asked(content: GroundingContent, value: str | None, resolved: str | None) -> Asked:
    """What a GroundingIntent's `exercise` slot asks for: `value` the words Alexa heard,
    `resolved` the id entity resolution matched (None for no match)."""
    if resolved and content.exercise(resolved) is not None:
        return Asked(exercise=resolved)
    said = api.folded(value or "").split()
    vague = {api.folded(word) for word in content.vague_words}
    picks = _picks(content)
    known = _named(content, said, lambda rest: all(w in vague or w in picks for w in rest))
    if known is not None:
        return Asked(exercise=known)
    if all(word in vague or word in picks for word in said):
        places = [picks[word] for word in said if word in picks]
        return Asked(pick=places[-1]) if places else Asked()
    return Asked(unknown=_fit_to_say(content, (value or "").strip(), said))


def chosen(content: GroundingContent, said: str) -> Asked:
    """An exercise, or a place in the list just said, anywhere in words said in answer to it
    ("yes the second one", "let's go with the cyclic sigh"); else nothing in particular."""
    words = said.split()
    known = _named(content, words, lambda rest: True)
    if known is not None:
        return Asked(exercise=known)
    picks = _picks(content)
    places = [picks[word] for word in words if word in picks]
    return Asked(pick=places[-1]) if places else Asked()


def _picks(content: GroundingContent) -> dict[str, int]:
    return {api.folded(word): place for word, place in content.picks.items()}


def _named(
    content: GroundingContent, said: list[str], rest_ok: Callable[[list[str]], bool]
) -> str | None:
    """The exercise whose name is in `said` (the longest name first), with words around it
    that `rest_ok` accepts."""
    padded = f" {' '.join(said)} "
    vague = {api.folded(word) for word in content.vague_words}
    forms: list[tuple[str, str]] = []
    for exercise in content.exercises:
        name = api.folded(exercise.name).split()
        forms.append((" ".join(name), exercise.id))
        if len(name) > 1 and name[0] in vague:
            # "the cyclic sigh" is also said "cyclic sigh".
            forms.append((" ".join(name[1:]), exercise.id))
    for form, exercise_id in sorted(forms, key=lambda f: -len(f[0])):
        if f" {form} " in padded:
            rest = padded.replace(f" {form} ", " ", 1).split()
            if rest_ok(rest):
                return exercise_id
    return None


def _fit_to_say(content: GroundingContent, value: str, said: list[str]) -> str:
    """`value` when it has the form of an exercise's name ("the lion breath", "alternate
    nostril breathing"): a few plain words, one of them a word names have; else ""."""
    name_words = {api.folded(word) for word in content.name_words}
    if not 2 <= len(said) <= MAX_NAME_WORDS or not _PLAIN.fullmatch(value):
        return ""
    return value if name_words.intersection(said) else ""
