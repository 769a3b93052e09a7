"""One structured JSON log line per turn: what came in, who answered, how long, how it went.

Never a slot value or a word of speech: only ids, names, timings and outcomes.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type
from ask_sdk_model import Response

from skill.blocks.sdk import RequestInterceptor, ResponseInterceptor

log = logging.getLogger("skill.turns")

STARTED = "turn.started"
HANDLED_BY = "turn.plugin"
OUTCOME = "turn.outcome"


def set_outcome(handler_input: HandlerInput, outcome: str) -> None:
    handler_input.attributes_manager.request_attributes[OUTCOME] = outcome


def log_turn(handler_input: HandlerInput, outcome: str | None = None, **extra: Any) -> None:
    attributes = handler_input.attributes_manager.request_attributes
    request_type = get_request_type(handler_input)
    started = attributes.get(STARTED)
    line = {
        "requestId": handler_input.request_envelope.request.request_id,
        "requestType": request_type,
        "intent": get_intent_name(handler_input) if request_type == "IntentRequest" else None,
        "plugin": attributes.get(HANDLED_BY),
        "latencyMs": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "outcome": outcome or attributes.get(OUTCOME, "ok"),
        **extra,
    }
    log.log(logging.ERROR if line["outcome"] == "error" else logging.INFO, json.dumps(line))


class StartTurn(RequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STARTED] = time.perf_counter()


class LogTurn(ResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        log_turn(handler_input)
