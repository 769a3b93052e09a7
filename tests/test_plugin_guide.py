"""docs/plugins.md works as written: its shortest plugin installs, is listed, modelled and heard.

The files are taken from the guide itself (each `File: `path`` line and the fenced block after
it), installed with pip as their own distribution, and enabled through a project file of their
own (SECURE_BASE_PROJECT), so that the guide cannot drift from what the skill accepts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from skill.blocks.plugin import LOCALES
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"
DISTRIBUTION = "secure-base-hello"
# A line `File: `<relative path>``, then the fenced block holding that file.
FILE_BLOCK = re.compile(r"^File: `([^`\n]+)`\n```[a-z]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
MODELS = "interactionModels/custom"


def guide_files() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    found = FILE_BLOCK.findall(text)
    announced = re.findall(r"^File: ", text, re.MULTILINE)
    assert len(found) == len(announced), "a File: line without a fenced block right after it"
    files = dict(found)
    assert len(files) == len(found), "a file appears twice in the guide"
    return files


def project_file(path: Path, plugins: list[str]) -> Path:
    """A pyproject.toml with the project's own `[tool.secure-base]` but these `plugins`."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table = {**pyproject["tool"]["secure-base"], "plugins": plugins}
    # Strings and lists of strings: their JSON spelling is also TOML's.
    lines = [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    path.write_text("[tool.secure-base]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def secure_base(
    args: list[str], site: Path | None, project: Path, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """The `secure-base` console script, seeing the packages in `site` as installed."""
    env = {**os.environ, "SECURE_BASE_PROJECT": str(project)}
    env.pop("PYTHONPATH", None)
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [str(Path(sys.executable).parent / "secure-base"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide's files, written out under a folder of their own."""
    folder = tmp_path_factory.mktemp("guide")
    for relative, text in guide_files().items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(written: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide's distribution installed by pip, as anywhere, into a folder of its own."""
    target = tmp_path_factory.mktemp("site-hello")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(written / DISTRIBUTION)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return target


@pytest.fixture(scope="module")
def enabling(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's settings with "hello" added to the enabled plugins."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    plugins = [*listed["tool"]["secure-base"]["plugins"], "hello"]
    return project_file(tmp_path_factory.mktemp("enabling") / "pyproject.toml", plugins)


@pytest.fixture(scope="module")
def not_enabling(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's settings as they are: "hello" is not listed."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    plugins = list(listed["tool"]["secure-base"]["plugins"])
    assert "hello" not in plugins
    return project_file(tmp_path_factory.mktemp("not-enabling") / "pyproject.toml", plugins)


def intents(folder: Path, locale: str) -> dict[str, dict[str, Any]]:
    model = json.loads((folder / MODELS / f"{locale}.json").read_text(encoding="utf-8"))
    found = model["interactionModel"]["languageModel"]["intents"]
    return {intent["name"]: intent for intent in found}


def test_the_guide_holds_the_whole_distribution(written: Path) -> None:
    assert set(guide_files()) == {
        f"{DISTRIBUTION}/pyproject.toml",
        f"{DISTRIBUTION}/dialog.json",
        f"{DISTRIBUTION}/secure_base_hello/__init__.py",
        f"{DISTRIBUTION}/secure_base_hello/locale/en.json",
        f"{DISTRIBUTION}/secure_base_hello/locale/utterances/en.toml",
    }
    pyproject = tomllib.loads((written / DISTRIBUTION / "pyproject.toml").read_text())
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"
    assert pyproject["project"]["name"] == DISTRIBUTION
    assert pyproject["project"]["dependencies"] == ["secure-base"]
    entry_points = pyproject["project"]["entry-points"]["secure_base.plugins"]
    assert entry_points == {"hello": "secure_base_hello:Hello"}
    locale = json.loads((written / DISTRIBUTION / "secure_base_hello/locale/en.json").read_text())
    assert set(locale["content"]) >= {"label", "description"}


def test_secure_base_plugins_lists_hello_as_enabled(
    site: Path, enabling: Path, tmp_path: Path
) -> None:
    result = secure_base(["plugins"], site, enabling, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(enabling) in result.stdout
    assert re.search(rf"^\s+hello\s+{DISTRIBUTION}\s+enabled$", result.stdout, re.MULTILINE)
    assert "error:" not in result.stdout
    # In the enabled order: the built-in plugins first, as listed, then hello.
    names = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert names[-1] == "hello"


def test_model_build_adds_the_hello_intent_and_model_check_passes(
    site: Path, enabling: Path, tmp_path: Path
) -> None:
    out = tmp_path / "package"
    built = secure_base(["model", "build", "--out", str(out)], site, enabling, tmp_path)
    assert built.returncode == 0, built.stderr
    for locale in LOCALES:
        assert "say hello" in intents(out, locale)["HelloIntent"]["samples"]
    check = secure_base(["model", "check", "--dir", str(out)], site, enabling, tmp_path)
    assert check.returncode == 0, check.stdout
    assert "model check: ok" in check.stdout


def test_the_guide_s_utterance_tests_run_with_the_skill_s(
    site: Path, enabling: Path, not_enabling: Path, tmp_path: Path
) -> None:
    counts = {}
    for project in (enabling, not_enabling):
        ran = secure_base(["utterances", "--locale", "en-US"], site, project, tmp_path)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        found = re.match(r"en-US: (\d+) of (\d+) sentences", ran.stdout)
        assert found is not None and found.group(1) == found.group(2), ran.stdout
        counts[project] = int(found.group(2))
    assert counts[enabling] - counts[not_enabling] == 4  # the guide's file, once enabled


def test_the_guide_s_dialog_hears_hello_and_is_asked_what_next(
    written: Path, site: Path, enabling: Path, tmp_path: Path
) -> None:
    replay = written / DISTRIBUTION / "dialog.json"
    said = json.loads(replay.read_text())["userInput"]
    result = secure_base(["dialog", "--replay", str(replay), "--json"], site, enabling, tmp_path)
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(turns) == len(said)
    hello = next(i for i, utterance in enumerate(said) if utterance == "say hello")
    assert turns[hello]["request"]["request"]["intent"]["name"] == "HelloIntent"
    response = turns[hello]["response"]["response"]
    content = json.loads((written / DISTRIBUTION / "secure_base_hello/locale/en.json").read_text())
    speech = response["outputSpeech"]["ssml"]
    assert content["content"]["greeting"] in speech
    # The session stays open on a question, with a reprompt.
    assert response["shouldEndSession"] is False
    assert speech.removesuffix("</speak>").rstrip().endswith("?")
    assert response["reprompt"]["outputSpeech"]["ssml"]
    assert turns[-1]["response"]["response"]["shouldEndSession"] is True


def test_installed_but_not_listed_changes_nothing(
    site: Path, not_enabling: Path, tmp_path: Path
) -> None:
    listed = secure_base(["plugins"], site, not_enabling, tmp_path)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert re.search(rf"^\s+hello\s+{DISTRIBUTION}\s+not enabled$", listed.stdout, re.MULTILINE)

    with_it, without_it = tmp_path / "with", tmp_path / "without"
    for out, seen in ((with_it, site), (without_it, None)):
        built = secure_base(["model", "build", "--out", str(out)], seen, not_enabling, tmp_path)
        assert built.returncode == 0, built.stderr
    for locale in LOCALES:
        assert "HelloIntent" not in intents(with_it, locale)
    written_with = sorted(p.relative_to(with_it) for p in with_it.rglob("*.json"))
    written_without = sorted(p.relative_to(without_it) for p in without_it.rglob("*.json"))
    assert written_with == written_without
    for relative in written_with:
        assert (with_it / relative).read_text() == (without_it / relative).read_text()


def test_secure_base_plugins_fails_for_an_enabled_plugin_it_cannot_load(
    site: Path, tmp_path: Path
) -> None:
    # hello with a comma missing in its locale file, and a plugin nobody installed.
    broken = shutil.copytree(site, tmp_path / "site")
    locale = broken / "secure_base_hello" / "locale" / "en.json"
    locale.write_text(locale.read_text().replace('"say hello",', '"say hello"', 1))
    project = project_file(tmp_path / "pyproject.toml", ["grounding", "hello", "nowhere"])

    result = secure_base(["plugins"], broken, project, tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    hello = next(i for i, line in enumerate(lines) if line.split()[0] == "hello")
    assert "plugin hello" in lines[hello + 1] and f"{locale}: line " in lines[hello + 1]
    nowhere = next(i for i, line in enumerate(lines) if line.split()[0] == "nowhere")
    assert lines[nowhere].endswith("enabled, not installed")
    assert "nowhere is enabled but no installed package provides it" in lines[nowhere + 1]
    # What is installed but not listed is still shown.
    assert any(line.split()[:1] == ["reflection"] for line in lines)
