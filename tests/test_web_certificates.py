"""The web service's certificate downloads: one per chain, whatever the URL's spelling, and few.

A caller chooses the SignatureCertChainUrl, and the chain is downloaded before the signature can
be checked; these tests hold that no spelling of Amazon's URL costs another download or pushes
the genuine chain out of the cache, that a flood of new URLs is refused without downloads
while Alexa's own requests, whose chain is cached, are still answered, and that a burst of
Alexa's first requests to a fresh worker shares one download instead of using up the bound.
"""

from __future__ import annotations

import json
import logging
import posixpath
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from flask.testing import FlaskClient

from skill.app import build_skill
from skill.store import ProfileStore
from skill.web.service import create_app
from skill.web.verify import MAX_DOWNLOADS_PER_MINUTE, RequestVerifier, VerificationFailed
from tests import test_web_service
from tests.conftest import SKILL_ID
from tests.test_web_service import CERT_URL, NOW, Pki, launch, sign

keys, pki = test_web_service.keys, test_web_service.pki  # its fixtures, shared here

GENUINE = "/echo.api/echo-api-cert-42.pem"  # CERT_URL's object

# CERT_URL as Alexa's rules let it be written: each names the same object on S3.
SPELLINGS = [
    CERT_URL,
    "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-42.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert-42.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-42.pem",
    "https://s3.amazonaws.com/echo.api/./echo-api-cert-42.pem",
    "https://s3.amazonaws.com/echo.api//echo-api-cert-42.pem",
    "https://s3.amazonaws.com/echo.api/echo-api-cert-42.pem?x=1",
    "https://s3.amazonaws.com/echo.api/echo-api-cert-42.pem#top",
    "https://s3.amazonaws.com/echo%2Eapi/echo-api-cert-42%2Epem",
    "https://S3.amazonaws.com:443/echo.api/x/../echo-api-cert-42.pem?versionId=2",
]


@dataclass
class S3:
    """Serves an object by its path, as S3 does, however its URL is spelled; counts downloads."""

    objects: dict[str, bytes]
    downloads: list[str] = field(default_factory=list)

    def __call__(self, url: str) -> bytes:
        self.downloads.append(url)
        parts = urlsplit(url)
        path = posixpath.normpath(unquote(parts.path))
        if (parts.hostname or "").lower() != "s3.amazonaws.com" or path not in self.objects:
            raise OSError("404")
        return self.objects[path]


@dataclass
class SlowS3(S3):
    """S3 whose answers wait for `gate`, so that more requests arrive while one is in flight."""

    gate: threading.Event = field(default_factory=threading.Event)

    def __call__(self, url: str) -> bytes:
        self.gate.wait()
        return super().__call__(url)


@dataclass
class Endpoint:
    client: FlaskClient
    s3: S3
    pki: Pki
    clock: list[datetime]

    def post(self, url: str, *, forged: bool = False) -> tuple[int, dict[str, Any]]:
        """A launch request signed by Alexa's key, or (`forged`) by nobody."""
        body = json.dumps(launch()).encode()
        signature = "Zm9yZ2Vk" if forged else sign(self.pki.keys.leaf, body)
        headers = {"SignatureCertChainUrl": url, "Signature-256": signature}
        answer = self.client.post("/", data=body, headers=headers, content_type="application/json")
        payload: dict[str, Any] = answer.get_json()
        return answer.status_code, payload


@pytest.fixture
def endpoint(store: ProfileStore, pki: Pki) -> Endpoint:
    s3 = S3({GENUINE: pki.chain()})
    clock = [NOW]
    verifier = RequestVerifier(fetch=s3, roots=[pki.root], now=lambda: clock[0])
    app = create_app(skill=build_skill(store=store, skill_id=SKILL_ID), verifier=verifier)
    return Endpoint(app.test_client(), s3, pki, clock)


def test_every_spelling_of_the_genuine_url_costs_one_download(endpoint: Endpoint) -> None:
    for url in SPELLINGS:
        assert endpoint.post(url)[0] == 200, url
    assert endpoint.s3.downloads == [CERT_URL]


def test_urls_with_other_queries_do_not_push_the_genuine_chain_out(endpoint: Endpoint) -> None:
    assert endpoint.post(CERT_URL)[0] == 200
    for n in range(4):
        status, payload = endpoint.post(f"{CERT_URL}?evict={n}", forged=True)
        assert status == 400 and "signature" in payload["reason"]
    assert endpoint.post(CERT_URL)[0] == 200
    assert endpoint.s3.downloads == [CERT_URL]


def test_a_flood_of_new_urls_is_refused_without_downloads_while_alexa_is_answered(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    assert endpoint.post(CERT_URL)[0] == 200
    flood = [f"https://s3.amazonaws.com/echo.api/flood-{n}.pem" for n in range(30)]
    with caplog.at_level(logging.WARNING):
        answers = [endpoint.post(url, forged=True) for url in flood]
    assert all(status == 400 for status, _ in answers)
    assert len(endpoint.s3.downloads) == MAX_DOWNLOADS_PER_MINUTE
    bounded = [payload for _, payload in answers if "too many" in payload["reason"]]
    assert len(bounded) == len(flood) - (MAX_DOWNLOADS_PER_MINUTE - 1)
    lines = [line for line in caplog.text.splitlines() if "too many certificate downloads" in line]
    assert len(lines) == len(bounded)
    assert not any("flood" in line or "echo.api" in line for line in lines)
    # Alexa's requests, whose chain is cached, are answered all the while.
    assert endpoint.post(CERT_URL)[0] == 200
    assert len(endpoint.s3.downloads) == MAX_DOWNLOADS_PER_MINUTE
    # A minute after the first downloads, new ones are allowed again.
    endpoint.clock[0] = NOW + timedelta(seconds=61)
    endpoint.post(flood[-1], forged=True)
    assert endpoint.s3.downloads[-1] == flood[-1]


BURST = 2 * MAX_DOWNLOADS_PER_MINUTE


class EntryCountingLock:
    """The verifier's lock, counting its entries: once every thread of a burst has been in, each
    has seen the download in flight, so the burst is truly simultaneous however threads run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.entries = threading.Semaphore(0)

    def __enter__(self) -> None:
        self._lock.acquire()
        self.entries.release()

    def __exit__(self, *_: object) -> None:
        self._lock.release()


def verify_at_once(verifier: RequestVerifier, s3: SlowS3, pki: Pki) -> list[str | None]:
    """BURST threads verify one genuine request together, the chain's download held until all
    have asked for it; each one's refusal, or None when verified."""
    body = json.dumps(launch()).encode()
    signature = sign(pki.keys.leaf, body)
    lock = verifier._lock = EntryCountingLock()  # type: ignore[assignment]
    outcomes: list[str | None] = [None] * BURST

    def request(n: int) -> None:
        try:
            verifier.verify(body, CERT_URL, signature)
        except VerificationFailed as refusal:
            outcomes[n] = refusal.reason

    threads = [threading.Thread(target=request, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    for _ in threads:
        lock.entries.acquire(timeout=10)  # bounded: a verifier that skips the lock fails, not hangs
    s3.gate.set()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_burst_of_first_requests_to_a_fresh_worker_shares_one_download(pki: Pki) -> None:
    s3 = SlowS3({GENUINE: pki.chain()})
    verifier = RequestVerifier(fetch=s3, roots=[pki.root], now=lambda: NOW)
    assert verify_at_once(verifier, s3, pki) == [None] * BURST
    assert s3.downloads == [CERT_URL]


def test_a_failed_download_refuses_its_waiters_and_the_next_request_downloads_again(
    pki: Pki,
) -> None:
    s3 = SlowS3({})  # the object is not there (yet)
    verifier = RequestVerifier(fetch=s3, roots=[pki.root], now=lambda: NOW)
    outcomes = verify_at_once(verifier, s3, pki)
    assert outcomes == ["certificate chain could not be downloaded"] * BURST
    assert s3.downloads == [CERT_URL]
    s3.objects[GENUINE] = pki.chain()
    body = json.dumps(launch()).encode()
    verifier.verify(body, CERT_URL, sign(pki.keys.leaf, body))
    assert s3.downloads == [CERT_URL, CERT_URL]
