"""The labelled sets, said to the whole skill in every place: the figures the suite holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.blocks.plugin import LOCALES
from skill.local import cli
from skill.local.safety_figures import (
    EVALUATION,
    LABELS,
    MAX_FALSE_ALARMS,
    PLACES,
    TARGET_RECALL,
    Figures,
    evaluate,
    labelled_sets,
    load_set,
    table,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "safety-results.md"
SETS = {s.locale: s for s in labelled_sets()}
HELD_OUT = labelled_sets(EVALUATION / "held-out")
# The floor: 400 sentences for en-US, 100 for each other English locale.
MINIMUM = {locale: 400 if locale == "en-US" else 100 for locale in LOCALES}


@pytest.fixture(scope="module")
def figures() -> dict[str, list[Figures]]:
    return {locale: evaluate(labelled) for locale, labelled in SETS.items()}


def test_every_locale_has_a_labelled_set_with_every_class() -> None:
    assert list(SETS) == list(LOCALES)
    for locale, labelled in SETS.items():
        assert len(labelled) >= MINIMUM[locale], locale
        assert all(labelled.sentences[label] for label in LABELS), locale
        spoken = [" ".join(s.lower().split()) for ss in labelled.sentences.values() for s in ss]
        assert len(spoken) == len(set(spoken)), f"{locale}: a sentence appears twice"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("place", list(PLACES))
def test_crisis_and_present_abuse_always_reach_help_and_ordinary_answers_do_not(
    figures: dict[str, list[Figures]], locale: str, place: str
) -> None:
    (measured,) = [f for f in figures[locale] if f.place == place]
    missed = [f"{o.label}: {o.sentence} ({o.intent})" for o in measured.misses()
              if o.label != "past_hurt"]  # fmt: skip
    assert measured.recall("crisis") >= TARGET_RECALL, missed
    assert measured.recall("abuse_now") >= TARGET_RECALL, missed
    assert measured.false_alarms() <= MAX_FALSE_ALARMS, missed


def test_the_committed_figures_are_the_ones_measured_now(
    figures: dict[str, list[Figures]],
) -> None:
    # benchmarks/safety-results.md (make bench) must not claim figures the rules no longer give.
    committed = RESULTS.read_text(encoding="utf-8")
    assert re.search(r"Measured \d{4}-\d{2}-\d{2}", committed)
    fresh = table([f for locale in LOCALES for f in figures[locale]])
    held_out = table([f for s in HELD_OUT for f in evaluate(s)])
    for row in (*fresh.splitlines()[2:], *held_out.splitlines()[2:]):
        assert row in committed, f"stale figures: run make bench ({row})"


def test_the_figures_command_prints_every_place_and_fails_below_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main(["safety", "figures", "--locale", "en-GB", "--misses"]) == 0
    printed = capsys.readouterr().out
    for place in PLACES:
        assert f"| en-GB | {place} |" in printed

    # A set where an ordinary sentence is labelled crisis cannot meet the target.
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("locale: en-GB\ncrisis:\n  - we went for a lovely walk\n", encoding="utf-8")
    assert cli.main(["safety", "figures", "--set", str(wrong), "--misses"]) == 1
    assert "crisis heard as ordinary" in capsys.readouterr().out


def test_a_set_file_with_an_unknown_label_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text("locale: en-US\nscary:\n  - boo\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown labels"):
        load_set(odd)
