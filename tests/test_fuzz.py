"""Fuzzing the real entry point (lambda/lambda_function.py) with generated request envelopes.

Whatever arrives, the skill answers with a response Alexa accepts (it deserializes as a
ResponseEnvelope, its speech is valid SSML, and request types that take no speech get none) or
refuses it on purpose (MalformedEnvelope, ForeignSkillId). No other exception ever escapes, and
for an envelope Alexa could send, no handler fails either (nothing reaches the catch-all).

`make test` runs a short, derandomized run of each property. `make fuzz` sets
SECURE_BASE_FUZZ_EXAMPLES (e.g. 10000): that many cases in all, shared between the properties,
drawn afresh each run; failures are kept in .secure-base/hypothesis and tried first next time.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import socket
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from moto import mock_aws

from skill.app import ForeignSkillId, MalformedEnvelope, build_skill, handle_event
from skill.local.fake_alexa import FakeAlexaApi
from skill.speech import validate
from skill.state import ACCOUNT_PERSON
from skill.store import ProfileStore, to_dynamo
from tests.conftest import ROOT, SKILL_ID, TABLE
from tests.strategies import (
    API_ENDPOINT,
    GRANTED_TOKEN,
    IN_A_SESSION,
    NAME_FREE,
    SILENT,
    UNANSWERED,
    Case,
    alexa_cases,
    malformed_cases,
    requests,
    sent_by_alexa,
)

EXAMPLES_ENV = "SECURE_BASE_FUZZ_EXAMPLES"
PROPERTIES = 3  # the @given tests below, which share the examples of a `make fuzz` run
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "secure-base-test",
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI stays stable
    database=None,
    suppress_health_check=_HEALTH,
)
settings.register_profile(
    "secure-base-fuzz",
    max_examples=math.ceil(int(os.environ.get(EXAMPLES_ENV) or 0) / PROPERTIES) or 1,
    deadline=None,
    database=DirectoryBasedExampleDatabase(ROOT / ".secure-base" / "hypothesis"),
    suppress_health_check=_HEALTH,
)
FUZZ = settings.get_profile(
    "secure-base-fuzz" if os.environ.get(EXAMPLES_ENV) else "secure-base-test"
)

_serializer = DefaultSerializer()


class Turns(logging.Handler):
    """The turn log lines (skill.turns) of the request in progress."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))

    def failures(self) -> list[dict[str, Any]]:
        """Lines of handlers that failed: the catch-all's, and a plugin's failed check."""
        return [
            line
            for line in self.lines
            if line.get("outcome") == "error" or "canHandleFailed" in line
        ]


@dataclass
class Target:
    """The entry point, with its table (moto) and Alexa's APIs (local) shared by all examples."""

    handler: Callable[[dict[str, Any], Any], dict[str, Any]]
    store: ProfileStore
    alexa: FakeAlexaApi
    turns: Turns = field(default_factory=Turns)

    def send(self, event: Any) -> dict[str, Any] | None:
        """The response to `event`, or None when it was refused."""
        self.turns.lines.clear()
        wired = json.loads(json.dumps(event).replace(API_ENDPOINT, self.alexa.endpoint))
        try:
            return self.handler(wired, None)
        except (MalformedEnvelope, ForeignSkillId):
            return None

    def start(self, case: Case) -> None:
        """An empty table but for the caller's stored profile, and no reminders set."""
        client = self.store.client
        for key in client.scan(TableName=TABLE, ProjectionExpression="userId, personId")["Items"]:
            client.delete_item(TableName=TABLE, Key=key)
        self.alexa.reminders.clear()
        self.alexa.calls.clear()
        owner = _caller(case.event)
        if case.stored is not None and owner is not None:
            version = max(1, case.stored["version"])  # an item in the table has been written
            item = {**case.stored, "version": version, "userId": owner[0], "personId": owner[1]}
            client.put_item(TableName=TABLE, Item=to_dynamo(item))


def _caller(event: Any) -> tuple[str, str] | None:
    """The (userId, personId) the skill would store the event's caller under, if well formed."""
    try:
        system = event["context"]["System"]
        user_id = system["user"]["userId"]
        person_id = (system.get("person") or {}).get("personId") or ACCOUNT_PERSON
    except (KeyError, TypeError, AttributeError):
        return None
    if not (isinstance(user_id, str) and isinstance(person_id, str) and user_id and person_id):
        return None
    # DynamoDB's limits on a key: such a caller has nothing stored (the skill is told so).
    if (
        len(user_id.encode(errors="replace")) > 2048
        or len(person_id.encode(errors="replace")) > 1024
    ):
        return None
    return user_id, person_id


def _only_local(host: Any, *args: Any, **kwargs: Any) -> Any:
    """socket.getaddrinfo for 127.0.0.1 only: no generated endpoint reaches the network."""
    if host not in ("127.0.0.1", "localhost"):
        raise socket.gaierror(socket.EAI_NONAME, "the fuzz tests stay on this machine")
    return _getaddrinfo(host, *args, **kwargs)


_getaddrinfo = socket.getaddrinfo


@contextmanager
def entry_point(monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    """lambda/lambda_function.py imported afresh, as a new container would, with SKILL_ID set."""
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    monkeypatch.setattr(socket, "getaddrinfo", _only_local)
    with mock_aws(), FakeAlexaApi() as alexa:
        alexa.trust()
        alexa.grant(GRANTED_TOKEN)
        store = ProfileStore(TABLE)
        store.create_table()
        spec = importlib.util.spec_from_file_location(
            "lambda_function_fuzzed", ROOT / "lambda" / "lambda_function.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        turns = Turns()
        logger = logging.getLogger("skill.turns")
        logger.addHandler(turns)
        try:
            yield Target(handler=module.lambda_handler, store=store, alexa=alexa, turns=turns)
        finally:
            logger.removeHandler(turns)


def check(case: Case, response: dict[str, Any] | None, target: Target) -> None:
    """The property: a response Alexa accepts, or a deliberate refusal; for an envelope Alexa
    could send, an answer in which no handler failed."""
    if response is None:
        assert not case.from_alexa, "an envelope Alexa could send was refused"
        return
    if case.from_alexa:
        failures = target.turns.failures()
        assert not failures, f"a handler failed on an envelope Alexa could send: {failures}"
    # The SDK's own serializer reads it back as a response envelope.
    envelope = _serializer.deserialize(json.dumps(response), ResponseEnvelope)
    assert envelope.version == "1.0" and envelope.response is not None
    body = response["response"]
    for speech in (body.get("outputSpeech"), (body.get("reprompt") or {}).get("outputSpeech")):
        if speech is not None:
            assert speech["type"] == "SSML"
            validate(speech["ssml"])
    if case.request_type in SILENT:
        assert "outputSpeech" not in body and "reprompt" not in body
    if case.request_type in UNANSWERED:
        assert body == {}
    if case.request_type in NAME_FREE:
        assert set(body) == {"canFulfillIntent"}


def check_each(monkeypatch: pytest.MonkeyPatch, cases: st.SearchStrategy[Case]) -> None:
    """The property for each of `cases`, sent to the entry point as the first of its turns."""
    with entry_point(monkeypatch) as target:

        @FUZZ
        @given(cases)
        def answer(case: Case) -> None:
            target.start(case)
            check(case, target.send(case.event), target)

        answer()


def test_envelopes_alexa_sends_get_answers_alexa_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    check_each(monkeypatch, alexa_cases())


def test_broken_envelopes_are_answered_or_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    check_each(monkeypatch, malformed_cases())


@st.composite
def conversations(draw: st.DrawFn) -> tuple[Case, list[dict[str, Any]]]:
    """The first turn of a session, as generated, then the requests of the next turns."""
    first = draw(alexa_cases(("LaunchRequest", "IntentRequest")))
    turns = st.one_of(
        requests("IntentRequest", IN_A_SESSION),
        requests("IntentRequest"),
        requests("SessionEndedRequest"),
    )
    return first, draw(st.lists(turns, min_size=1, max_size=6))


def test_conversations_of_random_turns_keep_answering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each turn carries the session attributes of the last answer back, as Alexa does; a
    session the skill ended starts again, new."""
    with entry_point(monkeypatch) as target:

        @FUZZ
        @given(conversations())
        def converse(conversation: tuple[Case, list[dict[str, Any]]]) -> None:
            first, later = conversation
            target.start(first)
            response = target.send(first.event)
            check(first, response, target)
            for request in later:
                assert response is not None
                ended = response["response"].get("shouldEndSession") is not False
                attributes = {} if ended else response.get("sessionAttributes") or {}
                event = {
                    **first.event,
                    "request": request,
                    "session": {**first.event["session"], "new": ended, "attributes": attributes},
                }
                response = target.send(event)
                from_alexa = sent_by_alexa(event)
                check(Case(event=event, stored=None, from_alexa=from_alexa), response, target)
                if response is None:
                    break  # refused, as past Alexa's limits: the conversation ends there

        converse()


# -- the same, by example --------------------------------------------------------------------

PRIVATE_WORDS = "my partner said something cruel last night"


def _event(request: dict[str, Any], attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    """A well-formed envelope around `request`, in a session carrying `attributes`."""
    system = {"application": {"applicationId": SKILL_ID}, "user": {"userId": "user-1"}}
    return {
        "version": "1.0",
        "context": {"System": {**system, "apiEndpoint": API_ENDPOINT, "apiAccessToken": "t"}},
        "session": {
            "new": attributes is None,
            "sessionId": "session-1",
            **system,
            "attributes": attributes or {},
        },
        "request": {
            "requestId": "request-1",
            "timestamp": "2026-11-27T20:00:00Z",
            "locale": "en-US",
            **request,
        },
    }


def _answer(slot_value: str) -> dict[str, Any]:
    slots = {"answer": {"name": "answer", "value": slot_value, "confirmationStatus": "NONE"}}
    return {"type": "IntentRequest", "intent": {"name": "AnswerIntent", "slots": slots}}


@pytest.mark.parametrize(
    ("broken", "part"),
    [
        (lambda event: event["context"]["System"].pop("application"), "context.System.application"),
        (lambda event: event["context"].pop("System"), "context.System"),
        (lambda event: event["request"].pop("timestamp"), "request.timestamp"),
        (lambda event: event.pop("session"), "session"),
        (lambda event: event["request"].pop("intent"), "request.intent"),
        (lambda event: event["request"].update(type="Foo.Bar"), "envelope"),
        (lambda event: event["request"].update(dialogState=PRIVATE_WORDS), "envelope"),
    ],
)
def test_an_envelope_that_cannot_be_from_alexa_is_refused_in_one_line_without_its_content(
    store: ProfileStore,
    caplog: pytest.LogCaptureFixture,
    broken: Callable[[dict[str, Any]], Any],
    part: str,
) -> None:
    event = _event(_answer(PRIVATE_WORDS))
    broken(event)
    skill = build_skill(store=store, skill_id=SKILL_ID)
    with caplog.at_level(logging.DEBUG), pytest.raises(MalformedEnvelope) as refusal:
        handle_event(skill, event, None)
    assert refusal.value.part == part
    # Before any interceptor or handler: nothing read or written, no turn logged.
    assert [json.loads(r.getMessage()) for r in caplog.records] == [
        {"outcome": "refused", "malformed": part}
    ]
    assert PRIVATE_WORDS not in caplog.text
    # Nor in the traceback Lambda logs for it (the SDK's exception it replaced is left out).
    assert PRIVATE_WORDS not in "".join(traceback.format_exception(refusal.value))


@pytest.mark.parametrize("request_type", UNANSWERED)
def test_request_types_the_skill_does_not_answer_get_an_empty_response(
    store: ProfileStore, caplog: pytest.LogCaptureFixture, request_type: str
) -> None:
    skill = build_skill(store=store, skill_id=SKILL_ID)
    request: dict[str, Any] = {"type": request_type}
    with caplog.at_level(logging.INFO):
        response = handle_event(skill, _event(request), None)
    assert response["response"] == {}
    assert '"outcome": "not-answered"' in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_session_attributes_this_version_would_not_write_are_dropped_not_trusted(
    store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    """A session that outlived a deployment: what it carries under the core's keys is
    dropped when this version would not have written it; the turn goes on without it."""
    skill = build_skill(store=store, skill_id=SKILL_ID)
    foreign = {
        "lastResponse": {"speech": "Hello, <b>friend</b>", "reprompt": 3},
        "nextTurn": ["askedConsent"],
        "profile": [],
        "noticesGiven": "progress_not_saved",
        "someOtherSkillsKey": {"anything": [1, 2]},
    }
    repeat = {"type": "IntentRequest", "intent": {"name": "AMAZON.RepeatIntent"}}
    with caplog.at_level(logging.WARNING):
        response = handle_event(skill, _event(repeat, foreign), None)
    # Nothing to repeat (the last response could not be said), so the menu instead.
    speech = response["response"]["outputSpeech"]["ssml"]
    validate(speech)
    assert "friend" not in speech
    dropped = ["lastResponse", "nextTurn", "noticesGiven", "profile"]
    assert json.dumps({"droppedSessionAttributes": dropped}) in caplog.text
    assert response["sessionAttributes"]["someOtherSkillsKey"] == {"anything": [1, 2]}


# -- faults found by fuzzing in files this change does not own -------------------------------
# Each is answered by the catch-all's apology (or, for the Connections.Response, by silence)
# instead of the turn. Strict: once fixed, the test passes and the mark must go (and, for the
# rating, the value comes back into tests/strategies.py).


def _checkin_turn(
    store: ProfileStore, request: dict[str, Any], attributes: dict[str, Any], caplog: Any
) -> list[str]:
    """The errors the catch-all logs for one turn of a person who said yes long ago."""
    profile = {"consent": "2026-01-01", "plugin_state": {"checkin": {"stage": 3}}}
    skill = build_skill(store=store, skill_id=SKILL_ID)
    with caplog.at_level(logging.ERROR):
        carried = {"profile": profile, "profileOf": ACCOUNT_PERSON, **attributes}
        handle_event(skill, _event(request, carried), None)
    return [r.getMessage() for r in caplog.records if '"outcome": "error"' in r.getMessage()]


def test_a_rating_said_as_an_odd_digit_is_not_a_crash(
    store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    slots = {"rating": {"name": "rating", "value": "\u00b2"}}
    rating = {"type": "IntentRequest", "intent": {"name": "RatingIntent", "slots": slots}}
    assert _checkin_turn(store, rating, {"activePlugin": "checkin"}, caplog) == []


def test_a_stale_rating_awaiting_consent_is_not_a_crash(
    store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    # A session from the version that asked whether to keep the ratings (checkinAskedRatings,
    # a key this one no longer reads), answered after the update.
    yes = {"type": "IntentRequest", "intent": {"name": "AMAZON.YesIntent"}}
    assert _checkin_turn(store, yes, {"nextTurn": {"checkinAskedRatings": "four"}}, caplog) == []


def test_a_permission_answer_with_an_unreadable_token_is_not_a_crash(
    store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    answer = {
        "type": "Connections.Response",
        "name": "AskFor",
        "status": {"code": "200", "message": "OK"},
        "token": "checkin:after dinner",
        "payload": {"status": "DENIED"},
    }
    assert _checkin_turn(store, answer, {}, caplog) == []
