"""`secure-base model build`: the skill package generated from the core plus the plugins.

One interaction model per locale and the manifest's locale entries and permissions; the
committed files under interaction_models/ are this output (a test keeps them in step).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from skill.blocks.answers import answer_phrases
from skill.blocks.content import ALONE, ANSWER_MEANINGS, ANSWER_WORD_TYPE
from skill.blocks.plugin import LOCALES, Plugin
from skill.core import Core
from skill.local.icons import SOURCE as ICON_SOURCE
from skill.local.icons import icon_name, write_icons
from skill.safety import Safety

# Always in the model, before any installed plugin.
CORE = Core()
BUILT_IN: tuple[Plugin[Any, Any], ...] = (CORE, Safety())

COUNTRIES = {"en-US": "US", "en-GB": "GB", "en-CA": "CA", "en-AU": "AU", "en-IN": "IN"}
# The icons in the skill package, drawn by `model build` from assets/icon.svg; the ASK CLI
# uploads what a file:// URI names, relative to the package folder.
ICON_FOLDER = "assets/images"
ICON_URIS = {
    "smallIconUri": f"file://{ICON_FOLDER}/{icon_name(108)}",
    "largeIconUri": f"file://{ICON_FOLDER}/{icon_name(512)}",
}


def interaction_model(locale: str, plugins: Sequence[Plugin[Any, Any]]) -> dict[str, Any]:
    intents: list[dict[str, Any]] = []
    builtins: dict[str, dict[str, Any]] = {}
    types: dict[str, list[dict[str, Any]]] = {}
    for plugin in (*BUILT_IN, *plugins):
        data = plugin.locale_file(locale)
        for intent in plugin.intents:
            samples = list(data.samples.get(intent.name, ()))
            if intent.builtin and intent.name in builtins:
                # A built-in intent several plugins use (AMAZON.NextIntent) is declared once;
                # a custom intent declared twice stays twice, for model check to report.
                known = builtins[intent.name]["samples"]
                known.extend(s for s in samples if s not in known)
                continue
            entry: dict[str, Any] = {"name": intent.name}
            if intent.slots:
                entry["slots"] = [{"name": n, "type": t} for n, t in intent.slots.items()]
            entry["samples"] = samples
            intents.append(entry)
            if intent.builtin:
                builtins[intent.name] = entry
        for type_name, values in data.slot_types.items():
            types[type_name] = [
                {"id": v.id, "name": {"value": v.value, "synonyms": list(v.synonyms)}}
                for v in values
            ]
    # The core's answerWord slot: short answers said alone.
    types[ANSWER_WORD_TYPE] = answer_word_values(locale, (*BUILT_IN, *plugins))
    language_model: dict[str, Any] = {
        "invocationName": CORE.content(locale).invocation_name,
        "modelConfiguration": {"fallbackIntentSensitivity": {"level": "LOW"}},
        "intents": intents,
        "types": [{"name": name, "values": values} for name, values in sorted(types.items())],
    }
    return {"interactionModel": {"languageModel": language_model}}


def answer_word_values(locale: str, plugins: Sequence[Plugin[Any, Any]]) -> list[dict[str, Any]]:
    """The short answers said alone, one value per meaning, from the locale files' answer words.

    A one-word yes or no ("yes", "nope") is AMAZON.YesIntent's or NoIntent's, not a value here;
    a one-word answer that means yes or no only alone ("nobody", "always") is one.
    """
    values: list[dict[str, Any]] = []
    seen: set[str] = set()
    lists = {meaning: [meaning] for meaning in ANSWER_MEANINGS}
    for listed, meaning in ALONE.items():
        lists[meaning].append(listed)
    merged = answer_phrases(plugins, locale)
    for meaning, names in lists.items():
        phrases = [
            phrase
            for name in names
            for phrase in merged.get(name, ())
            if name in ALONE or meaning in ("partly", "unsure") or len(phrase.split()) > 1
        ]
        fresh = [p for p in dict.fromkeys(phrases) if p.lower() not in seen]
        seen.update(p.lower() for p in fresh)
        if fresh:
            values.append({"id": meaning, "name": {"value": fresh[0], "synonyms": fresh[1:]}})
    return values


def manifest(
    plugins: Sequence[Plugin[Any, Any]], privacy_policy_url: str = "", terms_of_use_url: str = ""
) -> dict[str, Any]:
    listings = {}
    for locale in LOCALES:
        store = CORE.content(locale).store
        listings[locale] = {
            "name": store.name,
            "summary": store.summary,
            "description": f"{store.description} {store.health_disclaimer}",
            "examplePhrases": list(store.example_phrases),
            "keywords": list(store.keywords),
            **ICON_URIS,
        }
    permissions = sorted({p for plugin in plugins for p in plugin.permissions})
    body: dict[str, Any] = {
        "manifestVersion": "1.0",
        "publishingInformation": {
            "locales": listings,
            "isAvailableWorldwide": False,
            "distributionCountries": [COUNTRIES[locale] for locale in LOCALES],
            "testingInstructions": testing_instructions(plugins),
            "category": "HEALTH_AND_FITNESS",
        },
        "privacyAndCompliance": {
            "allowsPurchases": False,
            "usesPersonalInfo": False,
            "isChildDirected": False,
            "isExportCompliant": True,
            "containsAds": False,
            "locales": {
                locale: {"privacyPolicyUrl": privacy_policy_url, "termsOfUseUrl": terms_of_use_url}
                for locale in LOCALES
            },
        },
        # Alexa may bring requests said without the skill's name (skill/core/name_free.py).
        "apis": {"custom": {"interfaces": [{"type": "CAN_FULFILL_INTENT_REQUEST"}]}},
        # Disabling the skill erases the account's data, as "forget me" does.
        "events": {"subscriptions": [{"eventName": "SKILL_DISABLED"}]},
    }
    if permissions:
        body["permissions"] = [{"name": name} for name in permissions]
    return {"manifest": body}


def testing_instructions(plugins: Sequence[Plugin[Any, Any]]) -> str:
    """What a certification reviewer is asked to try: the core's and the safety layer's paths,
    then each enabled plugin's, as each declares them (Plugin.testing)."""
    return "\n\n".join(
        " ".join(p.testing.split()) for p in (*BUILT_IN, *plugins) if p.testing.strip()
    )


def package_files(
    plugins: Sequence[Plugin[Any, Any]], settings: Mapping[str, Any]
) -> dict[str, str]:
    """Relative path -> file text, for the whole skill package."""
    urls = {
        "privacy_policy_url": settings.get("privacy_policy_url", ""),
        "terms_of_use_url": settings.get("terms_of_use_url", ""),
    }
    files = {"skill.json": _dump(manifest(plugins, **urls))}
    for locale in LOCALES:
        model = interaction_model(locale, plugins)
        files[f"interactionModels/custom/{locale}.json"] = _dump(model)
    return files


def write(
    out: Path, plugins: Sequence[Plugin[Any, Any]], settings: Mapping[str, Any]
) -> list[Path]:
    written = []
    for relative, text in package_files(plugins, settings).items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    # The icons the manifest names (ICON_URIS), drawn from assets/icon.svg.
    return [*written, *write_icons(ICON_SOURCE, out / ICON_FOLDER)]


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
