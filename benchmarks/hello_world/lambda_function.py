"""The baseline: the smallest ask-sdk-core skill that reads DynamoDB, as the ASK docs write one.

A module-level boto3 client, one LaunchRequest handler doing one GetItem, nothing else.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

TABLE = os.environ.get("TABLE_NAME", "secure-base")
dynamodb = boto3.client("dynamodb")


class LaunchHandler(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        user = handler_input.request_envelope.context.system.user.user_id
        key = {"userId": {"S": user}, "personId": {"S": "account"}}
        item = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item")
        speech = "Welcome back." if item else "Hello world."
        response: Response = handler_input.response_builder.speak(speech).ask(speech).response
        return response


builder = SkillBuilder()
builder.add_request_handler(LaunchHandler())
lambda_handler = builder.lambda_handler()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result: dict[str, Any] = lambda_handler(event, context)
    return result
