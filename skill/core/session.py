"""What every handler (core or plugin) reaches for: profile, texts, plugins, and a reply."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self, cast

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.core.content import CoreContent
from skill.core.plugin import CORE
from skill.plugin import Plugin
from skill.speech import Speech
from skill.state import Profile, fits

# Session attribute names (they travel to Alexa and back with every turn).
PROFILE = "profile"
LAST_RESPONSE = "lastResponse"
# Session attributes that hold for the next turn only (e.g. "yes" to an offer just made).
NEXT_TURN = "nextTurn"
# The plugin the person is in the middle of, if any (its commands like "next" apply).
ACTIVE = "activePlugin"
# Next-turn key: a plugin whose place was just offered back ("pick up where you left off?").
RESUME_OFFERED = "resumeOffered"
# The plugin to offer going back to when the activity started from it ends.
RETURN_TO = "returnTo"
# The person (personId, or the account) whose visit this session has counted.
VISIT_COUNTED = "visitCounted"
# The person whose profile the session carries.
PROFILE_OF = "profileOf"
# Request attribute names (live for one request only).
LOADED_PROFILE = "loadedProfile"
THIS_TURN = "thisTurn"
PLUGINS = "plugins"
# Set when the person's data was just erased: nothing may be written for this turn.
ERASED = "erased"
# The stored profile could not be read this turn (the session goes on from an empty one).
READ_FAILED = "readFailed"
# Session: the profile last read or written, while the session carries changes not yet saved.
UNSAVED_BASE = "unsavedBase"
# Session: the store notices the person has already heard (each is said once per session).
NOTICES_GIVEN = "noticesGiven"


def in_session(handler_input: HandlerInput) -> bool:
    return handler_input.request_envelope.session is not None


def profile(handler_input: HandlerInput) -> Profile:
    current: Profile = handler_input.attributes_manager.request_attributes[PROFILE]
    return current


def update_profile(handler_input: HandlerInput, new: Profile) -> None:
    handler_input.attributes_manager.request_attributes[PROFILE] = new


def plugin_state(handler_input: HandlerInput, plugin: str) -> dict[str, Any]:
    """A copy of the plugin's stored progress (empty if none): change it with set_plugin_state."""
    return dict(profile(handler_input).plugin_state.get(plugin, {}))


def set_plugin_state(handler_input: HandlerInput, plugin: str, state: dict[str, Any]) -> None:
    """Stores the plugin's progress and makes it the activity a later launch can resume."""
    current = profile(handler_input)
    states = {**current.plugin_state, plugin: state}
    update_profile(
        handler_input,
        current.model_copy(update={"plugin_state": states, "last_activity": plugin}),
    )


class StoredProgress:
    """Base of a plugin's frozen dataclass of progress, kept in the profile under `PLUGIN`.

    Fields a newer version added or an older one dropped are ignored when read back, and so is
    a value of another type than the field's default (a field whose type changed between
    versions): the field reads as never set.
    """

    PLUGIN: ClassVar[str]
    # When two devices saved at once (skill/core/merge.py): counters add up both devices'
    # increments, bit sets join, and any other field takes whichever side changed it.
    COUNTERS: ClassVar[frozenset[str]] = frozenset()
    BITS: ClassVar[frozenset[str]] = frozenset()
    registry: ClassVar[dict[str, type[StoredProgress]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "PLUGIN" in cls.__dict__:
            StoredProgress.registry[cls.PLUGIN] = cls

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Self:
        defaults = {f.name: f.default for f in dataclasses.fields(cast(Any, cls))}
        stored = plugin_state(handler_input, cls.PLUGIN)
        return cls(**{k: v for k, v in stored.items() if k in defaults and fits(v, defaults[k])})

    def save(self, handler_input: HandlerInput) -> None:
        names = _field_names(type(self))
        set_plugin_state(handler_input, self.PLUGIN, {n: getattr(self, n) for n in names})


def _field_names(cls: type) -> set[str]:
    # The dataclass's own fields: not PLUGIN, which dataclasses list as a ClassVar pseudo-field.
    return {f.name for f in dataclasses.fields(cast(Any, cls))}


def plugin_named(handler_input: HandlerInput, name: str | None) -> Plugin[Any] | None:
    return next((p for p in plugins(handler_input) if p.name == name), None)


def core_text(handler_input: HandlerInput) -> CoreContent:
    return CORE.content(handler_input.request_envelope.request.locale)


def plugins(handler_input: HandlerInput) -> tuple[Plugin[Any], ...]:
    found: tuple[Plugin[Any], ...] = handler_input.attributes_manager.request_attributes[PLUGINS]
    return found


def set_active(handler_input: HandlerInput, plugin: str | None) -> None:
    """Marks `plugin` as the activity in progress (None: back at the menu)."""
    session = handler_input.attributes_manager.session_attributes
    if plugin is None:
        session.pop(ACTIVE, None)
    else:
        session[ACTIVE] = plugin


def any_active(handler_input: HandlerInput) -> bool:
    # Requests without a session (AudioPlayer, skill events) reach every handler's check.
    return (
        in_session(handler_input) and ACTIVE in handler_input.attributes_manager.session_attributes
    )


def intent_in(handler_input: HandlerInput, *names: str) -> bool:
    """Whether the request is an IntentRequest for one of these intents."""
    request = handler_input.request_envelope.request
    return getattr(request, "object_type", None) == "IntentRequest" and request.intent.name in names


def is_active(handler_input: HandlerInput, plugin: str) -> bool:
    if not in_session(handler_input):
        return False  # the SDK raises on session attributes of a request without a session
    return bool(handler_input.attributes_manager.session_attributes.get(ACTIVE) == plugin)


def expect_next_turn(handler_input: HandlerInput, key: str, value: Any) -> None:
    """Remembers `value` for the person's very next turn only."""
    session = handler_input.attributes_manager.session_attributes
    session.setdefault(NEXT_TURN, {})[key] = value


def from_last_turn(handler_input: HandlerInput, key: str) -> Any:
    """What the previous turn set with expect_next_turn, or None."""
    return handler_input.attributes_manager.request_attributes.get(THIS_TURN, {}).get(key)


def keep_expecting(handler_input: HandlerInput) -> None:
    """Carries what the last turn expected over to the next one: for answers that repeat the
    last question (repeat, not understood, an error), so that answering it still works."""
    expected = handler_input.attributes_manager.request_attributes.get(THIS_TURN)
    session = handler_input.attributes_manager.session_attributes
    if expected:
        session[NEXT_TURN] = dict(expected)
    else:
        session.pop(NEXT_TURN, None)


def last_reprompt(handler_input: HandlerInput) -> str | None:
    """The SSML of the last reprompt: it says what the person can say right now."""
    last = handler_input.attributes_manager.session_attributes.get(LAST_RESPONSE) or {}
    reprompt = last.get("reprompt")
    return reprompt if isinstance(reprompt, str) else None


def reply(
    handler_input: HandlerInput, speech: Speech, reprompt: Speech | str | None = None
) -> Response:
    """A turn that keeps the session open (with a reprompt) or, without one, ends it."""
    builder = handler_input.response_builder.speak(speech.safe_ssml())
    if reprompt is None:
        builder.set_should_end_session(True)
    else:
        builder.ask(reprompt if isinstance(reprompt, str) else reprompt.safe_ssml())
    response: Response = builder.response
    return response
