"""A faulty DynamoDB on loopback: moto's server behind a proxy that fails the calls it is told to.

The skill's real boto3 client talks to the proxy over HTTP, so timeouts, dropped connections and
throttling reach it exactly as they would from AWS.
"""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.exceptions import ReadTimeoutError
from moto.server import ThreadedMotoServer

THROTTLED = (
    400,
    b'{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",'
    b'"message":"Throughput exceeds the current capacity of your table"}',
)
INTERNAL = (500, b'{"__type":"com.amazon.coral.service#InternalServerError","message":"oops"}')
ACCESS_DENIED = (400, b'{"__type":"com.amazon.coral.service#AccessDeniedException"}')
FAULTS = {"throttle": THROTTLED, "500": INTERNAL, "denied": ACCESS_DENIED}
# Longer than the store's read timeout: the client gives up first.
HANG_SECONDS = 1.5
# How long a write already applied holds its answer back: past the store's read timeout (0.5 s).
LATE_SECONDS = 0.7
# Moto's server checks a write's condition and applies it without a lock, so two requests at
# once can both pass a check only one of them should (a lost update DynamoDB never makes): the
# proxy hands moto one call at a time, as DynamoDB's own per-item ordering would.
SERIAL = threading.Lock()


@contextmanager
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


class FaultyDynamo:
    """Forwards to `upstream` unless a fault is queued for the operation (GetItem, PutItem...).

    Faults: "throttle", "500", "denied" (answers), "hang" (no answer), "reset" (connection closed),
    "late" (applied, then no answer: DynamoDB did the write, the answer never came in time).
    `stall_writes(rate)` makes that last one happen at random, to the first attempt of a PutItem
    only (its retry, the same body, goes through), as a slow network does.
    `calls` counts every attempt that reached the proxy, by operation.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.calls: Counter[str] = Counter()
        self.late: Counter[str] = Counter()  # writes applied whose answer was held back
        self._faults: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._stall_rate = 0.0
        self._stalled: set[str] = set()
        self._random = random.Random(19)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
                fault = proxy._take(operation, body)
                if fault == "late":
                    proxy._forward(self, body)
                    proxy.late[operation] += 1
                    time.sleep(LATE_SECONDS)
                    self.close_connection = True
                    return
                if fault == "hang":
                    time.sleep(HANG_SECONDS)
                    self.close_connection = True
                    return
                if fault == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.close_connection = True
                    return
                status, payload = FAULTS[fault] if fault else proxy._forward(self, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.endpoint = f"http://{host!s}:{port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def fail(self, operation: str, fault: str, times: int = 1) -> None:
        with self._lock:
            self._faults.setdefault(operation, []).extend([fault] * times)

    def stall_writes(self, rate: float) -> None:
        with self._lock:
            self._stall_rate = rate

    def heal(self) -> None:
        with self._lock:
            self._faults.clear()
            self._stall_rate = 0.0

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _take(self, operation: str, body: bytes) -> str | None:
        with self._lock:
            self.calls[operation] += 1
            queued = self._faults.get(operation)
            if queued:
                return queued.pop(0)
            if operation == "PutItem" and self._random.random() < self._stall_rate:
                seen = hashlib.sha256(body).hexdigest()
                if seen not in self._stalled:
                    self._stalled.add(seen)
                    return "late"
            return None

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, bytes]:
        skipped = {"host", "content-length", "connection"}
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in skipped}
        request = urllib.request.Request(self.upstream + "/", body, headers, method="POST")
        try:
            with SERIAL, urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


class ScriptedFaults:
    """Faults on a store's own boto3 client, in process, by script: for each operation a list of
    "late" (applied, then the answer times out), "hang" (times out, not applied) or None
    (through). Faster than the proxy, for sequences of a few turns that must happen in order.
    """

    OPERATIONS = ("put_item", "get_item")

    def __init__(self, client: Any) -> None:
        self.script: dict[str, list[str | None]] = {name: [] for name in self.OPERATIONS}
        # Run before the next put, e.g. another device's turn that must come in between.
        self.before_put: list[Callable[[], None]] = []
        for name in self.OPERATIONS:
            setattr(client, name, self._wrapped(name, getattr(client, name)))

    def _wrapped(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(**arguments: Any) -> Any:
            if name == "put_item" and self.before_put:
                self.before_put.pop(0)()
            fault = self.script[name].pop(0) if self.script[name] else None
            if fault == "late":
                real(**arguments)
                raise ReadTimeoutError(endpoint_url="scripted")
            if fault == "hang":
                raise ReadTimeoutError(endpoint_url="scripted")
            return real(**arguments)

        return call
