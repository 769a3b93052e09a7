"""Two devices, one person: a save that lost the race is merged onto what the other saved.

A turn's change is what it did to the profile it read (base -> ours). Applied onto the newer
stored profile (theirs), nothing either device completed is lost: counters add both devices'
increments, bit sets join, and any other field takes the side that changed it (ours when both
did, as the later turn).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from skill.blocks.progress import Merge
from skill.state import Profile

State = dict[str, int | float | bool | str]
# A plugin's name -> how its progress fields merge (its progress model's merge_rules()).
Rules = Callable[[str], Mapping[str, Merge]]


def merge(base: Profile, ours: Profile, theirs: Profile, rules: Rules) -> Profile:
    update: dict[str, Any] = {}
    for field in Profile.field_names():
        mine, old, other = getattr(ours, field), getattr(base, field), getattr(theirs, field)
        if field in ("version", "schema_version", "origin", "writes"):
            continue  # theirs: the stored item this write will replace
        if field == "visits":
            update[field] = max(other + mine - old, 0)
        elif field == "last_visit":
            update[field] = max(filter(None, (mine, other)), default=None)
        elif field == "plugin_state":
            update[field] = _merge_states(old, mine, other, rules)
        else:
            update[field] = mine if mine != old else other
    return theirs.changed(**update)


def _merge_states(
    base: dict[str, State], ours: dict[str, State], theirs: dict[str, State], rules: Rules
) -> dict[str, State]:
    merged = dict(theirs)
    for plugin in base.keys() | ours.keys():
        mine, old = ours.get(plugin), base.get(plugin, {})
        if mine == old:
            continue
        if mine is None:
            merged.pop(plugin, None)  # this turn cleared it
            continue
        merged[plugin] = _merge_progress(rules(plugin), old, mine, theirs.get(plugin, {}))
    return merged


def _merge_progress(rules: Mapping[str, Merge], base: State, ours: State, theirs: State) -> State:
    merged = dict(theirs)
    for key, mine in ours.items():
        old, other = base.get(key), theirs.get(key)
        if rules.get(key) is Merge.ADD and _ints(mine, old, other):
            merged[key] = max(_int(other) + _int(mine) - _int(old), 0)
        elif rules.get(key) is Merge.JOIN and _ints(mine, other):
            merged[key] = _int(mine) | _int(other)
        elif mine != old or key not in theirs:
            merged[key] = mine
    return merged


def _ints(*values: object) -> bool:
    """Whether the values present are whole numbers (a stored value may be of another type)."""
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values if v is not None)


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0
