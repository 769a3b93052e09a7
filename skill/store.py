"""DynamoDB persistence: one item per (userId, personId), written with optimistic locking.

A small adapter of our own behind the SDK's AbstractPersistenceAdapter, rather than
ask_sdk_dynamodb: that package builds a boto3 resource at import time (it fails without a
region, escapes moto when imported first and costs cold-start time). The boto3 client here is
created on first use, once per container, and honours boto3's own endpoint configuration
(AWS_ENDPOINT_URL_DYNAMODB) unchanged.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import boto3
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.state import ACCOUNT_PERSON, WRITES_KEPT

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeDefinitionTypeDef, KeySchemaElementTypeDef

log = logging.getLogger(__name__)

DEFAULT_TABLE_NAME = "secure-base"
PARTITION_KEY = "userId"
SORT_KEY = "personId"
TTL_ATTRIBUTE = "expiresAt"
VERSION_ATTRIBUTE = "version"
# Kept from the item's first write on (Profile.origin): an item made anew after an erase has
# another, and a write conditioned on the old one fails.
ORIGIN_ATTRIBUTE = "origin"
# The tokens of the item's last few writes (Profile.writes): a retry that finds its own token
# there knows its first attempt was applied (its answer lost), and is a success, not a conflict.
WRITES_ATTRIBUTE = "writes"
CONSENT_ATTRIBUTE = "consent"
# The one attribute of the item kept after a no to being remembered (see note_declined).
DECLINED_ATTRIBUTE = "declined_until"
DECLINED_GRACE_SECONDS = 24 * 3600
# Items of people who stop coming back expire after this long without a write.
RETENTION_SECONDS = 365 * 24 * 3600

# Alexa waits about 8 s for the whole response. DynamoDB's share is bounded per request: no
# attempt starts unless its worst case (connect + read timeout) still fits in the budget, so a
# slow, throttled or unreachable table costs at most REQUEST_BUDGET_SECONDS in all.
REQUEST_BUDGET_SECONDS = 2.0
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 0.5
ATTEMPT_SECONDS = CONNECT_TIMEOUT + READ_TIMEOUT
# Retries are ours (below), so that they count against the budget; botocore makes one attempt.
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
    retries={"total_max_attempts": 1, "mode": "standard"},
)
RETRY_PAUSE_SECONDS = 0.05
# Errors worth another attempt: the table is busy or briefly unwell, not the request wrong.
RETRYABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
    }
)

KEY_SCHEMA: list[KeySchemaElementTypeDef] = [
    {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
    {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
]
ATTRIBUTE_DEFINITIONS: list[AttributeDefinitionTypeDef] = [
    {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
    {"AttributeName": SORT_KEY, "AttributeType": "S"},
]

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class ProfileConflict(Exception):
    """The stored item changed since it was read (another device wrote first, or it was
    erased); `stored` is the item as it is now (empty when there is none)."""

    def __init__(self, stored: dict[str, Any]) -> None:
        super().__init__("the stored profile is not the one this write was based on")
        self.stored = stored


class NotConsented(ValueError):
    """A profile without consent was to be saved: nothing is ever written without it."""


class StoreUnavailable(Exception):
    """DynamoDB did not answer within this request's budget (throttled, slow or unreachable)."""


def new_token() -> str:
    # 48 random bits: the tokens an item keeps never meet by chance, and stay small.
    return secrets.token_urlsafe(6)


def with_write(writes: list[str], token: str) -> list[str]:
    """The item's write tokens once the write `token` is applied."""
    return [*writes, token][-WRITES_KEPT:]


def item_key(request_envelope: RequestEnvelope) -> dict[str, str]:
    system = request_envelope.context.system
    person = system.person.person_id if system.person is not None else None
    return {PARTITION_KEY: system.user.user_id, SORT_KEY: person or ACCOUNT_PERSON}


def to_dynamo(attributes: dict[str, Any]) -> dict[str, Any]:
    # DynamoDB takes numbers as Decimal, never float; a JSON round trip converts them all.
    plain = json.loads(json.dumps(attributes), parse_float=Decimal)
    return {name: _serializer.serialize(value) for name, value in plain.items()}


def from_dynamo(item: dict[str, Any]) -> dict[str, Any]:
    values = {name: _deserializer.deserialize(value) for name, value in item.items()}
    return {name: _plain(value) for name, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


class ProfileStore(AbstractPersistenceAdapter):  # type: ignore[misc]
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or os.environ.get("TABLE_NAME") or DEFAULT_TABLE_NAME
        self._client: DynamoDBClient | None = None
        self._budgets = RequestBudgets()

    def reconnect(self) -> None:
        """Forgets the DynamoDB client: the next call makes a new one (new connections,
        credentials resolved afresh), as an environment resumed from a SnapStart snapshot needs."""
        self._client = None

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = boto3.client("dynamodb", config=CLIENT_CONFIG)
        return self._client

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        response = self._call(
            request_envelope,
            self.client.get_item,
            TableName=self.table_name,
            Key=to_dynamo(item_key(request_envelope)),
            ConsistentRead=True,
        )
        item = from_dynamo(response.get("Item", {}))
        for name in (PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE):
            item.pop(name, None)
        return item

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any], token: str = ""
    ) -> None:
        """Write `attributes` as version N+1, where N = attributes["version"] is the version read.

        Raises NotConsented when they hold no consent: an erased person's session, or one that
        never said yes, writes nothing. Raises ProfileConflict when the stored item is no longer
        at version N of the same origin, so that newer progress from another device is never
        overwritten with older, and an item erased (and perhaps made anew) stays erased.
        Idempotent: the write adds its `token` (or a new one) to the item's last few
        (attributes["writes"]), and an attempt applied whose answer was lost (a timeout, then a
        retry refused by its own write, or by another device's write on top of it) is a success.
        """
        if not attributes.get(CONSENT_ATTRIBUTE):
            raise NotConsented("a profile is written only with the person's consent")
        read_version = int(attributes.get(VERSION_ATTRIBUTE, 0))
        token = token or new_token()
        item = {
            **attributes,
            **item_key(request_envelope),
            VERSION_ATTRIBUTE: read_version + 1,
            WRITES_ATTRIBUTE: with_write(list(attributes.get(WRITES_ATTRIBUTE) or []), token),
            TTL_ATTRIBUTE: int(time.time()) + RETENTION_SECONDS,
        }
        origin = attributes.get(ORIGIN_ATTRIBUTE) or (new_token() if read_version == 0 else None)
        if origin is None:
            # An item from before origins keeps none (a NULL would be an attribute that exists).
            item.pop(ORIGIN_ATTRIBUTE, None)
        else:
            item[ORIGIN_ATTRIBUTE] = origin
        if not self._put(request_envelope, item, _based_on(read_version, origin)):
            stored = self.get_attributes(request_envelope)
            if token in (stored.get(WRITES_ATTRIBUTE) or []):
                log.info("a write was applied before its answer was lost; not written again")
                return
            raise ProfileConflict(stored)

    def note_declined(self, request_envelope: RequestEnvelope, until: date) -> None:
        """Keeps that the person said no to being remembered, until `until`, and nothing else:
        never over a stored profile (whose own save then holds the date), and expiring then."""
        expires = datetime.combine(until, datetime.min.time(), UTC).timestamp()
        item = {
            **item_key(request_envelope),
            DECLINED_ATTRIBUTE: until.isoformat(),
            TTL_ATTRIBUTE: int(expires) + DECLINED_GRACE_SECONDS,
        }
        condition = {
            "ConditionExpression": "attribute_not_exists(#version)",
            "ExpressionAttributeNames": {"#version": VERSION_ATTRIBUTE},
        }
        if not self._put(request_envelope, item, condition):
            log.info("a stored profile keeps the no itself")

    def _put(
        self, request_envelope: RequestEnvelope, item: dict[str, Any], condition: dict[str, Any]
    ) -> bool:
        """Writes `item` if `condition` holds; False when it does not."""
        try:
            self._call(
                request_envelope,
                self.client.put_item,
                TableName=self.table_name,
                Item=to_dynamo(item),
                **condition,
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._call(
            request_envelope,
            self.client.delete_item,
            TableName=self.table_name,
            Key=to_dynamo(item_key(request_envelope)),
        )

    def delete_user(self, request_envelope: RequestEnvelope) -> int:
        """Deletes every item of the caller's Alexa account, for every person on it."""
        user_id = request_envelope.context.system.user.user_id
        query = {
            "TableName": self.table_name,
            "KeyConditionExpression": "#user = :user",
            "ExpressionAttributeNames": {"#user": PARTITION_KEY, "#person": SORT_KEY},
            "ExpressionAttributeValues": {":user": {"S": user_id}},
            "ProjectionExpression": "#user, #person",
            "ConsistentRead": True,
        }
        deleted = 0
        while True:
            page = self._call(request_envelope, self.client.query, **query)
            for key in page["Items"]:
                self._call(
                    request_envelope, self.client.delete_item, TableName=self.table_name, Key=key
                )
                deleted += 1
            if "LastEvaluatedKey" not in page:
                return deleted
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def create_table(self) -> None:
        """Create the table with the schema infra/ declares (for local and test use)."""
        self.client.create_table(
            TableName=self.table_name,
            KeySchema=KEY_SCHEMA,
            AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
            BillingMode="PAY_PER_REQUEST",
        )
        self.client.get_waiter("table_exists").wait(TableName=self.table_name)
        self.client.update_time_to_live(
            TableName=self.table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
        log.info("created table %s", self.table_name)

    def _call(
        self, request_envelope: RequestEnvelope, operation: Callable[..., Any], **arguments: Any
    ) -> Any:
        """One DynamoDB operation, tried again while the table is busy and the budget allows."""
        request_id = str(request_envelope.request.request_id)
        failure: Exception | None = None
        for attempt in range(3):
            if self._budgets.left(request_id) < ATTEMPT_SECONDS:
                break
            started = time.monotonic()
            try:
                if attempt:
                    time.sleep(RETRY_PAUSE_SECONDS * attempt)
                return operation(**arguments)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code == "ConditionalCheckFailedException":
                    raise  # not a fault: another device wrote first (see save_attributes)
                failure = error
                if code not in RETRYABLE_CODES:
                    break  # e.g. a missing table or permission: trying again will not help
            except BotoCoreError as error:  # timeouts, refused or dropped connections
                failure = error
            finally:
                self._budgets.spend(request_id, time.monotonic() - started)
        reason = type(failure).__name__ if failure else "no time left"
        raise StoreUnavailable(f"DynamoDB unavailable: {reason}") from failure


def _based_on(read_version: int, origin: str | None) -> dict[str, Any]:
    """The condition for a write based on the item as read: at `read_version` and of `origin`."""
    names = {"#version": VERSION_ATTRIBUTE}
    if read_version == 0:
        # No item yet, or one without a profile: the record of a no (note_declined), or one
        # from before versioning (which takes this first write).
        return {
            "ConditionExpression": (
                f"attribute_not_exists({PARTITION_KEY}) OR attribute_not_exists(#version)"
            ),
            "ExpressionAttributeNames": names,
        }
    names["#origin"] = ORIGIN_ATTRIBUTE
    values: dict[str, Any] = {":read": {"N": str(read_version)}}
    if origin is None:
        # An item from before origins: any item made since has one, and is not this one.
        same_item = "attribute_not_exists(#origin)"
    else:
        same_item = "#origin = :origin"
        values[":origin"] = {"S": origin}
    return {
        "ConditionExpression": f"#version = :read AND {same_item}",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


class RequestBudgets:
    """Seconds spent on DynamoDB per request id (the few most recent ones), across threads."""

    KEPT = 64

    def __init__(self) -> None:
        self._spent: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def left(self, request_id: str) -> float:
        with self._lock:
            return REQUEST_BUDGET_SECONDS - self._spent.get(request_id, 0.0)

    def spend(self, request_id: str, seconds: float) -> None:
        with self._lock:
            self._spent[request_id] = self._spent.pop(request_id, 0.0) + seconds
            while len(self._spent) > self.KEPT:
                self._spent.popitem(last=False)
