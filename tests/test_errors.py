"""No exception reaches Alexa as a crash, and no error log carries the person's words."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from skill.core.navigation import HelpHandler, SessionEndedHandler
from skill.local.conversation import Conversation
from tests.conftest import begin
from tests.speech_helpers import reprompt, said

PRIVATE_WORDS = "my partner said something cruel last night"


def test_a_failing_handler_gets_a_short_apology_and_the_session_goes_on(
    talk: Conversation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: HelpHandler, handler_input: Any) -> Any:
        raise ValueError(PRIVATE_WORDS)

    begin(talk)
    with monkeypatch.context() as patch:
        patch.setattr(HelpHandler, "handle", broken)
        with caplog.at_level(logging.DEBUG):
            turn = talk.say("help")

    assert said(turn).lower().startswith("sorry, something went wrong")
    assert not turn.ends_session
    assert "calming exercise" in reprompt(turn).lower()
    assert "ValueError" in caplog.text
    assert "AMAZON.HelpIntent" in caplog.text
    assert PRIVATE_WORDS not in caplog.text

    # The same session carries on once the fault is gone.
    assert "what can you do" in said(talk.say("help"))


def test_a_failure_while_the_session_ends_returns_no_speech(
    talk: Conversation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    begin(talk)
    monkeypatch.setattr(SessionEndedHandler, "handle", _raise_runtime_error)
    with caplog.at_level(logging.ERROR):
        ended = talk.leave()
    assert ended is not None
    assert "outputSpeech" not in ended.response["response"]
    assert '"outcome": "error"' in caplog.text
    assert '"requestType": "SessionEndedRequest"' in caplog.text


def _raise_runtime_error(*_: Any, **__: Any) -> None:
    raise RuntimeError("storage down")
