"""The ASK SDK's base classes, typed once.

The SDK ships Python 2 style type comments, so mypy reads its classes as Any (see the mypy
overrides in pyproject.toml), and subclassing Any needs an exemption: it is given here, once per
base class, and every handler and interceptor of the skill derives from these.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response


class RequestHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        raise NotImplementedError

    def handle(self, handler_input: HandlerInput) -> Response:
        raise NotImplementedError


class RequestInterceptor(AbstractRequestInterceptor):  # type: ignore[misc]
    def process(self, handler_input: HandlerInput) -> None:
        raise NotImplementedError


class ResponseInterceptor(AbstractResponseInterceptor):  # type: ignore[misc]
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        raise NotImplementedError


class ExceptionHandler(AbstractExceptionHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        raise NotImplementedError

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        raise NotImplementedError


class SkillError(AskSdkException):  # type: ignore[misc]
    """Base of the skill's own refusals, raised before any handler runs."""
