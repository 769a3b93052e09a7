"""Saving the profile: only with consent, never counted twice, and never after an erase.

Each item carries an origin (made at its first write) and the tokens of its last writes
(skill/store.py). A save is conditional on the version and origin this session read; when it
loses to another device's write, this turn's change is merged onto it (skill/blocks/merge.py).
When the item was erased since (forget me, or the skill disabled, on another device), nothing
is written and the session goes on in memory. A write whose answer never came is kept as
pending, with what it wrote, and settled by one read before the next write.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.loaded import core_text
from skill.blocks.loaded import loaded as serving
from skill.blocks.merge import merge
from skill.blocks.progress import Merge
from skill.blocks.sdk import ResponseInterceptor
from skill.blocks.session import (
    CONSENTED_NOW,
    ERASED,
    LOADED_PROFILE,
    NOTICES_GIVEN,
    PENDING_WRITES,
    PROFILE,
    READ_FAILED,
    STORE,
    UNSAVED_BASE,
    profile,
)
from skill.core.carried import checked, kept_profile, normalised
from skill.speech import Speech
from skill.state import SCHEMA_VERSION, Profile
from skill.store import ProfileConflict, ProfileStore, StoreUnavailable, new_token, with_write

log = logging.getLogger(__name__)

# A write that keeps losing the race to other devices gives up after this many tries (each
# read and write also counts against the request's store budget).
MERGE_ATTEMPTS = 6
MERGE_JITTER_SECONDS = 0.01


class NotSaved(Exception):
    """The table did not take the write in time: `current` (merged, perhaps, onto newer stored
    progress) is what to carry on, `base` the stored profile it is relative to."""

    def __init__(self, reason: str, base: Profile, current: Profile) -> None:
        super().__init__(reason)
        self.reason, self.base, self.current = reason, base, current


class ErasedElsewhere(Exception):
    """The item a session read was erased since it read it."""


class SaveProfile(ResponseInterceptor):
    """Writes the profile when its content changed (or consent was just given) and the person
    said yes to being remembered; the session carries it either way. When the table does not
    answer, the change stays in the session, is tried again next turn, and the person is told
    once; when the item was erased elsewhere, the person is told once that nothing is kept."""

    def __init__(self, store: ProfileStore) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attributes = handler_input.attributes_manager
        if LOADED_PROFILE not in attributes.request_attributes:
            return
        if attributes.request_attributes.get(ERASED):
            attributes.session_attributes.clear()
            return
        current = checked(profile(handler_input))
        loaded: Profile = attributes.request_attributes[LOADED_PROFILE]
        session = attributes.session_attributes
        yes_now = bool(attributes.request_attributes.get(CONSENTED_NOW))
        if _worth_writing(loaded, current) or (yes_now and current.consent is not None):
            try:
                current = Writer(self.store, handler_input).write(loaded, current, yes_now)
                session.pop(UNSAVED_BASE, None)
            except ErasedElsewhere:
                log.info("the stored profile was erased after this session read it; not written")
                current = in_memory(current)
                session.pop(UNSAVED_BASE, None)
                _tell_once(handler_input, response, "erased_elsewhere")
            except NotSaved as failed:
                log.warning("profile not saved: %s", failed.reason)
                # Merged onto another device's progress, perhaps: that is what is carried on.
                current = failed.current
                session[UNSAVED_BASE] = failed.base.dumped()
                _tell_once(handler_input, response, "progress_not_saved")
        elif current.content() != loaded.content():
            # Not written (no consent yet, say): remember what the changes are relative to, so
            # that a later write adds them to what is stored instead of assuming them stored.
            session.setdefault(UNSAVED_BASE, loaded.dumped())
        session[PROFILE] = current.dumped()
        if attributes.request_attributes.get(READ_FAILED):
            _tell_once(handler_input, response, "progress_not_read")


class Writer:
    """One turn's write: settles an earlier unanswered one, then writes, merging as needed."""

    def __init__(self, store: ProfileStore, handler_input: HandlerInput) -> None:
        self.store = store
        self.handler_input = handler_input
        self.envelope = handler_input.request_envelope
        self.session = handler_input.attributes_manager.session_attributes
        plugins = serving(handler_input)

        def rules(name: str) -> Mapping[str, Merge]:
            plugin = plugins.named(name)
            return plugin.progress_model.merge_rules() if plugin is not None else {}

        self.rules: Callable[[str], Mapping[str, Merge]] = rules

    def write(self, loaded: Profile, current: Profile, yes_now: bool) -> Profile:
        """Saves `current` (its change relative to `loaded`); returns what was written, with its
        new version, or the stored profile when it must not be overwritten. Raises
        ErasedElsewhere, or NotSaved (the write then kept as pending)."""
        loaded, current = self._settled(loaded, current)
        for attempt in range(MERGE_ATTEMPTS):
            if current.version == 0 and current.origin is None:
                current = current.changed(origin=new_token())
            token = new_token()
            written = current.changed(
                version=current.version + 1, writes=with_write(current.writes, token)
            )
            try:
                self.store.save_attributes(self.envelope, current.dumped(), token)
                return written
            except StoreUnavailable as error:
                # It may yet have been applied: the next write settles it first.
                self.session[PENDING_WRITES] = [{"token": token, "profile": written.dumped()}]
                raise NotSaved(str(error), loaded, current) from error
            except ProfileConflict as conflict:
                item = conflict.stored
            if attempt:
                # Lost the race again: a random, growing wait, so that a device that keeps
                # losing gets its turn; then read afresh, and merge and write at once.
                time.sleep(random.uniform(0, MERGE_JITTER_SECONDS * 2**attempt))
                item = self._read(loaded, current)
            stored = normalised(self.handler_input, Profile.read(item))
            if stored.schema_version > SCHEMA_VERSION:
                log.warning("stored profile has newer schema; not overwritten")
                return stored
            if erased_since(loaded, stored):
                if not yes_now:
                    raise ErasedElsewhere
                # The yes was said this turn, after the erase: a new item, from this session.
                log.info("consent given again after an erase elsewhere; a new item")
                loaded, current = Profile(), in_memory(current, keep_consent=True)
            log.info("profile changed on another device; merging this turn's change")
            loaded, current = stored, merge(loaded, current, stored, self.rules)
            if current.consent is None:
                raise ErasedElsewhere  # never reached by a merge; never written either
        raise NotSaved("the stored profile kept changing", loaded, current)

    def _settled(self, loaded: Profile, current: Profile) -> tuple[Profile, Profile]:
        """When an earlier turn's write never had its answer: one read says whether it landed.
        If it did, this turn's change is relative to what it wrote, not to be added again."""
        pending = [
            (str(entry.get("token")), kept_profile(self.handler_input, entry.get("profile")))
            for entry in self.session.get(PENDING_WRITES) or []
        ]
        if not pending:
            return loaded, current
        stored = normalised(self.handler_input, Profile.read(self._read(loaded, current)))
        # Settled either way: a write does not land seconds after its turn.
        self.session.pop(PENDING_WRITES, None)
        landed = [written for token, written in pending if written and token in stored.writes]
        if not landed:
            return loaded, current
        log.info("an earlier write of this session was applied; going on from it")
        if stored.schema_version > SCHEMA_VERSION:
            return stored, current  # the write loop leaves such an item as it is
        return stored, merge(landed[-1], current, stored, self.rules)

    def _read(self, loaded: Profile, current: Profile) -> dict[str, object]:
        try:
            item: dict[str, object] = self.store.get_attributes(self.envelope)
        except StoreUnavailable as error:
            raise NotSaved(str(error), loaded, current) from error
        return item


def erased_since(read: Profile, stored: Profile) -> bool:
    """Whether the item `read` came from is gone: deleted ("forget me", the skill disabled), or
    deleted and made anew (another origin), or no longer consented to."""
    if read.version == 0:
        return False  # nothing was stored when this session read it
    return stored.origin != read.origin or stored.version < read.version or stored.consent is None


def in_memory(current: Profile, keep_consent: bool = False) -> Profile:
    """What a session goes on with once its item was erased elsewhere: the places it is at, for
    this session only (nothing of the erased item's identity, visits or consent)."""
    return Profile(
        last_activity=current.last_activity,
        recent=current.recent,
        plugin_state=current.plugin_state,
        consent=current.consent if keep_consent else None,
        visits=1,
        last_visit=current.last_visit,
    )


def stored_now(handler_input: HandlerInput) -> Profile | None:
    """The stored profile as it is now (one read), or None when the table does not answer."""
    store: ProfileStore = handler_input.attributes_manager.request_attributes[STORE]
    try:
        item = store.get_attributes(handler_input.request_envelope)
    except StoreUnavailable:
        return None
    return Profile.read(item)


def _kept_as_carried(handler_input: HandlerInput) -> bool | None:
    """Whether the stored profile the session carries is still there (one read): None when
    nothing was stored or the table does not answer."""
    current = profile(handler_input)
    if current.consent is None or current.version == 0:
        return None
    stored = stored_now(handler_input)
    return None if stored is None else not erased_since(current, stored)


def still_kept(handler_input: HandlerInput) -> bool:
    """Whether what the session carries is stored, and not erased on another device since it
    was read: asked before telling the person their place is kept."""
    return _kept_as_carried(handler_input) is True


def erased_elsewhere(handler_input: HandlerInput) -> bool:
    """Whether the profile the session carries was erased on another device since it was read
    (one read; False when the table does not answer). If so, the session goes on in memory."""
    if _kept_as_carried(handler_input) is not False:
        return False
    current = profile(handler_input)
    attributes = handler_input.attributes_manager
    attributes.request_attributes[PROFILE] = in_memory(current)
    attributes.request_attributes[LOADED_PROFILE] = in_memory(current)
    attributes.session_attributes.pop(UNSAVED_BASE, None)
    return True


def _worth_writing(loaded: Profile, current: Profile) -> bool:
    if current.consent is None or current.content() == loaded.content():
        return False
    if loaded.schema_version > SCHEMA_VERSION:
        # Written by a newer version of the skill (e.g. before a rollback): never downgrade it.
        log.warning("stored profile has newer schema %d; not overwritten", loaded.schema_version)
        return False
    return True


def _tell_once(handler_input: HandlerInput, response: Response | None, notice: str) -> None:
    """Puts a short notice before what the skill says, the first time in the session."""
    speech = response.output_speech if response is not None else None
    session = handler_input.attributes_manager.session_attributes
    given = session.get(NOTICES_GIVEN, [])
    if speech is None or getattr(speech, "ssml", None) is None or notice in given:
        return
    session[NOTICES_GIVEN] = [*given, notice]
    speech.ssml = Speech(getattr(core_text(handler_input), notice)).then(speech.ssml).safe_ssml()
