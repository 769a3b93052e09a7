"""A plugin from another distribution plugs in without a line of the core changing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "plugins" / "secure-base-affirmations"
BROKEN = ROOT / "tests" / "fixtures" / "broken-plugin"


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


@pytest.fixture(scope="module")
def with_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pip_install(EXAMPLE, tmp_path_factory.mktemp("site-example"))


@pytest.fixture(scope="module")
def with_broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pip_install(BROKEN, tmp_path_factory.mktemp("site-broken"))


def secure_base(args: list[str], site: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "secure-base"
    return subprocess.run(
        [str(command), *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_example_plugin_appears_in_the_generated_models(
    with_example: Path, tmp_path: Path
) -> None:
    result = secure_base(["model", "build", "--out", str(tmp_path)], with_example, tmp_path)
    assert result.returncode == 0, result.stderr
    for locale in ("en-US", "en-IN"):
        model = json.loads((tmp_path / f"interactionModels/custom/{locale}.json").read_text())
        language = model["interactionModel"]["languageModel"]
        intent = next(i for i in language["intents"] if i["name"] == "AffirmationIntent")
        assert "give me an affirmation about {topic}" in intent["samples"]
        assert intent["slots"] == [{"name": "topic", "type": "AFFIRMATION_TOPIC"}]
        assert "AFFIRMATION_TOPIC" in {t["name"] for t in language["types"]}
    check = secure_base(["model", "check", "--dir", str(tmp_path)], with_example, tmp_path)
    assert check.returncode == 0, check.stdout


def test_the_example_plugin_answers_by_voice_in_a_replayed_dialog(
    with_example: Path, tmp_path: Path
) -> None:
    result = secure_base(
        ["dialog", "--replay", str(EXAMPLE / "dialog.json"), "--json"], with_example, tmp_path
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


def test_a_broken_plugin_fails_model_check_and_the_skill_keeps_working(
    with_broken: Path, tmp_path: Path
) -> None:
    check = secure_base(["model", "check"], with_broken, ROOT)
    assert check.returncode == 1
    assert "plugin broken: ModuleNotFoundError" in check.stdout

    replay = ROOT / "examples" / "dialogs" / "first-visit.json"
    dialog = secure_base(["dialog", "--replay", str(replay)], with_broken, tmp_path)
    assert dialog.returncode == 0
    assert "Welcome to Secure Base" in dialog.stdout
    assert "plugin broken left out" in dialog.stderr
