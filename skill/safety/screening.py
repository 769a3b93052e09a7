"""Screening the person's words: crisis, present abuse, a past hurt, or nothing to act on.

The rules are data (`Rules`, in each locale's `locale/*.json`); this module reads a text with
them the way a listener would, in one pass whatever the text:

1. **Cap**: only the first and the last `HALF_CAP` characters of a longer text are read, so the
   cost is bounded and neither the start nor the end of what was said is skipped.
2. **Fold**: Unicode NFKC (fullwidth letters become letters), invisible format characters
   (zero-width spaces, joiners, direction marks) removed, accents and case folded, contractions
   expanded ("I'm" reads as "i am").
3. **Clauses**: punctuation and the contrastive words of `Rules.clause_breaks` ("but") cut the
   text, so "nobody hit me but it felt cold" is two clauses.
4. **Match**: each class's patterns are one compiled alternation, searched once per clause.
5. **Read each match in its sentence**: a negation or hypothetical cue just before it in its
   clause ("nobody", "never", "if") cancels it. A crisis counts whatever its tense: help errs
   toward safety. Abuse is a past hurt when its clause is told at a distance ("used to", "when I
   was a kid", "years ago"), or when it is told in the past about a parent or a former partner;
   a present marker ("still", "again", "last night") keeps it present. Hurts that are not danger
   (shouting, neglect) are past hurts when told that way, and nothing otherwise.

A safety net, not a diagnosis: the rules only decide which help to offer first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from skill.text import words

# Characters read of a long text: its first and its last HALF_CAP (2,000 in all, some 400
# words). Alexa's utterances are far shorter; the cap bounds what a forged request can cost.
HALF_CAP = 1000
# A negation or hypothetical cue cancels a match when it is one of the few words just before it
# in its clause ("i would never hurt myself", "nobody ever hit me") and no new subject comes
# between ("if i leave he will kill me" is still a threat).
NEGATION_WINDOW = 4
SUBJECTS = frozenset({"i", "he", "she", "they", "we", "you", "it"})

_INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")  # fmt: skip
_CLAUSE_PUNCTUATION = re.compile(r"[.!?;:,\u2026\u2014\u2013()\[\]\"]+")
_REFERENCE = re.compile(r"\{([a-z_]+)\}")
# "son's been", "she's gonna": the contractions the table in skill.text cannot know.
_HAS = re.compile(r"\b(\w+)'s (been|got|gotten|gone)\b")
_IS = re.compile(
    r"\b(\w+)'s (going|gonna|getting|coming|always|never|not|still|being|losing|doing)\b"
)
_WOULD = re.compile(r"\b(\w+)'d\b")
_PERSON_IS = re.compile(
    r"\b(\w+)s (been|got|gone|going|gonna|getting|coming|always|never|not|still|being|losing)\b"
)
# "my old man" is a father, not a man.
_OLD = re.compile(r"\bmy old (man|lady)\b")
# "mother in law" is one person, not a mother: the rules read it as one word.
_IN_LAW = re.compile(r"\b(mother|father|brother|sister|son|daughter)? ?in law(s?)\b")


class Risk(StrEnum):
    CRISIS = "crisis"
    ABUSE = "abuse_now"
    PAST_HURT = "past_hurt"


@dataclass(frozen=True)
class CompiledRules:
    crisis: re.Pattern[str]
    abuse: re.Pattern[str]
    hurt: re.Pattern[str]
    negation: re.Pattern[str]
    distance: re.Pattern[str]
    present: re.Pattern[str]
    idiom: re.Pattern[str]
    ellipsis: re.Pattern[str]
    violence_to_me: re.Pattern[str]  # "hit me", whoever did it: what an ellipsis refers to
    clause_break: re.Pattern[str]
    present_forms: frozenset[str]  # words that put an abuse match in the present ("hits", "is")
    past_forms: frozenset[str]  # words that keep it in the past ("would", "used")
    family: frozenset[str]  # people whose past acts are past hurts: parents, a former partner
    partners: frozenset[str]  # partners, former partners, and others in the home now
    people: frozenset[str]  # everyone a rule may name, but pronouns
    pronouns: frozenset[str]  # "he", "her": someone not named
    childhood: frozenset[str]  # whose unkindness was a childhood hurt: family and siblings


def fold(text: str) -> str:
    """The text as the rules read it: NFKC, invisible characters gone, accents and case folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text.casefold()


def capped(text: str) -> str:
    if len(text) <= 2 * HALF_CAP:
        return text
    # The cut is a clause break, so that no rule reads across the gap.
    return f"{text[:HALF_CAP]} . {text[-HALF_CAP:]}"


def clauses(text: str, rules: CompiledRules) -> list[list[str]]:
    """The folded, capped text as clauses of words."""
    found: list[list[str]] = []
    folded = fold(capped(text)).replace("\u2019", "'")
    folded = _WOULD.sub(r"\1 would", _IS.sub(r"\1 is \2", _HAS.sub(r"\1 has \2", folded)))
    for part in _CLAUSE_PUNCTUATION.split(folded):
        spoken = _OLD.sub(r"my old\1", " ".join(words(part)))
        spoken = _IN_LAW.sub(lambda m: f" {m.group(1) or ''}inlaw{m.group(2)} ", spoken)
        # "my wife's been hitting me" reaches the rules as "wifes been" when the apostrophe
        # was lost on the way (a speech recognizer, a slot value): it is "wife has been".
        spoken = _PERSON_IS.sub(lambda m: _person_is(m, rules), spoken)
        found.extend(c.split() for c in rules.clause_break.split(spoken) if c.strip())
    return found


def _person_is(match: re.Match[str], rules: CompiledRules) -> str:
    person, verb = match.groups()
    if person not in rules.people:
        return match.group(0)
    return f"{person} {'has' if verb in ('been', 'got', 'gone') else 'is'} {verb}"


def screen(text: str, rules: CompiledRules) -> Risk | None:
    """The risk `text` speaks of, if any. Crisis first, then present abuse, then a past hurt."""
    found: set[Risk] = set()
    sentence = clauses(text, rules)
    # Distance holds for the whole sentence: "he hit me, but I left him years ago".
    distant = bool(rules.distance.search(" | ".join(" ".join(c) for c in sentence)))
    for index, clause in enumerate(sentence):
        earlier = " ".join(w for c in sentence[:index] for w in c)
        found.update(_read_clause(clause, earlier, distant, rules))
        elliptic = index and rules.ellipsis.search(" ".join(clause))
        if elliptic and (rules.abuse.search(earlier) or rules.violence_to_me.search(earlier)):
            found.add(Risk.ABUSE)
        if Risk.CRISIS in found:
            return Risk.CRISIS
    for risk in (Risk.ABUSE, Risk.PAST_HURT):
        if risk in found:
            return risk
    return None


def _read_clause(
    clause: list[str], told_earlier: str, distant: bool, rules: CompiledRules
) -> set[Risk]:
    spoken = " ".join(clause)
    found: set[Risk] = set()
    if next(_matches(rules.crisis, spoken, rules), None) is not None:
        return {Risk.CRISIS}
    present = bool(rules.present.search(spoken))
    used_to = "used to" in spoken  # for hurts, "used to" anywhere in the clause is the past
    if rules.idiom.search(spoken):
        return found
    for match in _matches(rules.abuse, spoken, rules):
        found.add(_abuse_or_past(match, spoken, told_earlier, distant, present, rules))
    if not present:
        for match in _matches(rules.hurt, spoken, rules):
            if distant or used_to or _a_past_hurt(match, spoken, told_earlier, rules):
                found.add(Risk.PAST_HURT)
    return found


def _abuse_or_past(
    match: re.Match[str],
    spoken: str,
    told_earlier: str,
    distant: bool,
    present: bool,
    rules: CompiledRules,
) -> Risk:
    # Present first: a past told beside a present danger ("my dad used to hit me and now my
    # husband does") must never hide the danger.
    if present or _told_now(match, rules):
        return Risk.ABUSE
    if "used" in match.group(0).split() or distant:
        return Risk.PAST_HURT  # "used to", or told at a distance: it has stopped
    if _past_about_family(match, spoken, told_earlier, rules):
        return Risk.PAST_HURT
    return Risk.ABUSE


def _past_about_family(
    match: re.Match[str], spoken: str, told_earlier: str, rules: CompiledRules
) -> bool:
    """Told in the past tense about a parent, a relative or a teacher (not a partner)."""
    if _told_now(match, rules):
        return False
    # A pronoun ("i was scared of him") stands for the last person named before it.
    return _person(match, spoken, told_earlier, rules) in rules.family


def _a_past_hurt(
    match: re.Match[str], spoken: str, told_earlier: str, rules: CompiledRules
) -> bool:
    """A hurt that is not danger ("yelled at me", "I was bullied") is a past hurt when it is
    told in the past about a parent, a relative or a teacher, or about nobody named at all; about
    a partner, or in the present, it is a quarrel."""
    if _told_now(match, rules):
        return False
    just_before = spoken[: match.start()].split()[-2:]
    if {"used", "would"} & {*match.group(0).split(), *just_before}:
        return True  # "used to", and the "would" of what kept happening then
    person = _person(match, spoken, told_earlier, rules)
    if person is not None:
        return person in rules.childhood
    before = f"{told_earlier} {spoken[: match.start()]}".split()
    return not rules.pronouns.intersection(before + match.group(0).split())


def _told_now(match: re.Match[str], rules: CompiledRules) -> bool:
    """A present form and no past one ("would get mad" is the past, "has been hitting" is not)."""
    said = set(match.group(0).split())
    return bool(said & rules.present_forms) and not said & rules.past_forms


def _person(
    match: re.Match[str], spoken: str, told_earlier: str, rules: CompiledRules
) -> str | None:
    """Who the match is about: a person it names, else the last one named before it."""
    named = [word for word in match.group(0).split() if word in rules.people]
    if not named:
        earlier = f"{told_earlier} {spoken[: match.start()]}".split()
        named = [word for word in earlier if word in rules.people][-1:]
    return named[0] if named else None


def _matches(
    pattern: re.Pattern[str], spoken: str, rules: CompiledRules
) -> Iterator[re.Match[str]]:
    for match in pattern.finditer(spoken):
        # A match that starts with its own subject ("i need help now") starts a new clause.
        before = spoken[: match.start()].split()
        if _starts_with_subject(match.group(0).split(), rules):
            # A match that starts with its own subject ("i need help now", "my dad would hit
            # us") starts a clause: only a cue right before it ("if he ever hit me") counts.
            before = before[-1:]
        if not _cancelled(before, rules):
            yield match


def _starts_with_subject(said: list[str], rules: CompiledRules) -> bool:
    first, second = [*said, "", ""][:2]
    if first in SUBJECTS or first in rules.people:
        return True
    return first in ("my", "our", "his", "her", "the") and second in rules.people


def _cancelled(before: list[str], rules: CompiledRules) -> bool:
    window: list[str] = []
    for word in reversed(before):
        # A subject ("i", "my parents") starts the clause the cue would belong to.
        starts = word in SUBJECTS or word in rules.people
        if len(window) == NEGATION_WINDOW or (starts and window):
            break
        window.insert(0, word)
        if starts:
            break
    return bool(window) and bool(rules.negation.search(" ".join(window)))


@cache
def compile_rules(
    lexicon: tuple[tuple[str, tuple[str, ...]], ...],
    classes: tuple[tuple[str, tuple[str, ...]], ...],
) -> CompiledRules:
    """Each class's patterns as one alternation, compiled once per process and rule set."""
    names = dict(lexicon)
    patterns = dict(classes)

    def alternation(items: tuple[str, ...]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{expand(item, names)})" for item in items))

    def word_set(*keys: str) -> frozenset[str]:
        # Single words only: "kids at school" must not make "kids" a family word.
        return frozenset(item for key in keys for item in names.get(key, ()) if " " not in item)

    present_keys = [key for key in names if key.endswith("_now")]
    return CompiledRules(
        crisis=alternation(patterns["crisis"]),
        abuse=alternation(patterns["abuse"]),
        hurt=alternation(patterns["hurt"]),
        negation=re.compile(rf"\b(?:{'|'.join(patterns['negation'])})\b"),
        distance=alternation(patterns["distance"]),
        present=alternation(patterns["present"]),
        idiom=alternation(patterns["idiom"] or ("(?!)",)),
        ellipsis=alternation(patterns["ellipsis"] or ("(?!)",)),
        violence_to_me=alternation(
            (r"\b(?:{violence_now}|{violence_then}|{violence_base}) (?:me|us)\b",)
        ),
        clause_break=re.compile(rf"\b(?:{'|'.join(patterns['clause_breaks'])})\b"),
        present_forms=word_set(*present_keys),
        past_forms=word_set("aux_then"),
        family=word_set("family"),
        partners=word_set("partner", "former"),
        people=word_set("family", "partner", "former", "sibling"),
        pronouns=word_set("pronoun"),
        childhood=word_set("family", "sibling"),
    )


def expand(pattern: str, names: dict[str, tuple[str, ...]], depth: int = 0) -> str:
    """`{name}` in a pattern stands for the alternation of the lexicon's word list `name`."""
    if depth > 5:
        raise ValueError(f"lexicon references nest too deep in {pattern!r}")

    def one(reference: re.Match[str]) -> str:
        name = reference.group(1)
        if name not in names:
            raise ValueError(f"unknown lexicon list {{{name}}} in {pattern!r}")
        return "(?:" + "|".join(expand(item, names, depth + 1) for item in names[name]) + ")"

    return _REFERENCE.sub(one, pattern)
