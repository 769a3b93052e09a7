"""`secure-base`: the command line. Conversations (chat, dialog) are in skill/local/talk.py;
here are the table, the skill package, the Lambda zip, the web service, the safety figures, the
utterance tests and the plugins."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from importlib import metadata
from pathlib import Path

from skill import discovery
from skill.blocks.plugin import LOCALES
from skill.blocks.snapshot import Snapshot, SnapshotError, default_folder
from skill.discovery import discover, settings
from skill.local import content_snapshot
from skill.local.embedded_db import use_local_aws
from skill.local.icons import stale_icons
from skill.local.model_build import ICON_FOLDER, package_files, write
from skill.local.model_check import (
    check_handlers,
    check_interaction_model,
    check_manifest,
    check_package,
)
from skill.local.package import DEFAULT_OUT, PackageError, Target, build, fetch, stack_target
from skill.local.release_check import check_release
from skill.local.retired import erase_retired
from skill.local.talk import chat, dialog, session_options
from skill.local.utterances import figures as utterance_figures
from skill.local.utterances import report as utterance_report
from skill.store import DEFAULT_TABLE_NAME, ProfileStore

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "interaction_models"


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


def db_erase_retired(args: argparse.Namespace) -> int:
    if args.endpoint_url:
        use_local_aws(args.endpoint_url)
    erased = erase_retired(ProfileStore(args.table_name))
    print(f"erased retired fields from {erased.items} item(s)")
    if erased.changed:
        print(f"{erased.changed} item(s) changed meanwhile: run it again")
        return 1
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
        problems += [
            f"{path.relative_to(args.dir)}: not a render of assets/icon.svg "
            "(run: secure-base model build)"
            for path in stale_icons(out_dir=args.dir / ICON_FOLDER)
        ]
    if args.release:
        manifest_path = args.dir / "skill.json"
        if manifest_path.is_file():
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            problems += check_release(args.dir, manifest, discovery.plugins)
        else:
            problems.append(f"{manifest_path}: missing (run: secure-base model build)")
    for problem in problems:
        print(problem)
    print("model check: " + (f"{len(problems)} problem(s)" if problems else "ok"))
    return 1 if problems else 0


def utterances(args: argparse.Namespace) -> int:
    """Each locale's utterance tests, through the understanding built from its model."""
    plugins = discover().plugins
    failed = 0
    for locale in args.locale or LOCALES:
        outcomes = utterance_figures(locale, plugins, args.models, not args.intent_only_answers)
        text = utterance_report(outcomes, locale)
        print(text if args.misses else text.splitlines()[0])
        failed += sum(not outcome.ok for outcome in outcomes)
    return 1 if failed else 0


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


SERVE_NEEDS_SKILL_ID = (
    "secure-base serve: SKILL_ID is not set, so requests Alexa signed for any skill would be"
    " answered; set SKILL_ID to your skill's ID from the developer console, or pass --any-skill"
    " if you mean to answer every skill."
)


def serve(args: argparse.Namespace) -> int:
    # Imported here: Flask is only needed by this command (the `web` extra).
    from skill.web.service import MissingSkillId
    from skill.web.service import serve as run_service

    try:
        run_service(args.host, args.port, verify=not args.no_verify, any_skill=args.any_skill)
    except MissingSkillId:
        print(SERVE_NEEDS_SKILL_ID, file=sys.stderr)
        return 2
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


def snapshot(args: argparse.Namespace) -> int:
    """`secure-base snapshot`: writes the content snapshot beside the project file (or says,
    with --check, whether the one there can be served)."""
    folder = default_folder(discovery.project_file())
    if args.check:
        try:
            Snapshot.read(folder).require(discovery.enabled())
        except SnapshotError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"content snapshot {folder}: up to date")
        return 0
    content_snapshot.write_project(folder)
    print(f"wrote the content snapshot {folder}")
    return _report_broken(Snapshot.read(folder).errors)


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
    session_options(chat_parser)
    chat_parser.set_defaults(run=chat)

    dialog_parser = commands.add_parser("dialog", help="replay an ASK CLI replay file")
    dialog_parser.add_argument("--replay", required=True, metavar="FILE")
    dialog_parser.add_argument("--json", action="store_true", help="one JSON object per turn")
    session_options(dialog_parser)
    dialog_parser.set_defaults(run=dialog)

    db_parser = commands.add_parser("db", help="the DynamoDB table")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    create = db_commands.add_parser("create", help="create the table at the configured endpoint")
    create.add_argument("--endpoint-url", help="DynamoDB endpoint (default: boto3's configuration)")
    create.add_argument("--table-name", default=os.environ.get("TABLE_NAME", DEFAULT_TABLE_NAME))
    create.set_defaults(run=db_create)
    retired = db_commands.add_parser(
        "erase-retired", help="erase fields this version no longer keeps (once, after deploying)"
    )
    retired.add_argument(
        "--endpoint-url", help="DynamoDB endpoint (default: boto3's configuration)"
    )
    retired.add_argument("--table-name", default=os.environ.get("TABLE_NAME", DEFAULT_TABLE_NAME))
    retired.set_defaults(run=db_erase_retired)

    model_parser = commands.add_parser("model", help="the generated skill package")
    model_commands = model_parser.add_subparsers(dest="model_command", required=True)
    build = model_commands.add_parser("build", help="generate manifest and models from plugins")
    build.add_argument("--out", type=Path, default=PACKAGE, help="default: interaction_models/")
    build.set_defaults(run=model_build)
    check = model_commands.add_parser("check", help="check models against Alexa's build rules")
    check.add_argument("files", nargs="*", type=Path, help="model or manifest files to check")
    check.add_argument("--dir", type=Path, default=PACKAGE, help="default: interaction_models/")
    check.add_argument(
        "--release",
        action="store_true",
        help="also what submitting for certification needs (pages, icons, store text...)",
    )
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
    serve_parser.add_argument(
        "--any-skill",
        action="store_true",
        help="start without SKILL_ID and answer every skill's signed requests (loud warning)",
    )
    serve_parser.set_defaults(run=serve)

    utterances_parser = commands.add_parser(
        "utterances", help="the plugins' utterance tests: the share reaching the right place"
    )
    utterances_parser.add_argument("--locale", action="append", choices=LOCALES)
    utterances_parser.add_argument("--misses", action="store_true", help="list every miss")
    utterances_parser.add_argument(
        "--models", type=Path, help="read the models from this skill package, not the plugins"
    )
    utterances_parser.add_argument(
        "--intent-only-answers",
        action="store_true",
        help="an answer means only what its intent says (yes, no, or nothing), as before",
    )
    utterances_parser.set_defaults(run=utterances)

    plugins_parser = commands.add_parser(
        "plugins", help="the installed plugins, which are enabled, and why one fails to load"
    )
    plugins_parser.set_defaults(run=plugins)

    snapshot_parser = commands.add_parser(
        "snapshot", help="write the validated content the skill serves (content-snapshot/)"
    )
    snapshot_parser.add_argument(
        "--check", action="store_true", help="only say whether the one there can be served"
    )
    snapshot_parser.set_defaults(run=snapshot)
    return root


# The commands that serve the skill: they rebuild the content snapshot first when it is missing or
# stale, so that a change to a locale file is heard at once.
SERVING = frozenset({"chat", "dialog", "serve", "utterances", "safety"})


def main(argv: list[str] | None = None) -> int:
    # The Lambda entry point logs at LOG_LEVEL too; in a terminal only warnings are worth showing.
    level = os.environ.setdefault("LOG_LEVEL", "WARNING")
    logging.basicConfig(level=level)
    command_line = parser()
    args = command_line.parse_args(argv)
    if args.command == "dialog" and not Path(args.replay).is_file():
        command_line.error(f"no replay file {args.replay}")
    if args.command in SERVING and content_snapshot.refresh():
        print("content snapshot written: it was missing or older than its sources", file=sys.stderr)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
