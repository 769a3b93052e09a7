"""SSML as a person would read it in a terminal: tags gone, pauses shown as [pause 4s]."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

_BREAK = re.compile(r'<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')
_TAG = re.compile(r"<[^>]+>")


def readable(ssml: str) -> str:
    def pause(match: re.Match[str]) -> str:
        amount = float(match.group(1))
        seconds = amount / 1000 if match.group(2) == "ms" else amount
        return f" [pause {seconds:g}s] "

    text = _BREAK.sub(pause, ssml)
    text = _TAG.sub(" ", text)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def spoken(response_envelope: dict[str, Any]) -> str:
    """What Alexa would say for a response envelope, readable; empty when it says nothing."""
    speech = (response_envelope.get("response") or {}).get("outputSpeech") or {}
    return readable(speech.get("ssml") or speech.get("text") or "")
