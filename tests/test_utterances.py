"""Utterance tests as data: every enabled plugin's sentences reach where they must, per locale,
through the local understanding built from the interaction model Alexa receives."""

from __future__ import annotations

from collections import Counter

import pytest

from skill.blocks.loaded import Loaded
from skill.blocks.plugin import LOCALES, PluginError
from skill.core import Core
from skill.discovery import discover
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.local.utterances import cases, check, figures, parse, report
from skill.safety import Safety
from skill.text import words
from tests.fixtures.kind_words import KindWords

# The floor the issue set: sentences per locale, and unrelated ones that must reach the fallback.
MIN_EN_US = 400
MIN_OWN_WORDS = 60  # in each other locale's own files
MIN_FALLBACK = 60


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sentence_reaches_its_place(locale: str) -> None:
    outcomes = figures(locale, discover().plugins)
    assert outcomes
    assert all(outcome.ok for outcome in outcomes), report(outcomes, locale)


def test_enough_sentences_in_every_locale() -> None:
    built_in = Loaded(Safety(), Core(), discover().plugins)
    us = cases(built_in, "en-US")
    assert len(us) >= MIN_EN_US
    assert Counter(case.kind for case in us)["fallback"] >= MIN_FALLBACK
    for locale in LOCALES[1:]:
        own = [case for case in cases(built_in, locale) if case.source.endswith(f"{locale}.toml")]
        assert len(own) >= MIN_OWN_WORDS, locale


def test_a_plugin_author_gets_nlu_tests_by_writing_data() -> None:
    plugins = (KindWords(),)
    declared = Loaded(Safety(), Core(), plugins)
    nlu = LocalNlu(interaction_model("en-US", plugins))
    found = cases(declared, "en-US")
    theirs = [case for case in found if case.source.startswith("aaa_kind_words")]
    assert {case.kind for case in theirs} == {"intent", "fallback"}
    assert all(o.ok for o in check(theirs, nlu, declared, "en-US"))
    # A sentence that lands elsewhere is a reported miss, naming the file.
    wrong = parse("aaa_kind_words: en.toml", '[[intent]]\nname = "KindWordsIntent"\n'
                  'sentences = ["I want to delete my data"]\n')  # fmt: skip
    missed = check(wrong, nlu, declared, "en-US")
    assert not missed[0].ok
    assert "got intent DeleteDataIntent" in report(missed, "en-US")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[intnet]]\nsentences = ["hi"]\n', "unknown tables ['intnet']"),
        ('[[intent]]\nsentences = ["hi"]\n', '[[intent]] number 1: needs name = "..."'),
        ('[[meaning]]\nis = "maybe"\nsentences = ["hi"]\n', "is = 'maybe'"),
        ("[[fallback]]\nsentences = []\n", "[[fallback]] number 1: no sentences"),
        ("[[fallback]\n", "x.toml: "),
    ],
)
def test_a_mistake_in_a_file_names_the_file_and_table(text: str, error: str) -> None:
    with pytest.raises(PluginError) as raised:
        parse("x.toml", text)
    assert error in str(raised.value)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_answer_phrase_has_two_meanings(locale: str) -> None:
    declared = Loaded(Safety(), Core(), discover().plugins)
    meanings: dict[str, set[str]] = {}
    for plugin in declared.everything:
        for meaning, phrases in plugin.locale_file(locale).answers.items():
            for phrase in phrases:
                meanings.setdefault(" ".join(words(phrase)), set()).add(meaning)
    assert not {phrase: found for phrase, found in meanings.items() if len(found) > 1}
