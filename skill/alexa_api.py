"""Alexa's own service APIs (reminders, device settings), through the SDK's service clients.

The SDK's DefaultApiClient sends every call with the `requests` library and no timeout: a hung
call would outlast the 8 seconds Alexa gives the skill. TimedApiClient is the same client with a
timeout, and nothing else changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.exceptions import ApiClientException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ServiceException

# Seconds for one call to Alexa's APIs: connect and read.
API_TIMEOUT = (1.0, 2.0)
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


class TimedApiClient(DefaultApiClient):  # type: ignore[misc]
    def _resolve_method(self, request: Any) -> Callable[..., Any]:
        return functools.partial(super()._resolve_method(request), timeout=API_TIMEOUT)


class ApiUnavailable(Exception):
    """Alexa's API answered with an error other than a missing permission, or not at all."""


class PermissionMissing(Exception):
    """Alexa's API answered 401 or 403: the person has not granted the permission."""


def call(operation: Callable[[], Any]) -> Any:
    """Runs one API call, sorting its failures into the two the skill answers differently."""
    try:
        return operation()
    except ServiceException as error:
        if error.status_code in (401, 403):
            raise PermissionMissing(str(error.status_code)) from error
        raise ApiUnavailable(str(error.status_code)) from error
    except (ApiClientException, SerializationException) as error:
        # Timeouts, refused connections, and answers that are not what the API documents.
        raise ApiUnavailable(type(error.__cause__ or error).__name__) from error


def has_permission(handler_input: HandlerInput, scope: str) -> bool:
    permissions = handler_input.request_envelope.context.system.user.permissions
    scopes = getattr(permissions, "scopes", None) or {}
    granted = scopes.get(scope)
    return bool(granted is not None and getattr(granted.status, "value", None) == "GRANTED")


def time_zone(handler_input: HandlerInput) -> str:
    device = handler_input.request_envelope.context.system.device.device_id
    ups = handler_input.service_client_factory.get_ups_service()
    zone: str = call(lambda: ups.get_system_time_zone(device))
    return zone
