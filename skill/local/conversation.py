"""A conversation with the skill as Alexa would hold it: sessions, attributes, timestamps."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ask_sdk_model import SessionEndedReason

from skill.local.envelopes import Caller, envelope, request_for, session_ended
from skill.local.nlu import LocalNlu

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
# With a fixed --now, each turn is this much later than the one before.
TURN_SECONDS = 5


@dataclass
class Turn:
    user_input: str
    request: dict[str, Any]
    response: dict[str, Any]

    @property
    def ends_session(self) -> bool:
        # As on a voice-only device, a response that doesn't ask to stay open closes the session.
        return self.response.get("response", {}).get("shouldEndSession") is not False

    def as_json(self) -> dict[str, Any]:
        return {"userInput": self.user_input, "request": self.request, "response": self.response}


@dataclass
class Conversation:
    handler: LambdaHandler
    nlu: LocalNlu
    caller: Caller
    locale: str = "en-US"
    now: datetime | None = None
    _session_id: str | None = None
    _attributes: dict[str, Any] = field(default_factory=dict)
    _turns: int = 0
    # The reprompt Alexa will speak if the person stays silent (once per response).
    _pending_reprompt: str | None = None

    @property
    def in_session(self) -> bool:
        return self._session_id is not None

    def say(self, utterance: str) -> Turn:
        """One utterance to the skill. Naming the skill, or speaking with no session, starts one."""
        understanding = self.nlu.understand(utterance)
        new_session = understanding.invocation or self._session_id is None
        if new_session:
            self._session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self._attributes = {}
        request = request_for(understanding, self.locale, self._timestamp(), self.caller.skill_id)
        turn = self._send(utterance, request, new_session)
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
