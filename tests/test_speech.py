"""The SSML builder: what Alexa would accept, and how long it would take to say."""

from __future__ import annotations

import logging

import pytest

from skill.local.render import readable
from skill.speech import (
    MAX_SSML_CHARS,
    STRICT_ENV,
    Speech,
    SpeechError,
    estimate_seconds,
    validate,
)


def test_text_is_escaped() -> None:
    assert Speech("You & me <3").ssml() == "<speak>You &amp; me &lt;3</speak>"


def test_long_pauses_are_chained_breaks_of_at_most_ten_seconds() -> None:
    ssml = Speech("Breathe in.").pause(25).say("Out.").ssml()
    assert ssml == (
        '<speak>Breathe in. <break time="10s"/> <break time="10s"/> <break time="5s"/> Out.</speak>'
    )
    assert Speech().pause(1.5).ssml() == '<speak><break time="1500ms"/></speak>'


@pytest.mark.parametrize("rate", ["x-slow", "slow", "medium", "fast", "x-fast", "20%", "85%"])
def test_allowed_prosody_rates(rate: str) -> None:
    assert f'<prosody rate="{rate}">' in Speech().say("Slowly now.", rate=rate).ssml()


@pytest.mark.parametrize("rate", ["10%", "glacial", "-5%", "50"])
def test_prosody_rates_alexa_rejects_fail(rate: str) -> None:
    with pytest.raises(SpeechError):
        Speech().say("Too slow.", rate=rate)


@pytest.mark.parametrize(
    "ssml",
    [
        "<speak>unclosed <s>sentence</speak>",
        "<speak>a <script>tag</script> Alexa lacks</speak>",
        '<speak><break time="11s"/></speak>',
        '<speak><break time="forever"/></speak>',
        '<speak><prosody rate="5%">too slow</prosody></speak>',
        "<p>not a speak root</p>",
        "<speak>" + "word " * (MAX_SSML_CHARS // 5) + "</speak>",
    ],
)
def test_validator_rejects_what_alexa_would(ssml: str) -> None:
    with pytest.raises(SpeechError):
        validate(ssml)


def test_validator_accepts_alexa_tags_including_amazon_namespace() -> None:
    validate(
        '<speak><amazon:emotion name="disappointed" intensity="low">Oh.</amazon:emotion>'
        '<s>One</s> <say-as interpret-as="digits">42</say-as> <emphasis>now</emphasis></speak>'
    )


def test_a_response_over_eight_thousand_characters_fails() -> None:
    with pytest.raises(SpeechError):
        Speech("word " * 2000).ssml()


def test_duration_estimate_counts_words_and_pauses() -> None:
    ten_words = "one two three four five six seven eight nine ten"
    assert estimate_seconds(Speech(ten_words).ssml()) == pytest.approx(4.0)
    assert estimate_seconds(Speech(ten_words).pause(10).pause(4).ssml()) == pytest.approx(18.0)
    slow = Speech().say(ten_words, rate="50%").ssml()
    assert estimate_seconds(slow) == pytest.approx(8.0)


def test_invalid_speech_degrades_to_plain_words_in_production(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(STRICT_ENV)
    speech = Speech("Take a breath.").then('<speak><break time="30s"/> and rest.</speak>')
    with caplog.at_level(logging.ERROR):
        degraded = speech.safe_ssml()
    assert degraded == "<speak>Take a breath. and rest.</speak>"
    validate(degraded)
    assert "degraded" in caplog.text


def test_invalid_speech_fails_loudly_when_strict() -> None:
    with pytest.raises(SpeechError):
        Speech("Hi").then('<speak><break time="30s"/></speak>').safe_ssml()


def test_chat_rendering_shows_pauses() -> None:
    ssml = Speech("In.").pause(4).say("Hold & out.").pause(0.5).ssml()
    assert readable(ssml) == "In. [pause 4s] Hold & out. [pause 0.5s]"
