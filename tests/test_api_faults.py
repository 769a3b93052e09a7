"""Alexa's APIs failing at every call the check-in makes, through whole conversations.

Each fault is tried at each call site: creating the nightly reminder, changing its time, stopping
it, listing the skill's reminders, reading the device's time zone. Whatever the fault, the person
hears a clear answer (never the generic "something went wrong"), the session goes on, and the
profile keeps only what Alexa confirmed: no time or token for a reminder that was not created, and
a reminder that could not be deleted is still known (the person can ask again, or "when is my
check-in" still tells the truth).
"""

from __future__ import annotations

import pytest

from skill import alexa_api
from skill.core import Core
from skill.local.conversation import Conversation, Turn
from skill.local.fake_alexa import HANG, REFUSED, RESET, Answer, FakeAlexaApi, Outcome
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.store import ProfileStore
from tests.conftest import begin
from tests.speech_helpers import said
from tests.test_checkin import EVENING, checkin_state, person, profile_item, say_each, set_up

plugin = Checkin()
CORE = Core()

CONTENT = plugin.content("en-US")
GENERIC_ERROR = CORE.content("en-US").error
REMINDERS = "/v1/alerts/reminders"
TIME_ZONE = "/v2/devices"

# Every way an answer can go wrong. The statuses come with the API's own error body.
FAULTS: dict[str, Outcome] = {
    "500": 500,
    "503": 503,
    "429": 429,
    "timeout": HANG,
    "connection reset": RESET,
    "connection refused": REFUSED,
    "502 error page": Answer(502, "<html><body>Bad Gateway</body></html>"),
    "500 error page": Answer(500, "<html><body>Internal Server Error</body></html>"),
    "200 not JSON": Answer(200, "<html><body>OK</body></html>"),
    "200 a list": Answer(200, "[]"),
    "200 missing fields": Answer(200, '{"status": "ON"}'),
    "200 a bare string": Answer(200, '"Mars/Olympus_Mons"'),
    "200 null": Answer(200, "null"),
    "200 empty": Answer(200, ""),
    "204 no content": Answer(204, ""),
}


def deletes(fault: Outcome) -> bool:
    """A DELETE answers with a status only (the SDK reads no body): any success is a deletion."""
    return isinstance(fault, Answer) and fault.status < 300


@pytest.fixture(params=list(FAULTS.values()), ids=list(FAULTS))
def fault(request: pytest.FixtureRequest) -> Outcome:
    """Each of FAULTS in turn: a test that takes it is run once for each way a call fails."""
    outcome: Outcome = request.param
    return outcome


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hung call costs the read timeout: shorter here, so that the hangs stay quick."""
    monkeypatch.setattr(alexa_api, "API_TIMEOUT", (1.0, 0.5))


@pytest.fixture
def talk(store: ProfileStore, nlu: LocalNlu, alexa: FakeAlexaApi) -> Conversation:
    return person(store, nlu, alexa)


def stored_reminder(store: ProfileStore) -> tuple[str, str]:
    """The (time, alert token) the profile keeps for the reminder, ("", "") when none."""
    state = profile_item(store).get("plugin_state", {}).get("M", {}).get("checkin", {}).get("M", {})
    return state.get("time", {}).get("S", ""), state.get("reminder", {}).get("S", "")


def confirmed_reminder(talk: Conversation, store: ProfileStore) -> tuple[str, str]:
    """Sets up the nightly check-in: the reminder Alexa confirmed, as the profile keeps it."""
    set_up(talk)
    return stored_reminder(store)


def ask_to_set_up(talk: Conversation, consent: bool = True) -> None:
    """Opens the skill and asks for the check-in at 9:30 pm: "yes" next grants the permission."""
    begin(talk, consent=consent)
    talk.say("set up my nightly check-in at nine thirty pm")


def nothing_stored_at_all(store: ProfileStore) -> bool:
    return store.client.scan(TableName=store.table_name)["Items"] == []


def heard_unavailable(turn: Turn) -> None:
    assert said(turn).startswith(CONTENT.api_unavailable)
    assert GENERIC_ERROR not in said(turn)
    assert not turn.ends_session


def tells_the_truth(talk: Conversation, time: str | None) -> None:
    """The session goes on, and "when is my check-in" matches what is kept."""
    answer = said(talk.say("when is my check-in"))
    if time is None:
        assert answer.startswith(CONTENT.reminder_none)
    else:
        assert answer.startswith(CONTENT.reminder_when.format(time=time))


def no_reminder_kept(talk: Conversation, store: ProfileStore) -> None:
    """No time and no token (above all no token "None"), and the person is told there is none."""
    assert stored_reminder(store) == ("", "")
    tells_the_truth(talk, None)


def test_creating_the_reminder(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    ask_to_set_up(talk)
    alexa.fail_next(fault, api=REMINDERS, method="POST")
    heard_unavailable(talk.say("yes"))
    assert alexa.reminders == {}
    no_reminder_kept(talk, store)


def test_changing_its_time(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    before = confirmed_reminder(talk, store)
    alexa.fail_next(fault, api=REMINDERS, method="PUT")
    heard_unavailable(talk.say("change my check-in time to ten pm"))
    # Unconfirmed, so unchanged: the reminder Alexa last confirmed, at its time.
    assert stored_reminder(store) == before == ("21:30", next(iter(alexa.reminders)))
    tells_the_truth(talk, "9:30 pm")


def test_stopping_it(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    before = confirmed_reminder(talk, store)
    alexa.fail_next(fault, api=REMINDERS, method="DELETE")
    turn = talk.say("stop my nightly reminder")
    if deletes(fault):
        # Alexa said yes (a 2xx): the reminder is gone, whatever the body says.
        assert said(turn).startswith(CONTENT.reminder_stopped)
        no_reminder_kept(talk, store)
        return
    heard_unavailable(turn)
    # Not deleted, so not forgotten: asking again later (or the Alexa app) can still stop it.
    assert stored_reminder(store) == before != ("", "")
    assert list(alexa.reminders) == [before[1]]
    tells_the_truth(talk, "9:30 pm")


def test_listing_before_setting_up_without_consent(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    # Without consent nothing is kept, so an earlier reminder is looked for among the skill's.
    ask_to_set_up(talk, consent=False)
    alexa.fail_next(fault, api=REMINDERS, method="GET")
    heard_unavailable(talk.say("yes"))
    assert alexa.reminder_calls() == []  # no second reminder made on a listing not understood
    assert nothing_stored_at_all(store)
    tells_the_truth(talk, None)


def test_listing_when_stopping_without_consent(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    ask_to_set_up(talk, consent=False)
    talk.say("yes")
    talk.say("stop")
    begin(talk, consent=False)
    alexa.fail_next(fault, api=REMINDERS, method="GET")
    # Not "you don't have a reminder": it could not be looked for.
    heard_unavailable(talk.say("stop my nightly reminder"))
    assert len(alexa.reminders) == 1
    assert nothing_stored_at_all(store)
    assert said(talk.say("stop my nightly reminder")).startswith(CONTENT.reminder_stopped)
    assert alexa.reminders == {}


def test_listing_when_forgetting(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    set_up(talk)
    talk.say("forget me")
    alexa.fail_next(fault, api=REMINDERS, method="GET")
    # The profile is erased all the same; the reminder can be stopped later, or in the app.
    assert "erased everything" in said(talk.say("yes"))
    assert nothing_stored_at_all(store)


def test_reading_the_time_zone_to_set_up(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    ask_to_set_up(talk)
    alexa.fail_next(fault, api=TIME_ZONE)
    heard_unavailable(talk.say("yes"))
    assert alexa.reminder_calls() == []
    no_reminder_kept(talk, store)


def test_reading_the_time_zone_to_check_in(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore, fault: Outcome
) -> None:
    # The check-in goes on in UTC dates: no zone is kept, so the next one asks again.
    talk.now = EVENING
    begin(talk)
    alexa.fail_next(fault, api=TIME_ZONE)
    turn = talk.say("start my check-in")
    assert CONTENT.questions[0] in said(turn) and GENERIC_ERROR not in said(turn)
    say_each(talk, "yes", "no", "a walk")
    assert CONTENT.done in said(talk.say("no"))
    state = checkin_state(store)
    assert state["zone"] == {"S": ""}
    assert state["last_done"] == {"S": "2026-11-28"}  # UTC's date; Chicago's was the 27th


def test_a_reminder_deleted_in_the_app_is_made_again_when_changing_the_time(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    set_up(talk)
    alexa.reminders.clear()  # deleted in the Alexa app: the update answers 404
    assert "every day at 10 pm" in said(talk.say("change my check-in time to ten pm")).lower()
    time, token = stored_reminder(store)
    assert time == "22:00" and list(alexa.reminders) == [token]


def test_a_reminder_deleted_in_the_app_is_forgotten_even_if_making_it_again_fails(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    set_up(talk)
    alexa.reminders.clear()
    alexa.fail_next(500, api=REMINDERS, method="POST")
    heard_unavailable(talk.say("change my check-in time to ten pm"))
    no_reminder_kept(talk, store)  # its token is known to be dead


def test_stopping_a_reminder_already_deleted_in_the_app(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    set_up(talk)
    alexa.reminders.clear()
    assert said(talk.say("stop my nightly reminder")).startswith(CONTENT.reminder_stopped)
    assert stored_reminder(store) == ("", "")


def test_after_a_failed_stop_asking_again_stops_it(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    set_up(talk)
    alexa.fail_next(503, api=REMINDERS, method="DELETE")
    heard_unavailable(talk.say("stop my nightly reminder"))
    assert said(talk.say("stop my nightly reminder")).startswith(CONTENT.reminder_stopped)
    assert alexa.reminders == {} and stored_reminder(store) == ("", "")


def test_a_device_without_a_time_zone_gets_a_clear_answer_not_a_crash(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    """The Settings API documents 204 for a device with no time zone set."""
    ask_to_set_up(talk)
    alexa.fail_next(Answer(204, ""), api=TIME_ZONE)
    heard_unavailable(talk.say("yes"))
    # Once the zone is known, setting up works.
    assert "Every day at 9:30 pm" in said(talk.say("set up my nightly check-in at nine thirty pm"))
