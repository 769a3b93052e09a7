"""The cold path imports only what the first request needs: a returning person's launch is
answered from the content snapshot, without pydantic (content and profile are read without
validating models) and without `requests` (no Alexa API is called)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import boto3
from ask_sdk_model import LaunchRequest

from skill.local.envelopes import Caller, envelope
from skill.store import ProfileStore
from tests.conftest import ROOT

TABLE = "secure-base-cold-path"
CALLER = Caller(skill_id="amzn1.ask.skill.cold", user_id="amzn1.ask.account.COLD", device_id="d")
# Modules the first request must not load: what each costs a cold start is in
# benchmarks/results.md ("Slowest imports on the cold path").
NOT_ON_THE_COLD_PATH = ("pydantic", "pydantic_core", "requests", "skill.blocks.validation")
CHILD = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "lambda")!r})
import lambda_function
answer = lambda_function.lambda_handler(json.load(sys.stdin), None)
loaded = [name for name in {NOT_ON_THE_COLD_PATH!r} if name in sys.modules]
print(json.dumps({{"speech": answer["response"]["outputSpeech"]["ssml"], "loaded": loaded}}))
"""


def test_a_returning_persons_launch_loads_neither_pydantic_nor_requests(dynamodb: str) -> None:
    environment = {
        **os.environ,
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb,
        "TABLE_NAME": TABLE,
        "LOG_LEVEL": "ERROR",
    }
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb
    ProfileStore(TABLE).create_table()
    boto3.client("dynamodb").put_item(
        TableName=TABLE,
        Item={
            "userId": {"S": CALLER.user_id},
            "personId": {"S": "account"},
            "schema_version": {"N": "2"},
            "version": {"N": "4"},
            "visits": {"N": "3"},
            "consent": {"S": "2026-11-01"},
            "last_activity": {"S": "grounding"},
            "recent": {"L": [{"S": "grounding"}]},
            "plugin_state": {
                "M": {"grounding": {"M": {"exercise": {"S": "box"}, "step": {"N": "1"}}}}
            },
        },
    )
    request = LaunchRequest(request_id="cold", timestamp=datetime.now(UTC), locale="en-US")
    event = envelope(CALLER, request, "amzn1.echo-api.session.cold", True, {})
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(event, default=str),
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    outcome = json.loads(child.stdout.splitlines()[-1])
    assert "Welcome back" in outcome["speech"], (
        child.stderr
    )  # the profile was read, and the resume offered
    assert "box breathing" in outcome["speech"]
    assert outcome["loaded"] == []
