"""The whole request pipeline, top to bottom (see ARCHITECTURE.md section 1)."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from skill import core
from skill.plugin import Plugin, discover
from skill.store import ProfileStore

log = logging.getLogger(__name__)


class ForeignSkillId(AskSdkException):  # type: ignore[misc]
    """A request whose applicationId is not this skill's: refused before any handler."""


def build_skill(
    store: ProfileStore | None = None,
    skill_id: str | None = None,
    plugins: tuple[Plugin[Any], ...] | None = None,
) -> CustomSkill:
    """The skill with every installed plugin (or just `plugins`), storing through `store`."""
    if plugins is None:
        plugins = discover().plugins
    builder = CustomSkillBuilder(persistence_adapter=store or ProfileStore())
    # The SDK refuses a foreign applicationId before any interceptor or handler runs.
    builder.skill_id = skill_id if skill_id is not None else os.environ.get("SKILL_ID") or None
    for interceptor in core.request_interceptors(plugins):
        builder.add_global_request_interceptor(interceptor)
    plugin_handlers = [handler for plugin in plugins for handler in plugin.handlers()]
    for handler in core.global_handlers() + plugin_handlers + core.menu_handlers():
        builder.add_request_handler(handler)
    for exception_handler in core.exception_handlers():
        builder.add_exception_handler(exception_handler)
    for response_interceptor in core.response_interceptors():
        builder.add_global_response_interceptor(response_interceptor)
    skill: CustomSkill = builder.create()
    return skill


def handle_event(skill: CustomSkill, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Alexa's JSON envelope in, JSON response out, through the SDK's own serializer."""
    envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    if skill.skill_id is not None:
        application_id = envelope.context.system.application.application_id
        if application_id != skill.skill_id:
            log.warning("refused a request for another skill id")
            raise ForeignSkillId("request is not for this skill")
    response = skill.invoke(request_envelope=envelope, context=context)
    serialized: dict[str, Any] = skill.serializer.serialize(response)
    return serialized
