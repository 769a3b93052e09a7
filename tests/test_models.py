"""The generated skill package: fresh, and within the rules Alexa's model build enforces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.blocks.plugin import LOCALES, Plugin
from skill.discovery import discover, settings
from skill.local import cli
from skill.local.model_build import interaction_model, package_files
from skill.local.model_check import (
    check_interaction_model,
    check_invocation_name,
    without_endpoints,
)
from tests.conftest import ROOT

PACKAGE = ROOT / "interaction_models"


def own_plugins() -> tuple[Plugin[Any, Any], ...]:
    """The enabled plugins (the built-ins), whatever else is installed on the machine."""
    return discover().plugins


def test_committed_package_is_what_model_build_makes() -> None:
    for relative, text in package_files(own_plugins(), settings()).items():
        committed = PACKAGE / relative
        assert committed.is_file(), f"{relative} missing: run secure-base model build"
        found = committed.read_text()
        if relative == "skill.json":  # as `ask deploy` may have left it
            found, text = (
                json.dumps(without_endpoints(json.loads(found))),
                json.dumps(json.loads(text)),
            )
        assert found == text, f"{relative} out of date: run secure-base model build"


def test_model_build_writes_every_locale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["model", "build", "--out", str(tmp_path)]) == 0
    for locale in LOCALES:
        model = json.loads(
            (tmp_path / "interactionModels" / "custom" / f"{locale}.json").read_text()
        )
        intents = {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}
        assert {"GroundingIntent", "ReflectionIntent", "RepairIntent"} <= intents
    manifest = json.loads((tmp_path / "skill.json").read_text())["manifest"]
    assert set(manifest["publishingInformation"]["locales"]) == set(LOCALES)
    assert manifest["publishingInformation"]["distributionCountries"] == [
        "US", "GB", "CA", "AU", "IN"
    ]  # fmt: skip
    assert set(manifest["privacyAndCompliance"]["locales"]) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_generated_model_passes_the_rules(locale: str) -> None:
    assert check_interaction_model(interaction_model(locale, own_plugins())) == []


def test_model_check_passes_on_the_committed_package(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["model", "check"]) == 0
    assert "model check: ok" in capsys.readouterr().out


def test_model_check_fails_on_a_stale_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["model", "build", "--out", str(tmp_path)])
    stale = tmp_path / "interactionModels" / "custom" / "en-GB.json"
    model = json.loads(stale.read_text())
    model["interactionModel"]["languageModel"]["intents"][0]["samples"].append("an old sample")
    stale.write_text(json.dumps(model, indent=2) + "\n")
    assert cli.main(["model", "check", "--dir", str(tmp_path)]) == 1
    assert "en-GB.json: out of date" in capsys.readouterr().out


def test_model_check_accepts_the_endpoints_ask_deploy_writes_but_not_other_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["model", "build", "--out", str(tmp_path)])
    path = tmp_path / "skill.json"
    deployed = json.loads(path.read_text())
    endpoint = {"uri": "arn:aws:lambda:us-east-1:000000000000:function:secure-base"}
    deployed["manifest"]["apis"]["custom"]["endpoint"] = endpoint
    deployed["manifest"]["events"]["endpoint"] = endpoint
    path.write_text(json.dumps(deployed, indent=2) + "\n")
    assert cli.main(["model", "check", "--dir", str(tmp_path)]) == 0
    deployed["manifest"]["events"]["subscriptions"] = []
    path.write_text(json.dumps(deployed, indent=2) + "\n")
    assert cli.main(["model", "check", "--dir", str(tmp_path)]) == 1
    assert "skill.json: out of date" in capsys.readouterr().out


def test_model_check_fails_on_a_broken_model(capsys: pytest.CaptureFixture[str]) -> None:
    broken = ROOT / "tests" / "fixtures" / "broken-model.json"
    assert cli.main(["model", "check", str(broken)]) == 1
    out = capsys.readouterr().out
    for expected in [
        "invocation name 'Alexa Open Base': only lowercase letters",
        "contains a launch word",
        "contains a wake word",
        "required built-in intent AMAZON.CancelIntent is missing",
        "required built-in intent AMAZON.NavigateHomeIntent is missing",
        "required built-in intent AMAZON.FallbackIntent is missing",
        "BreatheIntent: slot count has undefined type 'BREATH_COUNT'",
        "sample 'Breathe  {count} times' appears twice",
        "sample 'what now' appears also in AMAZON.HelpIntent",
        "undeclared slot {seconds}",
        "sample 'do 4-7-8 breathing' has characters Alexa does not allow",
        "sample 'breathe! now' has characters Alexa does not allow",
        'sample "breathe with my {count}\'s rhythm": a slot must stand alone between spaces',
        "TinyIntent: 1 samples; a custom intent needs at least 5",
        "intent name 'Bad-Name': letters and underscores only",
    ]:
        assert expected in out, expected


def test_a_model_that_does_not_deserialize_fails() -> None:
    problems = check_interaction_model({"interactionModel": {"languageModel": {"intents": 3}}})
    assert problems and "does not deserialize" in problems[0]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("secure base", True),
        ("sam's secure base", True),
        ("base", False),
        ("the base", False),
        ("open secure base", False),
        ("secure base skill", False),
        ("secure base 2", False),
    ],
)
def test_invocation_name_rules(name: str, ok: bool) -> None:
    assert (check_invocation_name(name) == []) is ok
