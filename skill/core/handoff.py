"""One plugin handing the person to another and getting them back (repair -> breathing -> repair).

The first plugin calls `come_back_after` before starting the other through its `start` hook;
when the other's activity ends, it calls `offer_return`, which asks whether to go back, and a yes
resumes the first plugin through its resume hook (see skill.core.launch.ResumeAnswerHandler).
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.core.session import (
    RESUME_OFFERED,
    RETURN_TO,
    core_text,
    expect_next_turn,
    plugin_named,
    reply,
    set_active,
)
from skill.plugin import MenuContent
from skill.speech import Speech


def come_back_after(handler_input: HandlerInput, plugin: str) -> None:
    handler_input.attributes_manager.session_attributes[RETURN_TO] = plugin


def offer_return(handler_input: HandlerInput, speech: Speech) -> Response | None:
    """Ends `speech` by offering to go back to the plugin that handed over, if one did."""
    name = handler_input.attributes_manager.session_attributes.pop(RETURN_TO, None)
    target = plugin_named(handler_input, name)
    if target is None or target.resume is None:
        return None
    content = target.content(handler_input.request_envelope.request.locale)
    label = content.label if isinstance(content, MenuContent) else target.name
    text = core_text(handler_input)
    set_active(handler_input, None)
    expect_next_turn(handler_input, RESUME_OFFERED, target.name)
    speech.say(text.return_question.format(label=label))
    return reply(handler_input, speech, Speech(text.return_reprompt.format(label=label)))
