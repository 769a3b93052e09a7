"""Interceptors around every handler: load the profile, then remember and save what changed."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type, is_request_type
from ask_sdk_model import Response

from skill.core.session import (
    LAST_RESPONSE,
    LOADED_PROFILE,
    NEXT_TURN,
    PLUGINS,
    PROFILE,
    THIS_TURN,
    profile,
)
from skill.plugin import Plugin
from skill.state import Profile
from skill.store import ProfileConflict

log = logging.getLogger(__name__)


class LogRequest(AbstractRequestInterceptor):  # type: ignore[misc]
    """Logs what kind of request came in: never slot values, which may hold the person's words."""

    def process(self, handler_input: HandlerInput) -> None:
        request_type = get_request_type(handler_input)
        intent = get_intent_name(handler_input) if request_type == "IntentRequest" else "-"
        log.info("request %s intent %s", request_type, intent)


class TurnContext(AbstractRequestInterceptor):  # type: ignore[misc]
    """Gives handlers the loaded plugins, and what the last turn left for this one only."""

    def __init__(self, plugins: tuple[Plugin[Any], ...]) -> None:
        self.plugins = plugins

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager
        attributes.request_attributes[PLUGINS] = self.plugins
        attributes.request_attributes[THIS_TURN] = attributes.session_attributes.pop(NEXT_TURN, {})


class LoadProfile(AbstractRequestInterceptor):  # type: ignore[misc]
    """Reads the stored profile once per session; later turns take it from the session."""

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager
        in_session = attributes.session_attributes.get(PROFILE)
        if in_session is not None:
            loaded = Profile.model_validate(in_session)
            current = loaded
        else:
            loaded = Profile.model_validate(attributes.persistent_attributes)
            # The visit is counted when the session starts, whatever the first request is.
            current = loaded.with_visit(handler_input.request_envelope.request.timestamp.date())
        attributes.request_attributes[LOADED_PROFILE] = loaded
        attributes.request_attributes[PROFILE] = current


class SaveProfile(AbstractResponseInterceptor):  # type: ignore[misc]
    """Writes the profile only when its content changed, and carries it in the session."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attributes = handler_input.attributes_manager
        current = profile(handler_input)
        loaded: Profile = attributes.request_attributes[LOADED_PROFILE]
        if current.content() != loaded.content():
            attributes.persistent_attributes = current.model_dump(mode="json")
            try:
                attributes.save_persistent_attributes()
            except ProfileConflict:
                # Another device saved first: keep its newer progress, and read it next turn.
                log.warning("profile changed on another device; this turn's change not saved")
                attributes.session_attributes.pop(PROFILE, None)
                return
            current = current.model_copy(update={"version": current.version + 1})
        attributes.session_attributes[PROFILE] = current.model_dump(mode="json")


class RememberResponse(AbstractResponseInterceptor):  # type: ignore[misc]
    """Keeps the last thing said, so that "repeat" can say it again exactly."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None or response.output_speech is None:
            return
        if is_request_type("SessionEndedRequest")(handler_input):
            return
        reprompt = response.reprompt.output_speech.ssml if response.reprompt else None
        handler_input.attributes_manager.session_attributes[LAST_RESPONSE] = {
            "speech": response.output_speech.ssml,
            "reprompt": reprompt,
        }
