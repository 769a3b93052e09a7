"""Where a turn's state lives: the session and request attributes, and the person's profile."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.state import RECENT_KEPT, Profile

# Session attribute names (they travel to Alexa and back with every turn).
PROFILE = "profile"
LAST_RESPONSE = "lastResponse"
# Session attributes that hold for the next turn only (e.g. "yes" to an offer just made).
NEXT_TURN = "nextTurn"
# The plugin the person is in the middle of, if any (its handlers hear the next turn first).
ACTIVE = "activePlugin"
# Next-turn key: a plugin whose place was just offered back ("pick up where you left off?").
RESUME_OFFERED = "resumeOffered"
# The plugin to offer going back to when the activity started from it ends.
RETURN_TO = "returnTo"
# The person (personId, or the account) whose visit this session has counted.
VISIT_COUNTED = "visitCounted"
# Whose profile the session carries: a digest of the request's userId and person (owner_of),
# so that a profile carried to another user's request is not taken for theirs.
PROFILE_OF = "profileOf"
# Request attribute names (live for one request only).
LOADED_PROFILE = "loadedProfile"
THIS_TURN = "thisTurn"
PLUGINS = "plugins"
STORE = "store"
# Set when the person's data was just erased: nothing may be written for this turn.
ERASED = "erased"
# Set when the person said yes to being remembered this turn: the save then writes even if
# nothing else changed, and a yes said after an erase elsewhere starts a new item.
CONSENTED_NOW = "consentedNow"
# The stored profile could not be read this turn (the session goes on from an empty one).
READ_FAILED = "readFailed"
# Session: the profile last read or written, while the session carries changes not yet saved.
UNSAVED_BASE = "unsavedBase"
# Session: the tokens of this session's writes whose answer never came (a timeout): one may
# have been applied, and finding it stored is finding this session's own change, not another's.
PENDING_WRITES = "pendingWrites"
# Session: the store notices the person has already heard (each is said once per session).
NOTICES_GIVEN = "noticesGiven"

# Session: where to turn was given this session (the risk's name): what follows stays sober.
HELP_GIVEN = "helpGiven"
# What help_given_for says after the domestic violence resources.
ABUSE_GIVEN = "abuse"
# Session: the instructions already said once this session ("say continue when you're ready").
SAID_ONCE = "saidOnce"
# Session: the full menu was said; later menus are short.
MENU_SAID = "menuSaid"

StoredState = dict[str, int | float | bool | str]


def in_session(handler_input: HandlerInput) -> bool:
    return handler_input.request_envelope.session is not None


def profile(handler_input: HandlerInput) -> Profile:
    current: Profile = handler_input.attributes_manager.request_attributes[PROFILE]
    return current


def remembered(handler_input: HandlerInput) -> bool:
    """Whether the person said yes to being remembered (else nothing of theirs is written)."""
    return profile(handler_input).consent is not None


def update_profile(handler_input: HandlerInput, new: Profile) -> None:
    handler_input.attributes_manager.request_attributes[PROFILE] = new


def stored_state(handler_input: HandlerInput, plugin: str) -> dict[str, Any]:
    """What the profile keeps for `plugin` (plugins read it through their progress model)."""
    return dict(profile(handler_input).plugin_state.get(plugin, {}))


def store_state(handler_input: HandlerInput, plugin: str, state: StoredState) -> None:
    """Keeps `state` for `plugin` and makes it the activity a later launch can resume."""
    current = profile(handler_input)
    states = (
        {**current.plugin_state, plugin: state}
        if state
        else {name: kept for name, kept in current.plugin_state.items() if name != plugin}
    )
    recent = [plugin, *(name for name in current.recent if name != plugin)][:RECENT_KEPT]
    update_profile(
        handler_input, current.changed(plugin_state=states, last_activity=plugin, recent=recent)
    )


def session_get(handler_input: HandlerInput, key: str) -> Any:
    """A session attribute, or None (requests without a session have none)."""
    if not in_session(handler_input):
        return None  # the SDK raises on session attributes of a request without a session
    return handler_input.attributes_manager.session_attributes.get(key)


def help_given_for(handler_input: HandlerInput) -> str | None:
    """The risk ("crisis", "abuse", "past_hurt", "medical", or "unsure" after "I don't know" to
    a safety question) for which where to turn was given earlier in this session, or None:
    after it, no counters or cheer, and after "abuse" no couple repair."""
    given = session_get(handler_input, HELP_GIVEN)
    return given if isinstance(given, str) else None


def first_time(handler_input: HandlerInput, key: str) -> bool:
    """True the first time `key` is asked about in this session, then False: for instructions
    ("say continue when you're ready") that are said once, not after every answer."""
    if not in_session(handler_input):
        return True
    session = handler_input.attributes_manager.session_attributes
    said = session.get(SAID_ONCE)
    said = said if isinstance(said, list) else []
    if key in said:
        return False
    session[SAID_ONCE] = [*said, key][-32:]
    return True
