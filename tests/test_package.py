"""`secure-base package`: the zip Lambda runs, built offline from the wheels `make` fetched."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model import Intent, IntentConfirmationStatus, IntentRequest, LaunchRequest

from skill.local.cli import main
from skill.local.envelopes import Caller, envelope
from skill.local.package import (
    REQUIREMENTS,
    Target,
    stack_target,
    this_machine,
    unpack_as_lambda,
)
from skill.safety import Safety
from skill.store import ProfileStore
from tests.conftest import ROOT, TABLE

ELF_MACHINES = {"x86_64": 62, "arm64": 183}


def package(target: Target, out: Path) -> Path:
    arguments = ["--arch", target.arch, "--python-version", target.python, "--out", str(out)]
    assert main(["package", *arguments, "--offline"]) == 0
    return out


@pytest.fixture(scope="module")
def native_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package(this_machine(), tmp_path_factory.mktemp("native") / "lambda.zip")


def test_same_sources_give_the_same_bytes(native_zip: Path, tmp_path: Path) -> None:
    again = package(this_machine(), tmp_path / "again.zip")
    assert _digest(again) == _digest(native_zip)


CALLER = Caller(skill_id="amzn1.ask.skill.package-test", user_id="u1", device_id="d1")


@pytest.fixture
def table(dynamodb: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The module's moto server, with the skill's table (made by the first test that asks)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb)
    store = ProfileStore(TABLE)
    with contextlib.suppress(store.client.exceptions.ResourceInUseException):
        store.create_table()
    return dynamodb


def answer_from_zip(archive: Path, folder: Path, dynamodb: str, event: dict[str, Any]) -> Any:
    """What lambda_handler of the unpacked zip answers `event` (the skill loaded from the zip)."""
    task, runtime = unpack_as_lambda(archive, folder)
    # -S: no site-packages; the path is the standard library, the task root, then the runtime's.
    child = f"""
import json, sys
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
import lambda_function, skill, requests
answer = lambda_function.lambda_handler(json.load(sys.stdin), None)
print(json.dumps({{"answer": answer, "from": [skill.__file__, requests.__file__]}}))
"""
    environment = {
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": TABLE,
    }
    result = subprocess.run(
        [sys.executable, "-S", "-c", child],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert all(path.startswith(str(task)) for path in outcome["from"])
    return outcome["answer"]


def test_unpacked_zip_answers_a_launch_request_with_only_boto3_beside_it(
    native_zip: Path, tmp_path: Path, table: str
) -> None:
    launch = LaunchRequest(request_id="r1", timestamp=datetime.now(UTC), locale="en-US")
    answer = answer_from_zip(native_zip, tmp_path, table, envelope(CALLER, launch, "s1", True, {}))
    speech = answer["response"]["outputSpeech"]["ssml"]
    assert "Secure Base" in speech
    assert answer["response"]["shouldEndSession"] is False


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_unpacked_zip_gives_the_locales_numbers_to_a_person_in_crisis(
    native_zip: Path, tmp_path: Path, table: str, locale: str
) -> None:
    crisis = IntentRequest(
        request_id="r2",
        timestamp=datetime.now(UTC),
        locale=locale,
        intent=Intent(name="CrisisIntent", confirmation_status=IntentConfirmationStatus.NONE),
    )
    event = envelope(CALLER, crisis, "s2", True, {})
    answer = answer_from_zip(native_zip, tmp_path, table, event)
    resources = Safety().content(locale).resources
    speech = answer["response"]["outputSpeech"]["ssml"]
    assert resources.crisis[0].spoken in speech  # the full response, not the apology
    assert resources.emergency.display in answer["response"]["card"]["content"]


def test_zip_holds_every_data_file_the_skill_reads(native_zip: Path) -> None:
    names = set(zipfile.ZipFile(native_zip).namelist())
    # The locale files of the core, the safety layer and every built-in plugin.
    sources = [
        path.relative_to(ROOT).as_posix() for path in (ROOT / "skill").rglob("locale/*.json")
    ]
    assert len(sources) > 10
    assert sorted(set(sources) - names) == []


def test_zip_holds_the_skill_and_its_plugins_but_not_boto3_or_the_local_tools(
    native_zip: Path,
) -> None:
    names = zipfile.ZipFile(native_zip).namelist()
    tops = {name.split("/")[0] for name in names}
    assert "lambda_function.py" in tops and "skill" in tops
    assert not tops & {"boto3", "botocore", "s3transfer", "moto", "flask", "bin"}
    # Content is validated where the zip is built: the function serves the snapshot without it.
    assert not tops & {"pydantic", "pydantic_core", "annotated_types"}
    assert "content-snapshot/index.json" in names
    assert not [name for name in names if name.startswith(("skill/local/", "skill/web/"))]
    # Plugins are found through the project's entry points: its metadata must travel with it.
    entry_points = (
        f"secure_base-{importlib.metadata.version('secure-base')}.dist-info/entry_points.txt"
    )
    text = zipfile.ZipFile(native_zip).read(entry_points).decode()
    assert all(name in text for name in ("grounding", "reflection", "repair", "checkin"))


def test_every_module_is_compiled_for_the_target_python(native_zip: Path) -> None:
    archive = zipfile.ZipFile(native_zip)
    names = set(archive.namelist())
    tag = sys.implementation.cache_tag
    # The skill keeps its sources (tracebacks show its lines), compiled beside them.
    sources = [n for n in names if n.endswith(".py")]
    assert sources and all(n.startswith("skill/") or n == "lambda_function.py" for n in sources)
    assert not [n for n in sources if _compiled_name(n, tag) not in names]
    # Dependencies ship as bytecode in place of their sources, for this Python.
    sourceless = [n for n in names if n.endswith(".pyc") and "__pycache__" not in n]
    assert {n.split("/")[0] for n in sourceless} >= {"requests", "ask_sdk_core", "ask_sdk_model"}
    for name in [*sourceless, _compiled_name("skill/app.py", tag)]:
        assert archive.read(name)[:4] == importlib.util.MAGIC_NUMBER, name


def test_an_arm64_build_for_the_stacks_python_carries_only_aarch64_binaries(
    tmp_path: Path,
) -> None:
    target = stack_target()
    assert target.arch == "arm64" and int(target.python.split(".")[1]) >= 12
    archive = zipfile.ZipFile(package(target, tmp_path / "arm64.zip"))
    binaries = [n for n in archive.namelist() if n.endswith(".so")]
    for name in binaries:
        header = archive.read(name)[:20]
        assert header[:4] == b"\x7fELF", name
        assert int.from_bytes(header[18:20], "little") == ELF_MACHINES["arm64"], name
        assert "x86_64" not in name
    version = target.python.replace(".", "")
    assert any(n.endswith(f".cpython-{version}.pyc") for n in archive.namelist())


def test_pinned_requirements_are_what_the_tests_run_and_all_the_skill_needs() -> None:
    pins = dict(
        line.split("==")
        for line in REQUIREMENTS.read_text().splitlines()
        if line and not line.startswith("#")
    )
    for name, version in pins.items():
        assert importlib.metadata.version(name) == version, name
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = _closure({_name(d) for d in project["dependencies"]} - {"boto3"})
    assert {_name(n) for n in pins} == needed


def _closure(names: set[str]) -> set[str]:
    found: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        for requirement in importlib.metadata.requires(name) or []:
            if ";" not in requirement:  # extras and other Pythons' markers are not installed
                pending.append(_name(requirement))
    return found


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ (\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _compiled_name(source: str, tag: str | None) -> str:
    folder, _, file = source.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    return f"{prefix}__pycache__/{file[:-3]}.{tag}.pyc"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_metadata_keeps_its_headers_and_drops_the_long_descriptions(native_zip: Path) -> None:
    archive = zipfile.ZipFile(native_zip)
    records = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    assert len(records) > 10
    for name in records:
        text = archive.read(name).decode()
        assert "\n\n" not in text.strip() and "\nDescription:" not in text, name
        assert text.startswith("Metadata-Version:") and "\nName: " in text, name
        assert "\nVersion: " in text and "License" in text, name
