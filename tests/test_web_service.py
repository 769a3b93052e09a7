"""The skill as a web service: only requests Alexa signed, just now, for this skill are answered.

The certificate chain (root CA -> intermediate CA -> echo-api.amazon.com) is made here, and the
verifier downloads it through a fake S3, so nothing reaches the network.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import Flask
from flask.testing import FlaskClient

from skill.app import build_skill
from skill.local import cli
from skill.local.envelopes import Caller, envelope, request_for
from skill.local.nlu import Understanding
from skill.store import ProfileStore
from skill.web.service import ANY_SKILL_WARNING, create_app
from skill.web.verify import RequestVerifier, VerificationFailed, check_cert_url
from tests.conftest import SKILL_ID

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-42.pem"
USER_ID = "amzn1.ask.account.WEB-TEST-USER"

# Alexa's own examples ("Verify the signature certificate URL"), plus case variants it allows.
VALID_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://S3.AmazonAWS.com/echo.api/echo-api-cert.pem",
]
INVALID_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",  # scheme
    "https://notamazon.com/echo.api/echo-api-cert.pem",  # host
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",  # host
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",  # path is case-sensitive
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",  # path
    "https://s3.amazonaws.com/echo.api/../invalid.pem",  # path, once normalized
    "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",  # port
    "https://s3.amazonaws.com:not-a-port/echo.api/echo-api-cert.pem",
]

Key = rsa.RSAPrivateKey


@dataclass(frozen=True)
class Keys:
    root: Key
    intermediate: Key
    leaf: Key
    stranger: Key  # a CA nobody trusts


@pytest.fixture(scope="session")
def keys() -> Keys:
    def new() -> Key:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    return Keys(root=new(), intermediate=new(), leaf=new(), stranger=new())


def certificate(
    name: str,
    key: Key,
    issuer: tuple[x509.Certificate, Key] | None,
    *,
    ca: bool,
    san: str | None = "echo-api.amazon.com",
    not_before: datetime = NOW - timedelta(days=30),
    not_after: datetime = NOW + timedelta(days=300),
) -> x509.Certificate:
    """A certificate with the extensions a web PKI path validation asks of a real one."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, issuer_key = (issuer[0].subject, issuer[1]) if issuer else (subject, key)
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    # Each extension, with whether it is critical.
    extensions: list[tuple[x509.ExtensionType, bool]] = [
        (x509.BasicConstraints(ca=ca, path_length=None), True),
        (x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False),
        (usage, True),
    ]
    if not ca:
        extensions.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False))
        if san is not None:
            extensions.append((x509.SubjectAlternativeName([x509.DNSName(san)]), False))
    builder = x509.CertificateBuilder(
        issuer_name=issuer_name,
        subject_name=subject,
        public_key=key.public_key(),
        serial_number=x509.random_serial_number(),
        not_valid_before=not_before,
        not_valid_after=not_after,
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class Pki:
    root: x509.Certificate
    intermediate: x509.Certificate
    keys: Keys

    def chain(self, **leaf_options: Any) -> bytes:
        """PEM as Amazon serves it: signing certificate first, then the intermediate."""
        issuer = (self.intermediate, self.keys.intermediate)
        leaf = certificate("echo-api.amazon.com", self.keys.leaf, issuer, ca=False, **leaf_options)
        return pem(leaf, self.intermediate)


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


@pytest.fixture(scope="session")
def pki(keys: Keys) -> Pki:
    root = certificate("Test Root CA", keys.root, None, ca=True)
    intermediate = certificate(
        "Test Intermediate CA", keys.intermediate, (root, keys.root), ca=True
    )
    return Pki(root=root, intermediate=intermediate, keys=keys)


@dataclass
class FakeS3:
    """Serves certificate chains by URL and remembers every download."""

    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)

    def __call__(self, url: str) -> bytes:
        self.downloads.append(url)
        if url not in self.files:
            raise OSError("404")
        return self.files[url]


@dataclass
class Service:
    client: FlaskClient
    s3: FakeS3
    pki: Pki
    invoked: list[str]

    def post(
        self,
        event: dict[str, Any] | bytes,
        *,
        url: str | None = CERT_URL,
        signed_body: bytes | None = None,
        signature: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        if signature is None:
            signature = sign(self.pki.keys.leaf, body if signed_body is None else signed_body)
        headers = {"SignatureCertChainUrl": url, "Signature-256": signature}
        sent = {name: value for name, value in headers.items() if value}
        answer = self.client.post("/", data=body, headers=sent, content_type="application/json")
        payload: dict[str, Any] = answer.get_json()
        return answer.status_code, payload


def sign(key: Key, body: bytes) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def make_service(store: ProfileStore, pki: Pki, **app_options: Any) -> Service:
    skill = build_skill(store=store, skill_id=SKILL_ID)
    invoked: list[str] = []
    invoke = skill.invoke

    def spy(request_envelope: Any, context: Any) -> Any:
        invoked.append(request_envelope.request.object_type)
        return invoke(request_envelope=request_envelope, context=context)

    skill.invoke = spy
    s3 = FakeS3({CERT_URL: pki.chain()})
    verifier = RequestVerifier(fetch=s3, roots=[pki.root], now=lambda: NOW)
    app = create_app(skill=skill, verifier=verifier, **app_options)
    return Service(app.test_client(), s3, pki, invoked)


@pytest.fixture
def service(store: ProfileStore, pki: Pki) -> Iterator[Service]:
    yield make_service(store, pki)


def launch(timestamp: datetime = NOW, application_id: str = SKILL_ID) -> dict[str, Any]:
    caller = Caller(skill_id=application_id, user_id=USER_ID, device_id="device-1")
    request = request_for(Understanding(None), "en-US", timestamp, application_id)
    return envelope(caller, request, "session-1", True, {})


def skill_disabled(timestamp: datetime) -> dict[str, Any]:
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "1.0",
        "context": {
            "System": {
                "application": {"applicationId": SKILL_ID},
                "user": {"userId": USER_ID},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "type": "AlexaSkillEvent.SkillDisabled",
            "requestId": "amzn1.echo-api.request.disabled-1",
            "timestamp": stamp,
            "eventCreationTime": stamp,
            "eventPublishingTime": stamp,
            "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
        },
    }


def assert_refused(
    status: int, payload: dict[str, Any], service: Service, reason: str | None = None
) -> None:
    assert status == 400
    assert "response" not in payload
    assert service.invoked == []
    if reason is not None:
        assert reason in payload["reason"]


def test_signed_launch_request_is_answered_with_the_welcome(service: Service) -> None:
    status, payload = service.post(launch())
    assert status == 200
    assert "Welcome" in payload["response"]["outputSpeech"]["ssml"]
    assert service.invoked == ["LaunchRequest"]


def test_the_chain_is_downloaded_once_per_url(service: Service) -> None:
    for _ in range(3):
        assert service.post(launch())[0] == 200
    assert service.s3.downloads == [CERT_URL]


@pytest.mark.parametrize(
    ("leaf_options", "reason"),
    [
        (
            {"not_before": NOW - timedelta(days=400), "not_after": NOW - timedelta(seconds=1)},
            "expired",
        ),
        ({"not_before": NOW + timedelta(minutes=5)}, "not yet valid"),
        ({"san": "www.example.com"}, "not for echo-api.amazon.com"),
        ({"san": None}, "not for echo-api.amazon.com"),
    ],
    ids=["expired", "not-yet-valid", "other-host", "no-san"],
)
def test_an_unfit_signing_certificate_is_refused(
    service: Service, pki: Pki, leaf_options: dict[str, Any], reason: str
) -> None:
    service.s3.files[CERT_URL] = pki.chain(**leaf_options)
    assert_refused(*service.post(launch()), service, reason)


def test_a_chain_to_an_untrusted_root_is_refused(service: Service, pki: Pki, keys: Keys) -> None:
    # Same names as the trusted CAs, but issued by a root the service does not trust.
    stranger_root = certificate("Test Root CA", keys.stranger, None, ca=True)
    impostor = certificate(
        "Test Intermediate CA", keys.intermediate, (stranger_root, keys.stranger), ca=True
    )
    leaf = certificate("echo-api.amazon.com", keys.leaf, (impostor, keys.intermediate), ca=False)
    service.s3.files[CERT_URL] = pem(leaf, impostor, stranger_root)
    assert_refused(*service.post(launch()), service, "trusted root")


def test_a_leaf_signed_directly_by_itself_is_refused(service: Service, keys: Keys) -> None:
    selfsigned = certificate("echo-api.amazon.com", keys.leaf, None, ca=False)
    service.s3.files[CERT_URL] = pem(selfsigned)
    assert_refused(*service.post(launch()), service, "trusted root")


@pytest.mark.parametrize("url", INVALID_URLS)
def test_a_certificate_url_amazon_would_not_use_is_never_downloaded(
    service: Service, url: str
) -> None:
    service.s3.files[url] = service.pki.chain()
    assert_refused(*service.post(launch(), url=url), service, "certificate URL")
    assert service.s3.downloads == []


@pytest.mark.parametrize("url", VALID_URLS)
def test_alexas_valid_certificate_urls_are_accepted(service: Service, url: str) -> None:
    # Whatever the spelling, what is fetched is the one URL that was checked.
    fetched = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
    assert check_cert_url(url) == fetched
    service.s3.files[fetched] = service.pki.chain()
    status, payload = service.post(launch(), url=url)
    assert status == 200
    assert "outputSpeech" in payload["response"]
    assert service.s3.downloads == [fetched]


@pytest.mark.parametrize("url", INVALID_URLS)
def test_check_cert_url_refuses_alexas_invalid_examples(url: str) -> None:
    with pytest.raises(VerificationFailed):
        check_cert_url(url)


def test_a_tampered_body_is_refused_and_not_logged(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    genuine = json.dumps(launch()).encode()
    tampered = launch()
    tampered["context"]["System"]["user"]["userId"] = "amzn1.ask.account.SOMEONE-ELSE"
    with caplog.at_level(logging.INFO):
        result = service.post(tampered, signed_body=genuine)
    assert_refused(*result, service, "signature does not match")
    assert "signature does not match" in caplog.text
    assert "SOMEONE-ELSE" not in caplog.text and USER_ID not in caplog.text


@pytest.mark.parametrize("signature", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_garbled_signature_is_refused(service: Service, signature: str) -> None:
    assert_refused(*service.post(launch(), signature=signature), service, "signature")


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_a_request_without_signature_headers_is_refused(service: Service, missing: str) -> None:
    if missing == "SignatureCertChainUrl":
        result = service.post(launch(), url=None)
    else:
        result = service.post(launch(), signature="")
    assert_refused(*result, service, missing)
    assert service.s3.downloads == []


@pytest.mark.parametrize("offset", [-151, 151], ids=["151s-old", "151s-ahead"])
def test_a_stale_or_future_request_is_refused(service: Service, offset: int) -> None:
    event = launch(timestamp=NOW + timedelta(seconds=offset))
    assert_refused(*service.post(event), service, "timestamp")


@pytest.mark.parametrize("offset", [-150, 150])
def test_a_request_150_seconds_off_is_still_accepted(service: Service, offset: int) -> None:
    assert service.post(launch(timestamp=NOW + timedelta(seconds=offset)))[0] == 200


def test_a_skill_event_may_be_up_to_an_hour_old(service: Service) -> None:
    status, _ = service.post(skill_disabled(NOW - timedelta(minutes=30)))
    assert status == 200
    assert service.invoked == ["AlexaSkillEvent.SkillDisabled"]


def test_a_skill_event_older_than_an_hour_is_refused(service: Service) -> None:
    event = skill_disabled(NOW - timedelta(minutes=61))
    assert_refused(*service.post(event), service, "timestamp")


def test_a_request_for_another_skill_is_refused(service: Service) -> None:
    event = launch(application_id="amzn1.ask.skill.someone-else")
    assert_refused(*service.post(event), service, "foreign skill id")


@pytest.mark.parametrize("body", [b"{not json", b'["a", "list"]', b'{"request": {}}'])
def test_a_malformed_body_is_refused(service: Service, body: bytes) -> None:
    assert_refused(*service.post(body), service)


def test_unverified_mode_answers_unsigned_requests_and_says_so_loudly(
    store: ProfileStore, pki: Pki, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        service = make_service(store, pki, verify=False)
    assert "REQUEST VERIFICATION IS OFF" in caplog.text
    assert "Anyone" in caplog.text and "only for local testing" in caplog.text
    # No headers, and a timestamp Alexa would never send: accepted all the same.
    event = json.dumps(launch(timestamp=NOW - timedelta(days=3))).encode()
    answer = service.client.post("/", data=event, content_type="application/json")
    assert answer.status_code == 200
    assert "Welcome" in answer.get_json()["response"]["outputSpeech"]["ssml"]
    assert service.s3.downloads == []
    refused = service.client.post("/", data=b"{oops", content_type="application/json")
    assert refused.status_code == 400


def test_health(service: Service) -> None:
    answer = service.client.get("/health")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok"}


def test_a_cached_chain_is_not_used_past_its_expiry(store: ProfileStore, pki: Pki) -> None:
    clock: list[datetime] = [NOW]
    s3 = FakeS3({CERT_URL: pki.chain(not_after=NOW + timedelta(minutes=10))})
    verifier = RequestVerifier(fetch=s3, roots=[pki.root], now=lambda: clock[0])
    body = json.dumps(launch()).encode()

    def verify() -> None:
        verifier.verify(body, CERT_URL, sign(pki.keys.leaf, body))

    verify()
    verify()
    assert s3.downloads == [CERT_URL]
    clock[0] = NOW + timedelta(minutes=11)
    with pytest.raises(VerificationFailed, match="expired"):
        verify()
    assert s3.downloads == [CERT_URL, CERT_URL]


@dataclass
class Runs:
    """Stands in for Flask's server: records each start instead of serving."""

    started: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, store: ProfileStore) -> Runs:
    recorder = Runs()

    def run(app: Flask, host: str, port: int, **options: Any) -> None:
        recorder.started.append((host, port))

    monkeypatch.setattr(Flask, "run", run)
    return recorder


def serve(*options: str) -> int:
    return cli.serve(cli.parser().parse_args(["serve", *options]))


def test_serve_refuses_to_start_without_skill_id(
    runs: Runs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve() != 0
    assert runs.started == []
    error = capsys.readouterr().err
    assert "SKILL_ID is not set" in error and "set SKILL_ID" in error and "--any-skill" in error
    assert len(error.strip().splitlines()) == 1
    # Local testing without signatures is left as it was: an applicationId proves nothing there.
    assert serve("--no-verify") == 0
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    assert serve() == 0
    assert runs.started == [("127.0.0.1", 8080), ("127.0.0.1", 8080)]


def test_serve_with_any_skill_starts_and_warns_once(
    runs: Runs, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert serve("--any-skill", "--port", "8081") == 0
    assert runs.started == [("127.0.0.1", 8081)]
    assert caplog.text.count("SKILL_ID IS NOT SET") == 1


def test_an_any_skill_service_answers_another_skill_after_one_warning(
    store: ProfileStore, pki: Pki, caplog: pytest.LogCaptureFixture
) -> None:
    s3 = FakeS3({CERT_URL: pki.chain()})
    verifier = RequestVerifier(fetch=s3, roots=[pki.root], now=lambda: NOW)
    with caplog.at_level(logging.WARNING):
        skill = build_skill(store=store, skill_id=None)
        app = create_app(skill=skill, verifier=verifier, any_skill=True)
        service = Service(app.test_client(), s3, pki, [])
        for _ in range(2):
            status, _ = service.post(launch(application_id="amzn1.ask.skill.someone-else"))
            assert status == 200
    assert caplog.text.count(ANY_SKILL_WARNING.strip().splitlines()[1]) == 1
