"""No exception reaches Alexa as a crash, and no error log carries the person's words."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from skill.core.navigation import HelpHandler, SessionEndedHandler
from skill.local.conversation import Conversation
from skill.local.nlu import LocalNlu
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
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
    assert "Here's what I can do" in said(talk.say("help"))


def test_when_storage_cannot_be_read_the_person_is_still_answered(
    nlu: LocalNlu, caplog: pytest.LogCaptureFixture
) -> None:
    with mock_aws():
        missing_table = ProfileStore("no-such-table")
        talk = make_conversation(missing_table, nlu)
        with caplog.at_level(logging.WARNING):
            turn = talk.say("open secure base")
            assert said(turn).startswith("Welcome to Secure Base")
            assert "profile not read: ResourceNotFoundException" in caplog.text
            assert "I'll remember only your place" in said(talk.say("yes"))
            assert "profile not saved: ResourceNotFoundException" in caplog.text
    assert not turn.ends_session


def test_when_saving_fails_the_answer_still_goes_out(
    talk: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    begin(talk)
    monkeypatch.setattr(ProfileStore, "save_attributes", _raise_client_error)
    assert "Injuries happen" in said(talk.say("repair guidance"))
    assert said(talk.say("repeat")) == said(talk.say("repeat"))
    goodbye = talk.say("stop")
    assert "Goodbye" in said(goodbye)
    assert goodbye.ends_session


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


def _raise_client_error(*_: Any, **__: Any) -> None:
    raise ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}}, "PutItem")
