"""The core: the built-in intents and handlers every Secure Base skill has, whatever plugins it
serves (launch, help, stop, repeat, fallback, privacy), declared like any plugin."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)

from skill.blocks.content import ANSWER_WORD_TYPE, Intent
from skill.blocks.plugin import Handler, Plugin
from skill.blocks.progress import NoProgress
from skill.blocks.turn_log import LogTurn, StartTurn
from skill.blocks.words import CoreContent
from skill.core.errors import CatchAllExceptionHandler
from skill.core.interceptors import LoadProfile, RememberResponse, TurnContext
from skill.core.launch import (
    LaunchRequestHandler,
    NavigateHomeHandler,
    ResumeAnswerHandler,
    ResumeStartOverHandler,
    WhatWasIDoingHandler,
)
from skill.core.navigation import (
    FallbackHandler,
    HelpHandler,
    NothingInProgressHandler,
    RepeatHandler,
    SessionEndedHandler,
    StopHandler,
    SystemExceptionHandler,
    YesNoHandler,
)
from skill.core.privacy import (
    ConsentAnswerHandler,
    EraseAnswerHandler,
    EraseRequestHandler,
    RememberMeHandler,
    SkillDisabledHandler,
    WhatDoYouKnowHandler,
)
from skill.core.saving import SaveProfile
from skill.core.unanswered import UnansweredRequestHandler
from skill.store import ProfileStore

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
# safety screening which carrier was heard; `answer` is shared by those that do not ("honestly",
# "I remember"). Carriers that answer a yes/no question share a slot per meaning ("yes" and
# "yeah" fill `answerYes`; "kind of" and "sometimes" `answerPartly`), which tells the answer's
# meaning (skill.blocks.answers); and a short answer alone ("kind of", "I don't know") is the
# `answerWord` slot, whose values are the locale's answer words (ANSWER_WORD_TYPE).
ANSWER_SLOTS = (
    "answer", "answerYes", "answerNo", "answerPartly", "answerI", "answerWe", "answerMy",
    "answerOur", "answerHe", "answerShe",
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


class Core(Plugin[CoreContent, NoProgress]):
    name = "core"
    testing = """
        Start with "Alexa, open secure base": the skill says what it is, that it is support
        and not therapy, and offers its three activities. Nothing is kept until the person
        agrees: the skill asks whether to remember them the first time it would help (for
        example on "stop" in the middle of the reflection questions). Say "yes" to be remembered,
        then "what do you know about me" to hear what is kept, and "forget me", then "yes", to
        erase it all (disabling the skill erases it too). "help", "repeat", "what can you do"
        and "stop" work at any point.
    """
    intents = (
        # Free answers to whatever an activity asked (a reflection question, a check-in): the
        # words reach the safety screening, and no handler keeps them.
        Intent(
            name="AnswerIntent",
            slots={
                **dict.fromkeys(ANSWER_SLOTS, "AMAZON.SearchQuery"),
                "answerWord": ANSWER_WORD_TYPE,
            },
        ),
        *(
            Intent(name=name)
            for name in (
                *REQUIRED_BUILTINS,
                "AMAZON.RepeatIntent",
                "AMAZON.NextIntent",
                # "no, start over" to "pick up where you left off?"
                "AMAZON.StartOverIntent",
                # "what was I doing": every activity with a place to pick up
                "WhatWasIDoingIntent",
                "AMAZON.YesIntent",
                "AMAZON.NoIntent",
                "DeleteDataIntent",
                "WhatDoYouKnowIntent",
                "RememberMeIntent",
                # "what can you do": the whole tour (help itself is short)
                "WhatCanYouDoIntent",
                # "skip this one": for whichever activity asks questions (reflection, check-in)
                "SkipQuestionIntent",
            )
        ),
    )
    # Before any plugin's: leaving, help, repeat, session end, answers to the core's own
    # questions (resume, consent, erase), and the privacy requests.
    handlers = (
        StopHandler,
        HelpHandler,
        RepeatHandler,
        SessionEndedHandler,
        SystemExceptionHandler,
        ResumeStartOverHandler,
        ResumeAnswerHandler,
        WhatWasIDoingHandler,
        ConsentAnswerHandler,
        EraseAnswerHandler,
        EraseRequestHandler,
        WhatDoYouKnowHandler,
        RememberMeHandler,
        SkillDisabledHandler,
    )
    # After every plugin's: the menu, its way back, and the fallback for anything unclaimed;
    # last, request types the skill does not answer get an empty response, not an error.
    after_plugins: tuple[type[Handler[Any]], ...] = (
        LaunchRequestHandler,
        NavigateHomeHandler,
        YesNoHandler,
        NothingInProgressHandler,
        FallbackHandler,
        UnansweredRequestHandler,
    )

    def __init__(self) -> None:
        super().__init__()
        self.last_handlers = tuple(h(self) for h in self.after_plugins)


def request_interceptors() -> list[AbstractRequestInterceptor]:
    return [StartTurn(), LoadProfile()]


def response_interceptors(store: ProfileStore) -> list[AbstractResponseInterceptor]:
    # Saved first, so that a notice that progress was not saved is part of what "repeat" says.
    return [SaveProfile(store), RememberResponse(), LogTurn()]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return [CatchAllExceptionHandler()]


__all__ = ["Core", "TurnContext", "exception_handlers", "request_interceptors"]
