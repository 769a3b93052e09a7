"""Interceptors around every handler: load the profile, then remember and save what changed."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping

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
from skill.store import SORT_KEY, ProfileConflict, ProfileStore, StoreUnavailable, item_key

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
    Alexa now recognises another speaker (partners taking turns), whose own profile is read."""

    def process(self, handler_input: HandlerInput) -> None:
        if not in_session(handler_input):
            return  # skill events (e.g. SkillDisabled) come without a session or a profile
        attributes = handler_input.attributes_manager
        session = attributes.session_attributes
        person = item_key(handler_input.request_envelope)[SORT_KEY]
        carried = session.get(PROFILE)
        if carried is not None and session.get(PROFILE_OF) == person:
            loaded = current = Profile.model_validate(carried)
            unsaved = session.get(UNSAVED_BASE)
            if unsaved is not None:
                # An earlier turn's change is still to be written: compare with what is stored.
                loaded = Profile.model_validate(unsaved)
        else:
            session.pop(UNSAVED_BASE, None)
            loaded = current = _read(handler_input)
            session[PROFILE_OF] = person
        if session.get(VISIT_COUNTED) != person:
            # Once per session and person, whatever the first request, even if read again.
            session[VISIT_COUNTED] = person
            current = current.with_visit(handler_input.request_envelope.request.timestamp.date())
        attributes.request_attributes[LOADED_PROFILE] = loaded
        attributes.request_attributes[PROFILE] = current


class SaveProfile(ResponseInterceptor):
    """Writes the profile only when its content changed and the person said yes to being
    remembered; the session carries it either way.

    When another device saved first, this turn's change is merged onto what it saved and
    written again (skill/blocks/merge.py), so neither device's progress is lost. When the table
    does not answer, the change stays in the session, is tried again next turn, and the person
    is told once.
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
            except StoreUnavailable as error:
                log.warning("profile not saved: %s", error)
                session[UNSAVED_BASE] = loaded.model_dump(mode="json")
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
        written (with its new version), or the stored profile if it must not be overwritten."""
        envelope = handler_input.request_envelope
        for attempt in range(MERGE_ATTEMPTS):
            try:
                self.store.save_attributes(envelope, current.model_dump(mode="json"))
                return current.model_copy(update={"version": current.version + 1})
            except ProfileConflict:
                # A random, growing wait before reading again, so that a device that keeps
                # losing the race gets its turn; read and write then follow at once.
                time.sleep(random.uniform(0, MERGE_JITTER_SECONDS * 2**attempt))
                stored = Profile.model_validate(self.store.get_attributes(envelope))
                if stored.schema_version > SCHEMA_VERSION:
                    log.warning("stored profile has newer schema; not overwritten")
                    return stored
                log.info("profile changed on another device; merging this turn's change")
                rules = _merge_rules(handler_input)
                loaded, current = stored, merge(loaded, current, stored, rules)
        raise StoreUnavailable("the stored profile kept changing")


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
