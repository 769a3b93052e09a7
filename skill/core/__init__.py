"""Built-in handlers and interceptors every Secure Base skill has, whatever plugins it loads."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)

from skill.core.errors import CatchAllExceptionHandler
from skill.core.interceptors import LoadProfile, LogRequest, RememberResponse, SaveProfile
from skill.core.launch import LaunchRequestHandler, NavigateHomeHandler
from skill.core.navigation import (
    FallbackHandler,
    HelpHandler,
    RepeatHandler,
    SessionEndedHandler,
    StopHandler,
)
from skill.core.offers import ChooseOfferHandler


def request_interceptors() -> list[AbstractRequestInterceptor]:
    return [LogRequest(), LoadProfile()]


def global_handlers() -> list[AbstractRequestHandler]:
    """Handlers that must win over any plugin's: leaving, help, repeat, session end."""
    return [StopHandler(), HelpHandler(), RepeatHandler(), SessionEndedHandler()]


def menu_handlers() -> list[AbstractRequestHandler]:
    """The menu and its way back, and the fallback, which plugins never shadow."""
    return [LaunchRequestHandler(), NavigateHomeHandler(), ChooseOfferHandler(), FallbackHandler()]


def response_interceptors() -> list[AbstractResponseInterceptor]:
    return [RememberResponse(), SaveProfile()]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return [CatchAllExceptionHandler()]
