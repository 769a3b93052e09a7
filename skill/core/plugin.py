"""The core declared like any plugin: its built-in intents, samples and content per locale.

Its handlers are wired by skill.app around the plugins' (global ones first, the menu last).
"""

from __future__ import annotations

from skill.core.content import CoreContent
from skill.plugin import Intent, Plugin

REQUIRED_BUILTINS = (
    "AMAZON.CancelIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)

CORE: Plugin[CoreContent] = Plugin(
    name="core",
    package="skill.core",
    content_model=CoreContent,
    handlers=tuple,
    intents=(
        # Free answers to whatever an activity asked (a reflection question, a check-in): the
        # words reach the safety screening, and no handler keeps them.
        Intent(name="AnswerIntent", slots={"answer": "AMAZON.SearchQuery"}),
        *(
            Intent(name=name)
            for name in (
                *REQUIRED_BUILTINS,
                "AMAZON.RepeatIntent",
                "AMAZON.YesIntent",
                "AMAZON.NoIntent",
                "DeleteDataIntent",
                "WhatDoYouKnowIntent",
                "RememberMeIntent",
            )
        ),
    ),
)
