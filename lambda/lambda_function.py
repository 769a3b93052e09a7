"""AWS Lambda entry point. The skill is built once per container, when this module is imported."""

from __future__ import annotations

import logging
import os
from typing import Any

from skill import snapstart
from skill.app import build_skill, handle_event, warm_up

logging.getLogger().setLevel(os.environ.get("LOG_LEVEL", "INFO"))

SKILL = build_skill()
# With SnapStart, the skill built above is warmed up, snapshotted and resumed in many
# environments at once.
snapstart.register(SKILL, lambda: warm_up(SKILL))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle_event(SKILL, event, context)
