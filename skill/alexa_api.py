"""Alexa's own service APIs (reminders, device settings), through the SDK's service clients.

The SDK's DefaultApiClient sends every call with the `requests` library and no timeout: a hung
call would outlast the 8 seconds Alexa gives the skill. TimedApiClient is the same client with a
timeout, and nothing else changed; it imports `requests` on its first call, since most turns
make none (a returning person's launch, above all: a shorter cold start).

Every failure of a call reaches the skill as one of two exceptions (see `call`): PermissionMissing
(401, 403) or ApiUnavailable (any other error status, no answer in time, a reset or refused
connection, or an answer that is not what the API documents). An answer is checked before it is
used (`answer_text`, `time_zone`): the SDK's deserializer takes a JSON list, `{}` or `null` without
complaint, and would otherwise hand the skill a token or a time zone of "None".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ask_sdk_core.exceptions import ApiClientException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse, ServiceException

# Seconds for one call to Alexa's APIs: connect and read.
API_TIMEOUT = (1.0, 2.0)
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


class TimedApiClient(ApiClient):  # type: ignore[misc]
    def __init__(self) -> None:
        self._client: ApiClient | None = None

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        return self.prepare().invoke(request)

    def prepare(self) -> ApiClient:
        """The client, made now if it was not yet."""
        if self._client is None:
            self._client = _timed_client()
        return self._client

    def reconnect(self) -> None:
        """Drops the client and its connections: the next call makes them anew (after a
        SnapStart restore, whose copies must not share a connection)."""
        self._client = None


def _timed_client() -> ApiClient:
    from ask_sdk_core.api_client import DefaultApiClient  # requests: only when a call is made

    class Timed(DefaultApiClient):  # type: ignore[misc]
        def _resolve_method(self, request: Any) -> Callable[..., Any]:
            return functools.partial(super()._resolve_method(request), timeout=API_TIMEOUT)

    client: ApiClient = Timed()
    return client


class ApiUnavailable(Exception):
    """Alexa's API answered with an error other than a missing permission, with an answer that
    is not what it documents, or not at all. The message is the HTTP status ("404") or what went
    wrong ("malformed answer"), never the answer itself."""


class PermissionMissing(Exception):
    """Alexa's API answered 401 or 403: the person has not granted the permission."""


MALFORMED = "malformed answer"


def call(operation: Callable[[], Any]) -> Any:
    """Runs one API call, sorting its failures into the two the skill answers differently.

    The SDK turns whatever its API client raises (a timeout, a reset or refused connection) into
    a ServiceException with status 500. Its deserializer raises SerializationException for a body
    that is not JSON or does not fit the documented model, on a success as on an error status
    (so a 401 or 404 whose body is not JSON is reported as malformed, not by its status).
    Anything else (a TypeError, an AttributeError) is a bug, and is left to surface as one.
    """
    try:
        return operation()
    except ServiceException as error:
        if error.status_code in (401, 403):
            raise PermissionMissing(str(error.status_code)) from error
        raise ApiUnavailable(str(error.status_code)) from error
    except SerializationException as error:
        raise ApiUnavailable(MALFORMED) from error
    except ApiClientException as error:  # the same faults, should a service client not wrap them
        raise ApiUnavailable(type(error.__cause__ or error).__name__) from error


def answer_text(answer: object, name: str) -> str:
    """A text field the API's answer must carry (e.g. a reminder's alert token).

    The answer is what the SDK deserialized: None for an empty or `null` body, or a model whose
    fields are None when the JSON lacked them (a list or `{}` deserializes without complaint).
    """
    value = getattr(answer, name, None)
    if not isinstance(value, str) or not value:
        raise ApiUnavailable(f"{MALFORMED}: no {name}")
    return value


def has_permission(handler_input: HandlerInput, scope: str) -> bool:
    permissions = handler_input.request_envelope.context.system.user.permissions
    scopes = getattr(permissions, "scopes", None) or {}
    granted = scopes.get(scope)
    return bool(granted is not None and getattr(granted.status, "value", None) == "GRANTED")


def time_zone(handler_input: HandlerInput) -> str:
    """The device's IANA time zone, e.g. "America/Chicago".

    The Settings API answers 204 with no body when the device has none set: that, and anything
    that is not a known zone name (the SDK makes a string of whatever JSON came), is ApiUnavailable.
    """
    import zoneinfo  # with sysconfig, 2 ms of a cold start that asks for no time zone

    device = handler_input.request_envelope.context.system.device.device_id
    ups = handler_input.service_client_factory.get_ups_service()
    zone: object = call(lambda: ups.get_system_time_zone(device))
    if not isinstance(zone, str) or not zone:
        raise ApiUnavailable(f"{MALFORMED}: no time zone")
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ApiUnavailable(f"{MALFORMED}: unknown time zone") from error
    return zone
