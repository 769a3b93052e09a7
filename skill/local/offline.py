"""The whole skill in this process, on moto's DynamoDB, for commands that measure it (the safety
figures, the utterance tests): nothing leaves the machine, whatever AWS this shell is set up for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto import mock_aws

from skill.app import build_skill, handle_event
from skill.blocks.plugin import Plugin
from skill.local.conversation import Conversation
from skill.local.envelopes import Caller
from skill.local.nlu import LocalNlu
from skill.store import ProfileStore

SKILL_ID = "amzn1.ask.skill.offline-figures"


@contextmanager
def offline_skill(plugins: tuple[Plugin[Any, Any], ...]) -> Iterator[Any]:
    """The skill built with `plugins`, its table in moto; the turn log is kept quiet."""
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # the turn log's line per turn is not what is measured
    saved = dict(os.environ)
    os.environ.update(AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="offline",
                      AWS_SECRET_ACCESS_KEY="offline")  # fmt: skip
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    try:
        with mock_aws():
            store = ProfileStore("secure-base-offline")
            store.create_table()
            yield build_skill(store=store, skill_id=SKILL_ID, plugins=plugins)
    finally:
        quiet.setLevel(level)
        os.environ.clear()
        os.environ.update(saved)


def conversation(skill: Any, nlu: LocalNlu, locale: str) -> Conversation:
    return Conversation(
        handler=lambda event, context: handle_event(skill, event, context),
        nlu=nlu,
        caller=Caller(skill_id=SKILL_ID, user_id="amzn1.ask.account.OFFLINE", device_id="d"),
        locale=locale,
    )
