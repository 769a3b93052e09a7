"""Proof that a request posted to the web service was sent by Alexa.

Why this module exists instead of Amazon's ask-sdk-webservice-support (and flask-ask-sdk, which
is built on it): `ask_sdk_webservice_support/verifier.py` imports `certvalidator` at module level,
`certvalidator` imports oscrypto 1.3.0, and oscrypto raises `LibraryNotFoundError('Error
detecting the version of libcrypto')` on OpenSSL 3.0.10 and later, whose two-digit patch number
its version pattern cannot read. The import itself fails, so not even its pluggable verifiers can
be reached. The same checks are done here with `cryptography`, whose `x509.verification` module
does RFC 5280 path validation, with certifi's roots unless others are given.

The rules are Alexa's, from "Host a Custom Skill as a Web Service", section "Verify that the
request was sent by Alexa":
https://developer.amazon.com/en-US/docs/alexa/custom-skills/host-a-custom-skill-as-a-web-service.html
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
import ssl
import threading
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
SIGNING_DOMAIN = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
TOLERANCE = timedelta(seconds=150)
# Alexa may deliver skill events late, so their timestamp may be up to an hour old
# (skill-events-in-alexa-skills.html, "Delivery of events to the skill").
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
SKILL_EVENTS = frozenset(
    f"AlexaSkillEvent.{name}"
    for name in (
        "SkillEnabled",
        "SkillDisabled",
        "SkillPermissionAccepted",
        "SkillPermissionChanged",
        "SkillAccountLinked",
    )
)
FETCH_TIMEOUT = 2.0
MAX_CHAIN_BYTES = 64 * 1024  # a real chain is ~5 KB; a larger answer is not one
# Alexa changes its signing chain rarely; more downloads than this in a minute are someone making
# the service fetch for them. Chains already verified keep working while the bound is reached.
MAX_DOWNLOADS_PER_MINUTE = 10
DOWNLOAD_WINDOW = timedelta(minutes=1)

Fetcher = Callable[[str], bytes]
Clock = Callable[[], datetime]


class VerificationFailed(Exception):
    """The request cannot be shown to come from Alexa; `reason` is safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_cert_url(url: str) -> str:
    """Refuses a certificate URL Amazon would not use, before anything is downloaded; returns
    the URL in its one normal spelling, which is what is fetched and what the cache is keyed by.

    Alexa's rules name four parts: the scheme and the host (both case-insensitive), the port (443
    if given) and the path (case-sensitive, under /echo.api/ once normalised). A query string or
    a fragment is in none of them, so a URL with one still meets every rule (Amazon's own
    ask-sdk-webservice-support accepts it too): it is normalised away, not refused. Nor is it
    fetched, so the service only downloads the object the checked path names (on S3 a query such
    as ?versionId= or ?acl could select other content), and no spelling is a new cache key.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise VerificationFailed("certificate URL is malformed") from error
    if parts.scheme.lower() != "https":
        raise VerificationFailed("certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_HOST:
        raise VerificationFailed(f"certificate URL is not on {CERT_HOST}")
    if port is not None and port != 443:
        raise VerificationFailed("certificate URL has a port other than 443")
    # Dot segments (also percent-encoded ones) are resolved first, so "/echo.api/../x.pem"
    # cannot pass as under /echo.api/.
    path = posixpath.normpath(unquote(parts.path) or "/")
    if not path.startswith(CERT_PATH_PREFIX):
        raise VerificationFailed(f"certificate URL path is not under {CERT_PATH_PREFIX}")
    return f"https://{CERT_HOST}{quote(path)}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere; the URL was checked, its destination would not be.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_chain(url: str) -> bytes:
    """Downloads a PEM chain (the default fetcher); any failure is a VerificationFailed."""
    context = ssl.create_default_context(cafile=certifi.where())
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect)
    try:
        with opener.open(url, timeout=FETCH_TIMEOUT) as response:
            data: bytes = response.read(MAX_CHAIN_BYTES + 1)
    except (OSError, ValueError) as error:
        raise VerificationFailed("certificate chain could not be downloaded") from error
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationFailed("certificate chain is too large")
    return data


@cache
def certifi_roots() -> tuple[x509.Certificate, ...]:
    """certifi's bundle, read once, on the first request that needs it."""
    with open(certifi.where(), "rb") as bundle, warnings.catch_warnings():
        # One bundled root has a non-positive serial; cryptography warns but loads it.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return tuple(x509.load_pem_x509_certificates(bundle.read()))


def utc_now() -> datetime:
    return datetime.now(UTC)


class RequestVerifier:
    """Checks certificate URL, chain, signature and timestamp, as Alexa's documentation asks.

    `fetch` downloads a chain (tests inject one that never reaches the network), `roots` are the
    trusted CA certificates (default: certifi's), `now` is the clock. Chains that passed are kept
    per normalised URL, at most `cache_size` of them and never past the first notAfter in the
    chain. At most `max_downloads` chains are fetched in any minute; past that a URL that is not
    cached is refused without a download. Requests for a URL being downloaded share that download.
    """

    def __init__(
        self,
        fetch: Fetcher = fetch_chain,
        roots: Sequence[x509.Certificate] | None = None,
        now: Clock = utc_now,
        cache_size: int = 4,
        max_downloads: int = MAX_DOWNLOADS_PER_MINUTE,
    ) -> None:
        self._fetch = fetch
        self._roots = tuple(roots) if roots is not None else None
        self._store: Store | None = None
        self._now = now
        self._cache_size = cache_size
        self._cache: OrderedDict[str, tuple[x509.Certificate, datetime]] = OrderedDict()
        self._max_downloads = max_downloads
        self._downloads: list[datetime] = []  # when each download of the last minute began
        self._pending: dict[str, Future[x509.Certificate]] = {}  # downloads in flight, by URL
        self._lock = threading.Lock()

    def verify(self, body: bytes, cert_url: str | None, signature: str | None) -> None:
        """Raises VerificationFailed unless `body`, as received, was signed by Alexa just now."""
        if not cert_url:
            raise VerificationFailed(f"no {CERT_URL_HEADER} header")
        if not signature:
            raise VerificationFailed(f"no {SIGNATURE_HEADER} header")
        now = self._now()
        leaf = self.signing_certificate(cert_url, now)
        check_signature(leaf, signature, body)
        check_timestamp(body, now)

    def signing_certificate(self, url: str, now: datetime) -> x509.Certificate:
        """The verified leaf certificate at `url`, from the cache when it is still valid.

        A miss while the same URL is being downloaded waits for that download and shares its
        result, so a burst of first requests costs one download, not one each.
        """
        url = check_cert_url(url)
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and now < cached[1]:
                self._cache.move_to_end(url)
                return cached[0]
            pending = self._pending.get(url)
            waiting = pending is not None
            if pending is None:
                self._count_download(now)
                pending = self._pending[url] = Future()
        if waiting:
            return pending.result()
        try:
            leaf = self._download(url, now)
        except BaseException as error:
            self._end_download(url)
            pending.set_exception(error)
            raise
        self._end_download(url)
        pending.set_result(leaf)
        return leaf

    def _end_download(self, url: str) -> None:
        # Before the waiters are woken: a later miss finds the cached chain, or after a failure
        # downloads anew instead of taking the failure of a download it did not wait for.
        with self._lock:
            del self._pending[url]

    def _download(self, url: str, now: datetime) -> x509.Certificate:
        try:
            pem = self._fetch(url)
        except OSError as error:
            raise VerificationFailed("certificate chain could not be downloaded") from error
        chain = _parse_chain(pem)
        leaf = self._check_chain(chain, now)
        expires = min(cert.not_valid_after_utc for cert in chain)
        # Only now, with the URL and its chain checked, does the URL take a place in the cache.
        with self._lock:
            self._cache[url] = (leaf, expires)
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return leaf

    def _count_download(self, now: datetime) -> None:
        """Takes a place in the minute's downloads (the lock is held), or refuses when none is left.

        A failed download counts too: what is bounded is the fetching a caller can cause.
        """
        # A time ahead of `now` is dropped too, so a clock set back cannot hold places forever.
        self._downloads = [t for t in self._downloads if now - DOWNLOAD_WINDOW < t <= now]
        if len(self._downloads) >= self._max_downloads:
            raise VerificationFailed("too many certificate downloads in the last minute")
        self._downloads.append(now)

    def _check_chain(self, chain: list[x509.Certificate], now: datetime) -> x509.Certificate:
        leaf, intermediates = chain[0], chain[1:]
        if now < leaf.not_valid_before_utc:
            raise VerificationFailed("signing certificate is not yet valid")
        if now > leaf.not_valid_after_utc:
            raise VerificationFailed("signing certificate has expired")
        if SIGNING_DOMAIN not in _dns_names(leaf):
            raise VerificationFailed(f"signing certificate is not for {SIGNING_DOMAIN}")
        verifier = PolicyBuilder().store(self._trust_store()).time(now)
        try:
            verifier.build_server_verifier(x509.DNSName(SIGNING_DOMAIN)).verify(leaf, intermediates)
        except VerificationError as error:
            raise VerificationFailed("signing certificate does not chain to a trusted root") from (
                error
            )
        return leaf

    def _trust_store(self) -> Store:
        if self._store is None:
            self._store = Store(list(self._roots if self._roots is not None else certifi_roots()))
        return self._store


def check_signature(leaf: x509.Certificate, signature: str, body: bytes) -> None:
    """RSA PKCS#1 v1.5 with SHA-256 over the raw body, with the signing certificate's key."""
    try:
        decoded = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as error:
        raise VerificationFailed("signature is not base64") from error
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationFailed("signing certificate has no RSA key")
    try:
        key.verify(decoded, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as error:
        raise VerificationFailed("signature does not match the body") from error


def check_timestamp(body: bytes, now: datetime) -> None:
    """The request's own timestamp is close to now, so a captured request cannot be replayed."""
    try:
        request = json.loads(body)["request"]
        stamp = datetime.fromisoformat(request["timestamp"])
        kind = request.get("type")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise VerificationFailed("request has no readable timestamp") from error
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    tolerance = SKILL_EVENT_TOLERANCE if kind in SKILL_EVENTS else TOLERANCE
    if abs(now - stamp) > tolerance:
        raise VerificationFailed("request timestamp is too far from now")


def _parse_chain(pem: bytes) -> list[x509.Certificate]:
    try:
        chain = x509.load_pem_x509_certificates(pem)
    except ValueError as error:
        raise VerificationFailed("certificate chain is not PEM") from error
    if not chain:
        raise VerificationFailed("certificate chain is empty")
    return chain


def _dns_names(cert: x509.Certificate) -> set[str]:
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {name.lower() for name in names.get_values_for_type(x509.DNSName)}
