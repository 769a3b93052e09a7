"""One plugin handing the person to another and getting them back (repair -> breathing -> repair).

The first plugin starts the other through `start_capability`; when the other's activity ends,
it calls `offer_return`, which asks whether to go back, and a yes resumes the first plugin
through its resume hook (see skill.core.launch.ResumeAnswerHandler).
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill.blocks.expect import expect_next_turn
from skill.blocks.focus import set_active
from skill.blocks.loaded import core_text, loaded
from skill.blocks.reply import reply
from skill.blocks.session import RESUME_OFFERED, RETURN_TO
from skill.speech import Speech


def can_start(handler_input: HandlerInput, capability: str) -> bool:
    """Whether an enabled plugin provides `capability` ("breathing")."""
    return loaded(handler_input).providing(capability) is not None


def start_capability(
    handler_input: HandlerInput, capability: str, *lead: str, come_back_to: str | None = None
) -> Response | None:
    """Starts whichever plugin provides `capability`, after `lead`; None when none does. With
    `come_back_to`, the end of that activity offers to go back to that plugin."""
    provider = loaded(handler_input).providing(capability)
    if provider is None:
        return None
    session = handler_input.attributes_manager.session_attributes
    if come_back_to is not None:
        session[RETURN_TO] = come_back_to  # before: a short activity can end within start
    started = provider.start(handler_input, *lead)
    if started is None and come_back_to is not None:
        session.pop(RETURN_TO, None)  # nothing was handed over
    return started


def offer_return(handler_input: HandlerInput, speech: Speech) -> Response | None:
    """Ends `speech` by offering to go back to the plugin that handed over, if one did."""
    name = handler_input.attributes_manager.session_attributes.pop(RETURN_TO, None)
    target = loaded(handler_input).named(name)
    if target is None or not target.can_resume:
        return None
    label = target.label(get_locale(handler_input))
    text = core_text(handler_input)
    set_active(handler_input, None)
    expect_next_turn(handler_input, RESUME_OFFERED, target.name)
    speech.say(text.return_question.format(label=label))
    return reply(handler_input, speech, Speech(text.return_reprompt.format(label=label)))
