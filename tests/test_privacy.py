"""Consent before anything is kept, saying what is kept, and erasing all of it by voice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from skill.blocks.plugin import Plugin
from skill.discovery import discover
from skill.local.conversation import Conversation
from skill.local.envelopes import Caller
from skill.local.model_build import manifest
from skill.local.nlu import LocalNlu
from skill.store import ProfileStore
from tests.conftest import Calls, begin, make_conversation
from tests.speech_helpers import said


def items(store: ProfileStore) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = store.client.scan(TableName=store.table_name)["Items"]
    return found


def test_nothing_is_written_without_a_spoken_yes(talk: Conversation, calls: Calls) -> None:
    begin(talk, consent=False)
    talk.say("a calming exercise")
    talk.say("stop")
    assert calls["PutItem"] == 0
    assert "Welcome to Secure Base" in said(talk.say("open secure base"))


def test_consent_and_its_date_are_recorded(talk: Conversation, store: ProfileStore) -> None:
    talk.now = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    begin(talk)
    (item,) = items(store)
    assert item["consent"] == {"S": "2026-11-27"}


def test_remember_me_gives_consent_later(talk: Conversation, store: ProfileStore) -> None:
    begin(talk, consent=False)
    assert items(store) == []
    assert "I'll remember your progress" in said(talk.say("please remember my progress"))
    assert len(items(store)) == 1


def test_what_do_you_know_says_plainly_what_is_kept(talk: Conversation) -> None:
    begin(talk, consent=False)
    assert "I don't keep anything about you" in said(talk.say("what do you know about me"))
    talk.say("stop")

    talk.now = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    begin(talk)
    talk.say("repair guidance")
    speech = said(talk.say("what do you remember about me"))
    assert "You asked me to remember your place on November 27, 2026." in speech
    assert "repair guidance" in speech
    assert "never keep anything you say" in speech
    assert "after a year without a visit" in speech
    assert "forget me" in speech


def test_dates_are_said_the_local_way(store: ProfileStore, nlu: LocalNlu) -> None:
    talk = make_conversation(store, nlu)
    talk.locale = "en-GB"
    talk.now = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    begin(talk)
    assert "on 27 November 2026" in said(talk.say("what do you know about me"))


def test_forget_me_asks_first_then_erases_every_person_of_the_account(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    alex = make_conversation(store, nlu, user_id="account-1", person_id="alex")
    sam = make_conversation(store, nlu, user_id="account-1", person_id="sam")
    stranger = make_conversation(store, nlu, user_id="account-2")
    for talk in (alex, sam, stranger):
        begin(talk)
        talk.say("stop")
    assert len(items(store)) == 3

    begin(alex)
    question = alex.say("forget me")
    assert "erase everything" in said(question) and "Shall I go ahead?" in said(question)
    assert "left everything as it was" in said(alex.say("no"))
    assert len(items(store)) == 3

    alex.say("erase everything")
    done = alex.say("yes")
    assert "erased everything" in said(done)
    assert done.ends_session
    remaining = items(store)
    assert [i["userId"]["S"] for i in remaining] == ["account-2"]

    assert "Welcome to Secure Base" in said(alex.say("open secure base"))  # a stranger again


def test_erasing_calls_each_plugins_forget_hook(
    store: ProfileStore, nlu: LocalNlu, monkeypatch: pytest.MonkeyPatch
) -> None:
    forgotten: list[str] = []

    def noting(plugin: Plugin[Any, Any]) -> Plugin[Any, Any]:
        """The same plugin, with a forget hook that notes it was called."""
        hook = {"forget": lambda self, handler_input: forgotten.append(self.name)}
        noted: Plugin[Any, Any] = type(f"Noted{type(plugin).__name__}", (type(plugin),), hook)()
        return noted

    plugins = tuple(noting(p) for p in discover().plugins)
    talk = make_conversation(store, nlu, plugins=plugins)
    begin(talk)
    talk.say("delete my data")
    talk.say("yes")
    assert sorted(forgotten) == sorted(p.name for p in plugins)


def test_disabling_the_skill_erases_the_account(talk: Conversation, store: ProfileStore) -> None:
    begin(talk)
    talk.say("stop")
    assert len(items(store)) == 1
    event = skill_disabled_event(talk.caller)
    response = talk.handler(event, None)
    assert "outputSpeech" not in (response.get("response") or {})
    assert items(store) == []


def skill_disabled_event(caller: Caller) -> dict[str, Any]:
    return {
        "version": "1.0",
        "context": {
            "System": {
                "application": {"applicationId": caller.skill_id},
                "user": {"userId": caller.user_id},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "type": "AlexaSkillEvent.SkillDisabled",
            "requestId": "amzn1.echo-api.request.disabled-1",
            "timestamp": "2026-11-27T20:00:00Z",
            "eventCreationTime": "2026-11-27T20:00:00Z",
            "eventPublishingTime": "2026-11-27T20:00:00Z",
            "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
        },
    }


def test_manifest_subscribes_to_skill_disabled_and_takes_policy_urls() -> None:
    built = manifest(
        discover().plugins,
        privacy_policy_url="https://example.org/privacy",
        terms_of_use_url="https://example.org/terms",
    )["manifest"]
    assert {"eventName": "SKILL_DISABLED"} in built["events"]["subscriptions"]
    for locale in built["privacyAndCompliance"]["locales"].values():
        assert locale == {
            "privacyPolicyUrl": "https://example.org/privacy",
            "termsOfUseUrl": "https://example.org/terms",
        }
    assert built["privacyAndCompliance"]["isChildDirected"] is False
    for listing in built["publishingInformation"]["locales"].values():
        assert "not a substitute for a therapist" in listing["description"]
