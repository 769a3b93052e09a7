"""Normalisation of the local NLU's samples and of the person's utterances."""

from __future__ import annotations

from skill.text import words

# Words people say that carry no intent, anywhere in an utterance (a sample that has one, such as
# "please help me", is matched as written: see skill.local.nlu).
FILLERS = frozenset({"um", "umm", "uh", "uhh", "erm", "er", "hmm", "mm", "please", "alexa"})
# Openers that carry no intent, only at the start of an utterance.
OPENERS = (
    "i think", "i guess", "well", "so", "okay", "ok", "oh", "just", "maybe", "actually",
    "could you", "can you", "would you", "hey",
)  # fmt: skip


def normalize(text: str, keep_fillers: bool = False) -> str:
    kept = [w for w in words(text) if keep_fillers or w not in FILLERS]
    changed = True
    while changed and kept:
        changed = False
        for opener in OPENERS:
            opener_words = opener.split()
            if kept[: len(opener_words)] == opener_words and len(kept) > len(opener_words):
                kept = kept[len(opener_words) :]
                changed = True
    return " ".join(kept)
