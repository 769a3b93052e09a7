"""What the skill takes from the wire before any interceptor or handler sees it.

An envelope that cannot be from Alexa (it does not deserialize, lacks a part every Alexa
request has, or is larger or deeper than any Alexa sends) is refused with MalformedEnvelope.
Session attributes should be what the skill itself sent in its last response, but they come
back from outside, and a session can outlive a deployment: a value under one of the core's keys
that is not what this version writes there is dropped, so that the turn goes on as if it had
never been set (a profile is then read again from the table), and every speech they carry is
made again by the builder (skill.speech.rebuilt), never said as it came.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.blocks.sdk import SkillError
from skill.blocks.session import (
    ACTIVE,
    LAST_RESPONSE,
    NEXT_TURN,
    NOTICES_GIVEN,
    PENDING_WRITES,
    PROFILE,
    PROFILE_OF,
    RETURN_TO,
    UNSAVED_BASE,
    VISIT_COUNTED,
)
from skill.speech import MAX_RESPONSE_BYTES, Speech, SpeechError, plain, rebuilt
from skill.state import TOKEN_PATTERN, Profile, UnreadableProfile

log = logging.getLogger(__name__)

# Request types whose handlers read the session and the profile it carries. Alexa sends each of
# them with a session (only AudioPlayer, PlaybackController and event requests come without).
SESSION_TYPES = frozenset(
    {"LaunchRequest", "IntentRequest", "SessionEndedRequest", "Connections.Response"}
)

# Request types that always name an intent.
INTENT_TYPES = frozenset({"IntentRequest", "CanFulfillIntentRequest"})

# Session attributes come back from the skill's own last response, which Alexa takes only up to
# 24 KB: more did not come from it.
MAX_SESSION_ATTRIBUTES_BYTES = MAX_RESPONSE_BYTES
# Alexa's envelopes are a few KB, the session attributes included; this is far above them, and
# far below what would cost the function its memory or its time to read.
MAX_ENVELOPE_BYTES = 256 * 1024
# The deepest envelope of the tests' and Alexa's documented examples is 9 levels; what the skill
# keeps in the session adds at most 5 (see tests/test_forged_input.py). Past this an envelope is
# not Alexa's, and reading it could exhaust the stack.
MAX_DEPTH = 32


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
    if _deeper_than(event, MAX_DEPTH):
        raise MalformedEnvelope("depth")
    payload = json.dumps(event)
    if len(payload.encode()) > MAX_ENVELOPE_BYTES:
        raise MalformedEnvelope("size")
    session = event.get("session")
    attributes = session.get("attributes") if isinstance(session, dict) else None
    if len(json.dumps(attributes).encode()) > MAX_SESSION_ATTRIBUTES_BYTES:
        raise MalformedEnvelope("session.attributes size")
    try:
        envelope = serializer.deserialize(payload=payload, obj_type=RequestEnvelope)
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


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and maps nest in `value` more than `limit` deep (without recursion)."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        if children and depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _is_profile(value: Any) -> bool:
    try:
        Profile.read(value)
    except UnreadableProfile:
        return False
    return True


def _is_ssml(value: Any) -> bool:
    try:
        rebuilt(value)
    except SpeechError:
        return False
    return True


def _is_pending(value: Any) -> bool:
    tokens = re.compile(TOKEN_PATTERN)
    return isinstance(value, list) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("token"), str)
        and tokens.fullmatch(entry["token"]) is not None
        and _is_profile(entry.get("profile"))
        for entry in value
    )


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
    PENDING_WRITES: _is_pending,
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
    for key, value in attributes.items():
        attributes[key] = _speech_remade(value)


def _speech_remade(value: Any) -> Any:
    """`value` with every speech in it (a string that is a <speak>) made again by the builder:
    whatever the session carries is said as words and pauses, never as SSML as it came."""
    if isinstance(value, dict):
        return {key: _speech_remade(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_speech_remade(item) for item in value]
    if isinstance(value, str) and value.lstrip().startswith("<speak"):
        try:
            return rebuilt(value)
        except SpeechError:
            words = plain(value).removeprefix("<speak>").removesuffix("</speak>")
        try:
            return Speech(words).ssml()
        except SpeechError:
            return "<speak></speak>"  # escaped, longer than Alexa takes: none of it is said
    return value
