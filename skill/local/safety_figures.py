"""The safety figures: each locale's labelled sentences said to the whole skill, as on a device.

Every sentence of `skill/safety/evaluation/<locale>.yaml` is said in each place the screening
happens: at the top level (at the menu), as an answer to the first reflection question, and as
an answer to the first check-in question. It goes through the local understanding built from the
interaction model (a fallback turn hands the skill no words, as on a device) to a real request
envelope and through the skill's handler; what the skill answered is read from its response:
the crisis resources, the domestic violence resources, the past-hurt acknowledgement, or none.

Figures per locale and place: for `crisis` and `abuse_now`, the share that got the resources
(either kind: both name every number) and the share whose matching resources came first; for
`past_hurt`, the share acknowledged as one (or given the resources); for `ordinary`, the share
that got any safety response (a false alarm).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from skill.blocks.plugin import LOCALES, Plugin
from skill.discovery import discover
from skill.local.conversation import Conversation
from skill.local.model_build import interaction_model
from skill.local.nlu import LocalNlu
from skill.local.offline import conversation, offline_skill
from skill.safety import Safety

EVALUATION = Path(__file__).resolve().parents[1] / "safety" / "evaluation"
LABELS = ("crisis", "abuse_now", "past_hurt", "ordinary")
# Where screening happens, and what the person says to get there (no consent: nothing stored).
PLACES: dict[str, tuple[str, ...]] = {
    "top level": ("open secure base", "no"),
    "reflection answer": ("open secure base", "no", "ask me a reflection question"),
    "check-in answer": ("open secure base", "no", "start my check-in"),
}
# The targets the test suite holds on every locale's set, in every place.
TARGET_RECALL = 1.0
MAX_FALSE_ALARMS = 0.02


@dataclass(frozen=True)
class LabelledSet:
    locale: str
    sentences: dict[str, tuple[str, ...]]
    path: Path

    def __len__(self) -> int:
        return sum(len(s) for s in self.sentences.values())


def load_set(path: Path) -> LabelledSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("locale") not in LOCALES:
        raise ValueError(f"{path}: needs 'locale:' set to one of {', '.join(LOCALES)}")
    unknown = set(data) - {"locale", *LABELS}
    if unknown:
        raise ValueError(f"{path}: unknown labels {sorted(unknown)}; labels are {LABELS}")
    sentences: dict[str, tuple[str, ...]] = {}
    for label in LABELS:
        items = data.get(label) or []
        if not all(isinstance(item, str) and item.strip() for item in items):
            raise ValueError(f"{path}: every {label} item must be a sentence (quote yes and no)")
        sentences[label] = tuple(items)
    return LabelledSet(str(data["locale"]), sentences, path)


def labelled_sets(folder: Path = EVALUATION) -> list[LabelledSet]:
    """The sets the suite holds, one per locale, in LOCALES order."""
    found = {s.locale: s for s in map(load_set, sorted(folder.glob("*.yaml")))}
    return [found[locale] for locale in LOCALES if locale in found]


@dataclass(frozen=True)
class Outcome:
    label: str
    place: str
    sentence: str
    intent: str  # what the understanding made of it
    answer: str  # crisis, abuse_now, past_hurt, or ordinary: what the skill did


@dataclass
class Figures:
    locale: str
    place: str
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, label: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.label == label]

    def rate(self, label: str, answers: Iterable[str]) -> float:
        said = self.of(label)
        wanted = set(answers)
        return sum(o.answer in wanted for o in said) / len(said) if said else 1.0

    def recall(self, label: str) -> float:
        """crisis, abuse_now: the resources given; past_hurt: acknowledged (or resources)."""
        answers = {"crisis", "abuse_now"} | ({"past_hurt"} if label == "past_hurt" else set())
        return self.rate(label, answers)

    def right_first(self, label: str) -> float:
        return self.rate(label, {label})

    def false_alarms(self) -> float:
        return self.rate("ordinary", {"crisis", "abuse_now", "past_hurt"})

    def misses(self) -> list[Outcome]:
        wrong = [o for o in self.outcomes if o.label in ("crisis", "abuse_now") and o.answer
                 not in ("crisis", "abuse_now")]  # fmt: skip
        unheard = [o for o in self.outcomes if o.label == "past_hurt" and o.answer == "ordinary"]
        alarms = [o for o in self.outcomes if o.label == "ordinary" and o.answer != "ordinary"]
        return wrong + unheard + alarms


def answer_of(response: dict[str, Any], locale: str) -> str:
    """What the skill did with the sentence, read from what it said: resources (which came
    first), the past-hurt acknowledgement, or neither."""
    body = response.get("response") or {}
    speech = str((body.get("outputSpeech") or {}).get("ssml", ""))
    text = Safety().content(locale)
    if (body.get("card") or {}).get("title") == text.card_title:
        crisis = speech.find(_escaped(text.resources.crisis[0].spoken))
        abuse = speech.find(_escaped(text.resources.domestic_violence[0].spoken))
        return "crisis" if 0 <= crisis < abuse or abuse < 0 else "abuse_now"
    acknowledgement = getattr(text, "past_hurt_acknowledgement", None)
    if acknowledgement and _escaped(acknowledgement) in speech:
        return "past_hurt"
    return "ordinary"


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def evaluate(
    labelled: LabelledSet,
    places: Sequence[str] = tuple(PLACES),
    plugins: tuple[Plugin[Any, Any], ...] | None = None,
) -> list[Figures]:
    plugins = plugins if plugins is not None else discover().plugins
    nlu = LocalNlu(interaction_model(labelled.locale, plugins))
    with offline_skill(plugins) as skill:
        return [
            _figures(labelled, place, conversation(skill, nlu, labelled.locale)) for place in places
        ]


def _figures(labelled: LabelledSet, place: str, talk: Conversation) -> Figures:
    for utterance in PLACES[place]:
        talk.say(utterance)
    figures = Figures(labelled.locale, place)
    for label, sentences in labelled.sentences.items():
        for sentence in sentences:
            # Each sentence from the same point: a copy of the conversation just before it.
            turn = copy.copy(talk).say(sentence)
            intent = turn.request["request"].get("intent", {}).get("name", "LaunchRequest")
            answer = answer_of(turn.response, labelled.locale)
            figures.outcomes.append(Outcome(label, place, sentence, intent, answer))
    return figures


def table(results: Sequence[Figures]) -> str:
    """The figures as a Markdown table, one row per locale and place."""
    lines = [
        "| locale | place | crisis: resources | abuse now: resources | right resources first"
        " | past hurt: acknowledged | ordinary: false alarms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in results:
        first = _share(
            sum(o.answer == o.label for o in f.of("crisis") + f.of("abuse_now")),
            len(f.of("crisis")) + len(f.of("abuse_now")),
        )
        lines.append(
            f"| {f.locale} | {f.place} | {_ratio(f, 'crisis')} | {_ratio(f, 'abuse_now')} | "
            f"{first} | {_ratio(f, 'past_hurt')} | {_false(f)} |"
        )
    return "\n".join(lines)


def _ratio(f: Figures, label: str) -> str:
    return _share(round(f.recall(label) * len(f.of(label))), len(f.of(label)))


def _false(f: Figures) -> str:
    return _share(round(f.false_alarms() * len(f.of("ordinary"))), len(f.of("ordinary")))


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.1%})" if total else "none"


def report(
    sets: Sequence[LabelledSet],
    held_out: Sequence[LabelledSet] = (),
    evaluate_set: Callable[[LabelledSet], list[Figures]] = evaluate,
) -> tuple[str, list[Figures]]:
    """The figures file's text (dated), and the figures of the sets the suite holds."""
    held = [f for s in sets for f in evaluate_set(s)]
    parts = [
        "# Safety figures",
        "",
        f"Measured {date.today().isoformat()} by `secure-base safety figures --write` (also run"
        " by `make bench`): each sentence of `skill/safety/evaluation/<locale>.yaml` said to the"
        " whole skill through the local understanding, at the menu and as the answer to a"
        " reflection and a check-in question. The suite holds every row at 100% resources for"
        f" crisis and abuse now and at most {MAX_FALSE_ALARMS:.0%} false alarms"
        " (`tests/test_safety_figures.py`).",
        "",
        table(held),
    ]
    if held_out:
        unheld = [f for s in held_out for f in evaluate_set(s)]
        parts += [
            "",
            "## Held-out sets",
            "",
            "Written apart from the rules and never tuned on (`skill/safety/evaluation/held-out/`):"
            " how the rules do on sentences nobody wrote them for. Reported, not held.",
            "",
            table(unheld),
        ]
    return "\n".join(parts) + "\n", held
