"""What a plugin's locale files hold: samples, slot values and spoken content, validated."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from skill.speech import validate_text

NAME_PATTERN = re.compile(r"^(?:AMAZON\.)?[A-Za-z][A-Za-z_]*$")


class Content(BaseModel):
    """Base for a plugin's spoken content: unknown keys fail, and so does unspeakable text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _speakable(cls, value: Any) -> Any:
        for text in _strings(value):
            validate_text(text)
        return value


class MenuContent(Content):
    """Content of a plugin offered in the menu: what the menu and help say about it."""

    # How the menu names it: "a calming exercise".
    label: str
    # One sentence for help: "A calming exercise, to slow your breathing and settle your body."
    description: str


class SlotValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    value: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()


# What an answer to a yes/no question can mean (see skill.blocks.answers).
ANSWER_MEANINGS = ("yes", "no", "partly", "unsure")
# Lists whose phrases mean yes or no only as the whole answer: "I'm not" is a no, "I'm not
# good" is not; "I am" is a yes, "I am scared" is not.
ALONE = {"yes_alone": "yes", "no_alone": "no"}
# The slot type of a short answer said alone ("kind of"): the model build makes its values from
# the locale files' answer words, so no locale file declares it.
ANSWER_WORD_TYPE = "ANSWER_WORD"


class LocaleFile(BaseModel):
    """One plugin's `locale/<locale>.json`: samples, slot values, answer words and content."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    samples: dict[str, tuple[str, ...]] = {}
    slot_types: dict[str, tuple[SlotValue, ...]] = {}
    # Phrases that say yes, no, partly ("kind of") or unsure ("I don't know") in this locale.
    answers: dict[str, tuple[str, ...]] = {}
    content: dict[str, Any] = {}

    @field_validator("answers")
    @classmethod
    def _known_meanings(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        known = [*ANSWER_MEANINGS, *ALONE]
        unknown = set(value) - set(known)
        if unknown:
            raise ValueError(f"unknown meanings {sorted(unknown)}: use {known}")
        return value


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=NAME_PATTERN.pattern)
    # slot name -> slot type (a custom type of this plugin's locale files, or AMAZON.*)
    slots: dict[str, str] = {}
    # Whether Alexa may bring this request to the skill without its name ("Alexa, help me
    # breathe"): the skill answers a CanFulfillIntentRequest for it with yes. Only an intent
    # that starts an activity from its beginning (its first step or question), never an answer
    # to a question, a privacy request or one that changes what is kept (skill/core/name_free.py).
    name_free: bool = False

    @property
    def builtin(self) -> bool:
        return self.name.startswith("AMAZON.")

    @classmethod
    def named(cls, *names: str) -> tuple[Intent, ...]:
        """Intents without slots, by name: `*Intent.named("HelpIntent", "AMAZON.YesIntent")`."""
        return tuple(cls(name=name) for name in names)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [s for v in value.__dict__.values() for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []
