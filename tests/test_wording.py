"""Counts and questions said right in every content string of every plugin, in every locale.

Every string with {placeholders} is rendered with each count-like placeholder set to 1 (the
others to a sample word), and must not say "1 times" or "1 questions"; every `api.Plural` is
rendered with 1 (its one form, no plural) and with 3 (its other form, "3 ...s"). And no string
embeds a question without its own word order ("Ask me how was my week").
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from skill.api import Plural
from skill.blocks.plugin import LOCALES, Plugin
from skill.core import Core
from skill.discovery import discover, enabled
from skill.safety.content import Rules
from skill.safety.plugin import Safety

PLUGINS: tuple[Plugin[Any, Any], ...] = (Core(), Safety(), *discover().plugins)

# Placeholders that stand for a count (or a number said as one): set to 1, the case that needs
# the singular. Any other placeholder gets a sample word.
COUNT_LIKE = re.compile(
    r"^(?:n|count|total|left|step|steps|visits|previous|average|number|minutes|seconds|hours"
    r"|days|weeks|times|rounds|breaths)$|_(?:count|total|number|minutes|seconds|days)$"
)
SAMPLE_WORD = "something"

# Plural nouns a count may be followed by; besides these, a word ending in s that is not one of
# the words below (verbs and other words that end in s) is taken as a plural noun.
PLURAL_NOUNS = frozenset((
    "times", "ratings", "exercises", "questions", "visits", "minutes", "seconds", "steps",
    "days", "weeks", "hours", "months", "years", "nights", "evenings", "mornings",
    "breaths", "rounds", "parts", "check-ins", "checkins", "things", "ways", "words",
    "people", "children", "men", "women", "feet", "reminders", "sessions", "answers",
))  # fmt: skip
NOT_PLURAL = frozenset((
    "is", "was", "has", "does", "this", "its", "yes", "plus", "minus", "always", "perhaps",
    "across", "unless", "less", "thus", "as", "us", "whereas", "besides", "sometimes",
))  # fmt: skip
# Words that may come between a count and its noun ("1 more questions", "1 connection
# ratings"): any but these, after which the next word is not the count's noun.
NOT_BETWEEN = frozenset((
    "of", "in", "out", "and", "or", "to", "for", "at", "by", "on", "from", "with", "a", "an",
    "the", "is", "was", "are", "were", "has", "have",
))  # fmt: skip
WORD = r"[A-Za-z][\w'-]*"
AFTER_ONE = re.compile(rf"(?<![\w.,:])(?:1|one)\s+({WORD})(?:\s+({WORD}))?", re.I)
AFTER_THREE = re.compile(rf"(?<![\w.,:])3\s+({WORD})(?:\s+({WORD}))?", re.I)
# A question embedded without its own word order: "ask me how was my week" (how my week was),
# "tell me when is it" (when it is), "ask me what is the time" (what the time is).
EMBEDDED_QUESTION = re.compile(
    r"\b(?:ask|tell) (?:me|you|us|them|him|her) (?:"
    r"(?:how|when|where|why) (?:was|is|are|were|do|does|did|has|have|had|will|would|can|could)"
    r"|what (?:was|is|are|were) (?:my|your|our|the|this|it)"
    r")\b",
    re.I,
)


def is_plural_noun(word: str) -> bool:
    word = word.lower()
    if word in PLURAL_NOUNS:
        return True
    if word in NOT_PLURAL or len(word) <= 3 or word.endswith(("ss", "us", "is", "'s")):
        return False
    return word.endswith("s")


def strings(value: Any, field: str) -> Iterator[tuple[str, Any]]:
    """(field path, value) for every string and every `Plural` under `value`."""
    if isinstance(value, Rules):
        return  # the screening patterns: regular expressions, never spoken
    if isinstance(value, str | Plural):
        yield field, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name), f"{field}.{name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{field}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings(item, f"{field}[{index}]")


def placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def render(text: str, count: int = 1) -> str:
    """`text` with {count} as `count`, its other count-like placeholders as 1 (the case that
    needs a singular) and any other placeholder as a sample word."""
    values: dict[str, Any] = {
        name: (count if name == "count" else 1) if COUNT_LIKE.search(name) else SAMPLE_WORD
        for name in placeholders(text)
    }
    return text.format(**values)


def counted_plural(first: str, second: str | None) -> bool:
    """Whether the words after a count say a plural noun: the first ("1 times"), or the second
    after a word that can stand between ("1 connection ratings"); only listed nouns there, as
    "1 thing helps" has a verb ending in s."""
    if is_plural_noun(first):
        return True
    return first.lower() not in NOT_BETWEEN and (second or "").lower() in PLURAL_NOUNS


def plural_after_one(said: str) -> list[str]:
    return [m.group(0) for m in AFTER_ONE.finditer(said) if counted_plural(m[1], m[2])]


def problems(text: str) -> list[str]:
    """What is wrong with one content string, said as its placeholders make it."""
    try:
        said = render(text)
    except (KeyError, IndexError, ValueError) as error:
        return [f"cannot be rendered ({type(error).__name__}: {error})"]
    found = [f"says {bad!r}" for bad in plural_after_one(said) if bad.startswith("1")]
    found += [f"embeds a question: {m.group(0)!r}" for m in EMBEDDED_QUESTION.finditer(said)]
    return found


def plural_problems(plural: Plural) -> list[str]:
    found: list[str] = []
    one, other = render(plural.one, 1), render(plural.other, 3)
    found += [f"one form says {bad!r} for 1" for bad in plural_after_one(one)]
    if "count" not in placeholders(plural.other):
        found.append("other form does not say the {count}")
    elif not any(counted_plural(m[1], m[2]) for m in AFTER_THREE.finditer(other)):
        found.append(f"other form says no plural for 3: {other!r}")
    for said in (one, other):
        found += [f"embeds a question: {m.group(0)!r}" for m in EMBEDDED_QUESTION.finditer(said)]
    return found


def wording_problems(plugin: Plugin[Any, Any], locale: str) -> list[str]:
    found: list[str] = []
    for field, value in strings(plugin.content(locale), plugin.name):
        listed = plural_problems(value) if isinstance(value, Plural) else problems(value)
        found += [f"{plugin.name} {locale} {field}: {problem}: {value!r}" for problem in listed]
    return found


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda plugin: plugin.name)
def test_every_count_and_question_is_worded_right(plugin: Plugin[Any, Any], locale: str) -> None:
    found = wording_problems(plugin, locale)
    assert not found, "\n".join(found)


def test_every_enabled_plugin_and_the_core_and_safety_are_read() -> None:
    # A plugin whose files do not load is left out by discovery: here that is a failure, or
    # its strings would go unchecked.
    assert not discover().errors
    assert [plugin.name for plugin in PLUGINS] == ["core", "safety", *enabled()]


@pytest.mark.parametrize(
    "text",
    [
        "You checked in {count} times this week.",
        "That's {visits} visits.",
        "{left} questions left, out of {total}.",
        "Part {step} of {steps}, about {minutes} minutes.",
        "Just {n} more exercises to go.",
        "You gave {count} connection ratings.",
        "Ask me how was my week any time.",
        "Tell me when is a good time.",
    ],
)
def test_the_rules_catch_the_known_bad_wordings(text: str) -> None:
    assert problems(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Question {n} of {total}.",
        "You were on part {step} of {steps}, and it is next.",
        "You checked in once this week.",
        "Every day at {time}, I'll remind you.",
        "Ask me how my week was any time.",
        "No one has to know. Take {count} slow breath.",
    ],
)
def test_the_rules_let_good_wordings_through(text: str) -> None:
    assert not problems(text), text


def test_a_plural_is_checked_in_both_forms() -> None:
    good = Plural(one="You checked in once.", other="You checked in {count} times.")
    assert not plural_problems(good)
    assert plural_problems(Plural(one="{count} times.", other="{count} times."))
    assert plural_problems(Plural(one="Once.", other="{count} time."))
    assert plural_problems(Plural(one="Once.", other="Several times."))
