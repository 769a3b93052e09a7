"""No exception reaches Alexa as a crash, and no error log carries the person's words."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from moto import mock_aws

from skill.core.navigation import HelpHandler
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


def test_storage_failure_is_an_apology_not_a_crash(nlu: LocalNlu) -> None:
    with mock_aws():
        missing_table = ProfileStore("no-such-table")
        turn = make_conversation(missing_table, nlu).say("open secure base")
    assert said(turn).lower().startswith("sorry, something went wrong")
    assert turn.response["response"]["shouldEndSession"] is False


def test_a_failure_while_the_session_ends_returns_no_speech(
    talk: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk.say("open secure base")
    monkeypatch.setattr(ProfileStore, "save_attributes", _raise_runtime_error)
    talk.say("calming exercise")  # the save fails: apology, session still open
    ended = talk.leave()
    assert ended is not None
    assert "outputSpeech" not in ended.response["response"]


def _raise_runtime_error(*_: Any) -> None:
    raise RuntimeError("storage down")
