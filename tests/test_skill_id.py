"""With SKILL_ID set, a request for another skill never reaches a handler."""

from __future__ import annotations

import importlib.util
import logging
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

from skill.app import ForeignSkillId
from skill.core.launch import LaunchRequestHandler
from skill.local.envelopes import Caller, envelope, request_for
from skill.local.nlu import Understanding
from skill.store import ProfileStore
from tests.conftest import ROOT

OUR_SKILL = "amzn1.ask.skill.ours"


def load_entry_point() -> ModuleType:
    """A fresh import of lambda/lambda_function.py, as in a new Lambda container."""
    spec = importlib.util.spec_from_file_location(
        "lambda_function_under_test", ROOT / "lambda" / "lambda_function.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def launch_event(application_id: str) -> dict[str, Any]:
    caller = Caller(skill_id=application_id, user_id="user-1", device_id="device-1")
    request = request_for(Understanding(None), "en-US", datetime.now(UTC), application_id)
    return envelope(caller, request, "session-1", True, {})


def test_foreign_application_id_is_refused_before_any_handler(
    store: ProfileStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SKILL_ID", OUR_SKILL)
    handled: list[str] = []
    original = LaunchRequestHandler.handle

    def spy(self: LaunchRequestHandler, handler_input: Any) -> Any:
        handled.append("launch")
        return original(self, handler_input)

    monkeypatch.setattr(LaunchRequestHandler, "handle", spy)
    entry = load_entry_point()

    with caplog.at_level(logging.WARNING), pytest.raises(ForeignSkillId):
        entry.lambda_handler(launch_event("amzn1.ask.skill.someone-else"), None)
    assert handled == []
    assert "refused" in caplog.text

    response = entry.lambda_handler(launch_event(OUR_SKILL), None)
    assert handled == ["launch"]
    assert "Welcome" in response["response"]["outputSpeech"]["ssml"]


def test_without_skill_id_any_application_is_served(store: ProfileStore) -> None:
    entry = load_entry_point()
    response = entry.lambda_handler(launch_event("amzn1.ask.skill.anything"), None)
    assert "Welcome" in response["response"]["outputSpeech"]["ssml"]
