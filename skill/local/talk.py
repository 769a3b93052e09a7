"""`secure-base chat` and `secure-base dialog`: conversations with the skill, on the local
DynamoDB and the local stand-in for Alexa's APIs."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.blocks.plugin import LOCALES
from skill.discovery import discover
from skill.local.conversation import Conversation, LambdaHandler, Turn
from skill.local.embedded_db import DEFAULT_STATE_FILE, EmbeddedDynamoDB, use_local_aws
from skill.local.envelopes import Caller
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.local.render import readable, spoken
from skill.store import DEFAULT_TABLE_NAME

ROOT = Path(__file__).resolve().parents[2]
LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
LOCAL_USER_ID = "amzn1.ask.account.LOCAL-DEVELOPER"
LOCAL_DEVICE_ID = "amzn1.ask.device.LOCAL-DEVICE"


def load_lambda_handler() -> LambdaHandler:
    """The real entry point, lambda/lambda_function.py, imported once like a warm container."""
    module = sys.modules.get("lambda_function")
    if module is None:
        spec = importlib.util.spec_from_file_location(
            "lambda_function", ROOT / "lambda" / "lambda_function.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["lambda_function"] = module
        spec.loader.exec_module(module)
    handler: LambdaHandler = module.lambda_handler
    return handler


def _timestamp(value: str | None, timezone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    # A time without an offset is read in --timezone, as the person's wall clock.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone)
    return moment.astimezone(UTC)  # Alexa's timestamps are in UTC


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"unknown time zone {name!r}") from error


def _iso_time(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {value!r}") from error
    return value


def session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user-id", default=LOCAL_USER_ID, help="Alexa userId of the caller")
    parser.add_argument("--person-id", help="personId of a recognised speaker (default: none)")
    parser.add_argument("--locale", help="request locale (default: en-US, or the replay file's)")
    parser.add_argument(
        "--timezone", type=_zone, default="UTC", help="IANA time zone of the device"
    )
    parser.add_argument(
        "--now", type=_iso_time, help="ISO-8601 time of the first request (default: real time)"
    )
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint (default: the embedded one)")
    parser.add_argument(
        "--fresh", action="store_true", help="forget what the embedded DynamoDB remembers"
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        help="where the embedded DynamoDB keeps its items between runs (chat: "
        f"{DEFAULT_STATE_FILE}; dialog: none, so that every replay starts from nothing)",
    )


@contextmanager
def _services(args: argparse.Namespace) -> Iterator[FakeAlexaApi]:
    """DynamoDB (embedded unless --endpoint-url) and the fake Alexa API, for one run."""
    with FakeAlexaApi(time_zone=str(args.timezone)) as alexa:
        alexa.trust()
        table = os.environ.setdefault("TABLE_NAME", DEFAULT_TABLE_NAME)
        if args.endpoint_url:
            use_local_aws(args.endpoint_url)
            yield alexa
            return
        state_file = args.state_file
        if state_file is None and args.command == "chat":
            state_file = DEFAULT_STATE_FILE
        with EmbeddedDynamoDB(table, state_file, fresh=args.fresh):
            yield alexa


def _conversation(
    args: argparse.Namespace, skill_id: str, locale: str, alexa: FakeAlexaApi
) -> Conversation:
    if locale not in LOCALES:
        raise SystemExit(f"secure-base: locale {locale} is not one of {', '.join(LOCALES)}")
    # Understanding follows the installed plugins, as the model built from them would.
    model = interaction_model(locale, discover().plugins)
    caller = Caller(
        skill_id=skill_id,
        user_id=args.user_id,
        device_id=LOCAL_DEVICE_ID,
        person_id=args.person_id,
        api_endpoint=alexa.endpoint,
        api_access_token=f"local-token-{args.user_id}",
    )
    return Conversation(
        handler=load_lambda_handler(),
        nlu=LocalNlu(model),
        caller=caller,
        locale=locale,
        now=_timestamp(args.now, args.timezone),
        # As on a device: once granted, Alexa's APIs accept this caller's calls.
        on_grant=lambda _scope, granted: alexa.grant(granted.api_access_token),
    )


def chat(
    args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    skill_id = os.environ.get("SKILL_ID") or LOCAL_SKILL_ID
    with _services(args) as alexa:
        conversation = _conversation(args, skill_id, args.locale or "en-US", alexa)
        print("Secure Base, local chat. Type what you would say to Alexa,", file=stdout)
        print('starting with "open secure base". An empty line is silence.', file=stdout)
        print('Ctrl-D, or "quit" outside a session, leaves.', file=stdout)
        while True:
            print("you> ", end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line or (
                line.strip().lower() in {"quit", "exit"} and not conversation.in_session
            ):
                print(file=stdout)
                break
            if not line.strip():
                _print_silence(conversation.silence(), stdout)
                continue
            _print_turn(conversation.say(line.strip()), False, stdout)
        conversation.leave()
    return 0


def dialog(args: argparse.Namespace) -> int:
    replay = json.loads(Path(args.replay).read_text(encoding="utf-8"))
    # The skill's own id when one is configured, as Alexa would send it.
    skill_id = os.environ.get("SKILL_ID") or replay.get("skillId") or LOCAL_SKILL_ID
    locale = args.locale or replay.get("locale") or "en-US"
    with _services(args) as alexa:
        conversation = _conversation(args, skill_id, locale, alexa)
        for utterance in replay["userInput"]:
            if not utterance.strip():
                # An empty string is silence, as an empty line is in chat.
                _print_replayed_silence(conversation.silence(), args.json, sys.stdout)
                continue
            turn = conversation.say(utterance)
            _print_turn(turn, args.json, sys.stdout, echo=True)
    return 0


def _print_replayed_silence(outcome: str | Turn | None, as_json: bool, stdout: TextIO) -> None:
    if not as_json:
        print("you> (says nothing)", file=stdout)
        _print_silence(outcome, stdout)
        return
    if isinstance(outcome, Turn):
        # Alexa closed the session: the SessionEndedRequest the skill was sent, and its answer.
        print(
            json.dumps({**outcome.as_json(), "silence": True}, separators=(",", ":")), file=stdout
        )
        return
    # Alexa spoke the reprompt: no request reached the skill.
    line = {"userInput": "", "silence": True, "reprompt": outcome}
    print(json.dumps(line, separators=(",", ":")), file=stdout)


def _print_silence(outcome: str | Turn | None, stdout: TextIO) -> None:
    if isinstance(outcome, str):
        print(f"alexa> {readable(outcome)}", file=stdout)
    elif isinstance(outcome, Turn):
        print("(no answer: Alexa closed the session)", file=stdout)


def _print_turn(turn: Turn, as_json: bool, stdout: TextIO, echo: bool = False) -> None:
    if as_json:
        print(json.dumps(turn.as_json(), separators=(",", ":")), file=stdout)
        return
    if echo:
        print(f"you> {turn.user_input}", file=stdout)
    if turn.asked_for is not None:
        # The skill's words (why it asks), then Alexa's own question, not the skill's to word.
        why = spoken(turn.response)
        if why:
            print(f"alexa> {why}", file=stdout)
        print(f"alexa> (asks for permission: {turn.asked_for[0]}; say yes or no)", file=stdout)
        return
    print(f"alexa> {spoken(turn.response) or '(says nothing)'}", file=stdout)
    if turn.ends_session:
        print("(the session has ended)", file=stdout)
