"""The plugin API: discovery, the enabled list, validation, focus first, resume, isolation."""

from __future__ import annotations

import json
import logging
import sys
import types
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from skill.api import Handler, HandlerInput, Response
from skill.blocks.content import Content, Intent, MenuContent
from skill.blocks.plugin import LOCALES, Plugin, PluginError
from skill.blocks.progress import BitSet, Counter, Merge, NoProgress, Progress
from skill.discovery import ENTRY_POINT_GROUP, discover, enabled, load
from skill.local.model_build import interaction_model
from skill.local.model_check import check_handlers
from skill.local.nlu import LocalNlu
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.fixtures.resumable import Steps
from tests.speech_helpers import reprompt, said

steps_plugin = Steps()
BUILT_IN = ["grounding", "reflection", "repair", "checkin"]


def entry_point(name: str, value: str) -> metadata.EntryPoint:
    return metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def test_built_in_plugins_are_found_by_entry_point_in_the_enabled_order() -> None:
    own = [
        e
        for e in metadata.entry_points(group=ENTRY_POINT_GROUP)
        if e.dist is not None and e.dist.name == "secure-base"
    ]
    assert {e.name for e in own} >= set(BUILT_IN)
    assert enabled() == tuple(BUILT_IN)
    assert [p.name for p in discover().plugins] == BUILT_IN
    assert discover().errors == {}


def test_a_plugin_that_fails_to_import_is_logged_and_the_others_keep_working(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        found = load(
            [
                entry_point("grounding", "skill.plugins.grounding:Grounding"),
                entry_point("broken", "no_such_module_anywhere:Plugin"),
                entry_point("not_a_plugin", "json:dumps"),
            ],
            ["broken", "grounding", "not_a_plugin"],
        )
    assert [p.name for p in found.plugins] == ["grounding"]
    assert "ModuleNotFoundError" in found.errors["broken"]
    assert "not a Plugin class" in found.errors["not_a_plugin"]
    assert "plugin broken left out" in caplog.text


def test_only_listed_plugins_are_served_in_the_listed_order() -> None:
    installed = [
        entry_point("grounding", "skill.plugins.grounding:Grounding"),
        entry_point("repair", "skill.plugins.repair:Repair"),
        entry_point("reflection", "skill.plugins.reflection:Reflection"),
    ]
    found = load(installed, ["repair", "grounding"])
    assert [p.name for p in found.plugins] == ["repair", "grounding"]  # never alphabetical
    assert found.errors == {}


def test_a_listed_plugin_that_is_not_installed_is_named() -> None:
    found = load([entry_point("repair", "skill.plugins.repair:Repair")], ["repair", "lion"])
    assert [p.name for p in found.plugins] == ["repair"]
    assert "lion is enabled but no installed package provides it" in found.errors["lion"]


def test_an_entry_point_must_carry_its_plugins_name() -> None:
    found = load([entry_point("mended", "skill.plugins.repair:Repair")], ["mended"])
    assert found.plugins == ()
    assert "is plugin repair, not mended" in found.errors["mended"]


def test_two_packages_providing_one_name_are_both_refused() -> None:
    found = load(
        [
            entry_point("repair", "skill.plugins.repair:Repair"),
            entry_point("repair", "skill.plugins.grounding:Grounding"),
        ],
        ["repair"],
    )
    assert found.plugins == ()
    assert "two installed packages provide repair" in found.errors["repair"]


class Words(MenuContent):
    words: str


def make_package(root: Path, name: str, files: dict[str, Any]) -> str:
    """A throwaway importable package whose locale/ folder holds `files`."""
    package = root / name
    (package / "locale").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for file_name, data in files.items():
        text = data if isinstance(data, str) else json.dumps(data)
        (package / "locale" / file_name).write_text(text)
    return name


GOOD_CONTENT = {"label": "the words", "description": "Words.", "words": "Hello there."}
GOOD_SAMPLES = {"WordsIntent": ["say the words", "the words", "words please", "words", "speak"]}
GOOD_LOCALE: dict[str, Any] = {"samples": GOOD_SAMPLES, "content": GOOD_CONTENT}


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("pkg_")]:
        del sys.modules[name]


def words_class(package: str, **changes: Any) -> type[Plugin[Words, NoProgress]]:
    """A plugin class declared as an author would, with `changes` to its class attributes."""
    attributes: dict[str, Any] = {
        "name": "words",
        "locale_package": package,
        "intents": (Intent(name="WordsIntent"),),
        "menu_position": 1,
    }
    base = changes.pop("base", Plugin[Words, NoProgress])
    declared = {**attributes, **changes}
    made: type[Plugin[Words, NoProgress]] = types.new_class(
        "WordsPlugin", (base,), exec_body=lambda namespace: namespace.update(declared)
    )
    return made


def words_plugin(package: str, **changes: Any) -> Plugin[Words, NoProgress]:
    return words_class(package, **changes)()


def test_a_valid_plugin_serves_every_locale_from_its_language_file(packages: Path) -> None:
    plugin = words_plugin(make_package(packages, "pkg_good", {"en.json": GOOD_LOCALE}))
    plugin.validate()
    assert {plugin.content(locale).words for locale in LOCALES} == {"Hello there."}


def test_a_locale_file_restates_only_what_differs_from_its_language_file(packages: Path) -> None:
    british = {"content": {"words": "Hello, love."}}
    package = make_package(packages, "pkg_gb", {"en.json": GOOD_LOCALE, "en-GB.json": british})
    plugin = words_plugin(package)
    assert plugin.content("en-GB").words == "Hello, love."
    assert plugin.content("en-GB").label == "the words"
    assert plugin.content("en-US").words == "Hello there."


def test_a_locale_adds_samples_answer_words_and_synonyms_to_its_language_file(
    packages: Path,
) -> None:
    typed = Intent(name="WordsIntent", slots={"kind": "KIND"})
    language = {
        **GOOD_LOCALE,
        "slot_types": {"KIND": [{"id": "warm", "value": "warm", "synonyms": ["kind"]}]},
        "answers": {"yes": ["sure"]},
    }
    british = {
        "samples": {"WordsIntent": ["say owt nice"]},
        "slot_types": {"KIND": [{"id": "warm", "value": "warmish", "synonyms": ["lovely"]},
                                {"id": "cheeky", "value": "cheeky"}]},
        "answers": {"yes": ["go on then"]},
    }  # fmt: skip
    files = {"en.json": language, "en-GB.json": british}
    plugin = words_plugin(make_package(packages, "pkg_add", files), intents=(typed,))
    gb, us = plugin.locale_file("en-GB"), plugin.locale_file("en-US")
    assert gb.samples["WordsIntent"] == (*us.samples["WordsIntent"], "say owt nice")
    assert [v.synonyms for v in gb.slot_types["KIND"]] == [("kind", "lovely"), ()]
    assert [v.value for v in gb.slot_types["KIND"]] == ["warmish", "cheeky"]
    assert [v.value for v in us.slot_types["KIND"]] == ["warm"]
    assert gb.answers["yes"] == ("sure", "go on then") and us.answers["yes"] == ("sure",)


def test_content_is_loaded_once_per_container(
    packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = words_plugin(make_package(packages, "pkg_once", {"en.json": GOOD_LOCALE}))
    reads: list[str] = []
    original = Plugin._read

    def counting(self: Plugin[Any, Any], locale: str) -> tuple[dict[str, Any], list[str]]:
        reads.append("read")
        return original(self, locale)

    monkeypatch.setattr(Plugin, "_read", counting)
    first = plugin.content("en-US")
    for _ in range(5):
        assert plugin.content("en-US") is first
    assert reads == ["read"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": 1}, "Extra inputs are not permitted"),
        ({"content": {**GOOD_CONTENT, "colour": "blue"}}, "Extra inputs"),
        ({"content": {"label": "the words", "description": "Words."}}, "words"),
        ({"content": {**GOOD_CONTENT, "words": "la " * 3000}}, "characters"),
        ({"samples": {}}, "no samples for .'WordsIntent'."),
        ({"samples": {**GOOD_SAMPLES, "OtherIntent": ["x"]}}, "undeclared intents"),
    ],
)
def test_invalid_locale_files_fail(packages: Path, change: dict[str, Any], message: str) -> None:
    name = f"pkg_bad_{abs(hash(json.dumps(change, sort_keys=True)))}"
    package = make_package(packages, name, {"en.json": {**GOOD_LOCALE, **change}})
    with pytest.raises(PluginError, match=message):
        words_plugin(package).validate()


def test_a_missing_locale_fails(packages: Path) -> None:
    package = make_package(packages, "pkg_fr_only", {"fr.json": GOOD_LOCALE})
    with pytest.raises(PluginError, match="no locale file for en-US"):
        words_plugin(package).validate()


def test_an_undefined_slot_type_fails(packages: Path) -> None:
    package = make_package(packages, "pkg_slot", {"en.json": GOOD_LOCALE})
    intent = Intent(name="WordsIntent", slots={"kind": "WORD_KIND"})
    with pytest.raises(PluginError, match="WORD_KIND"):
        words_plugin(package, intents=(intent,)).validate()


def test_an_unknown_answer_meaning_fails_naming_the_meanings(packages: Path) -> None:
    files = {"en.json": {**GOOD_LOCALE, "answers": {"maybe": ["perhaps"]}}}
    package = make_package(packages, "pkg_answers", files)
    with pytest.raises(PluginError, match=r"answers: .*unknown meanings \['maybe'\]"):
        words_plugin(package).validate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Not OK"}, "lowercase"),
        ({"base": Plugin[Content, NoProgress], "menu_position": 2}, "needs MenuContent"),
        ({"handlers": ("not a handler",)}, "is not a Handler class"),
    ],
)
def test_invalid_declarations_fail_when_the_class_is_declared(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(PluginError, match=message):
        words_class("pkg_unused", **changes)


def test_a_locale_file_that_does_not_parse_names_the_plugin_file_and_line(packages: Path) -> None:
    broken = '{\n  "samples": {\n    // a comment\n  }\n}'
    package = make_package(packages, "pkg_comment", {"en.json": broken})
    with pytest.raises(PluginError) as error:
        words_plugin(package).validate()
    assert "plugin words" in str(error.value)
    assert "pkg_comment/locale/en.json: line 3" in str(error.value)


def test_content_that_does_not_validate_names_the_plugin_files_and_field(packages: Path) -> None:
    british = {"content": {"words": 42}}
    package = make_package(packages, "pkg_field", {"en.json": GOOD_LOCALE, "en-GB.json": british})
    with pytest.raises(PluginError) as error:
        words_plugin(package).validate(["en-GB"])
    message = str(error.value)
    assert "plugin words" in message and "en.json + " in message and "en-GB.json" in message
    assert "content.words: Input should be a valid string" in message
    assert "42" not in message.split("content.words")[1]  # the field, never the value


def test_every_installed_plugin_is_valid_in_every_locale() -> None:
    for plugin in discover().plugins:
        plugin.validate()


def test_resume_hook_offers_to_pick_up_where_the_person_left_off(store: ProfileStore) -> None:
    plugins = (*discover().plugins, steps_plugin)
    nlu = LocalNlu(interaction_model("en-US", plugins))
    talk = make_conversation(store, nlu, plugins=plugins)
    begin(talk)
    assert "the steps" in said(talk.say("what can you do")).lower()  # in the menu and the tour
    talk.say("take a step")
    assert said(talk.say("another step")) == "This is step 2."
    talk.say("stop")

    turn = talk.say("open secure base")
    assert "You were at step 2 of the steps." in said(turn)
    assert "pick up where you left off" in said(turn)
    assert "say yes" in reprompt(turn).lower()
    assert said(talk.say("yes")) == "This is step 3."
    talk.say("stop")

    talk.say("open secure base")
    declined = talk.say("no thanks")
    assert "would you like a calming exercise" in said(declined).lower()
    # "yes" only answers the offer on the very next turn; later it is just not understood.
    assert said(talk.say("yes")).startswith("You can say: a calming exercise")


def test_help_describes_the_offers_in_menu_order(store: ProfileStore) -> None:
    # Named to sort first, placed last on the menu.
    early = type("EarlySteps", (Steps,), {"name": "aaa_steps", "menu_position": 9})
    plugins = (*discover().plugins, early())
    talk = make_conversation(store, LocalNlu(interaction_model("en-US", plugins)), plugins=plugins)
    begin(talk)
    speech = said(talk.say("what can you do"))
    order = [
        "A calming exercise,",
        "Reflection questions,",
        "Repair guidance,",
        "A nightly check-in,",
        "The steps,",
    ]
    positions = [speech.index(description) for description in order]
    assert positions == sorted(positions)
    assert speech.endswith("a nightly check-in, or the steps?")


def test_resume_offer_survives_repeat_and_not_understood(store: ProfileStore) -> None:
    plugins = (*discover().plugins, steps_plugin)
    talk = make_conversation(store, LocalNlu(interaction_model("en-US", plugins)), plugins=plugins)
    begin(talk)
    talk.say("take a step")
    talk.say("stop")
    talk.say("open secure base")
    talk.say("repeat")
    talk.say("purple elephants")
    assert said(talk.say("yes")) == "This is step 2."


class FaultyCheck(Handler[Steps]):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        raise KeyError("a bug in a plugin")

    def handle(self, handler_input: HandlerInput) -> Response:
        raise AssertionError("never reached")


def test_a_plugin_whose_checks_fail_does_not_take_the_menu_down(
    store: ProfileStore, caplog: pytest.LogCaptureFixture
) -> None:
    faulty = type("FaultySteps", (Steps,), {"handlers": (FaultyCheck,)})
    plugins = (faulty(), *discover().plugins)
    talk = make_conversation(store, LocalNlu(interaction_model("en-US", plugins)), plugins=plugins)
    with caplog.at_level(logging.ERROR):
        begin(talk)
        assert "Would you like a calming exercise" in said(talk.say("main menu"))
    assert "canHandleFailed" in caplog.text


class Counted(Progress):
    times: Counter = 0
    seen: BitSet = 0
    place: int = 0
    pace: str = "normal"


def test_progress_is_read_field_by_field_and_declares_how_it_merges() -> None:
    stored = {"times": 3, "seen": "lots", "place": True, "pace": "slower", "retired": 1}
    assert Counted.read(stored) == Counted(times=3, pace="slower")  # the rest: defaults
    assert Counted.merge_rules() == {"times": Merge.ADD, "seen": Merge.JOIN}


def test_a_progress_model_without_defaults_is_refused_when_it_is_declared() -> None:
    # A first visit reads the defaults: a field without one could never be read.
    with pytest.raises(ValueError, match=r"progress .*NoDefault\.needed needs a default"):

        class NoDefault(Progress):
            needed: int


class TypoHandler(Handler[Steps]):
    intents = ("AMAZON.NextIntnet", "StepIntent", "AMAZON.YesIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        raise AssertionError("never reached")


def test_model_check_names_a_handler_that_answers_an_intent_nothing_declares() -> None:
    typo = type("TypoSteps", (Steps,), {"handlers": (TypoHandler,)})()
    assert check_handlers((*discover().plugins, typo)) == [
        "plugin steps: TypoHandler answers AMAZON.NextIntnet, which no enabled plugin declares"
    ]
    assert check_handlers(discover().plugins) == []
