"""The safety layer's data: resources to speak and show, and the screening rules, per locale."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from skill.plugin import Content


class Resource(Content):
    name: str
    spoken: str  # as Alexa should say it: numbers spelled the way they are dialled
    display: str  # as the card shows it
    source: str = Field(pattern=r"^https://")  # where the number was checked


class Emergency(Content):
    spoken: str
    display: str


class Resources(Content):
    crisis: tuple[Resource, ...] = Field(min_length=1)
    domestic_violence: tuple[Resource, ...] = Field(min_length=1)
    emergency: Emergency
    checked: str  # the date the numbers were last checked against their sources


class Rules(Content):
    """Regular expressions over the person's words (lower case, contractions expanded)."""

    crisis: tuple[str, ...] = Field(min_length=1)
    abuse: tuple[str, ...] = Field(min_length=1)

    @field_validator("crisis", "abuse")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns


class SafetyContent(Content):
    opening_crisis: str
    opening_abuse: str
    emergency: str  # {number}
    resources_intro: str
    card_note: str
    next_step: str
    reprompt: str
    card_title: str
    card_emergency: str  # {number}
    help_mention: str
    still_here: str
    resources: Resources
    rules: Rules
