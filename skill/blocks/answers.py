"""What an answer to a yes/no question means, whatever intent Alexa put it in.

Every yes/no question the skill asks is a `Question`: the key its turn marks with
`expect_next_turn`, whether it concerns safety, whether words about how the person feels count
as yes, and what an answer that stays unclear is taken as.

The answer is read for its `Meaning`. AMAZON.YesIntent is yes and AMAZON.NoIntent no; the words
of any other intent ("yes {answerYes}", "kind of {answerPartly}", "she {answerShe}") are read with
their carrier phrase put back, against the locale's answer words (the `answers` section of the
locale files), and the longest phrase found decides: "no worries" (yes, in Australia) over "no",
"I don't know" (unsure) over anything in it. A fallback turn carries no words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, get_request_type
from ask_sdk_model import Response

from skill.blocks.content import ALONE, ANSWER_MEANINGS
from skill.blocks.expect import expect_next_turn, from_last_turn, keep_expecting
from skill.blocks.heard import samples_with, sentences
from skill.blocks.loaded import Loaded, core_text, loaded
from skill.blocks.menu import current_options
from skill.blocks.plugin import Handler, Plugin, PluginT, is_intent, served
from skill.blocks.reply import reply
from skill.speech import Speech
from skill.text import words

SKIP = "SkipQuestionIntent"
# Request attribute: this turn's meaning, by reading (never kept past the request).
MEANING = "answers.meaning"


class Meaning(StrEnum):
    YES = "yes"
    NO = "no"
    PARTLY = "partly"  # "kind of", "sometimes", "a little": a yes, hedged
    UNSURE = "unsure"  # "I don't know", "not sure"
    OTHER = "other"  # words, none of them an answer: "she threw a plate at me"
    NOTHING = "nothing"  # no words at all: Alexa could not place them (a fallback)


class Decision(StrEnum):
    YES = "yes"
    NO = "no"
    AGAIN = "again"  # ask once more, briefly
    HELP = "help"  # a safety question answered "I don't know": the resources, gently


@dataclass(frozen=True)
class Question:
    key: str
    # Errs toward help: any words that are not a no are a yes ("she threw a plate at me"), and
    # "I don't know" is answered with the resources, gently.
    safety: bool = False
    # Words that are neither yes nor no count as yes ("I'm shaking"): questions about feelings.
    words_are_yes: bool = False
    # What an answer that is still unclear after asking once more is taken as.
    otherwise: bool = False
    # Requests that answer yes here ("I'm freaking out" to "are you still very upset?"); any
    # other request said in answer is served as that request.
    yes_intents: tuple[str, ...] = ()

    @property
    def again_key(self) -> str:
        return f"{self.key}.again"

    def decide(self, meaning: Meaning, asked_again: bool) -> Decision:
        if meaning in (Meaning.YES, Meaning.PARTLY):
            return Decision.YES
        if meaning is Meaning.NO:
            return Decision.NO
        if self.safety and meaning is Meaning.OTHER:
            return Decision.YES
        if self.safety and (meaning is Meaning.UNSURE or asked_again):
            return Decision.HELP
        if self.words_are_yes and meaning is Meaning.OTHER:
            return Decision.YES
        if not asked_again:
            return Decision.AGAIN
        return Decision.YES if self.otherwise else Decision.NO


class AnswerWords:
    """A locale's answer phrases, each as folded words, with the meaning it carries."""

    def __init__(self, phrases: dict[str, tuple[str, ...]]) -> None:
        self.phrases = {
            " ".join(words(phrase)): Meaning(meaning)
            for meaning in ANSWER_MEANINGS
            for phrase in phrases.get(meaning, ())
        }
        self.alone = {
            " ".join(words(phrase)): Meaning(meaning)
            for listed, meaning in ALONE.items()
            for phrase in phrases.get(listed, ())
        }

    def read(self, sentence: str, strict_no: bool = False) -> Meaning:
        """The meaning of the longest answer phrase in `sentence`; OTHER when it has none.
        With `strict_no` (a safety question), a no counts only when it opens the answer: "no,
        he's never hurt me" is a no, "he never lets me see my friends" is not."""
        said = f" {' '.join(words(sentence))} "
        if not said.strip():
            return Meaning.NOTHING
        if said.strip() in self.alone:
            return self.alone[said.strip()]
        found = [(len(p.split()), m, p) for p, m in self.phrases.items() if f" {p} " in said]
        if not found:
            return Meaning.OTHER
        longest = max(size for size, _, _ in found)
        meanings = {m for size, m, _ in found if size == longest}
        # Two phrases as long as each other ("yes" and "sometimes"): the one most worth hearing.
        chosen = next(m for m in (Meaning.UNSURE, Meaning.PARTLY, Meaning.NO, Meaning.YES)
                      if m in meanings)  # fmt: skip
        if chosen is Meaning.NO and strict_no:
            opens = any(m is Meaning.NO and said.startswith(f" {p} ") for _, m, p in found)
            return chosen if opens else Meaning.OTHER
        return chosen


def answer_phrases(plugins: Iterable[Plugin[Any, Any]], locale: str) -> dict[str, tuple[str, ...]]:
    """Every declaration's answer words for `locale` (the core's, and any a plugin adds), by
    list: "yes", "no_alone", ..."""
    merged: dict[str, tuple[str, ...]] = {}
    for plugin in plugins:
        for listed, phrases in plugin.locale_file(locale).answers.items():
            merged[listed] = (*merged.get(listed, ()), *phrases)
    return merged


@cache
def answer_words(plugins: Loaded, locale: str) -> AnswerWords:
    return AnswerWords(answer_phrases(plugins.everything, locale))


def meaning(handler_input: HandlerInput, strict_no: bool = False) -> Meaning:
    """What this turn says in answer to a yes/no question (see `AnswerWords.read`); read once
    per turn and reading, however many handlers ask."""
    if get_request_type(handler_input) != "IntentRequest":
        return Meaning.NOTHING
    read: dict[bool, Meaning] = handler_input.attributes_manager.request_attributes.setdefault(
        MEANING, {}
    )
    if strict_no not in read:
        intent = handler_input.request_envelope.request.intent
        values = {n: s.value for n, s in (intent.slots or {}).items() if isinstance(s.value, str)}
        locale = get_locale(handler_input)
        read[strict_no] = meaning_of(intent.name, values, loaded(handler_input), locale, strict_no)
    return read[strict_no]


def meaning_of(
    intent: str, values: dict[str, str], plugins: Loaded, locale: str, strict_no: bool = False
) -> Meaning:
    """The meaning of `intent` with these slot values (name -> words heard)."""
    if intent == "AMAZON.YesIntent":
        return Meaning.YES
    if intent == "AMAZON.NoIntent":
        return Meaning.NO
    if intent == SKIP:
        # "Skip", "pass": a no, except to a safety question, where it is not knowing.
        return Meaning.UNSURE if strict_no else Meaning.NO
    locale = served(locale)
    reader = answer_words(plugins, locale)
    said = sentences(intent, values, samples_with(plugins, locale), reader.read)
    return reader.read(" . ".join(said), strict_no) if said else Meaning.NOTHING


class YesNoAnswer(Handler[PluginT]):
    """The answer to the yes/no question `question`, which the last turn asked and marked with
    `expect_next_turn(handler_input, question.key, value)` (`value` is `self.asked(...)`), in
    whatever words it came: yes, no, an answer in words, or words Alexa could not place.

    A subclass says what a yes and a no do (`answer`); an unclear answer is asked once more,
    briefly, and then taken as the question's `otherwise`; a safety question's "I don't know"
    goes to `unsure`.
    """

    question: ClassVar[Question]
    intents: ClassVar[tuple[str, ...]] = (
        "AMAZON.YesIntent", "AMAZON.NoIntent", "AnswerIntent", "AMAZON.FallbackIntent", SKIP,
    )  # fmt: skip

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "question" in cls.__dict__:
            own = cls.__dict__.get("intents", YesNoAnswer.intents)
            cls.intents = (*own, *(i for i in cls.question.yes_intents if i not in own))

    def applies(self, handler_input: HandlerInput) -> bool:
        return self.asked(handler_input) is not None

    def asked(self, handler_input: HandlerInput) -> Any:
        return from_last_turn(handler_input, self.question.key)

    def handle(self, handler_input: HandlerInput) -> Response:
        again = bool(from_last_turn(handler_input, self.question.again_key))
        heard = (
            Meaning.YES
            if is_intent(handler_input, *self.question.yes_intents)
            else meaning(handler_input, strict_no=self.question.safety)
        )
        decided = self.question.decide(heard, again)
        if decided is Decision.AGAIN:
            return ask_again(handler_input, self.question, unsure=heard is Meaning.UNSURE)
        if decided is Decision.HELP:
            return self.unsure(handler_input)
        return self.answer(handler_input, decided is Decision.YES)

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response:
        raise NotImplementedError

    def unsure(self, handler_input: HandlerInput) -> Response:
        """A safety question answered "I don't know" (or twice unclear): a yes, by default."""
        return self.answer(handler_input, True)


def ask_again(handler_input: HandlerInput, question: Question, unsure: bool = False) -> Response:
    """Once more, briefly: the question's own reprompt after a short word ("That's all right."
    after "I don't know", else that the answer was unclear), still open."""
    keep_expecting(handler_input)
    expect_next_turn(handler_input, question.again_key, True)
    asked = current_options(handler_input)
    text = core_text(handler_input)
    lead = text.answer_unsure_again if unsure else text.answer_again
    return reply(handler_input, Speech(lead).then(asked), asked)
