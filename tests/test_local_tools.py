"""The developer tools as a developer uses them: chat, dialog replay, db create."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from skill.local import cli, talk
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples" / "dialogs").glob("*.json"))


def run_chat(lines: list[str], state_file: Path, *options: str) -> str:
    stdout = io.StringIO()
    args = cli.parser().parse_args(["chat", "--state-file", str(state_file), *options])
    assert talk.chat(args, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=stdout) == 0
    return stdout.getvalue()


def test_chat_remembers_a_returning_person_across_runs(tmp_path: Path) -> None:
    state = tmp_path / "dynamodb.json"
    lines = [
        "open secure base",
        "remember my progress",
        "help",
        "repeat",
        "stop",
        "open secure base",
    ]
    first = run_chat(lines, state)
    replies = [line for line in first.splitlines() if "alexa> " in line]
    assert "Welcome to Secure Base" in replies[0]
    assert replies[2].split("alexa> ")[1] == replies[3].split("alexa> ")[1]  # repeat
    assert "Goodbye" in replies[4]
    assert "(the session has ended)" in first
    assert "Welcome back" in replies[5]

    second = run_chat(["open secure base"], state)
    assert "Welcome back" in second
    assert "Welcome back" not in run_chat(["open secure base"], state, "--fresh")


def test_chat_without_consent_keeps_nothing(tmp_path: Path) -> None:
    state = tmp_path / "dynamodb.json"
    run_chat(["open secure base", "a calming exercise", "stop"], state)
    assert json.loads(state.read_text()) == []
    assert "Welcome to Secure Base" in run_chat(["open secure base"], state)


def test_chat_silence_gets_the_reprompt_then_alexa_closes_the_session(tmp_path: Path) -> None:
    lines = ["open secure base", "remember my progress", "", "", "open secure base"]
    output = run_chat(lines, tmp_path / "db.json")
    replies = [line.split("alexa> ", 1)[1] for line in output.splitlines() if "alexa> " in line]
    assert replies[2].startswith("You can say: a calming exercise")
    assert "(no answer: Alexa closed the session)" in output
    assert replies[3].startswith("Welcome back")


def test_chat_shows_why_the_skill_asks_before_alexas_permission_question(tmp_path: Path) -> None:
    output = run_chat(["open secure base", "set up my nightly check-in at nine pm"], tmp_path / "d")
    why = output.index("I need your permission to set reminders.")
    assert why < output.index("(asks for permission: alexa::alerts:reminders:skill:readwrite")


def test_chat_keeps_people_apart(tmp_path: Path) -> None:
    state = tmp_path / "dynamodb.json"
    run_chat(
        ["open secure base", "remember my progress"], state, "--user-id", "amzn1.ask.account.A"
    )
    output = run_chat(["open secure base"], state, "--user-id", "amzn1.ask.account.B")
    assert "Welcome to Secure Base" in output


@pytest.mark.parametrize("replay", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_replays_as_one_json_line_per_turn(
    replay: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "db.json")
    assert cli.main(["dialog", "--replay", str(replay), "--json", "--state-file", state]) == 0
    lines = capsys.readouterr().out.splitlines()
    inputs = json.loads(replay.read_text())["userInput"]
    assert len(lines) == len(inputs)
    for line, utterance in zip(lines, inputs, strict=True):
        turn = json.loads(line)
        assert turn["userInput"] == utterance
        if turn.get("silence") and "request" not in turn:
            # Silence Alexa answered with the reprompt: no request reached the skill.
            assert turn["reprompt"].startswith("<speak>")
            continue
        assert turn["request"]["version"] == "1.0"
        assert turn["request"]["context"]["System"]["application"]["applicationId"]
        assert turn["request"]["request"]["type"] in {
            "LaunchRequest",
            "IntentRequest",
            "Connections.Response",  # Alexa's answer to the skill's permission request
            "SessionEndedRequest",  # a second silence: Alexa closed the session
        }
        assert turn["response"]["version"] == "1.0"
        body = turn["response"]["response"]
        if turn["request"]["request"]["type"] == "SessionEndedRequest":
            assert "outputSpeech" not in body  # the skill says nothing to a closed session
            continue
        handing_over = any(
            d["type"] == "Connections.SendRequest" for d in body.get("directives", [])
        )
        assert handing_over or body["outputSpeech"]["type"] == "SSML"


def test_replay_starts_a_new_session_after_one_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replay = ROOT / "examples" / "dialogs" / "returning-visit.json"
    cli.main(["dialog", "--replay", str(replay), "--json", "--state-file", str(tmp_path / "d")])
    turns = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    sessions = [t["request"]["session"] for t in turns]
    assert [s["new"] for s in sessions] == [True, False, False, False, True, False]
    assert sessions[0]["sessionId"] == sessions[3]["sessionId"] != sessions[4]["sessionId"]
    # Session attributes travel from each response into the next request.
    assert sessions[1]["attributes"] == turns[0]["response"]["sessionAttributes"]
    assert "Welcome back" in turns[4]["response"]["response"]["outputSpeech"]["ssml"]


def test_replay_options_shape_the_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replay = ROOT / "examples" / "dialogs" / "first-visit.json"
    cli.main(
        [
            "dialog", "--replay", str(replay), "--json", "--state-file", str(tmp_path / "d"),
            "--user-id", "amzn1.ask.account.OPTION", "--person-id", "amzn1.ask.person.P1",
            "--locale", "en-US", "--timezone", "America/New_York", "--now", "2026-11-27T21:00:00",
        ]
    )  # fmt: skip
    turns = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    system = turns[0]["request"]["context"]["System"]
    assert system["user"]["userId"] == "amzn1.ask.account.OPTION"
    assert system["person"]["personId"] == "amzn1.ask.person.P1"
    stamps = [t["request"]["request"]["timestamp"] for t in turns]
    assert stamps[0] == "2026-11-28T02:00:00+00:00"  # 9 pm in New York, in UTC
    assert stamps[1] == "2026-11-28T02:00:05+00:00"


def test_db_create_then_dialog_against_that_endpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        table = "made-by-db-create"
        assert cli.main(["db", "create", "--endpoint-url", endpoint, "--table-name", table]) == 0
        assert cli.main(["db", "create", "--endpoint-url", endpoint, "--table-name", table]) == 0
        out = capsys.readouterr().out
        assert f"created table {table}" in out
        assert f"table {table} already exists" in out

        client = boto3.client("dynamodb", endpoint_url=endpoint)
        description = client.describe_table(TableName=table)["Table"]
        assert {k["AttributeName"]: k["KeyType"] for k in description["KeySchema"]} == {
            "userId": "HASH",
            "personId": "RANGE",
        }
        ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert ttl["AttributeName"] == "expiresAt"

        # A fresh process, like a developer's shell, replays against that endpoint and table.
        replay = ROOT / "examples" / "dialogs" / "returning-visit.json"
        result = _secure_base(
            ["dialog", "--replay", str(replay), "--endpoint-url", endpoint],
            cwd=tmp_path,
            env={"TABLE_NAME": table},
        )
        assert "Welcome back" in result.stdout
        assert client.scan(TableName=table)["Count"] == 1
        assert not (tmp_path / ".secure-base").exists()  # the embedded DynamoDB was not used
    finally:
        server.stop()


def test_the_installed_command_replays_a_dialog(tmp_path: Path) -> None:
    replay = ROOT / "examples" / "dialogs" / "first-visit.json"
    for _ in range(2):  # every replay starts from an empty database
        result = _secure_base(["dialog", "--replay", str(replay), "--json"], cwd=tmp_path)
        turns = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(turns) == len(json.loads(replay.read_text())["userInput"])
        assert "Welcome to Secure Base" in turns[0]["response"]["response"]["outputSpeech"]["ssml"]
    assert not (tmp_path / ".secure-base").exists()


def test_replay_uses_the_configured_skill_id(tmp_path: Path) -> None:
    replay = ROOT / "examples" / "dialogs" / "first-visit.json"
    result = _secure_base(
        ["dialog", "--replay", str(replay), "--json"],
        cwd=tmp_path,
        env={"SKILL_ID": "amzn1.ask.skill.configured"},
    )
    first = json.loads(result.stdout.splitlines()[0])
    assert first["request"]["context"]["System"]["application"]["applicationId"] == (
        "amzn1.ask.skill.configured"
    )


def _secure_base(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "secure-base"
    return subprocess.run(
        [str(command), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
