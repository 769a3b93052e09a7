"""Locale strings, loaded once per container and looked up by the request's locale."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DEFAULT_LANGUAGE = "en"


@cache
def _table(language: str) -> dict[str, str]:
    folder = resources.files("skill") / "locale"
    name = f"{language}.json"
    if not (folder / name).is_file():
        name = f"{DEFAULT_LANGUAGE}.json"
    loaded: dict[str, str] = json.loads((folder / name).read_text(encoding="utf-8"))
    return loaded


def strings_for(locale: str | None) -> dict[str, str]:
    """The strings for a locale such as "en-GB", falling back to the default language."""
    language = (locale or DEFAULT_LANGUAGE).split("-")[0].lower()
    return _table(language)
