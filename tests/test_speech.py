"""The SSML builder: what Alexa would accept, and how long it would take to say."""

from __future__ import annotations

import logging

import pytest

from skill.local.render import readable
from skill.speech import (
    MAX_BREAK_SECONDS,
    MAX_RESPONSE_BYTES,
    MAX_SPEECH_SECONDS,
    MAX_SSML_CHARS,
    PAUSE_SECONDS,
    STRICT_ENV,
    WORDS_PER_SECOND,
    Speech,
    SpeechError,
    check_fits,
    estimate_seconds,
    fits,
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
    words = 10 / WORDS_PER_SECOND
    assert estimate_seconds(Speech(ten_words).ssml()) == pytest.approx(words)
    assert estimate_seconds(Speech(ten_words).pause(10).pause(4).ssml()) == pytest.approx(
        words + 14
    )
    slow = Speech().say(ten_words, rate="50%").ssml()
    assert estimate_seconds(slow) == pytest.approx(2 * words)


def test_commas_and_sentence_ends_add_a_pause_unless_a_break_or_the_end_follows() -> None:
    one = estimate_seconds(Speech("Breathe in.").ssml())
    assert one == pytest.approx(2 / WORDS_PER_SECOND)  # the end of speech takes the pause
    two = estimate_seconds(Speech("Breathe in, slowly. Hold.").ssml())
    assert two == pytest.approx(4 / WORDS_PER_SECOND + 2 * PAUSE_SECONDS)
    # A <break> after a sentence takes the place of its pause, inside a prosody too.
    paused = Speech().say("Breathe in.", rate="90%").pause(4).say("Hold.", rate="90%").ssml()
    assert estimate_seconds(paused) == pytest.approx(3 / WORDS_PER_SECOND / 0.9 + 4)
    joined = Speech().say("Breathe in.", rate="90%").say("Hold.", rate="90%").ssml()
    assert estimate_seconds(joined) == pytest.approx((3 / WORDS_PER_SECOND + PAUSE_SECONDS) / 0.9)


def test_the_limits_are_alexas() -> None:
    assert MAX_BREAK_SECONDS == 10
    assert MAX_SSML_CHARS == 8000
    assert MAX_RESPONSE_BYTES == 24 * 1024
    assert MAX_SPEECH_SECONDS == 240


def test_a_speech_fits_one_response_up_to_240_seconds() -> None:
    four_minutes = Speech("Rest.").pause(MAX_SPEECH_SECONDS - 1).ssml()
    assert fits(four_minutes)
    assert check_fits(four_minutes) == pytest.approx(MAX_SPEECH_SECONDS - 1 + 1 / WORDS_PER_SECOND)
    too_long = Speech("Rest.").pause(MAX_SPEECH_SECONDS).ssml()
    assert not fits(too_long)
    with pytest.raises(SpeechError):
        check_fits(too_long)
    assert not fits("<speak>" + "word " * (MAX_SSML_CHARS // 5) + "</speak>")


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
