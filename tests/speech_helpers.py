"""Reading responses the way a listener would."""

from __future__ import annotations

from skill.local.conversation import Turn
from skill.local.render import readable, spoken


def said(turn: Turn) -> str:
    return spoken(turn.response)


def reprompt(turn: Turn) -> str:
    reprompt_speech = (turn.response["response"].get("reprompt") or {}).get("outputSpeech") or {}
    return readable(reprompt_speech.get("ssml", ""))


def ssml(turn: Turn) -> str:
    return str(turn.response["response"]["outputSpeech"]["ssml"])
