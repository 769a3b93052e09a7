"""The plugin the person is in hears the next turn first; offers follow what is enabled."""

from __future__ import annotations

from typing import Any

from skill.blocks.plugin import Plugin
from skill.discovery import discover
from skill.local.conversation import Conversation
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.plugins.checkin import Checkin
from skill.plugins.repair import Repair
from skill.safety import Safety
from skill.store import ProfileStore
from tests.conftest import begin, make_conversation
from tests.fixtures.kind_words import KindWords
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
    assert reprompt(turn) == SAFETY.reprompt_without_breathing
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
    assert REPAIR.screening_question in said(turn)
