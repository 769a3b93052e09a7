"""The profile as the session carries it: whose it is, and whether it is one the skill wrote.

Session attributes come back from the device. A profile there is taken for the person's only
when it is bound to the request's user and person (owner_of) and is exactly what this version
writes (kept_profile); a profile read from the table is first brought to that form (normalised),
so that a genuine one always passes.
"""

from __future__ import annotations

import hashlib

from ask_sdk_core.handler_input import HandlerInput

from skill.blocks.loaded import loaded as serving
from skill.state import Profile
from skill.store import PARTITION_KEY, SORT_KEY


def owner_of(key: dict[str, str]) -> str:
    """Who a carried profile belongs to: a digest, so that the ids are not sent back as well.
    (Not a signature: it binds a profile to its request, it does not prove who wrote it.)"""
    named = f"{key[PARTITION_KEY]}\n{key[SORT_KEY]}".encode()
    return hashlib.blake2b(named, digest_size=12).hexdigest()


def normalised(handler_input: HandlerInput, profile: Profile) -> Profile:
    """`profile` with each served plugin's stored values as the plugin reads them: a value it
    would reset (a damaged or imported item) is reset now, once, rather than making the carried
    profile fail kept_profile on every turn. Fields missing (stored by an older version) stay
    missing, and fields the plugin does not know (a newer one's) are kept."""
    plugins = serving(handler_input)
    states = {}
    for name, state in profile.plugin_state.items():
        plugin = plugins.named(name)
        if plugin is None:
            states[name] = state
            continue
        read = plugin.progress_model.read(state).stored()
        states[name] = {key: read.get(key, value) for key, value in state.items()}
    if states == profile.plugin_state:
        return profile
    return profile.changed(plugin_state=states)


def checked(profile: Profile) -> Profile:
    """`profile` validated again: built with changed() (which validates nothing), it could hold
    a value the skill never stores, such as words where an id goes. Such a value is reset (and
    logged by its field's name), so that it reaches neither the table nor the session."""
    return Profile.read(profile.dumped())


def kept_profile(handler_input: HandlerInput, value: object) -> Profile | None:
    """`value` as a Profile if it is exactly one this version writes, its plugins' progress
    included (each plugin's progress model, as stored); else None."""
    if not isinstance(value, dict):
        return None
    kept = Profile.read(value)
    if kept.dumped() != value:
        return None  # a value reset, a field unknown or missing: not what the skill wrote
    if normalised(handler_input, kept) != kept:
        return None  # a value its plugin would reset: not one the plugin wrote
    return kept
