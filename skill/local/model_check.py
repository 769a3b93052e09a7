"""`secure-base model check`: the rules Alexa's model build enforces, checked before deploying.

Every file must deserialize with the ask-smapi-model classes, and every interaction model must
pass the invocation name, built-in intent, sample utterance and slot rules below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
    InteractionModelData,
)
from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope

from skill.blocks.content import NAME_PATTERN
from skill.blocks.plugin import Plugin
from skill.core import REQUIRED_BUILTINS
from skill.local.model_build import BUILT_IN

MAX_SAMPLE_CHARS = 200
MIN_SAMPLES_PER_CUSTOM_INTENT = 5
LAUNCH_WORDS = frozenset(
    {"ask", "begin", "continue", "enable", "launch", "load", "open", "play", "resume", "run",
     "start", "tell", "use"}
)  # fmt: skip
LAUNCH_PHRASES = ("can you", "talk to")
WAKE_WORDS = frozenset({"alexa", "amazon", "echo", "computer", "ziggy", "skill", "app"})
ARTICLES = frozenset({"the", "a", "an", "for", "to", "of"})
# Letters, spaces, periods of abbreviations, possessive apostrophes, hyphens, and {slots}.
_SAMPLE = re.compile(r"^(?:[^\W\d_]|[ .'\-]|\{[A-Za-z_]+\})+$")
_SLOT = re.compile(r"\{([^}]*)\}")
_GLUED_SLOT = re.compile(r"[^\s]\{|\}[^\s]")
_INVOCATION = re.compile(r"^[a-z][a-z .']*$")

_serializer = DefaultSerializer()


def check_interaction_model(model: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    try:
        _serializer.deserialize(json.dumps(model), InteractionModelData)
    except SerializationException as error:
        return [f"does not deserialize as an interaction model: {error}"]
    language = (model.get("interactionModel") or {}).get("languageModel")
    if not isinstance(language, dict):
        return ["no interactionModel.languageModel"]
    problems += check_invocation_name(str(language.get("invocationName", "")))
    intents: list[dict[str, Any]] = language.get("intents") or []
    types = {t.get("name") for t in language.get("types") or []}
    names = [intent.get("name", "") for intent in intents]
    for required in REQUIRED_BUILTINS:
        if required not in names:
            problems.append(f"required built-in intent {required} is missing")
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"intent {name} is declared twice")
    seen: dict[str, str] = {}
    for intent in intents:
        problems += _check_intent(intent, types, seen)
    for slot_type in language.get("types") or []:
        problems += _check_type(slot_type)
    return problems


def check_invocation_name(name: str) -> list[str]:
    problems = []
    words = name.lower().split()
    if not _INVOCATION.match(name):
        problems.append(f"invocation name {name!r}: only lowercase letters, spaces, . and '")
    if len(words) < 2:
        problems.append(f"invocation name {name!r} must have two or more words")
    if LAUNCH_WORDS & set(words) or any(p in name for p in LAUNCH_PHRASES):
        problems.append(f"invocation name {name!r} contains a launch word")
    if WAKE_WORDS & set(words):
        problems.append(f"invocation name {name!r} contains a wake word")
    if len(words) == 2 and ARTICLES & set(words):
        problems.append(f"a two-word invocation name {name!r} cannot contain an article")
    return problems


_SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")


def _check_intent(intent: dict[str, Any], types: set[Any], seen: dict[str, str]) -> list[str]:
    problems = []
    name = intent.get("name", "")
    if not NAME_PATTERN.match(name):
        problems.append(f"intent name {name!r}: letters and underscores only")
    slots = {slot.get("name"): slot.get("type", "") for slot in intent.get("slots") or []}
    for slot_name, slot_type in slots.items():
        if not slot_type.startswith("AMAZON.") and slot_type not in types:
            problems.append(f"{name}: slot {slot_name} has undefined type {slot_type!r}")
    samples: list[str] = intent.get("samples") or []
    if not name.startswith("AMAZON.") and len(samples) < MIN_SAMPLES_PER_CUSTOM_INTENT:
        problems.append(
            f"{name}: {len(samples)} samples; a custom intent needs at least "
            f"{MIN_SAMPLES_PER_CUSTOM_INTENT}"
        )
    for sample in samples:
        key = " ".join(sample.lower().split())
        if key in seen:
            where = "twice" if seen[key] == name else f"also in {seen[key]}"
            problems.append(f"{name}: sample {sample!r} appears {where}")
        seen[key] = name
        if len(sample) > MAX_SAMPLE_CHARS:
            problems.append(f"{name}: sample longer than {MAX_SAMPLE_CHARS} characters")
        if not _SAMPLE.match(sample):
            problems.append(f"{name}: sample {sample!r} has characters Alexa does not allow")
        if _GLUED_SLOT.search(sample):
            # Alexa's build takes a slot only as a word of its own: "{partner}'s" fails.
            problems.append(f"{name}: sample {sample!r}: a slot must stand alone between spaces")
        used = _SLOT.findall(sample)
        for placeholder in used:
            if placeholder not in slots:
                problems.append(f"{name}: sample {sample!r} uses undeclared slot {{{placeholder}}}")
        phrase = [p for p in used if slots.get(p) == "AMAZON.SearchQuery"]
        if phrase and (len(used) > 1 or not _SLOT.sub("", sample).strip()):
            # Alexa's build: a phrase slot needs a carrier phrase and no other slot beside it.
            problems.append(f"{name}: sample {sample!r}: a SearchQuery slot needs a carrier alone")
    for slot_name in slots:
        if not _SLOT_NAME.match(str(slot_name)):
            problems.append(f"{name}: slot name {slot_name!r}: letters and underscores only")
    return problems


def _check_type(slot_type: dict[str, Any]) -> list[str]:
    problems = []
    name = slot_type.get("name", "")
    ids = [v.get("id") for v in slot_type.get("values") or [] if v.get("id")]
    for value_id in {i for i in ids if ids.count(i) > 1}:
        problems.append(f"slot type {name}: value id {value_id!r} is used twice")
    if not slot_type.get("values"):
        problems.append(f"slot type {name} has no values")
    return problems


def check_handlers(plugins: Sequence[Plugin[Any, Any]]) -> list[str]:
    """A plugin's handler that answers an intent nothing enabled declares never hears it (a typo
    like "AMAZON.NextIntnet", or an intent of a plugin that is not enabled)."""
    declared = {intent.name for plugin in (*BUILT_IN, *plugins) for intent in plugin.intents}
    return [
        f"plugin {plugin.name}: {handler.__name__} answers {name}, which no enabled plugin declares"
        for plugin in plugins
        for handler in plugin.handlers
        for name in handler.intents
        if name not in declared
    ]


# Interfaces Alexa's manifest schema has that ask-smapi-model (1.36) cannot deserialize: its
# Interface class maps no CAN_FULFILL_INTENT_REQUEST type (Amazon documents it for
# apis.custom.interfaces). They are set aside before the SMAPI classes read the rest.
NOT_IN_SMAPI_MODEL = frozenset({"CAN_FULFILL_INTENT_REQUEST"})


def check_manifest(manifest: dict[str, Any]) -> list[str]:
    readable = json.loads(json.dumps(manifest))
    custom = ((readable.get("manifest") or {}).get("apis") or {}).get("custom") or {}
    if isinstance(custom.get("interfaces"), list):
        custom["interfaces"] = [
            i for i in custom["interfaces"]
            if not (isinstance(i, dict) and i.get("type") in NOT_IN_SMAPI_MODEL)
        ]  # fmt: skip
    try:
        envelope = _serializer.deserialize(json.dumps(readable), SkillManifestEnvelope)
    except SerializationException as error:
        return [f"does not deserialize as a skill manifest: {error}"]
    if envelope.manifest is None or envelope.manifest.publishing_information is None:
        return ["manifest has no publishingInformation"]
    return []


def check_package(folder: Path, expected: dict[str, str]) -> list[str]:
    """Problems in the skill package at `folder`; `expected` is a fresh build to compare with."""
    problems: list[str] = []
    for relative, text in expected.items():
        path = folder / relative
        if not path.is_file():
            problems.append(f"{relative}: missing (run: secure-base model build)")
            continue
        found = path.read_text(encoding="utf-8")
        data = json.loads(found)
        checks = check_manifest(data) if relative == "skill.json" else check_interaction_model(data)
        problems += [f"{relative}: {problem}" for problem in checks]
        if not _same(relative, found, text):
            problems.append(
                f"{relative}: out of date with the plugins (run: secure-base model build)"
            )
    return problems


def _same(relative: str, found: str, expected: str) -> bool:
    if relative != "skill.json":
        return found == expected
    # `ask deploy` writes the function's ARN into the manifest it deployed; that is not drift.
    same: bool = without_endpoints(json.loads(found)) == json.loads(expected)
    return same


def without_endpoints(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without what `ask deploy` fills in: apis.*.endpoint and events.endpoint."""
    body = manifest.get("manifest", {})
    parts = [*body.get("apis", {}).values(), body.get("events", {})]
    for part in parts:
        if isinstance(part, dict):
            part.pop("endpoint", None)
    return manifest
