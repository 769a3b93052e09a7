"""The screening rules read sentences: negation, tense, person, Unicode, and a bounded cost."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from skill.blocks.plugin import LOCALES
from skill.blocks.validation import validated
from skill.safety import Safety
from skill.safety.content import Rules, SafetyContent
from skill.safety.screening import HALF_CAP, Risk, capped, clauses, fold, screen

SAFETY = Safety()

RULES = SAFETY.content("en-US").screening()


def risk(text: str, locale: str = "en-US") -> Risk | None:
    return screen(text, SAFETY.content(locale).screening())


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The issue's transcripts: the wordings the rules used to miss...
        ("I took a bunch of pills", Risk.CRISIS),
        ("I can't do this anymore", Risk.CRISIS),
        ("honestly I just want it all to end", Risk.CRISIS),
        ("my boyfriend grabbed me and threw me against the wall", Risk.ABUSE),
        ("my mom used to hit me when I cried", Risk.PAST_HURT),
        # ...and the answers they used to mistake for present danger.
        ("my dad drank a lot and I was scared of him", Risk.PAST_HURT),
        ("I felt safe with my dad but we would hit the road every summer", None),
        ("nobody hit me but it felt cold", None),
        ("my partner is mad at me", None),
        ("I'm scared", None),
    ],
)
def test_the_issues_sentences_land_in_their_class(sentence: str, expected: Risk | None) -> None:
    assert risk(sentence) is expected


@pytest.mark.parametrize(
    "harmless",
    [
        # Negations and hypotheticals...
        "I would never hurt myself", "I'm not going to hurt myself, I promise",
        "nobody ever hit me", "I've never had thoughts of hurting myself", "he has never hit me",
        "if he ever hit me I'd leave", "I don't want to die, I just want things to be better",
        # ...quarrels and figures of speech: a hurt's words, and no hurt.
        "he shouted at me about the bills", "she ignored me all day",
        "my dog follows me everywhere", "he pushed me on the swing",
        "my brother punched me in the arm as a joke",
        "i'm terrified of my mother in law's cooking", "i'm in danger of being late",
    ],
)  # fmt: skip
def test_negations_hypotheticals_quarrels_and_figures_of_speech_are_not_alarms(
    harmless: str,
) -> None:
    assert risk(harmless) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("my dad hits me", Risk.ABUSE),  # a parent, now
        ("my dad hit me when I was little", Risk.PAST_HURT),  # a parent, then
        ("my ex used to hit me but I left him years ago", Risk.PAST_HURT),
        ("my ex keeps showing up at my work", Risk.ABUSE),  # a former partner, now
        ("he hit me last night", Risk.ABUSE),  # the recent past is now
        ("I was scared of my father", Risk.PAST_HURT),
        ("I'm scared of my husband", Risk.ABUSE),
        ("if I leave he will kill me", Risk.ABUSE),  # "if" before another clause's subject
        ("I don't think I want to live anymore", Risk.CRISIS),  # the negation is the crisis
        ("when I was a kid I wanted to die", Risk.CRISIS),  # a crisis whatever its tense
    ],
)
def test_tense_and_person_decide_between_present_danger_and_a_past_hurt(
    sentence: str, expected: Risk
) -> None:
    assert risk(sentence) is expected


@pytest.mark.parametrize(
    "present",
    ["when i was a kid i felt safe but now my husband hits me",
     "my dad used to hit me and now my husband does too",
     "i used to be happy before he started hitting me",
     "i left my first husband years ago and now my new husband hits me",
     "when i was little my dad hit me and now he hits my kids",
     "my ex used to stalk me and he's started again", "my brother punched me in the face"],
)  # fmt: skip
def test_a_past_told_beside_a_present_danger_never_hides_it(present: str) -> None:
    assert risk(present) is Risk.ABUSE


@pytest.mark.parametrize(
    "disguised",
    ["i want to d\u200bie", "I WANT TO DIE", "i want to d\u00adie", "i want to di\u0301e",
     "i\u2019m thinking about killing myself", "i want to\u2060 die",
     "\uff49 \uff57\uff41\uff4e\uff54 \uff54\uff4f \uff44\uff49\uff45"],  # fullwidth
)  # fmt: skip
def test_invisible_characters_fullwidth_letters_and_accents_do_not_hide_a_crisis(
    disguised: str,
) -> None:
    assert risk(disguised) is Risk.CRISIS


def test_folding_keeps_the_words_and_drops_what_cannot_be_heard() -> None:
    assert fold("\uff29\u200b'M \u00c9M\u00dc") == "i'm emu"


def test_a_long_value_is_read_at_its_start_and_its_end_only() -> None:
    filler = "we went for a walk and talked about the garden " * 5000  # ~245,000 characters
    assert len(capped(filler)) <= 2 * HALF_CAP + 3
    assert risk("i want to die " + filler) is Risk.CRISIS
    assert risk(filler + " i want to die") is Risk.CRISIS
    middle = filler[: len(filler) // 2] + " i want to die " + filler[len(filler) // 2 :]
    assert risk(middle) is None  # past the documented cap: not read
    # No rule reads across the cut: the two halves are separate clauses.
    assert len(clauses(filler, RULES)) >= 2


@pytest.mark.parametrize(
    "repeated", ["has been ", "would always ", "kind of like ", "is going to "]
)
def test_a_value_of_repeated_words_is_read_in_one_pass_not_an_exponential_search(
    repeated: str,
) -> None:
    # Runs of optional words once took 2^n steps ("has been" read as one entry or as "has" and
    # "been"); a forged value would have held the function past its timeout.
    assert risk("he " + repeated * 100 + "hits me") is Risk.ABUSE
    assert risk("i " + repeated * 100 + "like gardening") is None


def test_a_locale_adds_its_own_words_to_the_languages_rules() -> None:
    aussie = "nobody'd even notice if i carked it"
    assert risk(aussie, "en-AU") is Risk.CRISIS
    assert risk(aussie, "en-US") is None
    assert risk("my phone's carked it, i'll ring mum tomorrow", "en-AU") is None


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_compiles_its_rules(locale: str) -> None:
    assert risk("I want to kill myself", locale) is Risk.CRISIS


def test_a_rule_naming_an_unknown_word_list_fails_when_the_locale_loads() -> None:
    content = asdict(SAFETY.content("en-US"))
    content["local_rules"] = asdict(Rules(crisis=("\\b{no_such_list}\\b",)))
    with pytest.raises(ValueError, match="no_such_list"):
        validated(SafetyContent, content)
