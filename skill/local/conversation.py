"""A conversation with the skill as Alexa would hold it: sessions, attributes, timestamps."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from ask_sdk_model import SessionEndedReason

from skill.local.envelopes import (
    Caller,
    connections_response,
    envelope,
    request_for,
    session_ended,
)
from skill.local.nlu import Understanding

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


class Understands(Protocol):
    """What stands in for Alexa's understanding (the local NLU, or a test's fixed answer)."""

    def understand(self, utterance: str) -> Understanding: ...


# With a fixed --now, each turn is this much later than the one before.
TURN_SECONDS = 5


@dataclass
class Turn:
    user_input: str
    request: dict[str, Any]
    response: dict[str, Any]

    @property
    def ends_session(self) -> bool:
        # As on a voice-only device, a response that doesn't ask to stay open closes the session,
        # unless it hands over to Alexa (asking for a permission), which then answers the skill.
        if self.asked_for is not None:
            return False
        return self.response.get("response", {}).get("shouldEndSession") is not False

    @property
    def asked_for(self) -> tuple[str, str] | None:
        """(permission scope, token) when the response asks Alexa to request a permission."""
        for directive in self.response.get("response", {}).get("directives") or []:
            if (
                directive.get("type") == "Connections.SendRequest"
                and directive.get("name") == "AskFor"
            ):
                payload = directive.get("payload") or {}
                return _asked_scope(payload), str(directive.get("token") or "")
        return None

    @property
    def asked_version(self) -> str:
        """The version of the AskFor request ("1" names one scope, "2" a list of them)."""
        for directive in self.response.get("response", {}).get("directives") or []:
            if directive.get("name") == "AskFor":
                return str((directive.get("payload") or {}).get("@version"))
        return ""

    def as_json(self) -> dict[str, Any]:
        return {"userInput": self.user_input, "request": self.request, "response": self.response}


@dataclass
class Conversation:
    handler: LambdaHandler
    nlu: Understands
    caller: Caller
    locale: str = "en-US"
    now: datetime | None = None
    _session_id: str | None = None
    _attributes: dict[str, Any] = field(default_factory=dict)
    _turns: int = 0
    # The reprompt Alexa will speak if the person stays silent (once per response).
    _pending_reprompt: str | None = None
    # A permission Alexa is asking for on the skill's behalf: (scope, token).
    _asking: tuple[str, str] | None = None
    _asking_version: str = ""
    # Told when the person grants a permission (the fake Alexa API then accepts their calls).
    on_grant: Callable[[str, Caller], None] | None = None

    @property
    def in_session(self) -> bool:
        return self._session_id is not None

    def say(self, utterance: str) -> Turn:
        """One utterance to the skill. Naming the skill, or speaking with no session, starts one."""
        understanding = self.nlu.understand(utterance)
        if self._asking is not None and not understanding.invocation:
            return self._answer_permission(utterance, understanding.intent)
        new_session = understanding.invocation or self._session_id is None
        if new_session:
            self._session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self._attributes = {}
        request = request_for(understanding, self.locale, self._timestamp(), self.caller.skill_id)
        turn = self._send(utterance, request, new_session)
        return self._after(turn)

    def _answer_permission(self, utterance: str, intent: str | None) -> Turn:
        """Alexa asked "may this skill set reminders?": a yes or no becomes its answer."""
        assert self._asking is not None
        scope, token = self._asking
        self._asking = None
        status = {"AMAZON.YesIntent": "ACCEPTED", "AMAZON.NoIntent": "DENIED"}.get(
            intent or "", "NOT_ANSWERED"
        )
        if status == "ACCEPTED":
            self.caller = replace(self.caller, granted=self.caller.granted | {scope})
            if self.on_grant is not None:
                self.on_grant(scope, self.caller)
        # Answered in the shape of the version asked. The second's, as Amazon's page shows it,
        # names the scopes with their consent level; the status is the answer's (payload.status).
        payload: dict[str, Any] = {"permissionScope": scope, "status": status}
        if self._asking_version == "2":
            level = {"permissionScope": scope, "consentLevel": "ACCOUNT"}
            payload = {"permissionScopes": [level], "status": status}
        request = connections_response(self.locale, self._timestamp(), "AskFor", payload, token)
        return self._after(self._send(utterance, request, new_session=False))

    def respond(self, payload: dict[str, Any], token: str | None = None) -> Turn:
        """Alexa answers the pending AskFor with exactly this payload (a test's shape of it),
        and the token sent with it, or `token`."""
        assert self._asking is not None, "no permission is being asked for"
        token = self._asking[1] if token is None else token
        self._asking = None
        request = connections_response(self.locale, self._timestamp(), "AskFor", payload, token)
        return self._after(self._send("", request, new_session=False))

    def _after(self, turn: Turn) -> Turn:
        self._asking, self._asking_version = turn.asked_for, turn.asked_version
        if turn.ends_session:
            self._session_id = None
        else:
            self._attributes = turn.response.get("sessionAttributes") or {}
            reprompt = (turn.response["response"].get("reprompt") or {}).get("outputSpeech")
            self._pending_reprompt = (reprompt or {}).get("ssml")
        return turn

    def silence(self) -> str | Turn | None:
        """The person says nothing: Alexa speaks the reprompt once, then ends the session.

        Returns the reprompt's SSML, or the SessionEndedRequest's turn, or None outside a session.
        """
        if self._session_id is None:
            return None
        if self._asking is not None:
            return self._answer_permission("", None)
        if self._pending_reprompt is not None:
            reprompt, self._pending_reprompt = self._pending_reprompt, None
            return reprompt
        return self.leave(SessionEndedReason.EXCEEDED_MAX_REPROMPTS)

    def leave(self, reason: SessionEndedReason = SessionEndedReason.USER_INITIATED) -> Turn | None:
        """The session closes without the skill ending it: Alexa tells the skill why."""
        if self._session_id is None:
            return None
        request = session_ended(self.locale, self._timestamp(), reason)
        turn = self._send("", request, new_session=False)
        self._session_id = None
        return turn

    def _send(self, utterance: str, request: Any, new_session: bool) -> Turn:
        assert self._session_id is not None
        event = envelope(self.caller, request, self._session_id, new_session, self._attributes)
        return Turn(utterance, event, self.handler(event, None))

    def _timestamp(self) -> datetime:
        self._turns += 1
        if self.now is None:
            return datetime.now(UTC).replace(microsecond=0)
        return self.now + timedelta(seconds=TURN_SECONDS * (self._turns - 1))


def _asked_scope(payload: dict[str, Any]) -> str:
    """The scope an AskFor asks for: version 1 names it, version 2 lists it (one, here)."""
    listed = payload.get("permissionScopes")
    if isinstance(listed, list) and listed and isinstance(listed[0], dict):
        return str(listed[0].get("permissionScope"))
    return str(payload.get("permissionScope"))
