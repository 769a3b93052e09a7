"""The skill as an HTTPS web service: Alexa's "HTTPS endpoint" option instead of AWS Lambda.

Alexa posts each request envelope as JSON to `/`; the answer is the skill's response envelope.
Every request is verified first (skill/web/verify.py says why that is our own code). A request
that is refused gets HTTP 400 and one log line with the reason, never the body: it holds what
people said to the skill.

Alexa signs requests for every skill with the same certificate, so a valid signature does not say
the request is for this skill: anyone can point a skill of their own at this endpoint. A verified
service therefore starts only with SKILL_ID set, or when told to accept any skill (`any_skill`).
Unverified mode (local testing) needs no SKILL_ID: with nothing signed, an applicationId proves
nothing, and it already warns that anyone can call it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request

from skill import app as skill_app
from skill.web.verify import CERT_URL_HEADER, SIGNATURE_HEADER, RequestVerifier, VerificationFailed

log = logging.getLogger(__name__)

# Far above any real envelope; a larger body is refused (413) before it is read.
MAX_BODY_BYTES = 256 * 1024

UNVERIFIED_WARNING = """
************************************************************************
WARNING: REQUEST VERIFICATION IS OFF.
Anyone who can reach this service can send it requests as any Alexa user,
read and change what it stores about them. Use this only for local testing;
never expose it to the internet or let Alexa's real traffic reach it.
************************************************************************"""

ANY_SKILL_WARNING = """
************************************************************************
WARNING: SKILL_ID IS NOT SET: REQUESTS FOR ANY SKILL ARE ANSWERED.
Anyone can point a skill of their own at this endpoint; Alexa signs its
requests just like this skill's, and the service answers them and stores
what they say in this skill's table. Set SKILL_ID to this skill's ID.
************************************************************************"""


class MissingSkillId(Exception):
    """A verified service was asked to start without SKILL_ID and without `any_skill`."""


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def create_app(
    skill: CustomSkill | None = None,
    verifier: RequestVerifier | None = None,
    verify: bool = True,
    any_skill: bool = False,
) -> Flask:
    """The Flask app; `skill` is built once here if not given, `verifier` defaults to certifi's
    roots and the real clock. With `verify=False` nothing is checked, which is loudly logged.

    Raises MissingSkillId when requests are verified but the skill has no id to insist on
    (SKILL_ID unset), unless `any_skill` says that is meant; then it is loudly logged, once."""
    skill = skill if skill is not None else skill_app.build_skill()
    if verify:
        if skill.skill_id is None:
            if not any_skill:
                raise MissingSkillId(
                    "SKILL_ID is not set: set it, or pass any_skill=True to answer every skill"
                )
            log.warning(ANY_SKILL_WARNING)
        verifier = verifier or RequestVerifier()
    else:
        verifier = None
        log.warning(UNVERIFIED_WARNING)
    web = Flask(__name__)
    web.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @web.post("/")
    def alexa() -> tuple[Response, int]:
        body = request.get_data(cache=False)
        try:
            if verifier is not None:
                cert_url = request.headers.get(CERT_URL_HEADER)
                verifier.verify(body, cert_url, request.headers.get(SIGNATURE_HEADER))
            event = _envelope(body)
            try:
                response = skill_app.handle_event(skill, event, None)
            except skill_app.ForeignSkillId as error:
                raise _Refused("foreign skill id") from error
            except skill_app.MalformedEnvelope as error:
                raise _Refused("malformed envelope") from error
        except (VerificationFailed, _Refused) as refusal:
            log.warning("request refused: %s", refusal.reason)
            return jsonify(error="bad request", reason=refusal.reason), 400
        return jsonify(response), 200

    @web.get("/health")
    def health() -> tuple[Response, int]:
        return jsonify(status="ok"), 200

    return web


def _envelope(body: bytes) -> dict[str, Any]:
    """The parsed envelope, if it has the parts every Alexa request has."""
    try:
        event = json.loads(body)
    except ValueError as error:  # also invalid UTF-8
        raise _Refused("malformed JSON") from error
    except RecursionError as error:
        # Nested past the parser's stack (about a thousand levels fit in the body's 256 KB):
        # no Alexa request is; without this it would be an HTTP 500.
        raise _Refused("malformed JSON: nested too deep") from error
    try:
        request_type = event["request"]["type"]
        application_id = event["context"]["System"]["application"]["applicationId"]
    except (KeyError, TypeError) as error:
        raise _Refused("malformed envelope") from error
    if not isinstance(request_type, str) or not isinstance(application_id, str):
        raise _Refused("malformed envelope")
    parsed: dict[str, Any] = event
    return parsed


def serve(host: str, port: int, verify: bool, any_skill: bool = False) -> None:
    """Runs the service on Flask's built-in server, which is for local testing only.

    Alexa only calls HTTPS on port 443, so in production run the app under a real WSGI server
    behind a TLS terminator, e.g. `gunicorn 'skill.web.service:create_app()'` behind nginx or
    a cloud load balancer. `verify=False` accepts unsigned requests (with a loud warning);
    `any_skill` lets a verified service start without SKILL_ID (MissingSkillId otherwise).
    """
    create_app(verify=verify, any_skill=any_skill).run(host=host, port=port, threaded=True)
