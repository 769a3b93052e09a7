"""What the skill takes from the wire before any interceptor or handler sees it.

An envelope that cannot be from Alexa (it does not deserialize, or lacks a part every Alexa
request has) is refused with MalformedEnvelope. Session attributes are what the skill itself
sent in its last response, but a session can outlive a deployment: a value under one of the
core's keys that is not what this version writes there is dropped, so that the turn goes on
as if it had never been set (a profile is then read again from the table).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from pydantic import ValidationError

from skill.blocks.sdk import SkillError
from skill.blocks.session import (
    ACTIVE,
    LAST_RESPONSE,
    NEXT_TURN,
    NOTICES_GIVEN,
    PROFILE,
    PROFILE_OF,
    RETURN_TO,
    UNSAVED_BASE,
    VISIT_COUNTED,
)
from skill.speech import SpeechError, validate
from skill.state import Profile

log = logging.getLogger(__name__)

# Request types whose handlers read the session and the profile it carries. Alexa sends each of
# them with a session (only AudioPlayer, PlaybackController and event requests come without).
SESSION_TYPES = frozenset(
    {"LaunchRequest", "IntentRequest", "SessionEndedRequest", "Connections.Response"}
)

# Request types that always name an intent.
INTENT_TYPES = frozenset({"IntentRequest", "CanFulfillIntentRequest"})


class MalformedEnvelope(SkillError):
    """An envelope that cannot be from Alexa: refused before any interceptor or handler.

    `part` names what is wrong (never a value from the request, which may quote anything).
    """

    def __init__(self, part: str) -> None:
        super().__init__(f"not an Alexa request envelope: {part}")
        self.part = part


def read_envelope(serializer: DefaultSerializer, event: Any) -> RequestEnvelope:
    """The request envelope in `event` (Alexa's JSON, parsed); raises MalformedEnvelope."""
    if not isinstance(event, dict):
        raise MalformedEnvelope("envelope")
    try:
        envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    except Exception:
        # Whatever the SDK's models cannot read (an unknown request type, a mistyped field) is
        # not from Alexa. `from None`: the SDK's message quotes the offending value.
        raise MalformedEnvelope("envelope") from None
    missing = _missing_part(envelope)
    if missing is not None:
        raise MalformedEnvelope(missing)
    return envelope


def _missing_part(envelope: RequestEnvelope) -> str | None:
    """The first part every Alexa request has that this envelope lacks, or None."""
    request = envelope.request
    if request is None:
        return "request"
    if not isinstance(request.request_id, str):
        return "request.requestId"
    if not isinstance(request.timestamp, datetime):
        return "request.timestamp"
    if request.object_type in INTENT_TYPES and (request.intent is None or not request.intent.name):
        return "request.intent"
    system = envelope.context.system if envelope.context is not None else None
    if system is None:
        return "context.System"
    if system.application is None or not isinstance(system.application.application_id, str):
        return "context.System.application"
    if system.user is None or not isinstance(system.user.user_id, str):
        return "context.System.user"
    if envelope.session is None and request.object_type in SESSION_TYPES:
        return "session"
    return None


def _is_profile(value: Any) -> bool:
    try:
        Profile.model_validate(value)
    except ValidationError:
        return False
    return True


def _is_ssml(value: Any) -> bool:
    try:
        validate(value)
    except SpeechError:
        return False
    return True


def _is_last_response(value: Any) -> bool:
    # "Repeat" says it again word for word: it must still be speech Alexa accepts.
    if not isinstance(value, dict):
        return False
    speech, reprompt = value.get("speech"), value.get("reprompt")
    return (
        isinstance(speech, str)
        and _is_ssml(speech)
        and (reprompt is None or (isinstance(reprompt, str) and _is_ssml(reprompt)))
    )


# What this version writes under each of the core's session keys.
CORE_ATTRIBUTES: dict[str, Callable[[Any], bool]] = {
    PROFILE: _is_profile,
    UNSAVED_BASE: _is_profile,
    LAST_RESPONSE: _is_last_response,
    NEXT_TURN: lambda value: isinstance(value, dict),
    ACTIVE: lambda value: isinstance(value, str),
    RETURN_TO: lambda value: isinstance(value, str),
    VISIT_COUNTED: lambda value: isinstance(value, str),
    PROFILE_OF: lambda value: isinstance(value, str),
    NOTICES_GIVEN: lambda value: isinstance(value, list) and all(isinstance(v, str) for v in value),
}


def drop_foreign_attributes(envelope: RequestEnvelope) -> None:
    """Removes session attributes under the core's keys that this version would not write."""
    attributes = envelope.session.attributes if envelope.session is not None else None
    if not attributes:
        return
    dropped = sorted(
        key
        for key, valid in CORE_ATTRIBUTES.items()
        if key in attributes and not valid(attributes[key])
    )
    for key in dropped:
        del attributes[key]
    if dropped:
        # The keys are the core's own names: nothing of what the values held is logged.
        log.warning(json.dumps({"droppedSessionAttributes": dropped}))
