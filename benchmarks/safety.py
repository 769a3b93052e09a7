"""`make bench`: the safety figures of every labelled set, and what screening a long value costs.

Writes benchmarks/safety-results.md: the figures table of `secure-base safety figures` for the
sets the suite holds and the held-out sets, then the time to screen a 200,000-character slot
value, alone and as a whole turn through lambda_handler (medians, with the machine named).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ask_sdk_model import Intent, IntentRequest, Slot
from moto import mock_aws

from skill.app import build_skill, handle_event
from skill.local.envelopes import Caller, envelope
from skill.local.safety_figures import EVALUATION, labelled_sets, report
from skill.safety import Safety
from skill.safety.screening import HALF_CAP, screen
from skill.store import ProfileStore

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "safety-results.md"
LONG_VALUE = 200_000
RUNS = 15
SKILL_ID = "amzn1.ask.skill.bench"


def long_value() -> str:
    sentence = "we walked by the river and talked about the garden and the week ahead "
    return (sentence * (LONG_VALUE // len(sentence) + 1))[:LONG_VALUE]


def median_ms(run: Any, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def turn_with(value: str) -> dict[str, Any]:
    caller = Caller(skill_id=SKILL_ID, user_id="amzn1.ask.account.BENCH", device_id="bench")
    request = IntentRequest(
        request_id="amzn1.echo-api.request.bench",
        timestamp=datetime.now(UTC).replace(microsecond=0),
        locale="en-US",
        intent=Intent(name="AnswerIntent", slots={"answerI": Slot(name="answerI", value=value)}),
    )
    return envelope(caller, request, "amzn1.echo-api.session.bench", True, {})


def screening_cost() -> list[str]:
    rules = Safety().content("en-US").screening()
    value = long_value()
    alone = median_ms(lambda: screen(value, rules))
    # The worst shape found: a run of optional words that once took an exponential search.
    repeated = "he " + "has been " * 100 + "hits me"
    worst = median_ms(lambda: screen(repeated, rules))
    # moto in this process: nothing leaves the machine.
    os.environ.update(AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench")  # fmt: skip
    os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
    logging.getLogger().setLevel(logging.WARNING)
    with mock_aws():
        store = ProfileStore("secure-base-bench")
        store.create_table()
        skill = build_skill(store=store, skill_id=SKILL_ID)
        event = turn_with(value)
        handle_event(skill, json.loads(json.dumps(event)), None)  # warm
        whole = median_ms(lambda: handle_event(skill, json.loads(json.dumps(event)), None))
        short = turn_with("want to go for a walk")
        usual = median_ms(lambda: handle_event(skill, json.loads(json.dumps(short)), None))
    return [
        "## What screening a long value costs",
        "",
        f"A {LONG_VALUE:,}-character slot value (a forged request: Alexa's are a few words), median"
        f" of {RUNS} runs on {platform.machine()}, {os.cpu_count()} CPUs, Python"
        f" {platform.python_version()}. Only its first and last {HALF_CAP:,} characters are read"
        " (`skill/safety/screening.py`), once per slot.",
        "",
        "| what | time |",
        "| --- | --- |",
        f"| screening the value | {alone:.1f} ms |",
        f"| screening 'he has been has been ... hits me' (100 times) | {worst:.1f} ms |",
        f"| the whole turn through lambda_handler (envelope, screening, answer) | {whole:.1f} ms |",
        f"| the same turn with a five-word value | {usual:.1f} ms |",
    ]


def main() -> None:
    text, _ = report(labelled_sets(), labelled_sets(EVALUATION / "held-out"))
    text += "\n" + "\n".join(screening_cost()) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
