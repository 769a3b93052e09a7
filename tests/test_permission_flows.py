"""The reminders permission as Amazon documents it: why before asking, the current request, both
versions' answers read, and after a no the words and the card that leads to the setting."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from skill.alexa_api import REMINDERS_SCOPE
from skill.blocks.plugin import LOCALES
from skill.core import Core
from skill.local.conversation import Conversation, Turn
from skill.local.fake_alexa import FakeAlexaApi
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.speech_helpers import said

# The answers Alexa sends to the AskFor, in the shapes Amazon's pages give: version 1 names the
# one scope; version 2's page lists the scopes with their consent level and shows the status
# beside them (its example is not valid JSON: both places it could mean are sent).
V1 = {"permissionScope": REMINDERS_SCOPE}
V2 = {"permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}]}


def v1(status: str) -> dict[str, Any]:
    return {**V1, "status": status}


def v2(status: str) -> dict[str, Any]:
    return {**V2, "status": status}


def v2_beside_the_scope(status: str) -> dict[str, Any]:
    scope = {"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT", "status": status}
    return {"permissionScopes": [scope]}


SHAPES = [v1, v2, v2_beside_the_scope]


@pytest.fixture
def talk(store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi) -> Conversation:
    return make_conversation(
        store, nlu, api_endpoint=alexa.endpoint, api_access_token="token-account"
    )


def ask(talk: Conversation) -> Turn:
    begin(talk)
    asked = talk.say("set up my nightly check-in at nine pm")
    assert asked.asked_for == (REMINDERS_SCOPE, "checkin:21:00")
    return asked


def grant(talk: Conversation, alexa: FakeAlexaApi) -> None:
    """What saying "I approve" does: Alexa's APIs accept the skill's calls, and the requests'
    context carries the permission."""
    talk.caller = dataclasses.replace(talk.caller, granted=talk.caller.granted | {REMINDERS_SCOPE})
    alexa.grant(talk.caller.api_access_token)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__)
def test_an_accepted_answer_in_either_version_sets_the_reminder(
    talk: Conversation, alexa: FakeAlexaApi, shape: Any
) -> None:
    ask(talk)
    # Only Alexa's API knows of the grant, not the request: the answer's status alone says yes.
    alexa.grant(talk.caller.api_access_token)
    done = talk.respond(shape("ACCEPTED"))
    assert "Every day at 9 pm" in said(done)
    assert [call.method for call in alexa.reminder_calls()] == ["POST"]


def test_granted_before_with_no_status_in_the_answer_sets_it_too(
    talk: Conversation, alexa: FakeAlexaApi
) -> None:
    """ACCEPTED "either in response to the last request or previously": the permission the
    request's context carries is read as well as the answer's status."""
    ask(talk)
    grant(talk, alexa)
    done = talk.respond(V2)
    assert "Every day at 9 pm" in said(done)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__)
@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_a_no_or_no_answer_is_said_with_the_permission_card(
    talk: Conversation, alexa: FakeAlexaApi, shape: Any, status: str
) -> None:
    ask(talk)
    turn = talk.respond(shape(status))
    body = turn.response["response"]
    assert body["card"] == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}
    assert "no reminder is set" in said(turn) and "card in your Alexa app" in said(turn)
    # And the session goes on to what else there is.
    assert body["shouldEndSession"] is False and body["reprompt"]
    assert alexa.reminder_calls() == []


def test_a_yes_whose_token_lost_its_time_asks_for_the_time_without_the_card(
    talk: Conversation, alexa: FakeAlexaApi
) -> None:
    ask(talk)
    grant(talk, alexa)
    turn = talk.respond(v2("ACCEPTED"), token="checkin:")  # the token lost its time
    assert "card" not in turn.response["response"]
    assert said(turn).endswith(Checkin().content("en-US").ask_time)
    assert alexa.reminder_calls() == []


def test_an_answer_that_grants_nothing_else_is_not_read_as_a_yes(
    talk: Conversation, alexa: FakeAlexaApi
) -> None:
    ask(talk)
    other = {"permissionScope": "alexa::profile:email:read", "status": "ACCEPTED"}
    turn = talk.respond({"permissionScopes": [other]})
    assert "no reminder is set" in said(turn)
    assert alexa.reminder_calls() == []


@pytest.mark.parametrize("locale", LOCALES)
def test_why_is_said_before_alexa_asks_in_every_locale(
    talk: Conversation, alexa: FakeAlexaApi, locale: str
) -> None:
    talk.locale = locale
    asked = ask(talk)
    body = asked.response["response"]
    # One sentence of the skill's own, then Alexa's question: no reprompt of the skill's, which
    # would talk over Alexa's.
    why = said(asked)
    assert why.count(".") == 1 and "permission" in why and "9 pm" in why
    assert "reprompt" not in body
    assert [d["type"] for d in body["directives"]] == ["Connections.SendRequest"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_reminder_text_fits_a_small_screen_without_the_skills_name(locale: str) -> None:
    """Amazon's reminder guidelines: no skill name (Alexa says it), about 25 characters show on
    a small screen, nothing sensitive on a shared device."""
    text = Checkin().content(locale).reminder_text
    core = Core().content(locale)
    assert len(text) <= 25
    for name in (core.store.name, core.invocation_name):
        assert name.lower() not in text.lower()
    assert "alexa" not in text.lower()


def test_the_reminder_that_is_set_says_that_text(talk: Conversation, alexa: FakeAlexaApi) -> None:
    ask(talk)
    grant(talk, alexa)
    talk.respond(v2("ACCEPTED"))
    (create,) = alexa.reminder_calls()
    spoken = (create.body or {})["alertInfo"]["spokenInfo"]["content"]
    assert spoken == [{"locale": "en-US", "text": Checkin().content("en-US").reminder_text}]
