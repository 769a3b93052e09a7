"""The safety layer's data: resources to speak and show, and the screening rules, per locale."""

from __future__ import annotations

import re
from dataclasses import field
from functools import cache, cached_property
from typing import Annotated, cast

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.content import Constraint, Content
from skill.blocks.loaded import loaded
from skill.blocks.plugin import Plugin
from skill.blocks.progress import NoProgress
from skill.safety.screening import CompiledRules, compile_rules
from skill.text import words


class Resource(Content):
    name: str
    spoken: str  # as Alexa should say it: numbers spelled the way they are dialled
    display: str  # as the card shows it
    source: Annotated[str, Constraint(pattern=r"^https://")]  # where the number was checked


class Emergency(Content):
    spoken: str
    display: str


class Resources(Content):
    crisis: Annotated[tuple[Resource, ...], Constraint(min_length=1)]
    domestic_violence: Annotated[tuple[Resource, ...], Constraint(min_length=1)]
    emergency: Emergency
    checked: str  # the date the numbers were last checked against their sources


class Rules(Content):
    """The screening rules (read by skill.safety.screening): regular expressions over the
    person's folded words, where `{name}` stands for the lexicon's word list `name`.

    Word lists whose name ends in `_now` are present forms ("hits", "is") and `aux_then` past
    ones ("would", "used"); `family` names the people whose past acts are past hurts
    (parents, relatives, teachers), `partner` and `former` the people in the person's life now.
    """

    lexicon: dict[str, tuple[str, ...]] = field(default_factory=dict)
    crisis: tuple[str, ...] = ()
    abuse: tuple[str, ...] = ()
    hurt: tuple[str, ...] = ()
    negation: tuple[str, ...] = ()
    distance: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    # Clauses that are figures of speech ("if I lose my keys again she'll kill me"): an abuse
    # rule matching in such a clause does not count.
    idiom: tuple[str, ...] = ()
    # A clause whose verb is the last clause's ("nobody hit me but my boyfriend does"): present
    # abuse when an abuse rule matched in a clause before it, even a denied one.
    ellipsis: tuple[str, ...] = ()
    clause_breaks: tuple[str, ...] = ()

    def compiled_with(self, other: Rules) -> CompiledRules:
        """These rules with a locale's own added (its words and patterns on top), compiled."""
        lexicon = dict(self.lexicon)
        for name, added_words in other.lexicon.items():
            lexicon[name] = (*lexicon.get(name, ()), *added_words)
        classes = tuple((name, (*getattr(self, name), *getattr(other, name))) for name in _CLASSES)
        return compile_rules(tuple(lexicon.items()), classes)


_CLASSES = (
    "crisis", "abuse", "hurt", "negation", "distance", "present", "idiom", "ellipsis",
    "clause_breaks",
)  # fmt: skip


class SafetyContent(Content):
    opening_crisis: str
    opening_abuse: str
    opening_past_hurt: str
    opening_unsure: str  # a safety question answered "I don't know"
    past_hurt_acknowledgement: str
    past_hurt_offer: str
    past_hurt_reprompt: str
    going_on: str
    go_on_hint: str
    no_breathing: str
    cannot_call: str
    medical: str  # {number}: chest pain, a heart attack
    medical_breathing: str
    medical_reprompt: str
    numbers_again: str
    goodbye_after_help: str  # before the main number, at a goodbye after the resources
    goodbye_with_numbers: str
    # After the past-hurt offer, answers that decline it ("no thanks", "let's go on"), and those
    # that say it is still happening ("he still does"); any other answer accepts it.
    declines: Annotated[tuple[str, ...], Constraint(min_length=1)]
    still_happening_words: Annotated[tuple[str, ...], Constraint(min_length=1)]
    emergency: str  # {number}
    resources_intro: str
    card_note: str
    next_step: str  # the breathing exercise offered, when a plugin provides one
    # The reprompt after the resources, from what there is to say yes to: a breathing
    # exercise when a plugin provides one, the numbers again, the way back when there is one.
    reprompt_breathing: str
    reprompt_repeat: str
    reprompt_go_on: str
    card_title: str
    card_emergency: str  # {number}
    help_mention: str
    still_here: str
    still_here_without_breathing: str
    resources: Resources
    rules: Rules
    # What a locale adds to the language's rules (its own words: "mum", "carked it").
    local_rules: Rules = field(default_factory=lambda: Rules())

    def check(self) -> None:
        self.screening()  # an unknown {name}, or a pattern that does not compile, fails here

    @cached_property
    def _screening(self) -> CompiledRules:
        return self.rules.compiled_with(self.local_rules)

    def screening(self) -> CompiledRules:
        """The compiled rules: built once per locale's content, then read on every turn."""
        return self._screening

    @property
    def declining(self) -> re.Pattern[str]:
        return _phrases(self.declines)

    @property
    def still_happening(self) -> re.Pattern[str]:
        return _phrases(self.still_happening_words)


@cache
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `phrases` as whole words in folded speech ("i am okay" for "I'm okay")."""
    return re.compile(r"\b(?:" + "|".join(" ".join(words(p)) for p in phrases) + r")\b")


SafetyPlugin = Plugin[SafetyContent, NoProgress]


def safety_text(handler_input: HandlerInput) -> SafetyContent:
    """The safety layer's words and rules in the request's locale."""
    return cast(SafetyContent, loaded(handler_input).safety.text(handler_input))
