"""What an answer to a check-in question is, read once and for this turn only.

The check-in never keeps what the person says: it reads the words Alexa sends this turn (the
slot values) for what kind of answer they are, chooses what to say from that, and forgets them.
Whatever the reading, the acknowledgement it leads to fits any answer of that kind; an answer
read wrongly as ordinary gets a neutral thanks, never praise for something hard.
"""

from __future__ import annotations

from enum import StrEnum

from skill import api
from skill.plugins.checkin.content import Reading

# What a person says to leave a question unanswered.
SKIPS = ("SkipQuestionIntent", "AMAZON.NextIntent")
# Contractions as people say them, the way the local stand-in also expands them: the phrase
# lists are written expanded ("he is leaving"), and real Alexa sends "he's leaving".
_CONTRACTIONS = {"can't": "cannot", "won't": "will not", "i'm": "i am", "let's": "let us"}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"),
             ("'d", " would"), ("'s", " is"))  # fmt: skip
# Words before a number that make "one" a pronoun ("a good one", "the one"), not a rating.
_ONE_IS_A_PRONOUN = frozenset({
    "good", "nice", "great", "bad", "hard", "long", "tough", "rough", "big", "little", "the",
    "that", "this", "no", "every", "any", "some", "another", "each", "which", "lovely", "okay",
})  # fmt: skip
_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


class Kind(StrEnum):
    UNHEARD = "unheard"  # no words (a fallback turn), or only "um", "hmm"
    SKIPPED = "skipped"  # "skip", "next"
    NOTHING = "nothing"  # "no", "nothing", "not really"
    UNSURE = "unsure"  # "I don't know", "I'd rather not say"
    HARD = "hard"  # tells of a hard day: "he said he's leaving", "we had a massive row"
    ANSWERED = "answered"  # anything else, read or not


def folded(text: str) -> list[str]:
    """Lower-case words, contractions expanded, punctuation gone: "He's" -> ["he", "is"]."""
    said: list[str] = []
    for word in text.lower().replace("\u2019", "'").split():
        word = "".join(c for c in word if c.isalnum() or c == "'").strip("'")
        if word in _CONTRACTIONS:
            word = _CONTRACTIONS[word]
        else:
            for suffix, expanded in _SUFFIXES:
                if word.endswith(suffix) and len(word) > len(suffix):
                    word = word[: -len(suffix)] + expanded
                    break
        said.extend(word.replace("'", "").split())
    return said


def heard(handler_input: api.HandlerInput) -> list[str]:
    """The words of this turn, folded; never kept. With the carrier put back where the safety
    layer read one ("nothing special", of which Alexa sends "special"), else every slot's
    value."""
    with_carrier = api.heard(handler_input)
    if with_carrier:
        return folded(with_carrier)
    request = handler_input.request_envelope.request
    slots = getattr(getattr(request, "intent", None), "slots", None) or {}
    return [w for slot in slots.values() if isinstance(slot.value, str) for w in folded(slot.value)]


def has_phrase(said: list[str], phrases: tuple[str, ...], negations: tuple[str, ...]) -> bool:
    """Whether one of `phrases` is in `said`, not just after a negation ("not awful",
    "nothing too terrible" are not hard)."""
    text = f" {' '.join(said)} "
    for phrase in phrases:
        wanted = f" {' '.join(folded(phrase))} "
        start = text.find(wanted)
        while start >= 0:
            before = text[:start].split()[-2:]
            if not any(word in negations for word in before):
                return True
            start = text.find(wanted, start + 1)
    return False


def read(handler_input: api.HandlerInput, words: Reading) -> Kind:
    """What kind of answer this turn is. A hard day is read first: "I'm not sure we'll still be
    together" is not an "I'm not sure"."""
    if api.is_intent(handler_input, "AMAZON.FallbackIntent"):
        return Kind.UNHEARD  # Alexa hands over no words: a murmur, or words it could not place
    if api.is_intent(handler_input, *SKIPS):
        return Kind.SKIPPED
    said = heard(handler_input)
    alone = {" ".join(folded(phrase)) for phrase in words.hard_alone}
    if has_phrase(said, words.hard, words.negations) or " ".join(said) in alone:
        return Kind.HARD
    meaning = api.meaning(handler_input)
    if said and all(word in words.fillers for word in said) and meaning is api.Meaning.OTHER:
        return Kind.UNHEARD
    if meaning is api.Meaning.NO:
        return Kind.NOTHING
    if meaning is api.Meaning.UNSURE:
        return Kind.UNSURE
    return Kind.ANSWERED


def number_in(said: list[str]) -> int | None:
    """The one number said ("two I guess", "a two really", "three out of five"), or None when
    there is none or more than one ("two or three")."""
    text = " ".join(said)
    for scale in ("out of five", "out of 5", "from one to five", "from 1 to 5"):
        text = text.replace(scale, " ")
    words = text.split()
    found = set()
    for i, word in enumerate(words):
        if word == "one" and (
            (i > 0 and words[i - 1] in _ONE_IS_A_PRONOUN) or words[i + 1 : i + 2] == ["of"]
        ):
            continue
        value = int(word) if word.isdecimal() else _NUMBERS.get(word)
        if value is not None:
            found.add(value)
    return found.pop() if len(found) == 1 else None
