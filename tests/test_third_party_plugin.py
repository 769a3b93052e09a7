"""A plugin from another distribution plugs in without a line of the core changing, once the
project lists it: installed alone it changes nothing, and the Lambda zip carries what is listed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model import Intent, IntentConfirmationStatus, IntentRequest

from skill.discovery import PROJECT_ENV, enabled
from skill.local.envelopes import Caller, envelope
from skill.local.package import this_machine, unpack_as_lambda
from skill.plugins.checkin import Checkin
from skill.store import ProfileStore
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "plugins" / "secure-base-affirmations"
BROKEN = ROOT / "tests" / "fixtures" / "broken-plugin"
AFFIRMATIONS = json.loads((EXAMPLE / "secure_base_affirmations/locale/en.json").read_text())[
    "content"
]["affirmations"]
CHECKIN = Checkin().content("en-US")
# Moto's servers in one process share their tables: not tests/test_package.py's table.
TABLE = "secure-base-plugin-test"


def pip_install(source: Path, target: Path) -> Path:
    """Installs `source` as its own distribution into `target`, as pip would anywhere."""
    # A copy, since building leaves build/ and *.egg-info beside the sources.
    copy = shutil.copytree(source, target.parent / f"{target.name}-source")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(copy)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return target


def project_listing(folder: Path, *plugins: str) -> Path:
    """A copy of the project's pyproject.toml whose `[tool.secure-base] plugins` adds `plugins`."""
    listed = [*enabled(ROOT / "pyproject.toml"), *plugins]
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = folder / "pyproject.toml"
    project.write_text(
        re.sub(r"(?m)^plugins = \[.*\]$", f"plugins = {json.dumps(listed)}", text, count=1),
        encoding="utf-8",
    )
    assert enabled(project) == tuple(listed)
    return project


@pytest.fixture(scope="module")
def with_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pip_install(EXAMPLE, tmp_path_factory.mktemp("site-example"))


@pytest.fixture(scope="module")
def with_broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pip_install(BROKEN, tmp_path_factory.mktemp("site-broken"))


@pytest.fixture(scope="module")
def listing_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_listing(tmp_path_factory.mktemp("project-example"), "affirmations")


def secure_base(
    args: list[str], site: Path | None, cwd: Path, project: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The console script, with `site` on its path and `project` as its project file (else the
    repository's)."""
    command = Path(sys.executable).parent / "secure-base"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", PROJECT_ENV)}
    environment |= {"PYTHONPATH": str(site)} if site else {}
    environment |= {PROJECT_ENV: str(project)} if project else {}
    return subprocess.run(
        [str(command), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def replay(
    utterances: list[str], site: Path, folder: Path, project: Path | None = None
) -> list[dict[str, Any]]:
    """The turns of a replayed dialog, as `dialog --json` prints them."""
    path = folder / "dialog.json"
    path.write_text(json.dumps({"locale": "en-US", "type": "text", "userInput": utterances}))
    result = secure_base(["dialog", "--replay", str(path), "--json"], site, folder, project)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def speech(turn: dict[str, Any]) -> str:
    ssml: str = turn["response"]["response"].get("outputSpeech", {}).get("ssml", "")
    return ssml


def intent_name(turn: dict[str, Any]) -> str | None:
    name: str | None = turn["request"]["request"].get("intent", {}).get("name")
    return name


def affirmed(turn: dict[str, Any]) -> bool:
    return any(text in speech(turn) for text in AFFIRMATIONS.values())


def test_installed_but_not_listed_the_example_plugin_changes_nothing(
    with_example: Path, tmp_path: Path
) -> None:
    result = secure_base(["model", "build", "--out", str(tmp_path)], with_example, tmp_path)
    assert result.returncode == 0, result.stderr
    for locale in ("en-US", "en-IN"):
        model = json.loads((tmp_path / f"interactionModels/custom/{locale}.json").read_text())
        language = model["interactionModel"]["languageModel"]
        assert "AffirmationIntent" not in {i["name"] for i in language["intents"]}
        assert "AFFIRMATION_TOPIC" not in {t["name"] for t in language.get("types", [])}

    turns = replay(["open secure base", "yes", "say something kind"], with_example, tmp_path)
    assert "affirmation" not in speech(turns[1])
    assert intent_name(turns[2]) != "AffirmationIntent"
    assert not affirmed(turns[2])


def test_the_example_plugin_appears_in_the_generated_models(
    with_example: Path, listing_example: Path, tmp_path: Path
) -> None:
    build = ["model", "build", "--out", str(tmp_path)]
    result = secure_base(build, with_example, tmp_path, listing_example)
    assert result.returncode == 0, result.stderr
    for locale in ("en-US", "en-IN"):
        model = json.loads((tmp_path / f"interactionModels/custom/{locale}.json").read_text())
        language = model["interactionModel"]["languageModel"]
        intent = next(i for i in language["intents"] if i["name"] == "AffirmationIntent")
        assert "give me an affirmation about {topic}" in intent["samples"]
        assert intent["slots"] == [{"name": "topic", "type": "AFFIRMATION_TOPIC"}]
        assert "AFFIRMATION_TOPIC" in {t["name"] for t in language["types"]}
    check = ["model", "check", "--dir", str(tmp_path)]
    checked = secure_base(check, with_example, tmp_path, listing_example)
    assert checked.returncode == 0, checked.stdout


def test_the_example_plugin_answers_by_voice_in_a_replayed_dialog(
    with_example: Path, listing_example: Path, tmp_path: Path
) -> None:
    result = secure_base(
        ["dialog", "--replay", str(EXAMPLE / "dialog.json"), "--json"],
        with_example,
        tmp_path,
        listing_example,
    )
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    menu = turns[1]["response"]["response"]["outputSpeech"]["ssml"]
    assert "or an affirmation?" in menu
    asked = turns[2]["request"]["request"]["intent"]
    assert asked["name"] == "AffirmationIntent"
    resolution = asked["slots"]["topic"]["resolutions"]["resolutionsPerAuthority"][0]
    assert resolution["values"][0]["value"]["id"] == "safety"
    answer = turns[2]["response"]["response"]["outputSpeech"]["ssml"]
    assert "Safety can be built, one small moment at a time." in answer
    assert turns[2]["response"]["response"]["shouldEndSession"] is False


def test_the_check_in_the_person_is_in_hears_a_turn_before_the_example_plugin(
    with_example: Path, listing_example: Path, tmp_path: Path
) -> None:
    utterances = ["open secure base", "yes", "say something kind"]
    turns = replay([*utterances, "start my check-in", "say something kind"], with_example,
                   tmp_path, listing_example)  # fmt: skip
    # At the menu, the example plugin answers.
    assert intent_name(turns[2]) == "AffirmationIntent" and affirmed(turns[2])
    assert CHECKIN.questions[0] in speech(turns[3])
    # In the check-in, the same words are heard as the same intent, but are its answer.
    assert intent_name(turns[4]) == "AffirmationIntent"
    assert CHECKIN.questions[1] in speech(turns[4])
    assert not affirmed(turns[4])


def test_a_zip_packaged_with_the_example_listed_serves_it_in_lambda(
    with_example: Path,
    listing_example: Path,
    tmp_path: Path,
    dynamodb: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target, out = this_machine(), tmp_path / "lambda.zip"
    options = ["--arch", target.arch, "--python-version", target.python, "--out", str(out)]
    built = secure_base(["package", *options, "--offline"], with_example, tmp_path, listing_example)
    assert built.returncode == 0, built.stderr
    names = set(zipfile.ZipFile(out).namelist())
    assert "secure_base_affirmations-0.1.0.dist-info/entry_points.txt" in names
    # Kept as sources and compiled, like the skill's own.
    tag = sys.implementation.cache_tag
    assert {"secure_base_affirmations/__init__.py", "secure_base_affirmations/locale/en.json",
            f"secure_base_affirmations/__pycache__/__init__.{tag}.pyc"} <= names  # fmt: skip

    task, runtime = unpack_as_lambda(out, tmp_path / "unpacked")
    assert "affirmations" in enabled(task / "pyproject.toml")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb)
    ProfileStore(TABLE).create_table()
    caller = Caller(skill_id="amzn1.ask.skill.package-test", user_id="u1", device_id="d1")
    asked = Intent(name="AffirmationIntent", confirmation_status=IntentConfirmationStatus.NONE)
    request = IntentRequest(
        request_id="r1", timestamp=datetime.now(UTC), locale="en-US", intent=asked
    )
    # -S: no site-packages; the path is the standard library, the task root, then the runtime's.
    child = f"""
import json, sys
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
import lambda_function
answer = lambda_function.lambda_handler(json.load(sys.stdin), None)
print(json.dumps({{"answer": answer, "from": sys.modules["secure_base_affirmations"].__file__}}))
"""
    result = subprocess.run(
        [sys.executable, "-S", "-c", child],
        input=json.dumps(envelope(caller, request, "s1", True, {})),
        capture_output=True,
        text=True,
        env={
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "TABLE_NAME": TABLE,
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["from"].startswith(str(task))
    answer = outcome["answer"]["response"]
    assert AFFIRMATIONS["worth"] in answer["outputSpeech"]["ssml"]  # its default topic
    assert answer["shouldEndSession"] is False


def test_a_listed_plugin_that_is_not_installed_fails_model_check_and_package(
    tmp_path: Path,
) -> None:
    project = project_listing(tmp_path, "missing_one")
    check = secure_base(["model", "check"], None, ROOT, project)
    assert check.returncode == 1
    assert "plugin missing_one: " in check.stdout

    out = tmp_path / "lambda.zip"
    packaged = secure_base(["package", "--offline", "--out", str(out)], None, tmp_path, project)
    assert packaged.returncode == 1
    assert "plugin missing_one is listed" in packaged.stderr
    assert not out.exists()


def test_a_broken_plugin_fails_model_check_and_the_skill_keeps_working(
    with_broken: Path, tmp_path: Path
) -> None:
    project = project_listing(tmp_path, "broken")
    check = secure_base(["model", "check"], with_broken, ROOT, project)
    assert check.returncode == 1
    assert "plugin broken: ModuleNotFoundError" in check.stdout

    first_visit = ROOT / "examples" / "dialogs" / "first-visit.json"
    dialog = secure_base(["dialog", "--replay", str(first_visit)], with_broken, tmp_path, project)
    assert dialog.returncode == 0
    assert "Welcome to Secure Base" in dialog.stdout
    assert "plugin broken left out" in dialog.stderr
