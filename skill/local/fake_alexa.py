"""A local stand-in for Alexa's service APIs (reminders, device time zone), over real HTTPS.

The SDK's DefaultApiClient only calls HTTPS endpoints, so the fake serves HTTPS on 127.0.0.1
with a certificate made at start-up; `trust()` points `requests` at it (REQUESTS_CA_BUNDLE).
It records every call, answers 401 to a caller who has not granted the reminders permission,
and can be told to fail the next calls (an HTTP status, or hanging) to test the skill's answers.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import ssl
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HANG = "hang"
HANG_SECONDS = 5.0


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
    _failures: list[tuple[str, int | str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _folder: tempfile.TemporaryDirectory[str] | None = None
    endpoint: str = ""
    certificate: Path = Path()

    def fail_next(self, *outcomes: int | str, api: str = "/v1/alerts/reminders") -> None:
        """The next calls to `api` (a path prefix) answer these HTTP statuses (or HANG)."""
        self._failures.extend((api, outcome) for outcome in outcomes)

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
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.endpoint = f"https://127.0.0.1:{server.server_address[1]}"
        return self

    def trust(self) -> None:
        """Lets `requests` (the SDK's API client) verify this server's certificate."""
        os.environ["REQUESTS_CA_BUNDLE"] = str(self.certificate)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._folder is not None:
            self._folder.cleanup()

    def answer(self, method: str, path: str, token: str, body: Any) -> tuple[int, Any]:
        self.calls.append(Call(method, path, body if isinstance(body, dict) else None))
        failing = next((f for f in self._failures if path.startswith(f[0])), None)
        if failing is not None:
            self._failures.remove(failing)
            outcome = failing[1]
            if outcome == HANG:
                time.sleep(HANG_SECONDS)
                return 504, {"code": "TIMEOUT", "message": "too late"}
            # The error bodies Alexa's APIs send: Reminders {code, message}, Settings {type, ...}.
            return int(outcome), {"code": "FAILED", "type": "FAILED", "message": f"{outcome}"}
        if path.endswith("/settings/System.timeZone") and method == "GET":
            return 200, self.time_zone
        if path.startswith("/v1/alerts/reminders"):
            if token not in self.granted:
                return 401, {"code": "UNAUTHORIZED", "message": "permission not granted"}
            alert_token = path.removeprefix("/v1/alerts/reminders").strip("/")
            return self._reminders(method, alert_token, body)
        return 404, {"message": f"no fake for {method} {path}"}

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
            status, answer = api.answer(self.command, self.path, token, body)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the calls are recorded; the terminal stays for the conversation

    return Handler


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
