"""Shared fixtures: every test runs offline, DynamoDB through moto."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from skill.app import build_skill, handle_event
from skill.blocks.plugin import Plugin
from skill.discovery import discover
from skill.local import content_snapshot
from skill.local.conversation import Conversation
from skill.local.envelopes import Caller
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.speech import STRICT_ENV, validate
from skill.store import ProfileStore
from tests.dynamo_faults import moto_endpoint

ROOT = Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "interaction_models" / "interactionModels" / "custom" / "en-US.json"
SKILL_ID = "amzn1.ask.skill.test-0000"
TABLE = "secure-base-test"
CHICAGO = "America/Chicago"


def pytest_sessionstart(session: pytest.Session) -> None:
    """The tests serve the skill's content as Lambda does, from the snapshot (written here when
    a source changed, as the development tools do)."""
    content_snapshot.refresh()


@pytest.fixture(autouse=True)
def offline_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test may reach real AWS, whatever the machine's configuration.

    The local tools set variables (the embedded endpoint, LOG_LEVEL) for their whole process;
    the environment is restored after each test so that none leaks into the next.
    """
    saved = dict(os.environ)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": TABLE,
        STRICT_ENV: "1",  # invalid speech fails the test instead of degrading
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "SKILL_ID"):
        monkeypatch.delenv(name, raising=False)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def nlu() -> LocalNlu:
    return LocalNlu(interaction_model("en-US", discover().plugins))


@pytest.fixture
def store() -> Iterator[ProfileStore]:
    with mock_aws():
        created = ProfileStore(TABLE)
        created.create_table()
        yield created


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[str]:
    """The address of a moto DynamoDB server on 127.0.0.1, for code that reaches it over HTTP.

    Moto's servers in one process share their tables: each module uses tables of its own.
    """
    with moto_endpoint() as endpoint:
        yield endpoint


class Calls:
    """Counts the DynamoDB operations a store makes, by name."""

    def __init__(self, store: ProfileStore) -> None:
        self.counts: dict[str, int] = {}
        store.client.meta.events.register("before-call.dynamodb.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[model.name] = self.counts.get(model.name, 0) + 1

    def __getitem__(self, operation: str) -> int:
        return self.counts.get(operation, 0)


@pytest.fixture
def calls(store: ProfileStore) -> Calls:
    return Calls(store)


def make_conversation(
    store: ProfileStore,
    nlu: LocalNlu,
    user_id: str = "amzn1.ask.account.TEST",
    plugins: tuple[Plugin[Any, Any], ...] | None = None,
    **caller: Any,
) -> Conversation:
    skill = build_skill(store=store, skill_id=SKILL_ID, plugins=plugins)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        response = handle_event(skill, event, context)
        # Every response of every test must be speech Alexa accepts.
        body = response["response"]
        for speech in (body.get("outputSpeech"), (body.get("reprompt") or {}).get("outputSpeech")):
            if speech:
                validate(speech["ssml"])
        return response

    return Conversation(
        handler=handler,
        nlu=nlu,
        caller=Caller(skill_id=SKILL_ID, user_id=user_id, **{"device_id": "device-1", **caller}),
    )


@pytest.fixture
def talk(store: ProfileStore, nlu: LocalNlu) -> Conversation:
    return make_conversation(store, nlu)


def begin(talk: Conversation, consent: bool = True) -> None:
    """Opens the skill and, with `consent`, asks it to remember (as "remember my progress"
    does at any time); without, the person has said nothing about being remembered."""
    talk.say("open secure base")
    if consent:
        talk.say("remember my progress")


@pytest.fixture
def alexa() -> Iterator[FakeAlexaApi]:
    """Alexa's APIs on 127.0.0.1 (HTTPS), for a device in Chicago."""
    with FakeAlexaApi(time_zone=CHICAGO) as api:
        api.trust()
        yield api
