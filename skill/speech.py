"""The one place SSML is written and checked.

Text is escaped; pauses are real <break>s of at most 10 s each (longer ones are chained);
prosody stays within the ranges Alexa accepts; a whole <speak> is validated (well-formed XML,
only tags Alexa supports, at most 8,000 characters) and its spoken duration can be estimated.
`fits` says whether one outputSpeech stays within what Alexa plays in one response.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

log = logging.getLogger(__name__)


def _escape(text: str) -> str:
    """`text` as XML character data (xml.sax.saxutils' escape, whose module imports urllib)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Alexa's documented limits: a <break> at most 10 s, an outputSpeech at most 8,000 characters,
# a whole response (JSON, session attributes included) at most 24 KB, and at most 240 s of audio
# clips in one response, which is used here as the conservative bound for a whole outputSpeech.
MAX_BREAK_SECONDS = 10.0
MAX_SSML_CHARS = 8000
MAX_RESPONSE_BYTES = 24 * 1024
MAX_SPEECH_SECONDS = 240.0
# After a response Alexa listens about 8 s, speaks the reprompt once, listens again, then closes.
LISTEN_SECONDS = 8.0
# The estimate: words at a steady rate, a pause at each comma or sentence end that more words
# follow (a <break> after it takes its place, as espeak-ng shows), and every <break>. The form
# and the ratio of the two constants come from espeak-ng, a real synthesiser
# (benchmarks/speech_lengths.py, results in benchmarks/speech-lengths.md: 0.23 s a word and
# 0.38 s a pause, 213 words a minute over the skill's plain sentences); the rate is not
# espeak-ng's but the 150 words a minute over those sentences that the skill has always taken
# Alexa's voice to be: no rate is published for Alexa, and a slower voice keeps speech-length
# limits on the side of short. An exercise is mostly silences, exact on any device: a voice 20%
# faster or slower moves its length by about 5%.
WORDS_PER_SECOND = 3.0
PAUSE_SECONDS = 0.55
RATE_NAMES = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "fast": 1.25, "x-fast": 1.5}
MIN_RATE_PERCENT = 20
# Far deeper than any speech the builder makes (<speak><prosody>, two levels); what is deeper is
# not the skill's, and walking it could exhaust the stack.
MAX_NESTING = 16
SUPPORTED_TAGS = frozenset(
    {
        "speak", "break", "prosody", "emphasis", "p", "s", "say-as", "sub", "phoneme", "lang",
        "audio", "voice", "w", "mark", "amazon:effect", "amazon:domain", "amazon:emotion",
    }
)  # fmt: skip
_AMAZON_NS = "https://developer.amazon.com/alexa"
# Tests set this so that invalid speech fails loudly; in production it degrades to plain speech.
STRICT_ENV = "SECURE_BASE_STRICT_SPEECH"
# Characters XML 1.0 does not allow at all, escaped or not (controls, non-characters, halves of
# surrogate pairs): text holding one (a name kept by another version) would make no SSML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class SpeechError(ValueError):
    """Speech Alexa would reject: malformed, unsupported tags, out-of-range values, too long."""


class Speech:
    """Builds one <speak> element from plain sentences, pauses and slower or faster passages."""

    def __init__(self, *sentences: str) -> None:
        self._parts: list[str] = []
        for sentence in sentences:
            self.say(sentence)

    def say(self, text: str, rate: str | None = None) -> Speech:
        if not text.strip():
            return self
        escaped = _escape(_NOT_XML.sub("", text).strip())
        if rate is not None:
            rate_factor(rate)
            escaped = f'<prosody rate="{rate}">{escaped}</prosody>'
        self._parts.append(escaped)
        return self

    def pause(self, seconds: float) -> Speech:
        # Alexa rejects a <break> over 10 s: longer silences are several breaks in a row.
        remaining = max(0.0, seconds)
        while remaining > 0:
            step = min(remaining, MAX_BREAK_SECONDS)
            self._parts.append(f'<break time="{_format_ms(step)}"/>')
            remaining -= step
        return self

    def then(self, ssml: str) -> Speech:
        """Appends speech that was already built and validated (e.g. a stored reprompt)."""
        body = ssml.strip().removeprefix("<speak>").removesuffix("</speak>").strip()
        if body:
            self._parts.append(body)
        return self

    def ssml(self) -> str:
        text = "<speak>" + " ".join(self._parts) + "</speak>"
        validate(text)
        return text

    def safe_ssml(self) -> str:
        """The SSML, or, if it is invalid, the same words as plain speech (raises when strict)."""
        try:
            return self.ssml()
        except SpeechError as error:
            if os.environ.get(STRICT_ENV):
                raise
            log.error("invalid speech degraded to plain text: %s", error)
            return plain(" ".join(self._parts))


def plain(ssml: str) -> str:
    """Safe plain speech: the words without any tag, cut to fit one response."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", _NOT_XML.sub("", ssml))).strip()
    budget = MAX_SSML_CHARS - len("<speak></speak>")
    return f"<speak>{words[:budget].rsplit(' ', 1)[0] if len(words) > budget else words}</speak>"


def rate_factor(rate: str) -> float:
    if rate in RATE_NAMES:
        return RATE_NAMES[rate]
    match = re.fullmatch(r"(\d+)%", rate)
    if match is None or int(match.group(1)) < MIN_RATE_PERCENT:
        raise SpeechError(f"prosody rate {rate!r}: use x-slow..x-fast or a percentage >= 20%")
    return int(match.group(1)) / 100


def validate_text(text: str) -> None:
    """Plain content text must make valid speech on its own."""
    Speech(text).ssml()


def validate(ssml: str) -> ET.Element:
    if len(ssml) > MAX_SSML_CHARS:
        raise SpeechError(f"{len(ssml)} characters > {MAX_SSML_CHARS}")
    namespaced = ssml.replace("<speak>", f'<speak xmlns:amazon="{_AMAZON_NS}">', 1)
    try:
        root = ET.fromstring(namespaced)
    except ET.ParseError as error:
        raise SpeechError(f"not well-formed: {error}") from error
    if root.tag != "speak":
        raise SpeechError("the root element must be <speak>")
    if _nesting(root) > MAX_NESTING:
        raise SpeechError(f"elements nested more than {MAX_NESTING} deep")
    for element in root.iter():
        tag = element.tag.replace("{" + _AMAZON_NS + "}", "amazon:")
        if tag not in SUPPORTED_TAGS:
            raise SpeechError(f"<{tag}> is not supported by Alexa")
        time = element.attrib.get("time") if tag == "break" else None
        if time is not None and _seconds(time) > MAX_BREAK_SECONDS:
            raise SpeechError(f"<break time={time!r}> is over 10 s")
        if tag == "prosody" and "rate" in element.attrib:
            rate_factor(element.attrib["rate"])
    return root


def rebuilt(ssml: str) -> str:
    """`ssml` made again by the builder's rules: its words escaped afresh, its <break>s and
    <prosody rate>s kept (checked), every other element reduced to its words. Speech that comes
    back from outside (session attributes) is said only this way: never as trusted SSML, so an
    <audio> or <voice> put there is not played. What the builder made comes out unchanged.
    Raises SpeechError when `ssml` is not valid speech at all."""
    return f"<speak>{_inner(validate(ssml))}</speak>"


def _inner(element: ET.Element) -> str:
    parts = [_escape(element.text or "")]
    for child in element:
        parts.append(_own(child))
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _own(element: ET.Element) -> str:
    if element.tag == "break" and "time" in element.attrib:
        return f'<break time="{_format_ms(_seconds(element.attrib["time"]))}"/>'
    if element.tag == "prosody" and "rate" in element.attrib:
        rate = element.attrib["rate"]
        rate_factor(rate)
        return f'<prosody rate="{_escape(rate)}">{_inner(element)}</prosody>'
    return _inner(element)


def _nesting(root: ET.Element) -> int:
    deepest, level = 0, [(root, 1)]
    while level:
        element, depth = level.pop()
        deepest = max(deepest, depth)
        level.extend((child, depth + 1) for child in element)
    return deepest


def estimate_seconds(ssml: str) -> float:
    """Roughly how long Alexa takes to say `ssml`: words at a steady rate, a short pause at each
    comma and sentence end that more words follow, and every <break>."""
    tokens = list(_spoken(validate(ssml), 1.0))
    total = 0.0
    for index, token in enumerate(tokens):
        if isinstance(token, float):
            total += token
            continue
        text, rate = token
        if not text.split():
            continue
        marks = len(_PAUSE_MARK.findall(text))
        if text.rstrip()[-1:] in ".,!?:;":
            # The last mark's pause is taken by a <break> after it, or by the end of speech.
            following = next((t for t in tokens[index + 1 :] if not _blank(t)), None)
            if following is None or isinstance(following, float):
                marks -= 1
        total += (len(text.split()) / WORDS_PER_SECOND + marks * PAUSE_SECONDS) / rate
    return total


def fits(ssml: str) -> bool:
    """Whether `ssml` can be one outputSpeech (or reprompt): valid, at most 8,000 characters,
    and at most 240 s by the estimate."""
    try:
        return estimate_seconds(ssml) <= MAX_SPEECH_SECONDS
    except SpeechError:
        return False


def check_fits(ssml: str) -> float:
    """The estimate of `ssml`, or SpeechError when it does not fit in one outputSpeech."""
    seconds = estimate_seconds(ssml)
    if seconds > MAX_SPEECH_SECONDS:
        raise SpeechError(f"about {seconds:.0f} s of speech > {MAX_SPEECH_SECONDS:.0f} s")
    return seconds


# A comma or a sentence's end (".", "!", "?", ":", ";") before a space or the end of the text.
_PAUSE_MARK = re.compile(r"[.,!?:;]+(?=\s|$)")


def _blank(token: tuple[str, float] | float) -> bool:
    return not isinstance(token, float) and not token[0].split()


def _spoken(element: ET.Element, rate: float) -> Iterator[tuple[str, float] | float]:
    """In order: each text with its speaking rate, and each <break>'s seconds."""
    if element.tag == "prosody" and "rate" in element.attrib:
        rate *= rate_factor(element.attrib["rate"])
    if element.tag == "break":
        yield _seconds(element.attrib.get("time", "0.75s"))
    yield element.text or "", rate
    for child in element:
        yield from _spoken(child, rate)
        yield child.tail or "", rate


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value.strip())
    if match is None:
        raise SpeechError(f"break time {value!r} is not like 500ms or 4s")
    amount = float(match.group(1))
    return amount / 1000 if match.group(2) == "ms" else amount


def _format_ms(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    return f"{milliseconds // 1000}s" if milliseconds % 1000 == 0 else f"{milliseconds}ms"
