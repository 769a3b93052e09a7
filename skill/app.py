"""The whole request pipeline, top to bottom (see ARCHITECTURE.md section 1)."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa_api import TimedApiClient
from skill.blocks.dispatch import Attributed, FocusFirst
from skill.blocks.loaded import Loaded
from skill.blocks.plugin import LOCALES, Plugin
from skill.blocks.sdk import SkillError
from skill.blocks.snapshot import Snapshot, default_folder
from skill.core import Core, TurnContext, exception_handlers, request_interceptors
from skill.core import response_interceptors as core_response_interceptors
from skill.core.envelope import MalformedEnvelope as MalformedEnvelope
from skill.core.envelope import drop_foreign_attributes, read_envelope
from skill.core.name_free import CanFulfillHandler
from skill.discovery import project_file, project_snapshot, served
from skill.safety import Safety
from skill.safety.slots import ScreenSlots
from skill.store import ProfileStore

log = logging.getLogger(__name__)


class ForeignSkillId(SkillError):
    """A request whose applicationId is not this skill's: refused before any handler."""


def build_skill(
    store: ProfileStore | None = None,
    skill_id: str | None = None,
    plugins: tuple[Plugin[Any, Any], ...] | None = None,
) -> CustomSkill:
    """The skill with the enabled plugins (or just `plugins`), storing through `store`.

    Its content comes from the content snapshot: the enabled plugins' must be there (the Lambda
    zip's; the development tools write one beside the project file); given `plugins` (the
    development tools', the tests'), each is served from the snapshot beside the project file
    when it holds that plugin, else validated from its files.
    """
    store = store or ProfileStore()
    snapshot: Snapshot | None
    if plugins is None:
        snapshot = Snapshot.read(default_folder(project_file()))
        plugins = served(snapshot).plugins
    else:
        snapshot = project_snapshot()
    core = Core()
    serving = Loaded(safety=Safety(), core=core, plugins=plugins)
    for declaration in serving.everything:
        held = snapshot is not None and snapshot.holds(declaration.name, type(declaration))
        type(declaration).serve_from(snapshot if held else None)
    builder = CustomSkillBuilder(persistence_adapter=store, api_client=TimedApiClient())
    # The SDK refuses a foreign applicationId before any interceptor or handler runs.
    builder.skill_id = skill_id if skill_id is not None else os.environ.get("SKILL_ID") or None
    builder.add_global_request_interceptor(TurnContext(serving, store))
    for interceptor in [*request_interceptors(), ScreenSlots()]:
        builder.add_global_request_interceptor(interceptor)
    handlers = [
        # Alexa asking whether the skill could serve a request said without its name: answered
        # from the declarations, before anything of the person's is read (see LoadProfile).
        Attributed(CanFulfillHandler(core), "core"),
        *(Attributed(h, "safety") for h in serving.safety.request_handlers),  # help first
        *(Attributed(h, "core") for h in core.request_handlers),
        FocusFirst(),  # the plugins: the one the person is in first, then the enabled order
        *(Attributed(h, "core") for h in core.last_handlers),
    ]
    for handler in handlers:
        builder.add_request_handler(handler)
    for exception_handler in exception_handlers():
        builder.add_exception_handler(exception_handler)
    for response_interceptor in core_response_interceptors(store):
        builder.add_global_response_interceptor(response_interceptor)
    skill: CustomSkill = builder.create()
    return skill


def warm_up(skill: CustomSkill) -> None:
    """Does now what first requests would: reads every declaration's content in every locale,
    compiles each locale's screening rules and makes the Alexa API client. For a SnapStart
    snapshot (skill/snapstart.py), so that no environment restored from it pays for these."""
    serving = next(
        i.plugins
        for i in skill.request_dispatcher.request_interceptors
        if isinstance(i, TurnContext)
    )
    for declaration in serving.everything:
        for locale in LOCALES:
            declaration.locale_file(locale)
    for locale in LOCALES:
        serving.safety.content(locale).screening()
    if isinstance(skill.api_client, TimedApiClient):
        skill.api_client.prepare()


def handle_event(skill: CustomSkill, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Alexa's JSON envelope in, JSON response out, through the SDK's own serializer.

    Refused before any interceptor or handler: an envelope that cannot be from Alexa
    (MalformedEnvelope) and one for another skill (ForeignSkillId), each logged as one line.
    """
    try:
        envelope = read_envelope(skill.serializer, event)
    except MalformedEnvelope as refusal:
        # Which part is wrong, never a value: a malformed envelope may carry anything.
        log.warning(json.dumps({"outcome": "refused", "malformed": refusal.part}))
        raise
    if skill.skill_id is not None:
        application_id = envelope.context.system.application.application_id
        if application_id != skill.skill_id:
            request = envelope.request
            log.warning(json.dumps({"requestId": request.request_id, "outcome": "refused"}))
            raise ForeignSkillId("request is not for this skill")
    drop_foreign_attributes(envelope)
    response = skill.invoke(request_envelope=envelope, context=context)
    serialized: dict[str, Any] = skill.serializer.serialize(response)
    return serialized
