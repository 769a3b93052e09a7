"""The plugin the person is in hears the next turn first; offers follow what is enabled."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from skill.blocks.plugin import Plugin
from skill.core import Core
from skill.discovery import discover
from skill.local.conversation import Conversation
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.plugins.repair import Repair
from skill.safety import Safety
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.fixtures.kind_words import KindWords, NoBreath
from tests.speech_helpers import reprompt, said

CHECKIN = Checkin().content("en-US")
REPAIR = Repair().content("en-US")
SAFETY = Safety().content("en-US")
KIND = KindWords().content("en-US")


def conversation(store: ProfileStore, plugins: tuple[Plugin[Any, Any], ...]) -> Conversation:
    talk = make_conversation(store, LocalNlu(interaction_model("en-US", plugins)), plugins=plugins)
    begin(talk)
    return talk


def test_the_check_in_gets_its_answer_before_a_plugin_listed_first_that_shares_it(
    store: ProfileStore,
) -> None:
    # Listed first and named to sort first: at the menu, it is the one that answers.
    talk = conversation(store, (KindWords(), *discover().plugins))
    assert said(talk.say("say something kind")).startswith(KIND.kind_words)

    assert CHECKIN.questions[0] in said(talk.say("start my check-in"))
    for answer, question in (("I'm grateful for my partner", 1), ("say something kind", 2)):
        turn = talk.say(answer)
        assert turn.request["request"]["intent"]["name"] == "KindWordsIntent"
        assert CHECKIN.questions[question] in said(turn)
        assert KIND.kind_words not in said(turn)


def test_without_a_breathing_plugin_the_resources_offer_none_and_yes_is_not_the_menu(
    store: ProfileStore,
) -> None:
    without = tuple(p for p in discover().plugins if "breathing" not in p.provides)
    talk = conversation(store, without)
    turn = talk.say("I need help now")
    assert SAFETY.next_step not in said(turn)
    # Nothing to go back to either: just the numbers again.
    assert reprompt(turn) == SAFETY.reprompt_repeat
    answered = talk.say("yes")
    assert said(answered).startswith(SAFETY.still_here_without_breathing)
    assert "Would you like" not in said(answered)

    with_grounding = conversation(store, discover().plugins)
    assert SAFETY.next_step in said(with_grounding.say("I need help now"))


def test_repair_without_a_breathing_plugin_advises_a_break_and_goes_on(
    store: ProfileStore,
) -> None:
    without = tuple(p for p in discover().plugins if "breathing" not in p.provides)
    talk = conversation(store, without)
    talk.say("help me repair after a fight")
    turn = talk.say("yes")
    assert said(turn).startswith(REPAIR.break_advice)
    # Nothing asks to go on after a break: the person says when they are ready.
    assert REPAIR.screening_question not in said(turn) and not turn.ends_session
    assert REPAIR.screening_question in said(talk.say("back to the repair"))


def test_now_my_partner_leaves_whatever_activity_was_going_on(store: ProfileStore) -> None:
    talk = conversation(store, discover().plugins)
    talk.say("ask me a reflection question")
    talk.say("now my partner")
    talk.caller = replace(talk.caller, person_id="amzn1.ask.person.PARTNER")
    assert said(talk.say("yes")).startswith("You can say: a calming exercise")  # not an answer


def test_a_plugin_that_keeps_nothing_is_named_at_the_next_launch_and_keeps_no_entry(
    store: ProfileStore,
) -> None:
    talk = conversation(store, (*discover().plugins, KindWords()))
    talk.say("say something kind")
    talk.say("stop")
    assert "some kind words" in said(talk.say("open secure base"))
    known = said(talk.say("what do you know about me"))
    assert Core().content("en-US").known_progress not in known


def test_a_provider_that_cannot_start_leaves_no_way_back_behind(store: ProfileStore) -> None:
    plugins = (*(p for p in discover().plugins if "breathing" not in p.provides), NoBreath())
    talk = conversation(store, plugins)
    talk.say("help me repair after a fight")
    turn = talk.say("yes")  # still upset: breathing cannot start, the break advice comes alone
    assert REPAIR.come_back_when_ready in said(turn)
    assert "returnTo" not in turn.response["sessionAttributes"]


def test_skip_is_understood_at_the_rating_without_the_reflection_plugin(
    store: ProfileStore,
) -> None:
    talk = conversation(store, (Checkin(),))
    talk.say("start my check-in")
    for answer in ("a walk", "not really", "a trip"):
        talk.say(answer)
    turn = talk.say("skip")
    assert turn.request["request"]["intent"]["name"] == "SkipQuestionIntent"
    assert CHECKIN.done in said(turn)


def test_help_at_the_rating_says_what_to_say_and_the_rating_then_closes(
    store: ProfileStore,
) -> None:
    """Once, a rating led to a question about keeping it, with its own help; now the rating is
    used in its turn and never kept: help says what to say, and the number closes the check-in
    (remembered: nothing more asked), after which help is the general help again."""
    talk = conversation(store, discover().plugins)
    talk.say("start my check-in")
    for answer in ("a walk", "not really", "a trip"):
        talk.say(answer)
    assert said(talk.say("help")).endswith(CHECKIN.rating_reprompt)
    assert said(talk.say("four")).startswith(CHECKIN.done)
    helped = said(talk.say("help"))
    assert CHECKIN.rating_reprompt not in helped and CHECKIN.help not in helped
