"""Interceptors around every handler: load the profile, then remember and save what changed."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.loaded import Loaded, core_text
from skill.blocks.loaded import loaded as serving
from skill.blocks.merge import merge
from skill.blocks.progress import Merge
from skill.blocks.sdk import RequestInterceptor, ResponseInterceptor
from skill.blocks.session import (
    ERASED,
    LAST_RESPONSE,
    LOADED_PROFILE,
    NEXT_TURN,
    NOTICES_GIVEN,
    PENDING_WRITES,
    PLUGINS,
    PROFILE,
    PROFILE_OF,
    READ_FAILED,
    STORE,
    THIS_TURN,
    UNSAVED_BASE,
    VISIT_COUNTED,
    in_session,
    profile,
)
from skill.speech import Speech
from skill.state import SCHEMA_VERSION, Profile
from skill.store import (
    PARTITION_KEY,
    SORT_KEY,
    ProfileConflict,
    ProfileStore,
    StoreUnavailable,
    item_key,
    new_token,
    with_write,
)

log = logging.getLogger(__name__)


class TurnContext(RequestInterceptor):
    """Gives handlers the plugins and the store, and what the last turn left for this one only."""

    def __init__(self, plugins: Loaded, store: ProfileStore) -> None:
        self.plugins = plugins
        self.store = store

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager
        attributes.request_attributes[PLUGINS] = self.plugins
        attributes.request_attributes[STORE] = self.store
        if in_session(handler_input):
            next_turn = attributes.session_attributes.pop(NEXT_TURN, {})
            attributes.request_attributes[THIS_TURN] = next_turn


class LoadProfile(RequestInterceptor):
    """Reads the stored profile once per session; later turns take it from the session, unless
    Alexa now recognises another speaker (partners taking turns), whose own profile is read.

    Session attributes come back from the device: a carried profile is used only when it is
    the request's own person's (PROFILE_OF) and exactly what this version writes (kept_profile);
    otherwise it is read again from the table, and one line says so.
    """

    def process(self, handler_input: HandlerInput) -> None:
        if not in_session(handler_input):
            return  # skill events (e.g. SkillDisabled) come without a session or a profile
        attributes = handler_input.attributes_manager
        session = attributes.session_attributes
        key = item_key(handler_input.request_envelope)
        person, owner = key[SORT_KEY], owner_of(key)
        carried = _carried(handler_input, session, owner)
        if carried is not None:
            loaded = current = carried
            unsaved = kept_profile(handler_input, session.get(UNSAVED_BASE))
            if unsaved is not None:
                # An earlier turn's change is still to be written: compare with what is stored.
                loaded = unsaved
        else:
            for stale in (PROFILE, UNSAVED_BASE, PENDING_WRITES):
                session.pop(stale, None)
            loaded = current = _read(handler_input)
            session[PROFILE_OF] = owner
        if session.get(VISIT_COUNTED) != person:
            # Once per session and person, whatever the first request, even if read again.
            session[VISIT_COUNTED] = person
            current = current.with_visit(handler_input.request_envelope.request.timestamp.date())
        attributes.request_attributes[LOADED_PROFILE] = loaded
        attributes.request_attributes[PROFILE] = current


def owner_of(key: dict[str, str]) -> str:
    """Who a carried profile belongs to: a digest, so that the ids are not sent back as well."""
    named = f"{key[PARTITION_KEY]}\n{key[SORT_KEY]}".encode()
    return hashlib.blake2b(named, digest_size=12).hexdigest()


def _carried(handler_input: HandlerInput, session: dict[str, Any], owner: str) -> Profile | None:
    """The profile the session carries for `owner`, if it is one this skill wrote."""
    if PROFILE not in session:
        return None
    if session.get(PROFILE_OF) != owner:
        if session.get(PROFILE_OF) is not None:
            # Partners taking turns, or a profile carried to another user's request.
            log.info("the session's profile is another person's; reading this one's")
        return None
    carried = kept_profile(handler_input, session[PROFILE])
    if carried is None:
        log.warning(json.dumps({"droppedSessionAttributes": [PROFILE]}))
    return carried


def kept_profile(handler_input: HandlerInput, value: object) -> Profile | None:
    """`value` as a Profile if it is exactly one this version writes, its plugins' progress
    included (each plugin's progress model, as stored); else None."""
    if not isinstance(value, dict):
        return None
    try:
        kept = Profile.model_validate(value)
    except ValueError:
        return None
    if kept.model_dump(mode="json") != value:
        return None  # a value reset, a field unknown or missing: not what the skill wrote
    plugins = serving(handler_input)
    for name, state in kept.plugin_state.items():
        plugin = plugins.named(name)
        if plugin is None:
            continue  # a plugin not served now: Profile's own limits hold for it
        fields = plugin.progress_model.model_fields
        known = {key: value for key, value in state.items() if key in fields}
        read = plugin.progress_model.read(known).stored()
        # Fields missing (stored by an older version) or unknown (a newer one) are fine: a value
        # the plugin would reset is not one it wrote.
        if any(read[key] != value for key, value in known.items()):
            return None
    return kept


class SaveProfile(ResponseInterceptor):
    """Writes the profile only when its content changed and the person said yes to being
    remembered; the session carries it either way.

    When another device saved first, this turn's change is merged onto what it saved and
    written again (skill/blocks/merge.py), so neither device's progress is lost. When the item
    this session read was erased since (forget me, or the skill disabled, on another device),
    nothing is written: the session goes on from what is stored now. When the table does not
    answer, the change stays in the session, is tried again next turn, and the person is told
    once; a write applied whose answer was lost is recognised by its token, never counted twice.
    """

    def __init__(self, store: ProfileStore) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attributes = handler_input.attributes_manager
        if LOADED_PROFILE not in attributes.request_attributes:
            return
        if attributes.request_attributes.get(ERASED):
            attributes.session_attributes.clear()
            return
        current = profile(handler_input)
        loaded: Profile = attributes.request_attributes[LOADED_PROFILE]
        session = attributes.session_attributes
        if _worth_writing(loaded, current):
            try:
                current = self._write(handler_input, loaded, current)
                session.pop(UNSAVED_BASE, None)
                session.pop(PENDING_WRITES, None)
            except ErasedElsewhere:
                # Dropped whole, with its consent: what the session still holds (a place in an
                # activity) came from before the erase, and is not written into a new item
                # unless the person says yes again.
                log.info("the stored profile was erased after this session read it; not written")
                current = Profile()
                session.pop(UNSAVED_BASE, None)
                session.pop(PENDING_WRITES, None)
                _tell_once(handler_input, response, "erased_elsewhere")
            except NotSaved as failed:
                log.warning("profile not saved: %s", failed.reason)
                # Merged onto another device's progress, perhaps: that is what is carried on.
                current = failed.current
                session[UNSAVED_BASE] = failed.base.model_dump(mode="json")
                _tell_once(handler_input, response, "progress_not_saved")
        elif current.content() != loaded.content():
            # Not written (no consent yet, say): remember what the changes are relative to, so
            # that a later write adds them to what is stored instead of assuming them stored.
            session.setdefault(UNSAVED_BASE, loaded.model_dump(mode="json"))
        session[PROFILE] = current.model_dump(mode="json")
        if attributes.request_attributes.get(READ_FAILED):
            _tell_once(handler_input, response, "progress_not_read")

    def _write(self, handler_input: HandlerInput, loaded: Profile, current: Profile) -> Profile:
        """Saves `current`, merged onto newer stored progress if need be; returns what was
        written (with its new version), or the stored profile if it must not be overwritten.
        Raises ErasedElsewhere, or NotSaved (the write then kept as pending)."""
        envelope = handler_input.request_envelope
        session = handler_input.attributes_manager.session_attributes
        pending = _pending(handler_input)
        rules = _merge_rules(handler_input)
        for attempt in range(MERGE_ATTEMPTS):
            if current.version == 0 and current.origin is None:
                current = current.model_copy(update={"origin": new_token()})
            token = new_token()
            written = current.model_copy(
                update={"version": current.version + 1, "writes": with_write(current.writes, token)}
            )
            try:
                self.store.save_attributes(envelope, current.model_dump(mode="json"), token)
                return written
            except StoreUnavailable as error:
                # It may yet have been applied: a later write must know it for its own.
                kept = [*pending, (token, written)][-PENDING_KEPT:]
                session[PENDING_WRITES] = [
                    {"token": t, "profile": p.model_dump(mode="json")} for t, p in kept
                ]
                raise NotSaved(str(error), loaded, current) from error
            except ProfileConflict as conflict:
                item = conflict.stored
                if attempt:
                    # Lost the race again: a random, growing wait, so that a device that keeps
                    # losing gets its turn; then read afresh, and merge and write at once.
                    time.sleep(random.uniform(0, MERGE_JITTER_SECONDS * 2**attempt))
                    try:
                        item = self.store.get_attributes(envelope)
                    except StoreUnavailable as error:
                        raise NotSaved(str(error), loaded, current) from error
            stored = Profile.model_validate(item)
            landed = [written for token, written in pending if token in stored.writes]
            if landed:
                # An earlier turn's write was applied after all (its answer was lost): this
                # turn's change is relative to what that write put, not to be added again.
                log.info("an earlier write of this session was applied; merging from it")
                loaded, current = stored, merge(landed[-1], current, stored, rules)
                pending = []
                continue
            if erased_since(loaded, stored):
                raise ErasedElsewhere
            if stored.schema_version > SCHEMA_VERSION:
                log.warning("stored profile has newer schema; not overwritten")
                return stored
            log.info("profile changed on another device; merging this turn's change")
            loaded, current = stored, merge(loaded, current, stored, rules)
            if current.consent is None:
                raise ErasedElsewhere  # never reached by a merge; never written either
        raise NotSaved("the stored profile kept changing", loaded, current)


def _pending(handler_input: HandlerInput) -> list[tuple[str, Profile]]:
    """This session's writes whose answer never came: each token, with what it wrote."""
    session = handler_input.attributes_manager.session_attributes
    pending = []
    for entry in session.get(PENDING_WRITES) or []:
        written = kept_profile(handler_input, entry.get("profile"))
        if written is not None:
            pending.append((str(entry["token"]), written))
    return pending


def still_kept(handler_input: HandlerInput) -> bool:
    """Whether what the session carries is stored, and not erased on another device since it
    was read: asked (one read) before telling the person their place is kept."""
    current = profile(handler_input)
    if current.consent is None or current.version == 0:
        return False
    store: ProfileStore = handler_input.attributes_manager.request_attributes[STORE]
    try:
        stored = Profile.model_validate(store.get_attributes(handler_input.request_envelope))
    except StoreUnavailable:
        return False  # not known to be kept: not said
    return not erased_since(current, stored)


class NotSaved(Exception):
    """The table did not take the write in time: `current` (merged, perhaps, onto newer stored
    progress) is what to carry on, `base` the stored profile it is relative to."""

    def __init__(self, reason: str, base: Profile, current: Profile) -> None:
        super().__init__(reason)
        self.reason, self.base, self.current = reason, base, current


class ErasedElsewhere(Exception):
    """The item a session read was erased since it read it."""


def erased_since(read: Profile, stored: Profile) -> bool:
    """Whether the item `read` came from is gone: deleted ("forget me", the skill disabled), or
    deleted and made anew (another origin), or no longer consented to."""
    if read.version == 0:
        return False  # nothing was stored when this session read it
    return stored.origin != read.origin or stored.version < read.version or stored.consent is None


def _merge_rules(handler_input: HandlerInput) -> Callable[[str], Mapping[str, Merge]]:
    plugins = serving(handler_input)

    def rules(name: str) -> Mapping[str, Merge]:
        plugin = plugins.named(name)
        return plugin.progress_model.merge_rules() if plugin is not None else {}

    return rules


# A write that keeps losing the race to other devices gives up after this many tries (each
# read and write also counts against the request's store budget).
MERGE_ATTEMPTS = 6
MERGE_JITTER_SECONDS = 0.01
# How many unanswered writes a session keeps (one a turn while the table is down), each with
# the profile it wrote: a few, as each weighs as much as the profile.
PENDING_KEPT = 2


def _worth_writing(loaded: Profile, current: Profile) -> bool:
    if current.consent is None or current.content() == loaded.content():
        return False
    if loaded.schema_version > SCHEMA_VERSION:
        # Written by a newer version of the skill (e.g. before a rollback): never downgrade it.
        log.warning("stored profile has newer schema %d; not overwritten", loaded.schema_version)
        return False
    return True


def _read(handler_input: HandlerInput) -> Profile:
    """The stored profile, or an empty one when it cannot be read (the turn still goes on; a
    later write cannot overwrite what is stored: it is merged onto it)."""
    try:
        return Profile.model_validate(handler_input.attributes_manager.persistent_attributes)
    except StoreUnavailable as error:
        log.warning("profile not read: %s", error)
        handler_input.attributes_manager.request_attributes[READ_FAILED] = True
        return Profile()


def _tell_once(handler_input: HandlerInput, response: Response | None, notice: str) -> None:
    """Puts a short notice before what the skill says, the first time in the session."""
    speech = response.output_speech if response is not None else None
    session = handler_input.attributes_manager.session_attributes
    given = session.get(NOTICES_GIVEN, [])
    if speech is None or getattr(speech, "ssml", None) is None or notice in given:
        return
    session[NOTICES_GIVEN] = [*given, notice]
    speech.ssml = Speech(getattr(core_text(handler_input), notice)).then(speech.ssml).safe_ssml()


class RememberResponse(ResponseInterceptor):
    """Keeps the last thing said, so that "repeat" can say it again exactly."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None or response.output_speech is None or not in_session(handler_input):
            return
        reprompt = response.reprompt.output_speech.ssml if response.reprompt else None
        handler_input.attributes_manager.session_attributes[LAST_RESPONSE] = {
            "speech": response.output_speech.ssml,
            "reprompt": reprompt,
        }
