"""The nightly check-in: its reminder through Alexa's APIs (a local HTTPS fake), and itself."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from skill.alexa_api import REMINDERS_SCOPE
from skill.discovery import discover
from skill.local.conversation import Conversation, Turn
from skill.local.fake_alexa import HANG, FakeAlexaApi
from skill.local.model_build import manifest
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.store import ProfileStore
from tests.conftest import CHICAGO, begin, make_conversation
from tests.dialogs import replay
from tests.speech_helpers import said

plugin = Checkin()

CONTENT = plugin.content("en-US")
# 21:15 in Chicago on 27 November 2026 (UTC-6), and the next morning at 9.
EVENING = datetime(2026, 11, 28, 3, 15, tzinfo=UTC)
MORNING = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


def person(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi, person_id: str | None = None
) -> Conversation:
    talk = make_conversation(
        store,
        nlu,
        user_id="account-1",
        person_id=person_id,
        api_endpoint=alexa.endpoint,
        api_access_token=f"token-{person_id}",
    )
    talk.on_grant = lambda _scope, caller: alexa.grant(caller.api_access_token)
    return talk


@pytest.fixture
def talk(store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi) -> Conversation:
    return person(store, nlu, alexa)


def profile_item(store: ProfileStore, person_id: str = "account") -> dict[str, Any]:
    key = {"userId": {"S": "account-1"}, "personId": {"S": person_id}}
    item: dict[str, Any] = store.client.get_item(TableName=store.table_name, Key=key)["Item"]
    return item


def checkin_state(store: ProfileStore, person_id: str = "account") -> dict[str, Any]:
    state: dict[str, Any] = profile_item(store, person_id)["plugin_state"]["M"]["checkin"]["M"]
    return state


def set_up(talk: Conversation) -> Turn:
    begin(talk)
    asked = talk.say("set up my nightly check-in at nine thirty pm")
    assert asked.asked_for == (REMINDERS_SCOPE, "checkin:21:30")
    return talk.say("yes")


def start_in_the_evening(talk: Conversation) -> Turn:
    """Opens the skill at 21:15 in Chicago, says yes to being remembered, starts the check-in."""
    talk.now = EVENING
    begin(talk)
    return talk.say("start my check-in")


def say_each(talk: Conversation, *utterances: str) -> Turn:
    """Says each utterance in turn: the skill's answer to the last."""
    turns = [talk.say(utterance) for utterance in utterances]
    return turns[-1]


def test_setup_asks_for_the_permission_then_creates_a_daily_reminder(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    begin(talk)
    asked = talk.say("set up my nightly check-in at nine thirty pm")
    directive = asked.response["response"]["directives"][0]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    assert directive["payload"]["permissionScope"] == REMINDERS_SCOPE
    assert alexa.reminder_calls() == []

    done = talk.say("yes")
    assert done.request["request"]["type"] == "Connections.Response"
    assert "Every day at 9:30 pm" in said(done)
    (create,) = alexa.reminder_calls()
    assert create.method == "POST"
    body = create.body or {}
    trigger = body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == CHICAGO
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=30;BYSECOND=0;INTERVAL=1;"
    ]
    spoken = body["alertInfo"]["spokenInfo"]["content"][0]
    assert "open secure base" in spoken["text"] and spoken["locale"] == "en-US"
    assert body["pushNotification"]["status"] == "ENABLED"
    state = checkin_state(store)
    assert state["reminder"]["S"] in alexa.reminders
    assert state["time"] == {"S": "21:30"} and state["zone"] == {"S": CHICAGO}


@pytest.mark.parametrize("answer", ["no", ""])
def test_permission_denied_or_not_answered_explains_the_app_and_routines(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, answer: str
) -> None:
    begin(talk)
    talk.say("remind me every evening at nine pm")
    turn = talk.say(answer) if answer else talk.silence()
    assert isinstance(turn, Turn)
    status = turn.request["request"]["payload"]["status"]
    assert status == ("DENIED" if answer else "NOT_ANSWERED")
    assert "Alexa app" in said(turn) and "Routine at 9 pm" in said(turn)
    assert alexa.reminder_calls() == []
    assert "checkin" not in profile_item(store).get("plugin_state", {}).get("M", {})


def test_without_a_time_it_asks_for_one(talk: Conversation, alexa: FakeAlexaApi) -> None:
    begin(talk)
    assert said(talk.say("set up a nightly check-in")) == CONTENT.ask_time
    asked = talk.say("nine pm")
    assert asked.asked_for is not None
    talk.say("yes")
    body = alexa.reminder_calls()[0].body or {}
    assert "BYHOUR=21;BYMINUTE=0;" in body["trigger"]["recurrence"]["recurrenceRules"][0]


def test_change_when_and_stop(talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore) -> None:
    set_up(talk)
    changed = talk.say("change my check-in time to ten pm")
    assert "now every day at 10 pm" in said(changed)
    update = alexa.reminder_calls()[-1]
    assert update.method == "PUT"
    assert (
        "BYHOUR=22;BYMINUTE=0;"
        in (update.body or {})["trigger"]["recurrence"]["recurrenceRules"][0]
    )
    assert "every day at 10 pm" in said(talk.say("when is my check-in"))
    assert len(alexa.reminders) == 1  # one reminder a day, never two

    stopped = talk.say("stop my nightly reminder")
    assert said(stopped).startswith(CONTENT.reminder_stopped)
    assert alexa.reminder_calls()[-1].method == "DELETE"
    assert alexa.reminders == {}
    assert checkin_state(store)["reminder"] == {"S": ""}
    assert said(talk.say("when is my check-in")).startswith(CONTENT.reminder_none)


@pytest.mark.parametrize("failure", [500, 429, 503, HANG])
def test_api_errors_get_a_clear_answer_and_nothing_is_stored(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, failure: int | str
) -> None:
    begin(talk)
    talk.say("set up my nightly check-in at nine thirty pm")
    alexa.fail_next(failure)
    turn = talk.say("yes")
    assert said(turn).startswith(CONTENT.api_unavailable)
    assert not turn.ends_session
    assert alexa.reminders == {}
    assert "checkin" not in profile_item(store).get("plugin_state", {}).get("M", {})


def test_a_withdrawn_permission_leads_back_to_the_permission_flow(
    talk: Conversation, alexa: FakeAlexaApi
) -> None:
    set_up(talk)
    alexa.fail_next(403)
    again = talk.say("change my check-in time to ten pm")
    assert again.asked_for == (REMINDERS_SCOPE, "checkin:22:00")


def test_an_evening_launch_opens_with_the_check_in_once_a_day(
    talk: Conversation, store: ProfileStore
) -> None:
    set_up(talk)
    talk.say("stop")
    talk.now = MORNING
    assert CONTENT.questions[0] not in said(talk.say("open secure base"))
    talk.say("stop")

    talk.now = EVENING
    opened = talk.say("open secure base")
    assert said(opened).startswith("Welcome back")
    assert CONTENT.evening_greeting in said(opened) and CONTENT.questions[0] in said(opened)
    assert CONTENT.questions[1] in said(talk.say("I felt we laughed at dinner"))
    assert CONTENT.questions[2] in said(talk.say("not really"))
    assert CONTENT.rating_question in said(talk.say("we have a trip next month"))
    assert said(talk.say("four")) == CONTENT.ratings_consent_question
    finished = talk.say("yes")
    assert CONTENT.done in said(finished)
    talk.say("stop")

    again = talk.say("open secure base")
    assert CONTENT.questions[0] not in said(again)  # done today: not asked again
    assert checkin_state(store)["last_done"] == {"S": "2026-11-27"}


def test_ratings_are_kept_only_with_a_yes_and_summarised(
    talk: Conversation, store: ProfileStore
) -> None:
    start_in_the_evening(talk)
    say_each(talk, "yes", "no", "I remember the weekend", "three")
    talk.say("no")  # don't keep ratings
    assert checkin_state(store)["ratings"] == {"S": ""}
    assert said(talk.say("how was my week")).startswith(CONTENT.week_not_kept)

    talk.say("start my check-in")
    say_each(talk, "yes", "no", "a walk")
    assert CONTENT.ratings_consent_question not in said(talk.say("five"))  # asked once only
    stored = json.dumps(profile_item(store)).lower()
    assert "walk" not in stored and "weekend" not in stored


def test_the_week_summary(talk: Conversation, store: ProfileStore) -> None:
    start_in_the_evening(talk)
    say_each(talk, "yes", "no", "yes", "four", "yes")
    assert checkin_state(store)["ratings"] == {"S": "2026-11-27=4"}
    summary = said(talk.say("how was my week"))
    assert "checked in 1 times, and felt on average 4 out of five connected" in summary


def test_partners_each_have_their_own_check_in_and_reminder(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi
) -> None:
    sam = person(store, nlu, alexa, "sam")
    begin(sam)  # Sam said yes to being remembered, on another evening
    sam.say("stop")
    alex = person(store, nlu, alexa, "alex")
    set_up(alex)
    alex.now = EVENING
    alex.say("start my check-in")
    turn = alex.say("now my partner")
    assert said(turn).startswith(CONTENT.partner_turn)
    # Alexa recognises Sam's voice from here on: Sam's own profile is used.
    alex.caller = dataclasses.replace(alex.caller, person_id="sam")
    assert CONTENT.questions[0] in said(alex.say("start my check-in"))
    alex.say("yes")
    alex.say("stop")
    assert checkin_state(store, "sam")["reminder"] == {"S": ""}  # Sam set no reminder
    assert checkin_state(store, "sam")["stage"] == {"N": "1"}  # Sam's own check-in, under way
    assert checkin_state(store, "alex")["reminder"]["S"] in alexa.reminders


def test_a_crisis_statement_mid_check_in(talk: Conversation) -> None:
    start_in_the_evening(talk)
    turn = talk.say("I don't want to be alive")
    assert "988" in turn.response["response"]["card"]["content"]
    assert not turn.ends_session


def test_forget_me_deletes_the_reminder(talk: Conversation, alexa: FakeAlexaApi) -> None:
    set_up(talk)
    talk.say("forget me")
    talk.say("yes")
    assert alexa.reminders == {}


def test_the_manifest_declares_the_reminders_permission() -> None:
    built = manifest(discover().plugins)["manifest"]
    assert {"name": REMINDERS_SCOPE} in built["permissions"]


def test_replay_setup_launch_and_stop(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("checkin", capsys, "--timezone", CHICAGO, "--now", "2026-11-27T21:15")
    speech = [t["response"]["response"].get("outputSpeech", {}).get("ssml", "") for t in turns]
    assert turns[2]["response"]["response"]["directives"][0]["name"] == "AskFor"
    assert "Every day at 9:30 pm" in speech[3]
    assert CONTENT.questions[0] in speech[5]  # the evening launch opens with the check-in
    assert CONTENT.reminder_stopped in speech[-2]


def test_forget_me_erases_the_profile_even_when_reminders_cannot_be_reached(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    set_up(talk)
    talk.say("forget me")
    alexa.fail_next(500, 500)
    assert "erased everything" in said(talk.say("yes"))
    assert store.client.scan(TableName=store.table_name)["Items"] == []


def test_forget_me_deletes_every_reminder_of_the_account_partners_too(
    store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi
) -> None:
    for name in ("alex", "sam"):
        partner = person(store, nlu, alexa, name)
        set_up(partner)
        partner.say("stop")
    assert len(alexa.reminders) == 2
    alex = person(store, nlu, alexa, "alex")
    alex.caller = dataclasses.replace(alex.caller, granted=frozenset({REMINDERS_SCOPE}))
    alexa.grant(alex.caller.api_access_token)
    begin(alex)
    alex.say("forget me")
    alex.say("yes")
    assert alexa.reminders == {}


def test_without_consent_one_reminder_all_the_same_and_stop_finds_it(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    begin(talk, consent=False)
    talk.say("set up my nightly check-in at nine thirty pm")
    talk.say("yes")
    talk.say("stop")
    talk.caller = dataclasses.replace(talk.caller, granted=frozenset({REMINDERS_SCOPE}))
    begin(talk, consent=False)
    talk.say("set up my nightly check-in at ten pm")
    assert len(alexa.reminders) == 1
    assert said(talk.say("stop my nightly reminder")).startswith(CONTENT.reminder_stopped)
    assert alexa.reminders == {}
    assert store.client.scan(TableName=store.table_name)["Items"] == []


def test_answers_that_sound_like_requests_stay_answers_and_help_asks_again(
    talk: Conversation,
) -> None:
    start_in_the_evening(talk)
    assert CONTENT.questions[1] in said(talk.say("we laughed a lot"))
    assert CONTENT.questions[2] in said(talk.say("we had a fight about money"))
    helped = talk.say("help")
    assert said(helped).startswith(CONTENT.help) and CONTENT.questions[2] in said(helped)
    assert CONTENT.rating_question in said(talk.say("a holiday"))
    assert "out of five" not in said(talk.say("how was my week"))  # not a rating


def test_what_do_you_know_mentions_the_reminder_and_the_ratings(
    talk: Conversation,
) -> None:
    set_up(talk)
    talk.now = EVENING
    talk.say("start my check-in")
    say_each(talk, "yes", "no", "yes", "four", "yes")
    known = said(talk.say("what do you know about me"))
    assert "the reminder at 9:30 pm" in known
    assert "1 connection ratings" in known
