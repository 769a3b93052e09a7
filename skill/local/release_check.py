"""`secure-base model check --release`: what Amazon's submission needs beyond a model that builds.

Plain `model check` is for every change (the model builds, the package is up to date); this is
for the day the skill is submitted, and fails naming each item still missing: the privacy and
terms pages, the icons, testing instructions that walk a reviewer through every plugin and
permission, example phrases the model understands, category and distribution, the health
disclaimer and the store text of every locale. The rules and their sources are in
docs/certification.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from skill.blocks.plugin import LOCALES, Plugin
from skill.local.icons import png_size
from skill.local.model_build import BUILT_IN, CORE, COUNTRIES, testing_instructions
from skill.local.nlu import FALLBACK, LocalNlu

ICONS = {"smallIconUri": 108, "largeIconUri": 512}
# The manifest schema's limits for the store text (publishingInformation.locales).
MAX_NAME, MAX_SUMMARY, MAX_DESCRIPTION = 50, 160, 4000
MAX_EXAMPLE_PHRASES, MAX_KEYWORDS, MAX_TESTING_INSTRUCTIONS = 3, 30, 4000
# What a reviewer reads for each permission scope a plugin asks for.
PERMISSION_WORDS = {"alexa::alerts:reminders:skill:readwrite": "reminders"}
# The categories a skill of this kind may be listed under.
CATEGORIES = frozenset({"HEALTH_AND_FITNESS", "LIFESTYLE", "EDUCATION_AND_REFERENCE"})
_WAKE = re.compile(r"^alexa,? ", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]+)"')
TESTING_LOCALE = "en-US"  # the reviewers' locale the instructions' phrases are tried in


def check_release(
    folder: Path, manifest: Mapping[str, Any], plugins: Sequence[Plugin[Any, Any]]
) -> list[str]:
    """Everything the package at `folder` (its `manifest`, already read) still lacks."""
    body = manifest.get("manifest") or {}
    publishing = body.get("publishingInformation") or {}
    problems = _check_pages(body.get("privacyAndCompliance") or {})
    problems += _check_distribution(publishing)
    problems += _check_testing(str(publishing.get("testingInstructions") or ""), plugins, body)
    problems += _check_said_in_testing(plugins, folder)
    listings = publishing.get("locales") or {}
    for locale in LOCALES:
        listing = listings.get(locale)
        if not isinstance(listing, dict):
            problems.append(f"{locale}: no store text (publishingInformation.locales)")
            continue
        problems += [f"{locale}: {p}" for p in _check_listing(locale, listing, folder)]
    return problems


def _check_pages(compliance: Mapping[str, Any]) -> list[str]:
    problems = []
    pages = compliance.get("locales") or {}
    for locale in LOCALES:
        for field in ("privacyPolicyUrl", "termsOfUseUrl"):
            url = str((pages.get(locale) or {}).get(field) or "")
            if not _is_https(url):
                problems.append(
                    f"{locale}: {field} is not set to an https page (PRIVACY.md / TERMS.md "
                    "published; set privacy_policy_url and terms_of_use_url in pyproject.toml)"
                )
    return problems


def _is_https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def _check_distribution(publishing: Mapping[str, Any]) -> list[str]:
    problems = []
    category = publishing.get("category")
    if category not in CATEGORIES:
        problems.append(f"category {category!r}: one of {', '.join(sorted(CATEGORIES))}")
    countries = publishing.get("distributionCountries") or []
    if publishing.get("isAvailableWorldwide"):
        # The crisis lines are checked for these countries only (skill/safety/resources.py).
        problems.append("isAvailableWorldwide: the skill's help lines cover only its countries")
    for locale in LOCALES:
        if COUNTRIES[locale] not in countries:
            problems.append(f"distributionCountries lacks {COUNTRIES[locale]} ({locale})")
    for country in countries:
        if country not in COUNTRIES.values():
            problems.append(f"distributionCountries: {country} has no locale or help lines")
    return problems


def _check_testing(
    written: str, plugins: Sequence[Plugin[Any, Any]], body: Mapping[str, Any]
) -> list[str]:
    problems = []
    if len(written) > MAX_TESTING_INSTRUCTIONS:
        problems.append(f"testingInstructions: over {MAX_TESTING_INSTRUCTIONS} characters")
    for plugin in (*BUILT_IN, *plugins):
        if not plugin.testing.strip():
            problems.append(f"plugin {plugin.name}: no testing instructions (Plugin.testing)")
        elif " ".join(plugin.testing.split()) not in " ".join(written.split()):
            problems.append(
                f"testingInstructions: plugin {plugin.name}'s are missing "
                "(run: secure-base model build)"
            )
    if written != testing_instructions(plugins):
        problems.append("testingInstructions: not the plugins' (run: secure-base model build)")
    for permission in body.get("permissions") or []:
        scope = str(permission.get("name", ""))
        word = PERMISSION_WORDS.get(scope, scope)
        owners = [p for p in plugins if scope in p.permissions]
        if not owners or not any(word in p.testing.lower() for p in owners):
            problems.append(f"testingInstructions: nothing says how to test the {word} permission")
    return problems


def _check_said_in_testing(plugins: Sequence[Plugin[Any, Any]], folder: Path) -> list[str]:
    """Every phrase a reviewer is told to say (in quotes) reaches an intent of the model of
    the testing locale: instructions that end in "I don't know that" fail a review."""
    model = folder / "interactionModels" / "custom" / f"{TESTING_LOCALE}.json"
    if not model.is_file():
        return [f"testingInstructions: no model {model.name} to try them on"]
    nlu = LocalNlu.from_file(model)
    return [
        f"plugin {plugin.name}: testing instructions say {phrase!r}, which the model does not "
        "understand"
        for plugin in (*BUILT_IN, *plugins)
        for phrase in _QUOTED.findall(" ".join(plugin.testing.split()))
        if nlu.understand(_WAKE.sub("", phrase)).intent == FALLBACK
    ]


def _check_listing(locale: str, listing: Mapping[str, Any], folder: Path) -> list[str]:
    problems = []
    store = CORE.content(locale).store
    for field, limit in (("name", MAX_NAME), ("summary", MAX_SUMMARY)):
        text = str(listing.get(field) or "")
        if not text.strip():
            problems.append(f"{field} is empty")
        elif len(text) > limit:
            problems.append(f"{field}: {len(text)} characters, at most {limit}")
    description = str(listing.get("description") or "")
    if not description.strip():
        problems.append("description is empty")
    elif len(description) > MAX_DESCRIPTION:
        problems.append(f"description: {len(description)} characters, at most {MAX_DESCRIPTION}")
    if store.health_disclaimer not in description:
        problems.append("description: the health disclaimer (store.health_disclaimer) is missing")
    keywords = listing.get("keywords") or []
    if not keywords:
        problems.append("no keywords")
    elif len(keywords) > MAX_KEYWORDS:
        problems.append(f"{len(keywords)} keywords, at most {MAX_KEYWORDS}")
    problems += _check_examples(locale, list(listing.get("examplePhrases") or []), folder)
    for field, size in ICONS.items():
        problems += _check_icon(field, str(listing.get(field) or ""), size, folder)
    return problems


def _check_examples(locale: str, phrases: list[str], folder: Path) -> list[str]:
    if not phrases:
        return ["no example phrases"]
    problems = []
    if len(phrases) > MAX_EXAMPLE_PHRASES:
        problems.append(f"{len(phrases)} example phrases, at most {MAX_EXAMPLE_PHRASES}")
    model = folder / "interactionModels" / "custom" / f"{locale}.json"
    if not model.is_file():
        return [*problems, f"example phrases: no model {model.name} to check them against"]
    nlu = LocalNlu.from_file(model)
    for index, phrase in enumerate(phrases):
        if not _WAKE.match(phrase):
            problems.append(f"example phrase {phrase!r} does not start with 'Alexa,'")
            continue
        heard = nlu.understand(_WAKE.sub("", phrase))
        if not heard.invocation:
            problems.append(f"example phrase {phrase!r} does not name the skill")
        elif heard.intent == FALLBACK:
            problems.append(f"example phrase {phrase!r} is not understood by the model")
        elif index == 0 and heard.intent is not None:
            # Amazon: the first example opens the skill ("Alexa, open ..."), nothing more.
            problems.append(f"first example phrase {phrase!r} should just open the skill")
        elif heard.intent is not None and not _is_sample(nlu, phrase, heard.intent):
            problems.append(f"example phrase {phrase!r} is not one of the model's samples")
    return problems


def _is_sample(nlu: LocalNlu, phrase: str, intent: str) -> bool:
    """Whether what follows the skill's name is one of the model's samples as written (Amazon
    asks for samples, not paraphrases the model happens to understand)."""
    request = nlu.request_in(_WAKE.sub("", phrase))
    return request is not None and nlu.is_sample(request, intent)


def _check_icon(field: str, uri: str, size: int, folder: Path) -> list[str]:
    if not uri:
        return [f"{field} is not set ({size} x {size} PNG)"]
    if uri.startswith("https://"):
        return []  # hosted: Amazon checks it on upload; nothing here can see it offline
    if not uri.startswith("file://"):
        return [f"{field} {uri!r}: a file:// path in the skill package or an https URL"]
    path = (folder / uri.removeprefix("file://")).resolve()
    if not path.is_relative_to(folder.resolve()):
        return [f"{field}: {uri} is outside the skill package, which `ask deploy` uploads"]
    if not path.is_file():
        return [f"{field}: {uri} is not in the skill package"]
    try:
        found = png_size(path.read_bytes())
    except ValueError:
        return [f"{field}: {uri} is not a PNG"]
    if found != (size, size):
        return [f"{field}: {uri} is {found[0]} x {found[1]}, not {size} x {size}"]
    return []
