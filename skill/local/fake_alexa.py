"""A local stand-in for Alexa's service APIs (reminders, device time zone), over real HTTPS.

The SDK's DefaultApiClient only calls HTTPS endpoints, so the fake serves HTTPS on 127.0.0.1
with a certificate made at start-up; `trust()` points `requests` at it (REQUESTS_CA_BUNDLE).
It records every call, answers 401 to a caller who has not granted the reminders permission,
and can be told to fail the next calls to test the skill's answers: an HTTP status, hanging past
the client's timeout, a malformed answer (`Answer`), a reset connection, or a refused one.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import json
import os
import socket
import ssl
import struct
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HANG = "hang"
HANG_SECONDS = 5.0
# The connection is dropped with a TCP reset once the request is read: no answer at all.
RESET = "reset"
# The connection is refused. The fake only learns which API is called once it has accepted the
# connection, so it sends the client on (a 307 redirect, which `requests` follows with the same
# method and body) to a port of 127.0.0.1 where nothing listens, and that connection is refused.
REFUSED = "refused"


@dataclass(frozen=True)
class Answer:
    """An answer sent exactly as given, for malformed ones: not JSON, JSON of the wrong shape,
    missing fields, an empty body."""

    status: int
    body: str = ""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)


Outcome = int | str | Answer


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None


@dataclass
class FakeAlexaApi:
    time_zone: str = "UTC"
    calls: list[Call] = field(default_factory=list)
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    granted: set[str] = field(default_factory=set)  # access tokens with the reminders permission
    _failures: list[tuple[str, str | None, Outcome]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _folder: tempfile.TemporaryDirectory[str] | None = None
    endpoint: str = ""
    certificate: Path = Path()

    def fail_next(
        self, *outcomes: Outcome, api: str = "/v1/alerts/reminders", method: str | None = None
    ) -> None:
        """The next calls to `api` (a path prefix; "/v2/devices" for the time zone), of `method`
        if given, get these outcomes in turn: an HTTP status (with the API's error body), HANG,
        RESET, REFUSED, or an `Answer` sent as it is."""
        self._failures.extend((api, method, outcome) for outcome in outcomes)

    def grant(self, access_token: str) -> None:
        self.granted.add(access_token)

    def reminder_calls(self) -> list[Call]:
        """Calls that create, change or delete reminders (not the listings)."""
        return [
            c for c in self.calls if c.path.startswith("/v1/alerts/reminders") and c.method != "GET"
        ]

    def __enter__(self) -> FakeAlexaApi:
        self._folder = tempfile.TemporaryDirectory(prefix="fake-alexa-")
        folder = Path(self._folder.name)
        self.certificate, key = _self_signed(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, key)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        # A short poll, so that closing the fake (once per test) does not wait half a second.
        serve = functools.partial(server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()
        self.endpoint = f"https://127.0.0.1:{server.server_address[1]}"
        return self

    def trust(self) -> None:
        """Lets `requests` (the SDK's API client) verify this server's certificate."""
        os.environ["REQUESTS_CA_BUNDLE"] = str(self.certificate)

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._folder is not None:
            self._folder.cleanup()

    def answer(self, method: str, path: str, token: str, body: Any) -> Answer | str:
        """The answer to one call: an `Answer`, or RESET / REFUSED for the connection."""
        self.calls.append(Call(method, path, body if isinstance(body, dict) else None))
        failing = next(
            (f for f in self._failures if path.startswith(f[0]) and f[1] in (None, method)), None
        )
        if failing is not None:
            self._failures.remove(failing)
            outcome = failing[2]
            if isinstance(outcome, Answer) or outcome in (RESET, REFUSED):
                return outcome
            if outcome == HANG:
                time.sleep(HANG_SECONDS)
                return _json(504, {"code": "TIMEOUT", "message": "too late"})
            # The error bodies Alexa's APIs send: Reminders {code, message}, Settings {type, ...}.
            return _json(
                int(outcome), {"code": "FAILED", "type": "FAILED", "message": f"{outcome}"}
            )
        if path.endswith("/settings/System.timeZone") and method == "GET":
            return _json(200, self.time_zone)
        if path.startswith("/v1/alerts/reminders"):
            if token not in self.granted:
                return _json(401, {"code": "UNAUTHORIZED", "message": "permission not granted"})
            alert_token = path.removeprefix("/v1/alerts/reminders").strip("/")
            return _json(*self._reminders(method, alert_token, body))
        return _json(404, {"message": f"no fake for {method} {path}"})

    def _reminders(self, method: str, alert_token: str, body: Any) -> tuple[int, Any]:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000")
        if method == "GET" and not alert_token:
            alerts = [{"alertToken": t, "status": "ON", "version": "1"} for t in self.reminders]
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts}
        if method == "POST" and not alert_token:
            alert_token = str(uuid.uuid4())
            self.reminders[alert_token] = body
            return 201, _reminder_answer(alert_token, now)
        if alert_token not in self.reminders:
            return 404, {"code": "NOT_FOUND", "message": "no such reminder"}
        if method == "PUT":
            self.reminders[alert_token] = body
            return 200, _reminder_answer(alert_token, now)
        if method == "DELETE":
            del self.reminders[alert_token]
            return 200, {}
        return 200, {"alertToken": alert_token, **self.reminders[alert_token]}


def _json(status: int, value: Any) -> Answer:
    return Answer(status, json.dumps(value))


def _reminder_answer(alert_token: str, now: str) -> dict[str, Any]:
    return {
        "alertToken": alert_token,
        "createdTime": now,
        "updatedTime": now,
        "status": "ON",
        "version": "1",
        "href": f"/v1/alerts/reminders/{alert_token}",
    }


def _handler_for(api: FakeAlexaApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            answer = api.answer(self.command, self.path, token, body)
            if answer == RESET:
                # SO_LINGER with a zero timeout: closing sends a TCP reset instead of a goodbye.
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.connection.close()
                self.close_connection = True
                return
            if not isinstance(answer, Answer):  # REFUSED
                answer = Answer(307, "", (("Location", f"{_nowhere()}{self.path}"),))
            payload = answer.body.encode()
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the calls are recorded; the terminal stays for the conversation

    return Handler


def _nowhere() -> str:
    """An HTTPS address on 127.0.0.1 where nothing listens: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"https://127.0.0.1:{port}"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
