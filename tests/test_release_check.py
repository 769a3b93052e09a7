"""`secure-base model check --release`: what submitting for certification needs, each gap named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from skill.discovery import PROJECT_ENV, discover
from skill.local import cli
from skill.local.icons import render
from skill.local.release_check import check_release

FILLED = Path(__file__).parent / "fixtures" / "release"
PACKAGE = Path(__file__).resolve().parents[1] / "interaction_models"


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The skill package a publisher builds once the release fields are filled in."""
    monkeypatch.setenv(PROJECT_ENV, str(FILLED))
    assert cli.main(["model", "build", "--out", str(tmp_path)]) == 0
    return tmp_path


def release_problems(folder: Path) -> list[str]:
    manifest = json.loads((folder / "skill.json").read_text(encoding="utf-8"))
    return check_release(folder, manifest, discover().plugins)


def edit(folder: Path, change: Any) -> list[str]:
    """The problems after `change` is made to the manifest's body."""
    path = folder / "skill.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest["manifest"])
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return release_problems(folder)


def test_a_filled_package_passes(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert release_problems(filled) == []
    assert cli.main(["model", "check", "--release", "--dir", str(filled)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "model check: ok"


def test_todays_package_lists_every_gap(capsys: pytest.CaptureFixture[str]) -> None:
    """The committed package (no pages published yet) fails, naming each locale's two URLs;
    plain `model check` passes it, as it is for development."""
    assert cli.main(["model", "check"]) == 0
    capsys.readouterr()
    assert cli.main(["model", "check", "--release"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == "model check: 10 problem(s)"
    for locale in ("en-US", "en-GB", "en-CA", "en-AU", "en-IN"):
        for field in ("privacyPolicyUrl", "termsOfUseUrl"):
            assert any(line.startswith(f"{locale}: {field} is not set") for line in printed)


def test_pages_must_be_https(filled: Path) -> None:
    def plain_http(body: dict[str, Any]) -> None:
        body["privacyAndCompliance"]["locales"]["en-GB"]["termsOfUseUrl"] = "http://example.org/t"

    assert edit(filled, plain_http) == [
        "en-GB: termsOfUseUrl is not set to an https page (PRIVACY.md / TERMS.md published; set "
        "privacy_policy_url and terms_of_use_url in pyproject.toml)"
    ]


@pytest.mark.parametrize(
    ("size", "message"),
    [(None, "is not in the skill package"), (100, "is 100 x 100, not 108 x 108")],
)
def test_icons_must_be_there_and_of_alexas_sizes(
    filled: Path, size: int | None, message: str
) -> None:
    icon = filled / "assets" / "images" / "icon-108.png"
    icon.unlink()
    if size is not None:
        icon.write_bytes(render((Path(__file__).parents[1] / "assets/icon.svg").read_text(), size))
    problems = release_problems(filled)
    assert len(problems) == 5  # one per locale's listing
    assert all(message in p and "smallIconUri" in p for p in problems)


def test_an_icon_outside_the_package_is_named(filled: Path) -> None:
    def elsewhere(body: dict[str, Any]) -> None:
        body["publishingInformation"]["locales"]["en-US"]["smallIconUri"] = "file:///etc/icon.png"

    assert edit(filled, elsewhere) == [
        "en-US: smallIconUri: file:///etc/icon.png is outside the skill package, which "
        "`ask deploy` uploads"
    ]


def test_an_unset_icon_is_named(filled: Path) -> None:
    def no_icon(body: dict[str, Any]) -> None:
        del body["publishingInformation"]["locales"]["en-IN"]["largeIconUri"]

    assert edit(filled, no_icon) == ["en-IN: largeIconUri is not set (512 x 512 PNG)"]


def test_testing_instructions_must_be_the_plugins(filled: Path) -> None:
    def one_line(body: dict[str, Any]) -> None:
        body["publishingInformation"]["testingInstructions"] = "Say 'Alexa, open secure base'."

    problems = edit(filled, one_line)
    for name in ("core", "safety", "grounding", "reflection", "repair", "checkin"):
        assert (
            f"testingInstructions: plugin {name}'s are missing (run: secure-base model build)"
            in problems
        )


def test_a_plugin_without_testing_instructions_is_named(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repair = next(p for p in discover().plugins if p.name == "repair")
    monkeypatch.setattr(type(repair), "testing", "")
    assert "plugin repair: no testing instructions (Plugin.testing)" in release_problems(filled)


def test_a_permission_the_instructions_do_not_walk_through_is_named(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkin = next(p for p in discover().plugins if p.name == "checkin")
    monkeypatch.setattr(type(checkin), "testing", 'Say "start my check-in".')
    problems = release_problems(filled)
    assert "testingInstructions: nothing says how to test the reminders permission" in problems


def test_a_phrase_reviewers_are_told_to_say_must_be_understood(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grounding = next(p for p in discover().plugins if p.name == "grounding")
    monkeypatch.setattr(type(grounding), "testing", 'Say "make me a sandwich".')
    assert (
        "plugin grounding: testing instructions say 'make me a sandwich', which the model does "
        "not understand"
    ) in release_problems(filled)


@pytest.mark.parametrize(
    ("phrases", "message"),
    [
        ([], "en-US: no example phrases"),
        (
            ["Alexa, ask secure base for a calming exercise"],
            "en-US: first example phrase 'Alexa, ask secure base for a calming exercise' should "
            "just open the skill",
        ),
        (
            ["Alexa, open secure base", "open secure base"],
            "en-US: example phrase 'open secure base' does not start with 'Alexa,'",
        ),
        (
            ["Alexa, open secure base", "Alexa, ask secure base to bake a cake"],
            "en-US: example phrase 'Alexa, ask secure base to bake a cake' is not understood by "
            "the model",
        ),
        (
            ["Alexa, open secure base", "Alexa, ask secure base for a calm exercise"],
            "en-US: example phrase 'Alexa, ask secure base for a calm exercise' is not "
            "one of the model's samples",
        ),
        (["Alexa, open secure base"] * 4, "en-US: 4 example phrases, at most 3"),
    ],
)
def test_example_phrases_must_be_samples_the_model_understands(
    filled: Path, phrases: list[str], message: str
) -> None:
    def examples(body: dict[str, Any]) -> None:
        body["publishingInformation"]["locales"]["en-US"]["examplePhrases"] = phrases

    assert message in edit(filled, examples)


def test_every_locale_needs_its_store_text_and_the_health_disclaimer(filled: Path) -> None:
    def damaged(body: dict[str, Any]) -> None:
        listings = body["publishingInformation"]["locales"]
        del listings["en-CA"]
        listings["en-AU"]["description"] = "Calm and reflection for relationships."
        listings["en-IN"]["summary"] = ""

    problems = edit(filled, damaged)
    assert "en-CA: no store text (publishingInformation.locales)" in problems
    assert (
        "en-AU: description: the health disclaimer (store.health_disclaimer) is missing" in problems
    )
    assert "en-IN: summary is empty" in problems


def test_category_and_distribution(filled: Path) -> None:
    def elsewhere(body: dict[str, Any]) -> None:
        publishing = body["publishingInformation"]
        publishing["category"] = "GAMES"
        publishing["distributionCountries"] = ["US", "GB", "CA", "AU", "DE"]
        publishing["isAvailableWorldwide"] = True

    problems = edit(filled, elsewhere)
    assert any(p.startswith("category 'GAMES'") for p in problems)
    assert "distributionCountries lacks IN (en-IN)" in problems
    assert "distributionCountries: DE has no locale or help lines" in problems
    assert "isAvailableWorldwide: the skill's help lines cover only its countries" in problems


def test_the_build_writes_the_icons_the_manifest_names(filled: Path) -> None:
    manifest = json.loads((filled / "skill.json").read_text(encoding="utf-8"))["manifest"]
    for listing in manifest["publishingInformation"]["locales"].values():
        for field in ("smallIconUri", "largeIconUri"):
            assert (filled / listing[field].removeprefix("file://")).is_file()


def test_plain_check_sees_an_icon_that_is_not_the_svgs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "package"
    shutil.copytree(PACKAGE, copy)
    (copy / "assets" / "images" / "icon-512.png").write_bytes(
        render('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', 512)
    )
    assert cli.main(["model", "check", "--dir", str(copy)]) == 1
    assert (
        "assets/images/icon-512.png: not a render of assets/icon.svg (run: secure-base model build)"
        in capsys.readouterr().out
    )
