"""How a locale's file is laid over its language's (`en-GB.json` over `en.json`), section by
section: a locale restates only what differs, and adds to the language's samples, answer words
and slot synonyms."""

from __future__ import annotations

from typing import Any

# Sections a locale's file adds to rather than replaces: its own sample sentences, slot synonyms
# and answer words ("I had a row", "mum", "no worries") come on top of the language's.
_ADDED_TO = ("samples", "answers")


def laid_over(section: str, under: Any, over: Any) -> Any:
    if not (isinstance(under, dict) and isinstance(over, dict)):
        return over
    if section in _ADDED_TO:
        return {key: _added(under.get(key), over[key]) if key in over else under[key]
                for key in {**under, **over}}  # fmt: skip
    if section == "slot_types":
        return {key: _values_laid_over(under.get(key), over[key]) if key in over else under[key]
                for key in {**under, **over}}  # fmt: skip
    return {**under, **over}


def _added(under: Any, over: Any) -> Any:
    if not (isinstance(under, list) and isinstance(over, list)):
        return over  # not lists: validation reports it
    return [*under, *(item for item in over if item not in under)]


def _values_laid_over(under: Any, over: Any) -> Any:
    """A locale's slot values: new ones are added, and a known id gains the locale's synonyms
    (and takes its value, if it gives another)."""
    if not (isinstance(under, list) and isinstance(over, list)):
        return over
    values = [dict(v) if isinstance(v, dict) else v for v in under]
    by_id = {v.get("id"): v for v in values if isinstance(v, dict)}
    for value in over:
        known = by_id.get(value.get("id")) if isinstance(value, dict) else None
        if known is None:
            values.append(value)
            continue
        synonyms = list(known.get("synonyms", []))
        synonyms += [s for s in value.get("synonyms", []) if s not in synonyms]
        known["synonyms"] = synonyms
        known["value"] = value.get("value", known.get("value"))
    return values
