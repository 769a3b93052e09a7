"""`secure-base`: talk to the skill locally, replay dialogs, and manage the table."""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill import discovery
from skill.blocks.plugin import LOCALES
from skill.discovery import discover, settings
from skill.local.conversation import Conversation, LambdaHandler, Turn
from skill.local.embedded_db import DEFAULT_STATE_FILE, EmbeddedDynamoDB, use_local_aws
from skill.local.envelopes import Caller
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.model_build import interaction_model, package_files, write
from skill.local.model_check import (
    check_handlers,
    check_interaction_model,
    check_manifest,
    check_package,
)
from skill.local.nlu import LocalNlu
from skill.local.package import DEFAULT_OUT, PackageError, Target, build, fetch, stack_target
from skill.local.render import readable, spoken
from skill.store import DEFAULT_TABLE_NAME, ProfileStore

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "interaction_models"
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


def _session_options(parser: argparse.ArgumentParser) -> None:
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
            turn = conversation.say(utterance)
            _print_turn(turn, args.json, sys.stdout, echo=True)
    return 0


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
        # On a device Alexa itself asks now; its question is not the skill's to word.
        print(f"alexa> (asks for permission: {turn.asked_for[0]}; say yes or no)", file=stdout)
        return
    print(f"alexa> {spoken(turn.response) or '(says nothing)'}", file=stdout)
    if turn.ends_session:
        print("(the session has ended)", file=stdout)


def db_create(args: argparse.Namespace) -> int:
    if args.endpoint_url:
        use_local_aws(args.endpoint_url)
    store = ProfileStore(args.table_name)
    try:
        store.create_table()
    except store.client.exceptions.ResourceInUseException:
        print(f"table {store.table_name} already exists")
        return 0
    print(f"created table {store.table_name}")
    return 0


def model_build(args: argparse.Namespace) -> int:
    discovery = discover()
    for path in write(args.out, discovery.plugins, settings()):
        print(f"wrote {path}")
    return _report_broken(discovery.errors)


def model_check(args: argparse.Namespace) -> int:
    discovery = discover()
    problems = [f"plugin {name}: {error}" for name, error in discovery.errors.items()]
    problems += check_handlers(discovery.plugins)
    if args.files:
        for path in args.files:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = check_manifest(data) if "manifest" in data else check_interaction_model(data)
            problems += [f"{path}: {problem}" for problem in found]
    else:
        expected = package_files(discovery.plugins, settings())
        problems += check_package(args.dir, expected)
    for problem in problems:
        print(problem)
    print("model check: " + (f"{len(problems)} problem(s)" if problems else "ok"))
    return 1 if problems else 0


def package(args: argparse.Namespace) -> int:
    target = Target(args.arch, args.python_version)
    if not (target.arch and target.python):
        default = stack_target()
        target = Target(target.arch or default.arch, target.python or default.python)
    try:
        if args.fetch_only:
            fetch(target, args.wheels, args.offline)
            print(f"wheels for {target.arch}, Python {target.python} are in {args.wheels}")
            return 0
        out = build(target, args.out, args.wheels, args.offline)
    except PackageError as error:
        print(f"package: {error}", file=sys.stderr)
        return 1
    size = out.stat().st_size / 1_000_000
    print(f"wrote {out} ({size:.1f} MB, {target.arch}, Python {target.python})")
    return 0


def serve(args: argparse.Namespace) -> int:
    # Imported here: Flask is only needed by this command (the `web` extra).
    from skill.web.service import serve as run_service

    run_service(args.host, args.port, verify=not args.no_verify)
    return 0


def safety_figures(args: argparse.Namespace) -> int:
    # Imported here: the labelled sets' reader and moto's mock are only this command's.
    from skill.local import safety_figures as measured

    sets = [measured.load_set(p) for p in args.sets] if args.sets else measured.labelled_sets()
    sets = [s for s in sets if not args.locale or s.locale in args.locale]
    held_out = measured.labelled_sets(measured.EVALUATION / "held-out") if args.write else []
    text, results = measured.report(sets, held_out)
    print(measured.table(results))
    if args.misses:
        for figures in results:
            for miss in figures.misses():
                print(f"{figures.locale} {figures.place}: {miss.label} heard as {miss.answer}"
                      f" ({miss.intent}): {miss.sentence}")  # fmt: skip
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
    failing = [
        f for f in results
        if min(f.recall("crisis"), f.recall("abuse_now")) < measured.TARGET_RECALL
        or f.false_alarms() > measured.MAX_FALSE_ALARMS
    ]  # fmt: skip
    return 1 if failing else 0


def _report_broken(errors: dict[str, str]) -> int:
    for name, error in errors.items():
        print(f"plugin {name} left out: {error}", file=sys.stderr)
    return 1 if errors else 0


def plugins(args: argparse.Namespace) -> int:
    """`secure-base plugins`: the enabled plugins in the order they hear a turn, then the
    installed ones the project does not list; exit 1 when an enabled plugin cannot be loaded."""
    names = discovery.enabled()
    errors = discovery.discover().errors
    installed: dict[str, list[str]] = {}  # plugin name -> the distributions providing it
    for entry in metadata.entry_points(group=discovery.ENTRY_POINT_GROUP):
        installed.setdefault(entry.name, []).append(entry.dist.name if entry.dist else "?")
    print(f"plugins of {discovery.project_file()}")
    for name in [*dict.fromkeys(names), *sorted(installed.keys() - set(names))]:
        where = ", ".join(installed.get(name, ["-"]))
        state = "enabled" if name in names else "not enabled"
        if name not in installed:
            state += ", not installed"
        print(f"  {name:<16} {where:<32} {state}")
        if name in errors:
            print(f"    error: {errors[name]}")
    return 1 if errors else 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="secure-base", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    chat_parser = commands.add_parser("chat", help="talk to the skill in the terminal")
    _session_options(chat_parser)
    chat_parser.set_defaults(run=chat)

    dialog_parser = commands.add_parser("dialog", help="replay an ASK CLI replay file")
    dialog_parser.add_argument("--replay", required=True, metavar="FILE")
    dialog_parser.add_argument("--json", action="store_true", help="one JSON object per turn")
    _session_options(dialog_parser)
    dialog_parser.set_defaults(run=dialog)

    db_parser = commands.add_parser("db", help="the DynamoDB table")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    create = db_commands.add_parser("create", help="create the table at the configured endpoint")
    create.add_argument("--endpoint-url", help="DynamoDB endpoint (default: boto3's configuration)")
    create.add_argument("--table-name", default=os.environ.get("TABLE_NAME", DEFAULT_TABLE_NAME))
    create.set_defaults(run=db_create)

    model_parser = commands.add_parser("model", help="the generated skill package")
    model_commands = model_parser.add_subparsers(dest="model_command", required=True)
    build = model_commands.add_parser("build", help="generate manifest and models from plugins")
    build.add_argument("--out", type=Path, default=PACKAGE, help="default: interaction_models/")
    build.set_defaults(run=model_build)
    check = model_commands.add_parser("check", help="check models against Alexa's build rules")
    check.add_argument("files", nargs="*", type=Path, help="model or manifest files to check")
    check.add_argument("--dir", type=Path, default=PACKAGE, help="default: interaction_models/")
    check.set_defaults(run=model_check)

    package_parser = commands.add_parser("package", help="build the Lambda zip (dist/lambda.zip)")
    package_parser.add_argument(
        "--arch", choices=["arm64", "x86_64"], help="default: the stack's LambdaArchitecture"
    )
    package_parser.add_argument(
        "--python-version", metavar="X.Y", help="default: the stack's LambdaRuntime"
    )
    package_parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="default: %(default)s"
    )
    package_parser.add_argument(
        "--wheels",
        type=Path,
        default=ROOT / ".secure-base" / "wheels",
        help="where downloaded wheels are kept between builds (default: %(default)s)",
    )
    package_parser.add_argument(
        "--offline", action="store_true", help="use only the wheels already in --wheels"
    )
    package_parser.add_argument(
        "--fetch-only", action="store_true", help="download the wheels, build nothing"
    )
    package_parser.set_defaults(run=package)

    safety_parser = commands.add_parser("safety", help="the safety screening's figures")
    safety_commands = safety_parser.add_subparsers(dest="safety_command", required=True)
    figures = safety_commands.add_parser(
        "figures", help="recall and false alarms of each locale's labelled set, through the skill"
    )
    figures.add_argument("--locale", action="append", choices=LOCALES, help="default: all")
    figures.add_argument(
        "--set", type=Path, action="append", dest="sets", help="a labelled set file instead"
    )
    figures.add_argument("--misses", action="store_true", help="list every sentence missed")
    figures.add_argument(
        "--write", type=Path, help="also write the dated figures file (with the held-out sets)"
    )
    figures.set_defaults(run=safety_figures)

    serve_parser = commands.add_parser("serve", help="run the skill as an HTTPS endpoint's web app")
    serve_parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    serve_parser.add_argument("--port", type=int, default=8080, help="default: %(default)s")
    serve_parser.add_argument(
        "--no-verify",
        action="store_true",
        help="accept unsigned requests (local testing only: anyone could call the skill)",
    )
    serve_parser.set_defaults(run=serve)

    plugins_parser = commands.add_parser(
        "plugins", help="the installed plugins, which are enabled, and why one fails to load"
    )
    plugins_parser.set_defaults(run=plugins)
    return root


def main(argv: list[str] | None = None) -> int:
    # The Lambda entry point logs at LOG_LEVEL too; in a terminal only warnings are worth showing.
    level = os.environ.setdefault("LOG_LEVEL", "WARNING")
    logging.basicConfig(level=level)
    command_line = parser()
    args = command_line.parse_args(argv)
    if args.command == "dialog" and not Path(args.replay).is_file():
        command_line.error(f"no replay file {args.replay}")
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
