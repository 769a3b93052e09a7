"""The one place SSML is written: text escaped, pauses as real <break>s within Alexa's limits."""

from __future__ import annotations

from xml.sax.saxutils import escape

MAX_BREAK_SECONDS = 10.0
MAX_SSML_CHARS = 8000


class SpeechTooLong(ValueError):
    """A response would exceed what Alexa accepts in one <speak> element."""


class Speech:
    """Builds the body of one <speak> element from plain sentences and pauses."""

    def __init__(self, *sentences: str) -> None:
        self._parts: list[str] = []
        for sentence in sentences:
            self.say(sentence)

    def say(self, text: str) -> Speech:
        if text.strip():
            self._parts.append(escape(text.strip()))
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
        """Appends speech that was already built (e.g. a stored reprompt)."""
        body = ssml.strip().removeprefix("<speak>").removesuffix("</speak>").strip()
        if body:
            self._parts.append(body)
        return self

    def ssml(self) -> str:
        text = "<speak>" + " ".join(self._parts) + "</speak>"
        if len(text) > MAX_SSML_CHARS:
            raise SpeechTooLong(f"{len(text)} characters > {MAX_SSML_CHARS}")
        return text


def _format_ms(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    return f"{milliseconds // 1000}s" if milliseconds % 1000 == 0 else f"{milliseconds}ms"
