"""The nightly check-in: its reminder through Alexa's APIs (a local HTTPS fake), and itself."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from skill.alexa_api import REMINDERS_SCOPE
from skill.core import Core
from skill.discovery import discover
from skill.local.conversation import Conversation, Turn
from skill.local.fake_alexa import HANG, FakeAlexaApi
from skill.local.model_build import manifest
from skill.local.nlu import LocalNlu
from skill.local.render import readable
from skill.plugins.checkin import Checkin
from skill.plugins.checkin.reading import folded, number_in
from skill.store import ProfileStore
from tests.conftest import CHICAGO, begin, make_conversation
from tests.dialogs import replay
from tests.speech_helpers import said

plugin = Checkin()

CONTENT = plugin.content("en-US")
CORE = Core().content("en-US")
# Everything the check-in keeps: no rating among it (used in its turn only, never stored).
KEPT_FIELDS = {"time", "zone", "reminder", "last_done", "stage"}
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


def no_rating_stored(store: ProfileStore) -> None:
    """The check-in's stored record holds only its own fields (none for a rating), and nothing
    in the item is named for one."""
    assert set(checkin_state(store)) <= KEPT_FIELDS
    assert "rating" not in json.dumps(profile_item(store)).lower()


def test_setup_asks_for_the_permission_then_creates_a_daily_reminder(
    talk: Conversation, alexa: FakeAlexaApi, store: ProfileStore
) -> None:
    begin(talk)
    asked = talk.say("set up my nightly check-in at nine thirty pm")
    directive = asked.response["response"]["directives"][0]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    # The current version of the request, as Amazon's page shows it.
    assert directive["payload"] == {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
    }
    # Why, in the skill's words, before Alexa's own question.
    assert (
        said(asked)
        == "To remind you every day at 9:30 pm, I need your permission to set reminders."
    )
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
    assert spoken == {"locale": "en-US", "text": "Your nightly check-in"}
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
    # The card that leads to the permission's setting, as Amazon asks after a no.
    assert turn.response["response"]["card"] == {
        "type": "AskForPermissionsConsent",
        "permissions": [REMINDERS_SCOPE],
    }
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
    finished = talk.say("four")  # remembered: the close, nothing more asked
    assert said(finished).startswith(CONTENT.done)
    talk.say("stop")

    again = talk.say("open secure base")
    assert CONTENT.questions[0] not in said(again)  # done today: not asked again
    assert checkin_state(store)["last_done"] == {"S": "2026-11-27"}


def test_a_rating_is_used_in_its_turn_and_never_stored(
    talk: Conversation, store: ProfileStore
) -> None:
    """Remembered, a check-in with a rating: the close, no question about keeping it, and the
    item written at the close holds the check-in's date but no rating, nor any word said."""
    start_in_the_evening(talk)
    say_each(talk, "yes", "no", "I remember the weekend")
    closed = said(talk.say("three"))
    assert closed.startswith(CONTENT.done) and "keep" not in closed.lower()
    assert checkin_state(store)["last_done"] == {"S": "2026-11-27"}  # written at the close
    no_rating_stored(store)

    talk.say("start my check-in")
    say_each(talk, "yes", "no", "a walk", "five")
    no_rating_stored(store)
    stored = json.dumps(profile_item(store)).lower()
    assert "walk" not in stored and "weekend" not in stored


def test_how_was_my_week_says_plainly_that_no_week_is_kept(talk: Conversation) -> None:
    start_in_the_evening(talk)
    say_each(talk, "yes", "no", "yes", "four")
    turn = talk.say("how was my week")
    assert turn.request["request"]["intent"]["name"] == "WeekSummaryIntent"  # understood
    week = said(turn)
    assert week.startswith(CONTENT.week_not_kept) and "?" in week  # then the menu
    assert not turn.ends_session
    assert "4" not in week and "four" not in week and "out of five" not in week


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


def test_what_do_you_know_mentions_the_reminder_and_no_rating(
    talk: Conversation, store: ProfileStore
) -> None:
    set_up(talk)
    talk.now = EVENING
    talk.say("start my check-in")
    say_each(talk, "yes", "no", "yes", "four")
    known = said(talk.say("what do you know about me"))
    assert "the reminder at 9:30 pm" in known
    assert "rating" not in known.lower() and "four" not in known
    no_rating_stored(store)


# -- replies that fit what was said (issue 18, point 5) ----------------------------------------

ACKS = CONTENT.acknowledgements
HARD_ANSWERS = (
    "we had a massive row and he said he's leaving",
    "I'm not sure we'll still be together",
)
# "That's worth holding on to", "looking forward to, together": what the old fixed order said.
CHEERFUL = (CONTENT.done, "worth holding on to", CONTENT.questions[2])


def at_question(talk: Conversation, stage: int) -> Turn:
    """A check-in started in the evening and answered up to question `stage` (0 to 3)."""
    turn = start_in_the_evening(talk)
    for answer in ("we cooked together", "he was late", "our holiday")[:stage]:
        turn = talk.say(answer)
    return turn


@pytest.mark.parametrize(
    ("stage", "answer", "expected"),
    [
        (0, "we cooked together", ACKS.answered[0]),
        (0, "nothing", ACKS.nothing[0]),
        (0, "nothing really", ACKS.nothing[0]),
        (1, "he was late again", ACKS.answered[1]),
        (2, "not much", ACKS.nothing[2]),
        (1, "not really", ACKS.nothing[1]),
        (1, "no", ACKS.nothing[1]),
        (2, "our holiday", ACKS.answered[2]),
        (2, "nothing", ACKS.nothing[2]),
        (2, "I don't know", ACKS.unsure),
        (2, "skip", ACKS.skipped),
    ],
)
def test_each_acknowledgement_fits_the_answer_not_its_place(
    talk: Conversation, stage: int, answer: str, expected: str
) -> None:
    at_question(talk, stage)
    reply = said(talk.say(answer))
    assert reply.startswith(expected)
    assert "worth holding on to" not in reply  # once said to "nothing" and "I don't know"
    following = CONTENT.questions[stage + 1] if stage < 2 else CONTENT.rating_question
    assert following in reply


@pytest.mark.parametrize("stage", [0, 1, 2])
@pytest.mark.parametrize("answer", HARD_ANSWERS)
def test_a_hard_answer_ends_the_questions_with_a_gentle_offer(
    talk: Conversation, store: ProfileStore, stage: int, answer: str
) -> None:
    at_question(talk, stage)
    reply = said(talk.say(answer))
    assert reply == f"{ACKS.hard} {CONTENT.offer_both}"
    assert not any(cheer in reply for cheer in CHEERFUL)
    assert CONTENT.rating_question not in reply
    assert checkin_state(store)["last_done"] == {"S": "2026-11-27"}  # done for tonight
    assert "Breathe in" in said(talk.say("yes"))  # the breathing exercise itself


@pytest.mark.parametrize("rating", ["one", "two", "two I guess", "a two really", "pretty bad"])
def test_a_rating_of_one_or_two_gets_a_gentle_offer_and_no_cheer(
    talk: Conversation, rating: str
) -> None:
    at_question(talk, 3)
    reply = said(talk.say(rating))
    assert reply == f"{CONTENT.hard_rating} {CONTENT.offer_both}"
    assert CONTENT.done not in reply
    declined = said(talk.say("no"))
    assert declined.startswith(CONTENT.offer_declined)
    assert CONTENT.label not in declined  # the menu does not offer another check-in


def test_the_close_and_its_menu_never_offer_the_check_in_just_done(talk: Conversation) -> None:
    begin(talk, consent=False)
    talk.say("stop")
    begin(talk, consent=False)  # a second visit: the full menu was not said this session
    talk.say("start my check-in")
    say_each(talk, "we laughed", "no", "a trip")
    closed = said(talk.say("four"))
    assert CONTENT.done in closed and CONTENT.label not in closed


def test_repair_guidance_is_offered_on_a_hard_day_but_never_after_abuse(
    talk: Conversation,
) -> None:
    talk.now = EVENING
    begin(talk)
    talk.say("start my check-in")
    offered = talk.say(HARD_ANSWERS[0])
    assert said(offered).endswith(CONTENT.offer_both)
    talk.say("no")

    told = talk.say("my partner hits me")
    assert "card" in told.response["response"]  # where to turn, on the card too
    talk.say("start my check-in")
    after_abuse = said(talk.say(HARD_ANSWERS[0]))
    assert after_abuse.endswith(CONTENT.offer_breathing)
    assert "repair" not in after_abuse.lower()


@pytest.mark.parametrize("filler", ["um", "uh", "hmm"])
def test_a_filler_is_not_an_answer(talk: Conversation, filler: str) -> None:
    at_question(talk, 0)
    again = said(talk.say(filler))
    assert again == f"{ACKS.unheard} {CONTENT.questions[0]}"  # the same question, gently
    assert said(talk.say("we laughed")).startswith(f"{ACKS.answered[0]} {CONTENT.questions[1]}")


def test_still_no_words_after_asking_again_moves_on(talk: Conversation) -> None:
    """A fallback carries no words: it may have been an answer Alexa could not place, so the
    question is asked again once, then the check-in goes on."""
    at_question(talk, 1)
    talk.say("hmm")
    assert said(talk.say("um")) == f"{ACKS.moved_on} {CONTENT.questions[2]}"


def test_a_filler_at_the_rating_asks_again_gently(talk: Conversation) -> None:
    at_question(talk, 3)
    again = said(talk.say("um"))
    assert again.startswith(ACKS.unheard) and CONTENT.rating_question in again
    assert "I need a number" not in again


@pytest.mark.parametrize(
    ("answer", "number"),
    [
        ("two I guess", 2),
        ("a two really", 2),
        ("maybe a three", 3),
        ("three really", 3),
        ("a three I think", 3),
        ("three out of five I'd say", 3),
        ("about four", 4),
        ("honestly a four", 4),
        ("a five to be honest", 5),
        ("probably a one today", 1),
        ("honestly I'd say a three", 3),
        ("a four because we talked", 4),
        ("I think we were a two", 2),
    ],
)
def test_a_number_with_words_around_it_is_a_number(
    talk: Conversation, store: ProfileStore, answer: str, number: int
) -> None:
    at_question(talk, 3)
    reply = said(talk.say(answer))
    assert CONTENT.rating_again not in reply and CONTENT.rating_out_of_range not in reply
    # Used in this turn: a hard day's gentle close, or the close; the number goes no further.
    closing = CONTENT.hard_rating if number <= 2 else CONTENT.done
    assert reply.startswith(closing)
    assert number_in(folded(answer)) == number  # the number the words around it name
    no_rating_stored(store)


@pytest.mark.parametrize("answer", ["it was a good one", "a two or a three", "yes"])
def test_words_without_one_number_at_the_rating_ask_for_one_kindly(
    talk: Conversation, answer: str
) -> None:
    at_question(talk, 3)
    assert said(talk.say(answer)) == CONTENT.rating_again


def test_a_number_out_of_range_says_the_scale_once(talk: Conversation) -> None:
    at_question(talk, 3)
    again = said(talk.say("ten"))
    assert again == CONTENT.rating_out_of_range and CONTENT.rating_question not in again


def test_evenings_of_ratings_leave_nothing_to_count_or_average(
    talk: Conversation, store: ProfileStore
) -> None:
    """Once the count of kept ratings and their average for the week: now each evening's
    rating is gone with its turn, so the second evening's answers are the first's."""
    start_in_the_evening(talk)
    say_each(talk, "yes", "no", "yes", "four")
    first = said(talk.say("how was my week")), said(talk.say("what do you know about me"))
    talk.say("stop")
    talk.now = EVENING + timedelta(days=1)  # the next evening, the same week
    talk.say("open secure base")
    talk.say("start my check-in")
    say_each(talk, "yes", "no", "yes", "three")
    week, known = said(talk.say("how was my week")), said(talk.say("what do you know about me"))
    assert first[0].startswith(CONTENT.week_not_kept) and week.startswith(CONTENT.week_not_kept)
    assert "and a half" not in week and "3.5" not in week and "out of five" not in week
    assert "rating" not in known.lower() and "rating" not in first[1].lower()
    assert checkin_state(store)["last_done"] == {"S": "2026-11-28"}
    no_rating_stored(store)


def reminder_not_remembered(talk: Conversation) -> None:
    """In the evening, someone not remembered sets up a reminder (Alexa keeps it, the skill
    nothing), then starts the check-in and answers its three questions."""
    talk.now = EVENING
    begin(talk, consent=False)  # the launch asks nothing about remembering
    talk.say("set up my nightly check-in at nine thirty pm")
    assert "Every day at 9:30 pm" in said(talk.say("yes"))  # Alexa's permission question
    talk.say("start my check-in")
    say_each(talk, "we laughed", "no", "a trip")


def test_not_remembered_the_close_asks_to_keep_the_reminder_never_the_rating(
    talk: Conversation, store: ProfileStore
) -> None:
    reminder_not_remembered(talk)
    asked = said(talk.say("four"))
    # The core's own question, once: it promises nothing about the rating.
    assert asked == f"{CONTENT.done} {CORE.consent_question}"
    assert store.client.scan(TableName=store.table_name)["Items"] == []  # nothing before a yes
    talk.say("yes")
    assert checkin_state(store)["time"] == {"S": "21:30"}
    assert checkin_state(store)["last_done"] == {"S": "2026-11-27"}
    no_rating_stored(store)
    talk.say("start my check-in")  # the partner, in the same voice, the same session
    say_each(talk, "yes", "no", "yes")
    again = said(talk.say("five"))
    assert again.startswith(CONTENT.done) and "remember" not in again.lower()
    no_rating_stored(store)


def test_not_remembered_without_a_reminder_the_close_asks_nothing(
    talk: Conversation, store: ProfileStore
) -> None:
    """A finished check-in keeps nothing worth asking about without a reminder: its rating
    is never kept, so it is no reason to ask."""
    talk.now = EVENING
    begin(talk, consent=False)
    talk.say("start my check-in")
    say_each(talk, "we laughed", "no", "a trip")
    closed = said(talk.say("four"))
    assert closed.startswith(CONTENT.done) and CORE.consent_question not in closed
    assert "remember" not in closed.lower()
    assert store.client.scan(TableName=store.table_name)["Items"] == []


def test_not_remembered_a_no_keeps_nothing_and_the_week_is_not_told(
    talk: Conversation, store: ProfileStore
) -> None:
    reminder_not_remembered(talk)
    talk.say("four")
    talk.say("no")
    assert said(talk.say("how was my week")).startswith(CONTENT.week_not_kept)
    items = json.dumps(store.client.scan(TableName=store.table_name)["Items"])
    assert "checkin" not in items and "declined_until" in items  # only the no is kept


def test_one_question_about_remembering_a_session(talk: Conversation) -> None:
    """Asked to be remembered earlier in the session (here, after a change of pace) and said
    yes: the check-in's close, even with a reminder to keep, asks nothing more."""
    talk.now = EVENING
    begin(talk, consent=False)
    asked = said(talk.say("slower please"))
    assert "?" in asked and "remember" in asked.lower()
    talk.say("yes")
    talk.say("set up my nightly check-in at nine thirty pm")
    talk.say("yes")  # Alexa's permission question
    talk.say("start my check-in")
    say_each(talk, "we laughed", "no", "a trip")
    closed = said(talk.say("four"))
    assert closed.startswith(CONTENT.done) and "remember" not in closed.lower()


def test_after_a_crisis_the_check_in_stays_sober(talk: Conversation) -> None:
    start_in_the_evening(talk)
    say_each(talk, "yes", "no", "yes", "four")
    talk.say("I don't want to be alive")
    week = said(talk.say("how was my week"))
    assert week.startswith(CONTENT.week_not_kept) and "4" not in week  # plain, no figure
    talk.say("start my check-in")
    say_each(talk, "yes", "no", "yes")
    closed = said(talk.say("five"))
    assert closed.startswith(CONTENT.done_sober) and CONTENT.done not in closed
    assert "remember" not in closed.lower()


def test_or_say_skip_is_said_once_a_session(talk: Conversation) -> None:
    start_in_the_evening(talk)
    first = said(say_each(talk, "yes", "no", "yes"))
    assert first.endswith(CONTENT.rating_skip_hint)
    talk.say("skip")
    talk.say("start my check-in")
    second = said(say_each(talk, "yes", "no", "yes"))
    assert CONTENT.rating_question in second and CONTENT.rating_skip_hint not in second


def test_what_is_said_is_never_kept(talk: Conversation, store: ProfileStore) -> None:
    start_in_the_evening(talk)
    say_each(talk, "we went dancing", "um", "he snored all night", *HARD_ANSWERS[:1])
    stored = json.dumps(profile_item(store)).lower()
    for word in ("dancing", "snored", "row", "leaving"):
        assert word not in stored


def heard(turn: dict[str, Any]) -> str:
    """What the person heard at a replayed turn: the response, or on silence the reprompt."""
    if "response" not in turn:
        return readable(turn.get("reprompt") or "")
    return readable(turn["response"]["response"].get("outputSpeech", {}).get("ssml", ""))


def test_replay_a_hard_day(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("checkin-hard-day", capsys, "--timezone", CHICAGO, "--now", "2026-11-27T21:15")
    spoken = [heard(turn) for turn in turns]
    assert spoken[2] == f"{ACKS.unheard} {CONTENT.questions[0]}"  # "um" is no answer
    assert spoken[3] == f"{ACKS.nothing[0]} {CONTENT.questions[1]}"  # "nothing", kindly
    assert spoken[4] == f"{ACKS.hard} {CONTENT.offer_both}"  # the row: no more questions
    assert spoken[5] == CONTENT.offer_both_reprompt  # silence: the offer again
    assert spoken[6].startswith(CONTENT.offer_declined) and CONTENT.label not in spoken[6]
    assert turns[-1]["request"]["request"]["type"] == "SessionEndedRequest"


def test_replay_answers_of_every_kind_and_a_low_rating(capsys: pytest.CaptureFixture[str]) -> None:
    turns = replay("checkin-low-rating", capsys, "--timezone", CHICAGO, "--now", "2026-11-27T21:15")
    spoken = [heard(turn) for turn in turns]
    assert spoken[3] == f"{ACKS.unheard} {CONTENT.questions[1]}"  # "hmm"
    # Silence: the question again, then how to answer.
    assert spoken[4] == f"{CONTENT.questions[1]} {CONTENT.question_reprompt}"
    assert spoken[5].startswith(ACKS.nothing[1])  # "not really" to the thorn
    assert spoken[6].startswith(ACKS.unsure)  # "I don't know"
    assert spoken[7] == f"{CONTENT.hard_rating} {CONTENT.offer_both}"  # "a two really"
    assert "Breathe in" in spoken[8]
