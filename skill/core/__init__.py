"""Built-in handlers and interceptors every Secure Base skill has, whatever plugins it loads."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)

from skill.core.errors import CatchAllExceptionHandler
from skill.core.interceptors import LoadProfile, RememberResponse, SaveProfile, TurnContext
from skill.core.launch import LaunchRequestHandler, NavigateHomeHandler, ResumeAnswerHandler
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
from skill.core.turn_log import LogTurn, StartTurn
from skill.plugin import Plugin
from skill.store import ProfileStore


def request_interceptors(plugins: tuple[Plugin[Any], ...]) -> list[AbstractRequestInterceptor]:
    return [StartTurn(), TurnContext(plugins), LoadProfile()]


def global_handlers(store: ProfileStore) -> list[AbstractRequestHandler]:
    """Handlers that win over any plugin's: leaving, help, repeat, session end, answers to the
    core's own questions (resume, consent, erase), and the privacy requests."""
    return [
        StopHandler(),
        HelpHandler(),
        RepeatHandler(),
        SessionEndedHandler(),
        SystemExceptionHandler(),
        ResumeAnswerHandler(),
        ConsentAnswerHandler(),
        EraseAnswerHandler(store),
        EraseRequestHandler(),
        WhatDoYouKnowHandler(),
        RememberMeHandler(),
        SkillDisabledHandler(store),
    ]


def menu_handlers() -> list[AbstractRequestHandler]:
    """After the plugins: the menu, its way back, and the fallback for anything unclaimed."""
    return [
        LaunchRequestHandler(),
        NavigateHomeHandler(),
        YesNoHandler(),
        NothingInProgressHandler(),
        FallbackHandler(),
    ]


def response_interceptors(store: ProfileStore) -> list[AbstractResponseInterceptor]:
    # Saved first, so that a notice that progress was not saved is part of what "repeat" says.
    return [SaveProfile(store), RememberResponse(), LogTurn()]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return [CatchAllExceptionHandler()]
