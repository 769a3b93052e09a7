"""Scripted sessions for the benchmarks: the skill driven as a person would, against moto's server
and the fake Alexa API, with every DynamoDB request counted."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import boto3

from skill.discovery import discover
from skill.local.conversation import Conversation
from skill.local.envelopes import Caller
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu

ROOT = Path(__file__).resolve().parents[1]
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
USER_ID = "amzn1.ask.account.BENCHMARK"
TIME_ZONE = "America/Chicago"

# A mixed session across every plugin, as one person might have it (20 turns).
MIXED_SESSION = [
    "open secure base",
    "do box breathing",
    "slower",
    "next",
    "stop the exercise",
    "reflection questions",
    "my parents rarely argued in front of us",
    "next question",
    "we kept our feelings to ourselves",
    "repair guidance",
    "yes",
    "no",
    "next",
    "next",
    "what do you know about me",
    "when is my nightly check-in",
    "do three breaths",
    "help",
    "repeat that",
    "stop",
]
# The scripted session for DynamoDB requests (10 turns, every plugin).
COUNTED_SESSION = [
    "open secure base",
    "do three breaths",
    "help",
    "reflection questions",
    "we kept our feelings to ourselves",
    "repair guidance",
    "repeat that",
    "when is my nightly check-in",
    "what do you know about me",
    "stop",
]


@dataclass
class Requests:
    """DynamoDB requests by operation, and per turn."""

    total: Counter[str] = field(default_factory=Counter)
    turn: Counter[str] = field(default_factory=Counter)

    def hook(self, model: Any, **_: Any) -> None:
        self.total[model.name] += 1
        self.turn[model.name] += 1


def conversation(
    handler: Callable[[dict[str, Any], Any], dict[str, Any]],
    alexa: FakeAlexaApi,
    now: datetime,
    timed: list[float] | None = None,
) -> Conversation:
    def timed_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        started = time.perf_counter()
        answer = handler(event, context)
        if timed is not None:
            timed.append(time.perf_counter() - started)
        return answer

    caller = Caller(
        skill_id=SKILL_ID,
        user_id=USER_ID,
        device_id="amzn1.ask.device.BENCHMARK",
        api_endpoint=alexa.endpoint,
        api_access_token="benchmark-token",
    )
    return Conversation(
        handler=timed_handler,
        nlu=understanding(),
        caller=caller,
        now=now,
        on_grant=lambda _scope, granted: alexa.grant(granted.api_access_token),
    )


@cache
def understanding() -> LocalNlu:
    return LocalNlu(interaction_model("en-US", discover().plugins))


@contextmanager
def fake_alexa() -> Iterator[FakeAlexaApi]:
    with FakeAlexaApi(time_zone=TIME_ZONE) as alexa:
        alexa.trust()
        yield alexa


def evening(day: int) -> datetime:
    """21:35 in the benchmark's time zone, `day` days after a fixed Monday."""
    start = datetime(2026, 1, 5, 3, 35, tzinfo=UTC)  # 21:35 in Chicago the evening before
    return start + timedelta(days=day)


def stored_item(table: str) -> dict[str, Any]:
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    return items[0] if items else {}


def item_bytes(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB bills it: names plus values, maps and lists as documented."""
    return sum(len(name.encode()) + _value_bytes(value) for name, value in item.items())


def _value_bytes(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(str(inner).encode())
    if kind == "N":
        digits = len(str(inner).lstrip("-").replace(".", "").strip("0")) or 1
        return (digits + 1) // 2 + 1
    if kind == "BOOL" or kind == "NULL":
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_bytes(v) for k, v in inner.items())
    if kind == "L":
        return 3 + sum(1 + _value_bytes(v) for v in inner)
    return len(json.dumps(inner).encode())
