"""The embedded DynamoDB for local runs: moto's server in-process on 127.0.0.1.

moto keeps data in memory only, so the table's items are written to a git-ignored file under
.secure-base/ when the server stops and loaded again when it starts: a person who comes back to
`make run` is remembered.
"""

from __future__ import annotations

import json
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from skill.store import ProfileStore

log = logging.getLogger(__name__)
# moto's web server logs every request at INFO; a local chat only wants warnings.
logging.getLogger("werkzeug").setLevel(logging.WARNING)

DEFAULT_STATE_FILE = Path(".secure-base") / "dynamodb.json"
# moto accepts any credentials; these keep boto3 from looking for real ones.
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def use_local_aws(endpoint_url: str) -> None:
    """Point this process's DynamoDB clients at `endpoint_url`, with placeholder credentials."""
    for name, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint_url


@cache
def _server_endpoint() -> str:
    """One server per process, like one DynamoDB: the Lambda module's client keeps its endpoint."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return f"http://{host}:{port}"


class EmbeddedDynamoDB:
    """The table, loaded from `state_file` on entry and written back to it on exit (with no
    state file, it starts empty and is forgotten)."""

    def __init__(self, table_name: str, state_file: Path | None, fresh: bool = False):
        self.table_name = table_name
        self.state_file = state_file
        self.fresh = fresh
        self.endpoint_url = ""

    def __enter__(self) -> EmbeddedDynamoDB:
        self.endpoint_url = _server_endpoint()
        use_local_aws(self.endpoint_url)
        self._reset_table()
        if self.fresh and self.state_file is not None:
            self.state_file.unlink(missing_ok=True)
        self._load()
        return self

    def __exit__(self, *exc: object) -> None:
        self.save()

    def _client(self) -> Any:
        return boto3.client("dynamodb", endpoint_url=self.endpoint_url)

    def _reset_table(self) -> None:
        # moto's data lives in this process: an earlier server here may have left the table.
        client = self._client()
        if self.table_name in client.list_tables()["TableNames"]:
            client.delete_table(TableName=self.table_name)
        ProfileStore(self.table_name).create_table()

    def _load(self) -> None:
        if self.state_file is None or not self.state_file.is_file():
            return
        client = self._client()
        items = json.loads(self.state_file.read_text(encoding="utf-8"))
        for item in items:
            client.put_item(TableName=self.table_name, Item=item)
        log.info("loaded %d items from %s", len(items), self.state_file)

    def save(self) -> None:
        if self.state_file is None:
            return
        items: list[dict[str, Any]] = []
        for page in self._client().get_paginator("scan").paginate(TableName=self.table_name):
            items.extend(page["Items"])
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(items, indent=1), encoding="utf-8")
