"""Erase is final: after "forget me" (or the skill disabled) on one device, a session still open
on another writes nothing back, says nothing was kept, and a new session finds nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from skill.core import Core
from skill.local.conversation import Conversation
from skill.local.nlu import LocalNlu
from skill.store import ProfileStore, from_dynamo
from tests.conftest import begin, make_conversation
from tests.speech_helpers import said
from tests.test_privacy import skill_disabled_event

CORE = Core().content("en-US")


def items(store: ProfileStore) -> list[dict[str, Any]]:
    return [from_dynamo(item) for item in store.client.scan(TableName=store.table_name)["Items"]]


def forget_me(talk: Conversation) -> None:
    talk.say("forget me")
    assert "erased everything" in said(talk.say("yes"))


def disable_the_skill(talk: Conversation) -> None:
    talk.handler(skill_disabled_event(talk.caller), None)


ERASES: dict[str, Callable[[Conversation], None]] = {
    "forget me": forget_me,
    "skill disabled": disable_the_skill,
}


def two_devices(store: ProfileStore, nlu: LocalNlu) -> tuple[Conversation, Conversation]:
    """The kitchen's and the bedroom's Echo, on one Alexa account."""
    return (
        make_conversation(store, nlu, device_id="kitchen"),
        make_conversation(store, nlu, device_id="bedroom"),
    )


def erased_in_the_kitchen(store: ProfileStore, nlu: LocalNlu) -> tuple[Conversation, Conversation]:
    """The bedroom in the middle of the questions while the kitchen says "forget me"."""
    kitchen, bedroom = two_devices(store, nlu)
    in_an_exercise(bedroom)
    kitchen.say("open secure base")
    forget_me(kitchen)
    return kitchen, bedroom


def in_an_exercise(talk: Conversation) -> None:
    """A remembered person, in the middle of the reflection questions: the place is stored."""
    begin(talk)
    talk.say("reflection questions")
    talk.say("next")


@pytest.mark.parametrize("erase", ERASES.values(), ids=ERASES.keys())
def test_a_session_open_on_another_device_writes_nothing_back_after_the_erase(
    store: ProfileStore, nlu: LocalNlu, erase: Callable[[Conversation], None]
) -> None:
    kitchen, bedroom = two_devices(store, nlu)
    in_an_exercise(bedroom)
    kitchen.say("open secure base")
    erase(kitchen)
    assert items(store) == []

    told = said(bedroom.say("next"))
    assert told.startswith(CORE.erased_elsewhere)
    assert "Question 3 of" in told  # the questions go on, in this session only
    assert "Question 4 of" in said(bedroom.say("next"))  # from where they were, in memory
    for _ in range(3):
        assert CORE.erased_elsewhere not in said(bedroom.say("next"))  # said once
    assert items(store) == []

    bedroom.leave()
    assert said(bedroom.say("what do you know about me")).startswith(CORE.known_nothing)
    assert items(store) == []


def test_stopping_on_the_other_device_does_not_say_the_place_is_kept(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    kitchen, bedroom = two_devices(store, nlu)
    in_an_exercise(bedroom)
    assert CORE.place_kept in said(bedroom.say("stop"))  # while it is kept, it is said

    in_an_exercise(bedroom)
    kitchen.say("open secure base")
    forget_me(kitchen)
    goodbye = said(bedroom.say("stop"))
    assert CORE.place_kept not in goodbye
    assert items(store) == []


def test_each_recognised_person_of_the_account_stays_erased(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    alex = make_conversation(store, nlu, device_id="kitchen", person_id="amzn1.ask.person.ALEX")
    sam = make_conversation(store, nlu, device_id="bedroom", person_id="amzn1.ask.person.SAM")
    in_an_exercise(alex)
    in_an_exercise(sam)
    assert len(items(store)) == 2
    alex.say("stop")
    alex.say("open secure base")
    forget_me(alex)
    assert items(store) == []
    sam.say("next")
    sam.say("next")
    assert items(store) == []


def test_an_item_made_anew_after_the_erase_is_not_written_into_by_the_old_session(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    kitchen, bedroom = erased_in_the_kitchen(store, nlu)
    # Kitchen starts over: a new yes, a first exercise, as many writes as bedroom has made.
    in_an_exercise(kitchen)
    kitchen.say("next")
    (fresh,) = items(store)

    bedroom.say("next")
    bedroom.say("next")
    (after,) = items(store)
    assert after == fresh  # nothing of the old session is written into the new item


def test_a_yes_said_again_after_the_erase_starts_a_new_item(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    _, bedroom = erased_in_the_kitchen(store, nlu)
    told = said(bedroom.say("remember my progress"))
    assert CORE.erased_elsewhere not in told
    assert told.startswith(CORE.consent_given)
    (fresh,) = items(store)
    assert fresh["consent"] and fresh["visits"] == 1  # not the erased item's visits
    assert CORE.erased_elsewhere not in said(bedroom.say("next"))
    assert len(items(store)) == 1


def test_what_do_you_know_on_the_other_device_tells_nothing_erased(
    store: ProfileStore, nlu: LocalNlu
) -> None:
    _, bedroom = erased_in_the_kitchen(store, nlu)
    assert said(bedroom.say("what do you know about me")).startswith(CORE.known_nothing)
    assert items(store) == []
