"""A local stand-in for Alexa's language understanding, built from the interaction model.

It maps an utterance to an intent and slots the way Alexa would for our model: exact sample
matches first (with slot capture and entity resolution of custom types), then close paraphrases
by fuzzy matching (rapidfuzz), and AMAZON.FallbackIntent for anything else. Invocation phrases
("open secure base", "ask secure base to ...") are recognised as Alexa does.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from skill.local import builtin_values
from skill.local.normalize import FILLERS, normalize

FALLBACK = "AMAZON.FallbackIntent"
# Fuzzy scores (0-100) at or above which a close paraphrase counts as a match.
SENTENCE_THRESHOLD = 80.0
VALUE_THRESHOLD = 85.0
# Shorter words are not resolved by closeness: "ten" is not "then".
MIN_FUZZY_VALUE_CHARS = 5
# A sample with an unresolved custom slot only counts with this many literal words around it:
# "it was {pace}" must not take "it was complicated" from the answer intent's "it {...}".
MIN_LITERAL_WORDS_FOR_UNRESOLVED = 3
MAX_EXPANSIONS_PER_SAMPLE = 2000
# When a sample's carrier phrase takes the utterance into a free-speech slot ("I'm scared of
# spiders" under "I {answerI}"), a paraphrase of another sample ("I'm scared of him") must be
# this close to win: Alexa has a reading with a slot, and takes a near-miss only when it is near.
PARAPHRASE_OVER_CARRIER = 90.0
# A paraphrase never turns a statement round: "I'm not going to hurt myself" is not a close
# paraphrase of "I'm going to hurt myself", whatever the string distance says.
NEGATIONS = frozenset({"not", "never", "no", "nobody", "nothing", "none", "neither", "nor"})

# Alexa understands its built-in intents without samples of ours; these stand in for that.
BUILTIN_SAMPLES: dict[str, list[str]] = {
    "AMAZON.HelpIntent": [
        "help", "help me", "i need help", "what can i say", "what can i do", "what do i do",
        "how does this work", "what are my options", "what should i say", "i am confused",
        "i am lost", "what is this",
    ],
    "AMAZON.StopIntent": [
        "stop", "quit", "exit", "goodbye", "bye", "good bye", "that is all", "that is enough",
        "i am done", "i am finished", "shut up", "be quiet", "enough", "stop it",
    ],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it", "cancel that"],
    "AMAZON.NavigateHomeIntent": [
        "go home", "main menu", "back to the menu", "go to the main menu", "home",
    ],
    "AMAZON.NextIntent": [
        "next", "next one", "next step", "go on", "i am ready", "ready", "keep going", "move on",
        "okay next",
    ],
    "AMAZON.PauseIntent": [
        "pause", "wait", "hold on", "give me a moment", "wait a moment", "give me a second",
        "wait a minute", "hang on", "one moment",
    ],
    "AMAZON.ResumeIntent": ["continue", "resume", "carry on", "let us continue", "go ahead"],
    "AMAZON.StartOverIntent": [
        "start over", "start again", "restart", "from the beginning", "begin again",
    ],
    "AMAZON.RepeatIntent": [
        "repeat", "repeat that", "say that again", "again", "what did you say", "come again",
        "pardon", "sorry what", "can you repeat that", "one more time",
    ],
    "AMAZON.YesIntent": [
        "yes", "yeah", "yep", "yup", "sure", "okay", "ok", "alright", "all right", "of course",
        "yes please", "absolutely", "definitely", "uh huh", "mm hmm",
    ],
    "AMAZON.NoIntent": ["no", "nope", "nah", "no thanks", "not now", "no thank you"],
}  # fmt: skip

_INVOCATION_VERBS = "open|launch|start|begin|load|run|play|use|talk to|speak to"
_ONE_SHOT_VERBS = "ask|tell|open|launch|start|use"
_CONNECTORS = "and|to|for|about|that|if|whether|how"


@dataclass(frozen=True)
class SlotValue:
    name: str
    value: str
    slot_type: str
    resolved_id: str | None = None
    resolved_name: str | None = None
    # True for custom slot types, whose values entity resolution reports on.
    custom: bool = False
    # True when a typed built-in slot (AMAZON.NUMBER, AMAZON.TIME) heard a value of its type.
    typed: bool = False

    @property
    def exact(self) -> bool:
        """A value the slot's type recognises, not just any words."""
        return bool(self.resolved_id) if self.custom else self.typed


@dataclass(frozen=True)
class Understanding:
    """What Alexa would send: a LaunchRequest, or an intent with slots."""

    intent: str | None  # None means a LaunchRequest
    slots: dict[str, SlotValue] = field(default_factory=dict)
    # True when the utterance named the skill, which starts a new session.
    invocation: bool = False


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str  # normalised, with {slot} placeholders
    pattern: re.Pattern[str]
    slot_names: tuple[str, ...]
    literal_words: int
    # A sample with a filler word in it ("please help me") is matched as written, before the
    # fillers are dropped from the utterance: Alexa tells "please help me" from "help me".
    as_written: bool = False


@dataclass(frozen=True)
class _SlotType:
    # normalised phrase (name or synonym) -> (id, canonical name)
    phrases: dict[str, tuple[str, str]]


class LocalNlu:
    def __init__(self, model: dict[str, Any]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation_name = normalize(language["invocationName"])
        self._types = {t["name"]: _slot_type(t) for t in language.get("types", [])}
        self._slot_types: dict[tuple[str, str], str] = {}
        self._samples: list[_Sample] = []
        for intent in language["intents"]:
            name = intent["name"]
            for slot in intent.get("slots", []):
                self._slot_types[(name, slot["name"])] = slot["type"]
            compiled = [_compile(name, s) for s in dict.fromkeys(intent.get("samples", []))]
            # A phrase slot needs a carrier phrase on Alexa: one whose carrier is only words
            # the stand-in drops ("okay so {answer}") must not take every sentence here.
            self._samples.extend(
                c
                for c in compiled
                if c.literal_words
                or not any(
                    self._slot_types[(name, n)] == "AMAZON.SearchQuery" for n in c.slot_names
                )
            )
        # Alexa's own training for its built-in intents, after the model's samples: a sample of
        # ours ("please help me", for the crisis intent) wins over the stand-in ("help me").
        for intent in language["intents"]:
            stand_ins = BUILTIN_SAMPLES.get(intent["name"], [])
            self._samples.extend(_compile(intent["name"], s) for s in stand_ins)
        self._candidates = self._fuzzy_candidates()
        invocation = re.escape(self.invocation_name)
        self._launch = re.compile(rf"(?:{_INVOCATION_VERBS}) {invocation}")
        self._one_shot = re.compile(
            rf"(?:(?:{_ONE_SHOT_VERBS}) {invocation}(?: (?:{_CONNECTORS}))? (?P<a>.+)"
            rf"|(?P<b>.+) (?:using|with|from|on) {invocation})"
        )

    @classmethod
    def from_file(cls, path: Path) -> LocalNlu:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def understand(self, utterance: str) -> Understanding:
        text = normalize(utterance)
        if self._launch.fullmatch(text) or text == self.invocation_name:
            return Understanding(intent=None, invocation=True)
        request = self.request_in(text)
        if request is not None:
            inner = self.match(request)
            return Understanding(inner.intent, inner.slots, invocation=True)
        return self.match(text, normalize(utterance, keep_fillers=True))

    def request_in(self, utterance: str) -> str | None:
        """What a one-shot request asks the skill ("ask secure base for a calming exercise":
        "a calming exercise"), normalised; None when it names the skill no such way."""
        one_shot = self._one_shot.fullmatch(normalize(utterance))
        return normalize(one_shot.group("a") or one_shot.group("b")) if one_shot else None

    def is_sample(self, text: str, intent: str) -> bool:
        """Whether `text`, said inside a session, is one of `intent`'s samples as written (not
        a paraphrase the stand-in happens to place), each custom slot filled with one of its
        type's values or synonyms."""
        for sample in (s for s in self._samples if s.intent == intent):
            found = sample.pattern.fullmatch(
                normalize(text, keep_fillers=True) if sample.as_written else normalize(text)
            )
            if found and all(
                self._is_value(sample.intent, name, found.group(name)) for name in sample.slot_names
            ):
                return True
        return False

    def _is_value(self, intent: str, slot: str, words: str) -> bool:
        slot_type = self._types.get(self._slot_types.get((intent, slot), ""))
        return (
            slot_type is None
            or _strip_article(words) in slot_type.phrases
            or (words in slot_type.phrases)
        )

    def match(self, text: str, as_said: str | None = None) -> Understanding:
        """Intent and slots for normalised text, inside a session.

        A sample whose slots all resolve to known values wins; then a close paraphrase of any
        sample (a very close one, when a carrier phrase also fits); then a sample that only fits
        thanks to a free-form slot (AMAZON.SearchQuery) or an unknown slot value; then the
        fallback, which carries no words.
        """
        if as_said is not None and as_said != text:
            written = self._matched(as_said, [s for s in self._samples if s.as_written], False)
            if written.intent != FALLBACK:
                return written
        return self._matched(text, [s for s in self._samples if not s.as_written])

    def _matched(
        self, text: str, samples: list[_Sample], paraphrases: bool = True
    ) -> Understanding:
        exact: tuple[int, Understanding] | None = None
        loose: tuple[int, Understanding] | None = None
        fitting: set[str] = set()
        for sample in samples:
            found = sample.pattern.fullmatch(text)
            if found is None:
                continue
            fitting.add(sample.text)
            slots = {n: self._slot(sample.intent, n, found.group(n)) for n in sample.slot_names}
            result = (sample.literal_words, Understanding(sample.intent, slots))
            if all(s.exact for s in slots.values()):
                if exact is None or result[0] > exact[0]:
                    exact = result
            elif self._fits_loosely(sample, slots) and (loose is None or result[0] > loose[0]):
                loose = result
        if exact is not None:
            return exact[1]
        threshold = SENTENCE_THRESHOLD if loose is None else PARAPHRASE_OVER_CARRIER
        # A sample whose carrier phrase fits ("can we try the {exercise}") gets the words heard
        # in its slot ("lion breath"), as Alexa passes them: a paraphrase may be another
        # sentence, or that carrier with a value that was said ("my fella last night"), never
        # with a value of the type put in place of other words ("box breath").
        fuzzy = self._fuzzy(text, threshold, fitting) if paraphrases else None
        if fuzzy is not None:
            return fuzzy
        return loose[1] if loose else Understanding(FALLBACK)

    def _fits_loosely(self, sample: _Sample, slots: dict[str, SlotValue]) -> bool:
        free_form = {"AMAZON.SearchQuery"}
        if all(s.exact or s.slot_type in free_form for s in slots.values()):
            return True  # free-form slots: Alexa needs a carrier phrase, which the sample has
        return sample.literal_words >= MIN_LITERAL_WORDS_FOR_UNRESOLVED

    def _slot(self, intent: str, name: str, heard: str) -> SlotValue:
        slot_type = self._slot_types[(intent, name)]
        known = self._types.get(slot_type)
        if known is None:
            typed = builtin_values.typed_value(slot_type, heard)
            return SlotValue(name, typed or heard, slot_type, typed=typed is not None)
        resolved = known.phrases.get(heard) or known.phrases.get(_strip_article(heard))
        if resolved is None and len(heard) >= MIN_FUZZY_VALUE_CHARS:
            scored = _best(heard, known.phrases)
            resolved = known.phrases[scored[0]] if scored and scored[1] >= VALUE_THRESHOLD else None
        if resolved is None:
            return SlotValue(name, heard, slot_type, custom=True)
        return SlotValue(name, heard, slot_type, resolved[0], resolved[1], custom=True)

    def _fuzzy_candidates(self) -> list[tuple[str, _Sample, dict[str, str]]]:
        """Every sample spelled out with each custom slot value: (sentence, sample, slots)."""
        candidates: list[tuple[str, _Sample, dict[str, str]]] = []
        for sample in self._samples:
            if sample.slot_names and not sample.literal_words:
                # A slot alone ("{exercise}", "{answerWord}"): a value close to the slot's is
                # resolved as a value (VALUE_THRESHOLD); a paraphrase would put the value's
                # words in place of what was said ("I don't want to exist" is not "I don't
                # want to").
                continue
            types = [
                self._types.get(self._slot_types[(sample.intent, n)]) for n in sample.slot_names
            ]
            if any(t is None for t in types):
                continue  # free-form slots (e.g. AMAZON.SearchQuery) can't be spelled out
            phrase_lists = [list(t.phrases) for t in types if t is not None]
            combos = itertools.islice(itertools.product(*phrase_lists), MAX_EXPANSIONS_PER_SAMPLE)
            for combo in combos:
                sentence = sample.text
                for slot_name, phrase in zip(sample.slot_names, combo, strict=True):
                    sentence = sentence.replace("{" + slot_name + "}", phrase)
                candidates.append(
                    (sentence, sample, dict(zip(sample.slot_names, combo, strict=True)))
                )
        return candidates

    def _fuzzy(
        self, text: str, threshold: float, fitting: AbstractSet[str] = frozenset()
    ) -> Understanding | None:
        best: tuple[float, str, _Sample, dict[str, str]] | None = None
        negated = _negations(text)
        for sentence, sample, phrases in self._candidates:
            if sample.text in fitting and not all(
                f" {phrase} " in f" {text} " for phrase in phrases.values()
            ):
                continue
            score = _similarity(text, sentence)
            if score < threshold or _negations(sentence) != negated:
                continue
            if best is None or score > best[0]:
                best = (score, sentence, sample, phrases)
        if best is None:
            return None
        _, _, sample, phrases = best
        slots = {n: self._slot(sample.intent, n, p) for n, p in phrases.items()}
        return Understanding(sample.intent, slots)


def _negations(text: str) -> frozenset[str]:
    return NEGATIONS.intersection(text.split())


def _similarity(a: str, b: str) -> float:
    # token_set_ratio forgives extra or reordered words; plain ratio keeps "help" from
    # matching "help me with my taxes". Their mean rewards close paraphrases only.
    return (fuzz.token_set_ratio(a, b) + fuzz.ratio(a, b)) / 2


def _best(text: str, phrases: dict[str, tuple[str, str]]) -> tuple[str, float] | None:
    scored = [(p, fuzz.ratio(text, p)) for p in phrases]
    return max(scored, key=lambda pair: pair[1]) if scored else None


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:a|an|the|some|my) ", "", text)


def _slot_type(declaration: dict[str, Any]) -> _SlotType:
    phrases: dict[str, tuple[str, str]] = {}
    for value in declaration.get("values", []):
        name = value["name"]["value"]
        value_id = value.get("id") or name
        for phrase in [name, *value["name"].get("synonyms", [])]:
            phrases.setdefault(normalize(phrase), (value_id, name))
    return _SlotType(phrases)


def _compile(intent: str, sample: str) -> _Sample:
    as_written = any(word in FILLERS for word in normalize(sample, keep_fillers=True).split())
    text = normalize(sample, keep_fillers=as_written)
    parts: list[str] = []
    slot_names: list[str] = []
    literal_words = 0
    for word in text.split():
        slot = re.fullmatch(r"\{(\w+)\}", word)
        if slot:
            slot_names.append(slot.group(1))
            parts.append(f"(?P<{slot.group(1)}>.+?)")
        else:
            literal_words += 1
            parts.append(re.escape(word))
    pattern = re.compile(" ".join(parts))
    return _Sample(intent, text, pattern, tuple(slot_names), literal_words, as_written)
