"""Interceptors around every handler: load the profile, then remember what was said (the save
is skill/core/saving.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.blocks.loaded import Loaded
from skill.blocks.sdk import RequestInterceptor, ResponseInterceptor
from skill.blocks.session import (
    LAST_RESPONSE,
    LOADED_PROFILE,
    NEXT_TURN,
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
)
from skill.core.carried import kept_profile, normalised, owner_of
from skill.core.name_free import is_name_free_query
from skill.state import Profile
from skill.store import SORT_KEY, ProfileStore, StoreUnavailable, item_key

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
        if is_name_free_query(handler_input):
            return  # answered from the declarations alone: Alexa's rule is no state at all
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


def _read(handler_input: HandlerInput) -> Profile:
    """The stored profile, or an empty one when it cannot be read (the turn still goes on; a
    later write cannot overwrite what is stored: it is merged onto it)."""
    try:
        stored = Profile.read(handler_input.attributes_manager.persistent_attributes)
        return normalised(handler_input, stored)
    except StoreUnavailable as error:
        log.warning("profile not read: %s", error)
        handler_input.attributes_manager.request_attributes[READ_FAILED] = True
        return Profile()


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
