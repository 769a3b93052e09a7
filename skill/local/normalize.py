"""Normalisation of the local NLU's samples and of the person's utterances."""

from __future__ import annotations

from skill.text import words

# Words people say that carry no intent, anywhere in an utterance (a sample that has one, such as
# "please help me", is matched as written: see skill.local.nlu).
FILLERS = frozenset({"um", "umm", "uh", "uhh", "erm", "er", "hmm", "mm", "please", "alexa"})
# Tags that close a sentence and carry no intent: "dunno mate", "for sure eh".
TAGS = frozenset({"mate", "eh"})
# Sounds that are words together though a filler alone: written as one word.
JOINED = (("uh huh", "uh-huh"), ("mm hmm", "mm-hmm"), ("mhm", "mm-hmm"))
# Openers that carry no intent, only at the start of an utterance.
OPENERS = (
    "i think", "i guess", "well", "so", "okay", "ok", "oh", "just", "maybe", "actually",
    "could you", "can you", "would you", "hey",
)  # fmt: skip


# Openers that hedge: with one word after them ("I guess so", "maybe not") they are the answer.
HEDGES = frozenset({"i think", "i guess", "maybe"})


def normalize(text: str, keep_fillers: bool = False) -> str:
    said = " ".join(words(text))
    for sound, word in JOINED:  # "uh huh" is a yes, not the filler "uh" and then "huh"
        said = f" {said} ".replace(f" {sound} ", f" {word} ").strip()
    kept = [w for w in said.split() if keep_fillers or w not in FILLERS]
    while len(kept) > 1 and kept[-1] in TAGS:
        kept.pop()
    changed = True
    while changed and kept:
        changed = False
        for opener in OPENERS:
            opener_words = opener.split()
            rest = len(kept) - len(opener_words)
            if kept[: len(opener_words)] == opener_words and rest > (opener in HEDGES):
                kept = kept[len(opener_words) :]
                changed = True
    return " ".join(kept)
