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

# AnswerIntent's slots. Alexa fills a slot with the words after the sample's carrier phrase, so
# "nobody hit me" under "nobody {answer}" would reach the skill as "hit me". Carriers that change
# what the words mean ("nobody", "my", "I", "when") each have a slot of their own, which tells the
# safety screening which carrier was heard; `answer` is shared by those that do not ("yes",
# "honestly", "I remember").
ANSWER_SLOTS = (
    "answer", "answerI", "answerWe", "answerMy", "answerOur", "answerHe", "answerShe",
    "answerThey", "answerIt", "answerThere", "answerNobody", "answerNoOne", "answerSomeone",
    "answerEveryone", "answerEverybody", "answerHome", "answerWhen", "answerGrowingUp",
    "answerAsA", "answerLastNight", "answerAfter", "answerIn", "answerBack", "answerIf",
    "answerMe", "answerLife", "answerEverything", "answerNothing", "answerThis", "answerTonight",
    "answerToday", "answerNot", "answerSince", "answerBefore", "answerOnce",
    "answerThat", "answerAll", "answerThe", "answerWhatIs", "answerHow",
    "answerMum", "answerMom", "answerDad", "answerMother", "answerFather", "answerParents",
    "answerKids", "answerTired", "answerLet", "answerAbout", "answerReady", "answerCutting",
    "answerYesterday", "answerLastWeek", "answerScared", "answerAfraid", "answerTerrified",
    "answerGot", "answerGetting", "answerBoyfriend", "answerGirlfriend", "answerHusband",
    "answerWife", "answerPartner", "answerWhy", "answerNobodys", "answerGoodbye",
    "answerCall", "answerDone", "answerTook",
)  # fmt: skip

CORE: Plugin[CoreContent] = Plugin(
    name="core",
    package="skill.core",
    content_model=CoreContent,
    handlers=tuple,
    intents=(
        # Free answers to whatever an activity asked (a reflection question, a check-in): the
        # words reach the safety screening, and no handler keeps them.
        Intent(name="AnswerIntent", slots=dict.fromkeys(ANSWER_SLOTS, "AMAZON.SearchQuery")),
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
