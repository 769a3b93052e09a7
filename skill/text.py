"""Words as spoken: lower case, contractions expanded, punctuation gone.

Shared by the safety screening (in production) and the local NLU (in development), so that both
read "I'm" and "I am" alike.
"""

from __future__ import annotations

import re

CONTRACTIONS = {
    "i'm": "i am", "i'd": "i would", "i'll": "i will", "i've": "i have",
    "you're": "you are", "you'd": "you would", "you'll": "you will", "you've": "you have",
    "we're": "we are", "we'd": "we would", "we'll": "we will", "we've": "we have",
    "they're": "they are", "it's": "it is", "he's": "he is", "she's": "she is", "he'll": "he will",
    "she'll": "she will", "they'll": "they will", "he'd": "he would", "she'd": "she would",
    "they'd": "they would", "nobody's": "nobody is", "that's": "that is", "what's": "what is",
    "let's": "let us", "there's": "there is", "here's": "here is", "how's": "how is",
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "cannot",
    "won't": "will not", "wouldn't": "would not", "couldn't": "could not",
    "shouldn't": "should not", "isn't": "is not", "aren't": "are not", "wasn't": "was not",
    "weren't": "were not", "haven't": "have not", "hasn't": "has not", "wanna": "want to",
    "gonna": "going to", "gimme": "give me", "lemme": "let me", "ain't": "is not",
    "shan't": "shall not", "y'all": "you all",
}  # fmt: skip
# Contractions the table does not name ("nobody'd", "mightn't", "who've").
_SUFFIXES = (("n't", " not"), ("'d", " would"), ("'ll", " will"), ("'re", " are"), ("'ve", " have"))

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_PUNCTUATION = re.compile(r"[^\w\s'{}]")
_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def words(text: str) -> list[str]:
    """Lower-case words with contractions expanded and punctuation gone; `{slot}` survives."""
    # Lower case everywhere but in {slot} names, which are case-sensitive.
    parts = _SLOT.split(text.translate(_APOSTROPHES))
    slots = _SLOT.findall(text)
    text = "".join(
        _PUNCTUATION.sub(" ", part.lower()) + (f" {slots[i]} " if i < len(slots) else "")
        for i, part in enumerate(parts)
    )
    expanded: list[str] = []
    for word in text.split():
        if _SLOT.fullmatch(word):
            expanded.append(word)
            continue
        if word not in CONTRACTIONS:
            for suffix, expanded_suffix in _SUFFIXES:
                if word.endswith(suffix) and len(word) > len(suffix):
                    word = word[: -len(suffix)] + expanded_suffix
                    break
        word = CONTRACTIONS.get(word, word).replace("'", "")
        expanded.extend(word.split())
    return expanded
