"""Utterance tests as data: sentences, and where each must land, beside each plugin's locale files.

`<package>/locale/utterances/<locale>.toml` (`en.toml` for every English locale, `en-GB.toml`
for one of them) holds tables of sentences:

    [[intent]]                  # the sentence reaches this intent (and these slot values)
    name = "GroundingIntent"
    slots = { exercise = "box_breathing" }   # a custom slot's value id, a built-in's value
    sentences = ["can we do box breathing"]

    [[meaning]]                 # said in answer to a yes/no question, it means this
    is = "partly"               # yes, no, partly, unsure, or other (words that are no answer)
    safety = true               # optional: as a safety question reads it (a no must open it)
    sentences = ["kind of", "yes sometimes"]

    [[start]]                   # said at the menu, this plugin takes the person in
    plugin = "grounding"
    sentences = ["help me breathe"]

    [[fallback]]                # none of the skill's intents: Alexa's fallback
    sentences = ["what's the weather like"]

The sentences go through the local stand-in for Alexa's understanding, built from the same
interaction model Alexa receives (`secure-base utterances`, and tests/test_utterances.py).
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from skill.blocks.answers import Meaning, meaning_of
from skill.blocks.loaded import Loaded
from skill.blocks.plugin import Plugin, PluginError
from skill.blocks.session import ACTIVE, PROFILE
from skill.core import Core
from skill.local.model_build import interaction_model
from skill.local.nlu import FALLBACK, LocalNlu
from skill.local.offline import conversation, offline_skill
from skill.safety import Safety

KINDS = ("intent", "meaning", "start", "fallback")


@dataclass(frozen=True)
class Case:
    source: str  # the file, for the report
    kind: str
    expected: str  # an intent, a meaning, a plugin, or the fallback intent
    sentence: str
    slots: dict[str, str] = field(default_factory=dict)
    safety: bool = False  # a meaning as a safety question reads it

    def describe(self) -> str:
        slots = "".join(f" {k}={v}" for k, v in self.slots.items())
        return f"{self.kind} {self.expected}{slots}"


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: str

    @property
    def ok(self) -> bool:
        return self.got == self.case.describe()


def files(plugin: Plugin[Any, Any], locale: str) -> list[tuple[str, str]]:
    """(name, text) of the plugin's utterance files for `locale`: the language's, then its own."""
    folder = resources.files(plugin.locale_package) / "locale" / "utterances"
    found = []
    for name in (f"{locale.split('-')[0]}.toml", f"{locale}.toml"):
        path = folder / name
        if path.is_file():
            found.append((f"{plugin.name}: locale/utterances/{name}", path.read_text("utf-8")))
    return found


def cases(plugins: Loaded, locale: str) -> list[Case]:
    """Every enabled declaration's utterance tests for `locale`."""
    found: list[Case] = []
    for plugin in plugins.everything:
        for source, text in files(plugin, locale):
            found += parse(source, text)
    return found


def parse(source: str, text: str) -> list[Case]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PluginError(f"{source}: {error}") from None
    unknown = set(data) - set(KINDS)
    if unknown:
        raise PluginError(f"{source}: unknown tables {sorted(unknown)}; use {list(KINDS)}")
    found = []
    for kind in KINDS:
        for number, table in enumerate(data.get(kind, ()), start=1):
            where = f"{source}: [[{kind}]] number {number}"
            expected = _expected(where, kind, table)
            slots = {str(k): str(v) for k, v in table.get("slots", {}).items()}
            safety = bool(table.get("safety", False))
            sentences = table.get("sentences")
            if not isinstance(sentences, list) or not sentences:
                raise PluginError(f"{where}: no sentences")
            found += [Case(source, kind, expected, str(s), slots, safety) for s in sentences]
    return found


def _expected(where: str, kind: str, table: dict[str, Any]) -> str:
    key = {"intent": "name", "meaning": "is", "start": "plugin", "fallback": None}[kind]
    if key is None:
        return FALLBACK
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise PluginError(f'{where}: needs {key} = "..."')
    if kind == "meaning" and value not in {m.value for m in Meaning} - {"nothing"}:
        raise PluginError(f"{where}: is = {value!r}: use yes, no, partly, unsure or other")
    return value


def check(
    tests: Iterable[Case],
    nlu: LocalNlu,
    plugins: Loaded,
    locale: str,
    started: Callable[[str], str | None] | None = None,
    read_answers: bool = True,
) -> list[Outcome]:
    """Where each sentence lands. `started` says which plugin a sentence said at the menu takes
    the person into (it runs the skill); without it, start cases are left out. Without
    `read_answers`, an answer means only what its intent says (yes, no, or nothing), as before
    answers had meanings: for comparing figures."""
    outcomes = []
    for case in tests:
        if case.kind == "start":
            if started is not None:
                outcomes.append(Outcome(case, f"start {started(case.sentence)}"))
            continue
        heard = nlu.understand(case.sentence)
        intent = heard.intent or "LaunchRequest"
        if case.kind == "meaning":
            values = {name: slot.value for name, slot in heard.slots.items()}
            said = (
                meaning_of(intent, values, plugins, locale, case.safety)
                if read_answers
                else {"AMAZON.YesIntent": Meaning.YES, "AMAZON.NoIntent": Meaning.NO}.get(
                    intent, Meaning.NOTHING
                )
            )
            outcomes.append(Outcome(case, f"meaning {said.value}"))
            continue
        got = f"{case.kind} {intent}"
        for name in case.slots:
            slot = heard.slots.get(name)
            value = (slot.resolved_id or slot.value) if slot is not None else None
            got += f" {name}={value}"
        outcomes.append(Outcome(case, got))
    return outcomes


def figures(
    locale: str,
    plugins: tuple[Plugin[Any, Any], ...],
    models: Path | None = None,
    read_answers: bool = True,
) -> list[Outcome]:
    """Every utterance test of `locale`, start cases included (through the whole skill, on
    moto). With `models`, the understanding is built from that skill package's model instead
    (an older one, to compare)."""
    model = (
        json.loads((models / "interactionModels" / "custom" / f"{locale}.json").read_text("utf-8"))
        if models is not None
        else interaction_model(locale, plugins)
    )
    nlu = LocalNlu(model)
    declared = Loaded(Safety(), Core(), plugins)
    with offline_skill(plugins) as skill:
        at_menu = conversation(skill, nlu, locale)
        at_menu.say("open secure base")
        at_menu.say("no")  # nothing is kept: every sentence starts from the same menu

        def started(sentence: str) -> str | None:
            turn = copy.copy(at_menu).say(sentence)
            session = turn.response.get("sessionAttributes") or {}
            # The plugin the person is in; or, for one over within the turn (three breaths),
            # the activity the profile now names.
            taken = session.get(ACTIVE) or (session.get(PROFILE) or {}).get("last_activity")
            return str(taken) if taken else None

        return check(cases(declared, locale), nlu, declared, locale, started, read_answers)


def report(outcomes: list[Outcome], locale: str) -> str:
    passed = sum(o.ok for o in outcomes)
    lines = [f"{locale}: {passed} of {len(outcomes)} sentences reach the right place"]
    lines += [
        f"  {o.case.source}: {o.case.sentence!r}: wanted {o.case.describe()}, got {o.got}"
        for o in outcomes
        if not o.ok
    ]
    return "\n".join(lines)
