"""Interceptors around every handler: load the profile, then remember and save what changed."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from botocore.exceptions import BotoCoreError, ClientError

from skill.core.session import (
    ERASED,
    LAST_RESPONSE,
    LOADED_PROFILE,
    NEXT_TURN,
    PLUGINS,
    PROFILE,
    PROFILE_OF,
    THIS_TURN,
    VISIT_COUNTED,
    in_session,
    profile,
)
from skill.plugin import Plugin
from skill.state import SCHEMA_VERSION, Profile
from skill.store import SORT_KEY, ProfileConflict, item_key

log = logging.getLogger(__name__)


class TurnContext(AbstractRequestInterceptor):  # type: ignore[misc]
    """Gives handlers the loaded plugins, and what the last turn left for this one only."""

    def __init__(self, plugins: tuple[Plugin[Any], ...]) -> None:
        self.plugins = plugins

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager
        attributes.request_attributes[PLUGINS] = self.plugins
        if in_session(handler_input):
            next_turn = attributes.session_attributes.pop(NEXT_TURN, {})
            attributes.request_attributes[THIS_TURN] = next_turn


class LoadProfile(AbstractRequestInterceptor):  # type: ignore[misc]
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
        else:
            loaded = current = _read(handler_input)
            session[PROFILE_OF] = person
        if session.get(VISIT_COUNTED) != person:
            # Once per session and person, whatever the first request, even if read again.
            session[VISIT_COUNTED] = person
            current = loaded.with_visit(handler_input.request_envelope.request.timestamp.date())
        attributes.request_attributes[LOADED_PROFILE] = loaded
        attributes.request_attributes[PROFILE] = current


class SaveProfile(AbstractResponseInterceptor):  # type: ignore[misc]
    """Writes the profile only when its content changed and the person said yes to being
    remembered; the session carries it either way."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attributes = handler_input.attributes_manager
        if LOADED_PROFILE not in attributes.request_attributes:
            return
        if attributes.request_attributes.get(ERASED):
            attributes.session_attributes.clear()
            return
        current = profile(handler_input)
        loaded: Profile = attributes.request_attributes[LOADED_PROFILE]
        if _worth_writing(loaded, current):
            attributes.persistent_attributes = current.model_dump(mode="json")
            try:
                attributes.save_persistent_attributes()
            except ProfileConflict:
                # Another device saved first: keep its newer progress, and read it next turn.
                log.warning("profile changed on another device; this turn's change not saved")
                attributes.session_attributes.pop(PROFILE, None)
                return
            except (BotoCoreError, ClientError) as error:
                # The answer still goes out; the change is tried again with the next one.
                log.warning("profile not saved: %s", type(error).__name__)
                attributes.session_attributes[PROFILE] = current.model_dump(mode="json")
                return
            current = current.model_copy(update={"version": current.version + 1})
        attributes.session_attributes[PROFILE] = current.model_dump(mode="json")


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
    later write cannot overwrite what is stored, thanks to the version check)."""
    try:
        return Profile.model_validate(handler_input.attributes_manager.persistent_attributes)
    except (BotoCoreError, ClientError) as error:
        log.warning("profile not read: %s", type(error).__name__)
        return Profile()


class RememberResponse(AbstractResponseInterceptor):  # type: ignore[misc]
    """Keeps the last thing said, so that "repeat" can say it again exactly."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None or response.output_speech is None or not in_session(handler_input):
            return
        reprompt = response.reprompt.output_speech.ssml if response.reprompt else None
        handler_input.attributes_manager.session_attributes[LAST_RESPONSE] = {
            "speech": response.output_speech.ssml,
            "reprompt": reprompt,
        }
