"""Real Alexa request envelopes, built with ask-sdk-model classes and the SDK's serializer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    Device,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    Permissions,
    PermissionStatus,
    Person,
    Request,
    RequestEnvelope,
    Scope,
    Session,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.dialog_state import DialogState
from ask_sdk_model.interfaces.connections import ConnectionsResponse, ConnectionsStatus
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)

from skill.local.nlu import SlotValue, Understanding

_serializer = DefaultSerializer()


@dataclass(frozen=True)
class Caller:
    """Who is speaking, to which skill, from which device, with which permissions granted."""

    skill_id: str
    user_id: str
    device_id: str
    person_id: str | None = None
    api_endpoint: str = "https://api.amazonalexa.com"
    api_access_token: str = "local-access-token"
    granted: frozenset[str] = frozenset()


def connections_response(
    locale: str, timestamp: datetime, name: str, payload: dict[str, Any], token: str
) -> Request:
    """What Alexa sends back after a Connections.SendRequest (e.g. the AskFor permission)."""
    return ConnectionsResponse(
        request_id=f"amzn1.echo-api.request.{uuid.uuid4()}",
        timestamp=timestamp,
        locale=locale,
        status=ConnectionsStatus(code="200", message="OK"),
        name=name,
        payload=payload,
        token=token,
    )


def request_for(
    understanding: Understanding, locale: str, timestamp: datetime, skill_id: str
) -> Request:
    request_id = f"amzn1.echo-api.request.{uuid.uuid4()}"
    if understanding.intent is None:
        return LaunchRequest(request_id=request_id, timestamp=timestamp, locale=locale)
    slots = {name: _slot(value, skill_id) for name, value in understanding.slots.items()}
    intent = Intent(
        name=understanding.intent,
        slots=slots or None,
        confirmation_status=IntentConfirmationStatus.NONE,
    )
    return IntentRequest(
        request_id=request_id,
        timestamp=timestamp,
        locale=locale,
        dialog_state=DialogState.STARTED if slots else None,
        intent=intent,
    )


def session_ended(
    locale: str, timestamp: datetime, reason: SessionEndedReason = SessionEndedReason.USER_INITIATED
) -> Request:
    return SessionEndedRequest(
        request_id=f"amzn1.echo-api.request.{uuid.uuid4()}",
        timestamp=timestamp,
        locale=locale,
        reason=reason,
    )


def envelope(
    caller: Caller,
    request: Request,
    session_id: str,
    new_session: bool,
    attributes: dict[str, Any],
) -> dict[str, Any]:
    """The JSON Alexa would post for `request`, as a plain dict."""
    application = Application(application_id=caller.skill_id)
    scopes = {scope: Scope(status=PermissionStatus.GRANTED) for scope in caller.granted}
    user = User(user_id=caller.user_id, permissions=Permissions(scopes=scopes) if scopes else None)
    person = Person(person_id=caller.person_id) if caller.person_id else None
    system = SystemState(
        application=application,
        user=user,
        device=Device(device_id=caller.device_id, supported_interfaces=SupportedInterfaces()),
        person=person,
        api_endpoint=caller.api_endpoint,
        api_access_token=caller.api_access_token,
    )
    session = Session(
        new=new_session,
        session_id=session_id,
        application=application,
        user=user,
        attributes=attributes,
    )
    built = RequestEnvelope(
        version="1.0", session=session, context=Context(system=system), request=request
    )
    serialized: dict[str, Any] = _serializer.serialize(built)
    return serialized


def _slot(value: SlotValue, skill_id: str) -> Slot:
    resolutions = None
    if value.custom:
        authority = f"amzn1.er-authority.echo-sdk.{skill_id}.{value.slot_type}"
        if value.resolved_id is not None:
            resolution = Resolution(
                authority=authority,
                status=Status(code=StatusCode.ER_SUCCESS_MATCH),
                values=[ValueWrapper(value=Value(name=value.resolved_name, id=value.resolved_id))],
            )
        else:
            resolution = Resolution(
                authority=authority, status=Status(code=StatusCode.ER_SUCCESS_NO_MATCH)
            )
        resolutions = Resolutions(resolutions_per_authority=[resolution])
    return Slot(
        name=value.name,
        value=value.value,
        confirmation_status=SlotConfirmationStatus.NONE,
        resolutions=resolutions,
    )
