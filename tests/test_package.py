"""`secure-base package`: the zip Lambda runs, built offline from the wheels `make` fetched."""

from __future__ import annotations

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

import pytest
from ask_sdk_model import LaunchRequest

from skill.local.cli import main
from skill.local.envelopes import Caller, envelope
from skill.local.package import (
    REQUIREMENTS,
    Target,
    stack_target,
    this_machine,
    unpack_as_lambda,
)
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


def test_unpacked_zip_answers_a_launch_request_with_only_boto3_beside_it(
    native_zip: Path, tmp_path: Path, dynamodb: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, runtime = unpack_as_lambda(native_zip, tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb)
    ProfileStore(TABLE).create_table()
    caller = Caller(skill_id="amzn1.ask.skill.package-test", user_id="u1", device_id="d1")
    launch = LaunchRequest(request_id="r1", timestamp=datetime.now(UTC), locale="en-US")
    event = envelope(caller, launch, "s1", True, {})
    # -S: no site-packages; the path is the standard library, the task root, then the runtime's.
    child = f"""
import json, sys
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
import lambda_function, pydantic_core, skill
answer = lambda_function.lambda_handler(json.load(sys.stdin), None)
print(json.dumps({{"answer": answer, "from": [skill.__file__, pydantic_core.__file__]}}))
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
    speech = outcome["answer"]["response"]["outputSpeech"]["ssml"]
    assert "Secure Base" in speech
    assert outcome["answer"]["response"]["shouldEndSession"] is False


def test_zip_holds_the_skill_and_its_plugins_but_not_boto3_or_the_local_tools(
    native_zip: Path,
) -> None:
    names = zipfile.ZipFile(native_zip).namelist()
    tops = {name.split("/")[0] for name in names}
    assert "lambda_function.py" in tops and "skill" in tops
    assert not tops & {"boto3", "botocore", "s3transfer", "moto", "flask", "bin"}
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
    assert {n.split("/")[0] for n in sourceless} >= {"pydantic", "ask_sdk_core", "ask_sdk_model"}
    for name in [*sourceless, _compiled_name("skill/app.py", tag)]:
        assert archive.read(name)[:4] == importlib.util.MAGIC_NUMBER, name


def test_an_arm64_build_for_the_stacks_python_carries_only_aarch64_binaries(
    tmp_path: Path,
) -> None:
    target = stack_target()
    assert target.arch == "arm64" and int(target.python.split(".")[1]) >= 12
    archive = zipfile.ZipFile(package(target, tmp_path / "arm64.zip"))
    binaries = [n for n in archive.namelist() if n.endswith(".so")]
    assert any("pydantic_core" in name for name in binaries)
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
