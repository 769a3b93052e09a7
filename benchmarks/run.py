"""`make bench`: the figures of issues 11 and 21 and the name-free answers of issue 20, each
against a baseline measured in the same run.

Cold start and warm turns are ratios to a hello-world ask-sdk-core skill (benchmarks/hello_world)
timed in the same run, alternately, medians of several runs. The cold process is measured two
ways: from the unpacked Lambda zip, as Lambda runs it, and from the development virtualenv, as
`secure-base chat` and the tests run it; the hello world is taken the same way each time. Printed
as a table and written to benchmarks/results.md with the machine and versions, with the slowest
imports of the cold path from the zip (benchmarks/imports.py).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from ask_sdk_model import LaunchRequest
from moto.server import ThreadedMotoServer

from benchmarks import imports
from benchmarks.sessions import (
    COUNTED_SESSION,
    MIXED_SESSION,
    ROOT,
    SKILL_ID,
    USER_ID,
    Requests,
    conversation,
    evening,
    fake_alexa,
    item_bytes,
    stored_item,
)
from skill.local.envelopes import Caller, envelope
from skill.local.package import this_machine, unpack_as_lambda
from skill.state import Profile
from skill.store import ProfileStore, from_dynamo

RESULTS = ROOT / "benchmarks" / "results.md"
HELLO = ROOT / "benchmarks" / "hello_world"
OURS = ROOT / "lambda"
COLD_RUNS = 7
WARM_SESSIONS = 10
TABLE = "secure-base-bench"
# The cold process: the folders given go first on its path (with -S, as on Lambda, they and the
# standard library are all of it). It says where `skill` came from: the virtualenv's editable
# install points at one checkout, and the benchmark may be measuring another.
CHILD = """
import json, sys, time
event = json.loads(sys.stdin.read())
started = time.perf_counter()
sys.path[:0] = sys.argv[1:]
import lambda_function
answer = lambda_function.lambda_handler(event, None)
seconds = time.perf_counter() - started
speech = answer["response"]["outputSpeech"]["ssml"]
# VmHWM, not ru_maxrss: the latter keeps the parent's size from before exec.
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0])
skill = getattr(sys.modules.get("skill"), "__file__", None)
print(json.dumps({"seconds": seconds, "peak_kib": peak, "speech": speech, "skill": skill}))
"""


@dataclass
class Figure:
    name: str
    value: str
    target: str
    met: bool


@dataclass(frozen=True)
class Way:
    """Where a cold process finds the code: its interpreter's flags and the folders put first on
    its path, for Secure Base and for the hello world."""

    name: str
    flags: tuple[str, ...]
    ours: tuple[Path, ...]
    hello: tuple[Path, ...]
    skill: Path  # the folder Secure Base's `skill` package must come from
    # Where the bytecode of modules with sources goes (None: beside them, if they have it).
    pycache: Path | None = None

    def environment(self) -> dict[str, str]:
        """This process's environment for a cold process, without PYTHONPATH (folders the way
        does not have). With `pycache`, bytecode is written there even where the environment
        says not to write any (this machine's does): else every process of a checkout without
        __pycache__ folders would compile its sources, which a developer's does once."""
        env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
        if self.pycache is not None:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        return env

    def answered(self, stdout: str) -> dict[str, Any]:
        """The cold Secure Base process's figures, once sure it took its code from the right
        folder and welcomed the returning person back."""
        result: dict[str, Any] = json.loads(stdout.splitlines()[-1])
        origin = result["skill"]
        if origin is None or not Path(origin).is_relative_to(self.skill):
            raise AssertionError(f"{self.name}: skill came from {origin}, not {self.skill}")
        if "Welcome back" not in result["speech"]:
            raise AssertionError(f"{self.name}: the returning person heard {result['speech']}")
        return result


def from_zip(task: Path, runtime: Path) -> Way:
    """As Lambda runs it: the unpacked package and the runtime's boto3, nothing else (-S); the
    hello world takes ask-sdk-core from the same package."""
    return Way(
        "from the unpacked zip", ("-S",), (task, runtime), (HELLO, task, runtime), task / "skill"
    )


def from_venv(scratch: Path) -> Way:
    """As `secure-base chat` and the tests run it: lambda/ and the virtualenv's packages. The
    checkout goes first on the path, ahead of the editable install's, which may be another's.
    Bytecode is kept in `scratch`, out of the tree."""
    return Way(
        "from the development virtualenv",
        (),
        (OURS, ROOT),
        (HELLO,),
        ROOT / "skill",
        scratch / "pycache",
    )


def main() -> int:
    with dynamodb(), tempfile.TemporaryDirectory() as scratch:
        zipped = from_zip(*lambda_folders(Path(scratch)))
        figures = cold_start([zipped, from_venv(Path(scratch))], Path(scratch))
        slowest = slowest_imports(zipped, Path(scratch))
        figures += [
            *warm_turns(),
            name_free_answers(),
            requests_per_session(),
            item_size(),
            zip_size(),
        ]
    report(figures, slowest)
    return 0 if all(figure.met for figure in figures) else 1


@contextmanager
def dynamodb() -> Iterator[None]:
    """moto's server with the benchmark's table, and the environment that points boto3 at it,
    the children's included."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every call
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ.update(
        AWS_ENDPOINT_URL_DYNAMODB=endpoint,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        TABLE_NAME=TABLE,
        LOG_LEVEL="WARNING",
    )
    try:
        ProfileStore(TABLE).create_table()
        yield
    finally:
        server.stop()


def launch_event(new_session: bool = True) -> dict[str, Any]:
    caller = Caller(skill_id=SKILL_ID, user_id=USER_ID, device_id="amzn1.ask.device.BENCHMARK")
    request = LaunchRequest(request_id="bench", timestamp=datetime.now(UTC), locale="en-US")
    return envelope(caller, request, "amzn1.echo-api.session.bench", new_session, {})


def seed_returning_person(with_a_place: bool = False) -> None:
    """A person who said yes before: both skills find an item to read. `with_a_place`: they
    stopped in the middle of an exercise, so that the launch reads a plugin's progress too and
    offers to pick it up."""
    place = {"grounding": {"M": {"exercise": {"S": "box"}, "step": {"N": "1"}}}}
    boto3.client("dynamodb").put_item(
        TableName=TABLE,
        Item={
            "userId": {"S": USER_ID},
            "personId": {"S": "account"},
            "schema_version": {"N": "1"},
            "version": {"N": "1"},
            "visits": {"N": "3"},
            "consent": {"S": "2026-11-01"},
            **({"last_activity": {"S": "grounding"}} if with_a_place else {}),
            **({"recent": {"L": [{"S": "grounding"}]}} if with_a_place else {}),
            "plugin_state": {"M": place if with_a_place else {}},
        },
    )


def cold_start(ways: Sequence[Way], cwd: Path) -> list[Figure]:
    """Both skills in fresh processes, each way in turn, Secure Base and the hello world
    alternately, so that the machine's drift hits all alike. A first round is left out: it writes
    the bytecode a fresh checkout lacks, which takes time and memory no container start spends."""
    seed_returning_person(with_a_place=True)
    event = json.dumps(launch_event())
    ours: dict[str, list[dict[str, Any]]] = {way.name: [] for way in ways}
    hello: dict[str, list[dict[str, Any]]] = {way.name: [] for way in ways}
    for round_ in range(COLD_RUNS + 1):
        for way in ways:
            ours_run = way.answered(_cold_process(way, way.ours, event, cwd))
            hello_run = json.loads(_cold_process(way, way.hello, event, cwd).splitlines()[-1])
            assert "Welcome back" in hello_run["speech"], hello_run
            if round_:
                ours[way.name].append(ours_run)
                hello[way.name].append(hello_run)
    times, peaks = [], []
    for way in ways:
        seconds = statistics.median(run["seconds"] for run in ours[way.name])
        baseline = statistics.median(run["seconds"] for run in hello[way.name])
        times.append(
            Figure(
                f"Cold start {way.name} (import + LaunchRequest + GetItem), median of {COLD_RUNS}",
                f"{seconds * 1000:.0f} ms vs {baseline * 1000:.0f} ms: {seconds / baseline:.2f}x",
                "<= 1.15x",
                seconds / baseline <= 1.15,
            )
        )
        peak = max(run["peak_kib"] for run in ours[way.name]) / 1024
        hello_peak = max(run["peak_kib"] for run in hello[way.name]) / 1024
        peaks.append(
            Figure(
                f"Peak memory of the cold process {way.name}",
                f"{peak:.1f} MiB (hello world: {hello_peak:.1f} MiB)",
                "<= 60 MiB",
                peak <= 60,
            )
        )
    return [*times, *peaks]


def _cold_process(way: Way, paths: Sequence[Path], event: str, cwd: Path) -> str:
    command = [sys.executable, *way.flags, "-c", CHILD, *map(str, paths)]
    child = subprocess.run(
        command,
        input=event,
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=way.environment(),
    )
    return child.stdout


def slowest_imports(way: Way, cwd: Path, top: int = imports.TOP) -> list[imports.Import]:
    """The `top` slowest imports of the cold process (benchmarks/imports.py), taken `way`."""
    seed_returning_person()
    event = json.dumps(launch_event())
    found = imports.listing(CHILD, way.flags, way.ours, event, cwd, way.environment(), way.answered)
    return imports.slowest(found, top)


def warm_turns() -> list[Figure]:
    ours = _load("secure_base_function", OURS / "lambda_function.py")
    hello = _load("hello_world_function", HELLO / "lambda_function.py")
    ours_times: list[float] = []
    hello_times: list[float] = []
    event = launch_event()
    with fake_alexa() as alexa:
        for session in range(WARM_SESSIONS):
            boto3.client("dynamodb").delete_item(
                TableName=TABLE, Key={"userId": {"S": USER_ID}, "personId": {"S": "account"}}
            )
            seed_returning_person()
            talk = conversation(ours.lambda_handler, alexa, evening(session), ours_times)
            for utterance in MIXED_SESSION:
                talk.say(utterance)
            hello_times.extend(_timed(hello.lambda_handler, event) for _ in MIXED_SESSION)
    median = statistics.median(ours_times) / statistics.median(hello_times)
    p99 = _p99(ours_times) / _p99(hello_times)
    return [
        Figure(
            f"Warm turns, median ({len(ours_times)} turns of a mixed 20-turn session)",
            f"{statistics.median(ours_times) * 1000:.1f} ms vs "
            f"{statistics.median(hello_times) * 1000:.1f} ms: {median:.2f}x",
            "<= 3x",
            median <= 3,
        ),
        Figure(
            "Warm turns, p99",
            f"{_p99(ours_times) * 1000:.1f} ms vs {_p99(hello_times) * 1000:.1f} ms: {p99:.2f}x",
            "<= 2x",
            p99 <= 2,
        ),
    ]


def requests_per_session() -> Figure:
    ours = _load("secure_base_function", OURS / "lambda_function.py")
    store = ours.SKILL.persistence_adapter
    requests = Requests()
    store.client.meta.events.register("before-call.dynamodb", requests.hook)
    boto3.client("dynamodb").delete_item(
        TableName=TABLE, Key={"userId": {"S": USER_ID}, "personId": {"S": "account"}}
    )
    seed_returning_person()
    requests.total.clear()
    needless, missed = [], []
    with fake_alexa() as alexa:
        talk = conversation(ours.lambda_handler, alexa, evening(400))
        before = _content(stored_item(TABLE))
        extra_reads = 0
        for utterance in COUNTED_SESSION:
            requests.turn.clear()
            talk.say(utterance)
            if utterance in CHECKS_WHAT_IS_KEPT:
                extra_reads += requests.turn["GetItem"]
            after = _content(stored_item(TABLE))
            wrote = requests.turn["PutItem"] > 0
            if wrote and after == before:
                needless.append(utterance)
            if not wrote and after != before:
                missed.append(utterance)
            before = after
    reads, writes = requests.total["GetItem"], requests.total["PutItem"]
    return Figure(
        "DynamoDB requests in a scripted 10-turn session",
        f"{reads} GetItem ({extra_reads} before saying what is kept), {writes} PutItem; "
        f"writes on unchanged turns: {len(needless)}",
        "1 read, and 1 more only before saying what is kept; writes only on turns that "
        "change stored state",
        reads - extra_reads == 1
        and extra_reads <= len(CHECKS_WHAT_IS_KEPT)
        and not needless
        and not missed,
    )


# What people say to Alexa without the skill's name, as the intents Alexa asks the skill about.
NAME_FREE_ASKED: list[dict[str, Any]] = [
    {"name": "PanicIntent"},
    {
        "name": "GroundingIntent",
        "slots": {"exercise": {"name": "exercise", "value": "box breathing"}},
    },
    {
        "name": "GroundingIntent",
        "slots": {"exercise": {"name": "exercise", "value": "lion breath"}},
    },
    {"name": "ReflectionIntent"},
    {"name": "RepairIntent"},
    {"name": "CrisisIntent"},
    {"name": "MedicalIntent"},
    {"name": "AnswerIntent"},
]
NAME_FREE_RUNS = 25  # rounds of the list above


def name_free_answers() -> Figure:
    """CanFulfillIntentRequests, warm, against the hello world's LaunchRequest: Alexa's rule is
    an answer with no state read or changed, so it must cost less than a turn does."""
    ours = _load("secure_base_function", OURS / "lambda_function.py")
    hello = _load("hello_world_function", HELLO / "lambda_function.py")
    requests = Requests()
    ours.SKILL.persistence_adapter.client.meta.events.register(
        "before-call.dynamodb", requests.hook
    )
    requests.total.clear()
    ours_times: list[float] = []
    hello_times: list[float] = []
    launch = launch_event()
    for _ in range(NAME_FREE_RUNS):
        for intent in NAME_FREE_ASKED:
            ours_times.append(_timed(ours.lambda_handler, can_fulfill_event(intent)))
            hello_times.append(_timed(hello.lambda_handler, launch))
    median = statistics.median(ours_times) / statistics.median(hello_times)
    calls = sum(requests.total.values())
    return Figure(
        f"Name-free answers (CanFulfillIntentRequest), median of {len(ours_times)}",
        f"{statistics.median(ours_times) * 1000:.1f} ms vs "
        f"{statistics.median(hello_times) * 1000:.1f} ms: {median:.2f}x; "
        f"DynamoDB requests: {calls}",
        "<= 1x a hello world's launch; no DynamoDB request",
        median <= 1 and calls == 0,
    )


def can_fulfill_event(intent: dict[str, Any]) -> dict[str, Any]:
    """Amazon's example shape: no session, the slots' words without a resolution."""
    return {
        "version": "1.0",
        "request": {
            "type": "CanFulfillIntentRequest",
            "requestId": "EdwRequestId.bench",
            "intent": intent,
            "locale": "en-US",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "context": {
            "System": {
                "application": {"applicationId": SKILL_ID},
                "user": {"userId": USER_ID},
                "device": {"supportedInterfaces": {}},
            }
        },
    }


# Turns on which the skill says what it keeps ("what do you know about me"; "I'll keep your
# place" on stopping): it first reads the item once, so as never to tell as kept what another
# device erased meanwhile (skill/core/saving.py: still_kept, erased_elsewhere).
CHECKS_WHAT_IS_KEPT = frozenset({"what do you know about me", "stop"})


def item_size() -> Figure:
    """A year of nightly check-ins (their ratings are never kept) and every plugin, then the
    item's size."""
    ours = _load("secure_base_function", OURS / "lambda_function.py")
    boto3.client("dynamodb").delete_item(
        TableName=TABLE, Key={"userId": {"S": USER_ID}, "personId": {"S": "account"}}
    )
    largest = 0
    with fake_alexa() as alexa:
        talk = conversation(ours.lambda_handler, alexa, evening(0))
        for utterance in [
            "open secure base",
            "remember my progress",
            "set up my nightly check-in at nine pm",
        ]:
            talk.say(utterance)
        talk.say("yes")  # Alexa's permission question
        talk.say("stop")
        plugin_turns = [
            ["do three breaths"],
            ["reflection questions", "we kept our feelings to ourselves"],
            ["repair guidance", "no", "no", "next"],
        ]
        for day in range(1, 366):
            talk.now = evening(day)
            talk.say("open secure base")
            for answer in ["we cooked together", "not really", "our holiday", "four"]:
                talk.say(answer)
            for utterance in plugin_turns[day % 3]:
                talk.say(utterance)
            talk.say("stop")
            largest = max(largest, item_bytes(stored_item(TABLE)))
    size = item_bytes(stored_item(TABLE))
    return Figure(
        "Item size after a year of nightly check-ins and every plugin",
        f"{size} bytes (largest during the year: {largest} bytes)",
        "<= 4 KB (one read unit)",
        0 < largest <= 4096,  # 0: nothing was stored, and nothing measured
    )


def lambda_folders(scratch: Path) -> tuple[Path, Path]:
    """The unpacked package (/var/task) and a folder of boto3 and its needs (the runtime's)."""
    target = this_machine()
    archive = scratch / "lambda.zip"
    command = [
        sys.executable, "-m", "skill.local.cli", "package", "--offline", "--out", str(archive),
        "--arch", target.arch, "--python-version", target.python,
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return unpack_as_lambda(archive, scratch)


def zip_size() -> Figure:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "lambda.zip"
        command = [
            sys.executable,
            "-m",
            "skill.local.cli",
            "package",
            "--offline",
            "--out",
            str(out),
        ]
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        size = out.stat().st_size
    # MB as AWS counts Lambda's package limits: 2**20 bytes.
    return Figure(
        "Lambda zip (secure-base package, arm64)",
        f"{size / 2**20:.2f} MiB ({size:,} bytes)",
        "<= 5 MiB",
        size <= 5 * 2**20,
    )


def report(figures: list[Figure], slowest: list[imports.Import]) -> None:
    rows = [
        f"| {f.name} | {f.value} | {f.target} | {'met' if f.met else '**not met**'} |"
        for f in figures
    ]
    table = "\n".join(["| figure | measured | target | |", "| --- | --- | --- | --- |", *rows])
    print(table)
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("ask-sdk-core", "ask-sdk-model", "boto3", "pydantic", "moto")
    )
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {versions}"
    )
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    history = previous.split("## History", 1)[1] if "## History" in previous else "\n"
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n"
        f"Machine: {machine}. Package built for: {this_machine().arch} here, arm64 by default.\n\n"
        f"{table}\n\n"
        "## Slowest imports on the cold path (python -X importtime, from the zip)\n\n"
        f"Each module's median over {imports.RUNS} runs. A module's cumulative time holds the "
        "imports it made (each dot is one level of nesting), so the rows overlap.\n\n"
        f"{imports.table(slowest)}\n\n## History{history}",
        encoding="utf-8",
    )


def _load(name: str, path: Path) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _timed(handler: Callable[[dict[str, Any], Any], Any], event: dict[str, Any]) -> float:
    started = time.perf_counter()
    handler(event, None)
    return time.perf_counter() - started


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def _content(item: dict[str, Any]) -> dict[str, object]:
    """What a stored item says about the person, as the skill itself judges a write worth making:
    not its key or expiry, nor the fields every write changes (version, the write's token)."""
    return Profile.read(from_dynamo(item)).content()


if __name__ == "__main__":
    sys.exit(main())
