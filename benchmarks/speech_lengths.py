"""How long the exercises take, said by a real synthesiser, against what they announce.

Every exercise at every pace is rendered with espeak-ng (Debian's package) from the SSML the
skill sends, each part as one WAV measured with Python's `wave`; Alexa listening between two
parts (skill.speech.LISTEN_SECONDS) is added, as the estimate adds it. espeak-ng honours one
<break> but merges breaks in a row into one, and drops a break before the first word: the
renderer sums a run of breaks into one and adds leading silence itself.

The same renderings calibrate the estimate (skill.speech.WORDS_PER_SECOND, SENTENCE_SECONDS):
the spoken time (measured less the breaks) is fitted by least squares as words x a + sentence
ends x b, over the exercises' parts and every plain sentence of the core's and the plugins'
content. Alexa's voice is not espeak-ng's: the fit gives the form of the estimate and espeak-ng's
rate; the constants chosen are written in skill/speech.py with why.

    make bench-speech     # installs espeak-ng and sox if missing, writes the results file

Writes benchmarks/speech-lengths.md; a section "## Before" already in it is kept.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill import speech
from skill.blocks.plugin import Plugin
from skill.blocks.plural import Plural
from skill.discovery import discover
from skill.plugins.grounding import Grounding
from skill.plugins.grounding.exercises import PACES, Pieces
from skill.speech import (
    LISTEN_SECONDS,
    PAUSE_SECONDS,
    WORDS_PER_SECOND,
    Speech,
    SpeechError,
    estimate_seconds,
    rate_factor,
)

RESULTS = Path(__file__).with_name("speech-lengths.md")
BEFORE_HEADING = "## Before"
_BREAK = re.compile(r'<break time="(\d+(?:\.\d+)?)(ms|s)"/>')
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")


def _break_seconds(amount: str, unit: str) -> float:
    return float(amount) / 1000 if unit == "ms" else float(amount)


def for_espeak(ssml: str) -> tuple[str, float]:
    """`ssml` as espeak-ng renders it faithfully (each run of breaks one break), and the
    silence before the first word, which espeak-ng would drop."""
    body = ssml.removeprefix("<speak>").removesuffix("</speak>")
    out: list[str] = []
    leading = pending = 0.0
    for token in re.split(r'(<break time="[^"]+"/>)', body):
        found = _BREAK.fullmatch(token)
        if found:
            pending += _break_seconds(*found.groups())
            continue
        if not token.strip():
            continue
        if pending and out:
            out.append(f'<break time="{round(pending * 1000)}ms"/>')
        elif pending:
            leading += pending
        pending = 0.0
        out.append(token.strip())
    if pending:
        out.append(f'<break time="{round(pending * 1000)}ms"/>')
    return "<speak>" + " ".join(out) + "</speak>", leading


# espeak-ng's default rate, in its words a minute (-s).
ESPEAK_RATE = 175
# The rate the estimate assumes for Alexa's voice over plain sentences, pauses included, as the
# skill always has: slower than espeak-ng's; no rate is published for Alexa, and a slower one
# keeps the skill's speech-length limits on the side of short.
ASSUMED_ALEXA_RATE = 150
_PROSODY = re.compile(r'<prosody rate="([^"]+)">|</prosody>')


def one_rate(ssml: str) -> tuple[str, float]:
    """`ssml` without its <prosody rate>s, and the one rate they all set (1.0 if none).

    espeak-ng shortens a <break> that follows a prosody element whose text has a comma in it;
    a rate set on all of the words is the same as espeak-ng's own speed (-s) set to it."""
    rates = {rate_factor(rate) for rate in _PROSODY.findall(ssml) if rate}
    if len(rates) > 1:
        raise ValueError(f"more than one speaking rate in one part: {sorted(rates)}")
    return _PROSODY.sub("", ssml), rates.pop() if rates else 1.0


def espeak_seconds(ssml: str) -> float:
    """How long espeak-ng (its default English voice and rate) takes to say `ssml`."""
    plain, rate = one_rate(ssml)
    text, leading = for_espeak(plain)
    speed = str(round(ESPEAK_RATE * rate))
    with tempfile.TemporaryDirectory() as folder:
        source, wav = Path(folder, "in.ssml"), Path(folder, "out.wav")
        source.write_text(text, encoding="utf-8")
        command = ["espeak-ng", "-m", "-s", speed, "-f", str(source), "-w", str(wav)]
        subprocess.run(command, check=True)
        with wave.open(str(wav)) as audio:
            frames: int = audio.getnframes()
            per_second: int = audio.getframerate()
    return leading + frames / per_second


@dataclass
class Counts:
    """What the estimate counts in some SSML: words and pauses at punctuation (each divided by
    its speaking rate), and the seconds of its breaks."""

    words: float
    pauses: float
    breaks: float


def estimate_with(words_per_second: float, pause_seconds: float, ssml: str) -> float:
    """skill.speech's estimate of `ssml` with other constants (set for this call only)."""
    saved = speech.WORDS_PER_SECOND, speech.PAUSE_SECONDS
    try:
        speech.WORDS_PER_SECOND, speech.PAUSE_SECONDS = words_per_second, pause_seconds
        return estimate_seconds(ssml)
    finally:
        speech.WORDS_PER_SECOND, speech.PAUSE_SECONDS = saved


def counts(ssml: str) -> Counts:
    """The estimate's own counts, read back through it with one constant at a time."""
    breaks = estimate_with(1e9, 0.0, ssml)
    words = estimate_with(1.0, 0.0, ssml) - breaks
    pauses = estimate_with(1e9, 1.0, ssml) - breaks
    return Counts(words, pauses, breaks)


def fit(samples: list[tuple[Counts, float]]) -> tuple[float, float, float]:
    """Spoken seconds = words x a + pauses x b + c, fitted by least squares on the relative
    error (a short sentence weighs as much as a long exercise): (a, b, c). c is the silence
    espeak-ng puts around each WAV, not a part of the speech."""
    rows = [[c.words / y, c.pauses / y, 1 / y] for c, y in samples]
    n = 3
    matrix = [
        [sum(r[i] * r[j] for r in rows) for j in range(n)] + [sum(r[i] for r in rows)]
        for i in range(n)
    ]
    for i in range(n):  # Gauss-Jordan on the normal equations
        pivot = matrix[i][i]
        matrix[i] = [value / pivot for value in matrix[i]]
        for k in range(n):
            if k != i:
                factor = matrix[k][i]
                matrix[k] = [a - factor * b for a, b in zip(matrix[k], matrix[i], strict=True)]
    return matrix[0][n], matrix[1][n], matrix[2][n]


def plain_sentences() -> list[str]:
    """Every content string of the core, the safety layer and the plugins that is a whole
    sentence with no placeholder: prose as the skill says it."""
    from skill.core import Core
    from skill.safety.plugin import Safety

    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, str):
            fields = [name for _, name, _, _ in string.Formatter().parse(value) if name]
            regex = any(mark in value for mark in ("(?", "|", "\\"))
            if not fields and not regex and len(value.split()) >= 4 and value[-1:] in ".?!":
                found.append(value)
        elif isinstance(value, Plural):
            return
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                visit(getattr(value, name))
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    plugins: tuple[Plugin[Any, Any], ...] = (Core(), Safety(), *discover().plugins)
    for plugin in plugins:
        if plugin.name == "grounding":
            continue  # its sentences are measured in the exercises
        visit(plugin.content("en-US"))
    return sorted(set(found))


@dataclass
class Row:
    exercise: str
    pace: str
    parts: int
    announced: str
    announced_seconds: float
    estimate: float
    measured: float


def measure_exercises() -> tuple[list[Row], list[tuple[Counts, float]]]:
    content = Grounding().content("en-US")
    by_phrase = {length.say: length.seconds for length in content.lengths}
    rows: list[Row] = []
    samples: list[tuple[Counts, float]] = []
    for exercise in content.exercises:
        for pace in PACES:
            pieces = Pieces(content, exercise, pace)
            parts = pieces.pack(0)
            measured = LISTEN_SECONDS * (len(parts) - 1)
            for part in parts:
                ssml = part.speech.ssml()
                seconds = espeak_seconds(ssml)
                measured += seconds
                found = counts(ssml)
                samples.append((found, seconds - found.breaks))
            announced = by_phrase.get(pieces.length, float("nan"))
            rows.append(
                Row(exercise.id, pace, len(parts), pieces.length, announced,
                    pieces.total_seconds(), measured)
            )  # fmt: skip
            print(f"{exercise.id} {pace}: {measured:.1f} s", file=sys.stderr)
    return rows, samples


def measure_prose() -> list[tuple[str, Counts, float]]:
    measured: list[tuple[str, Counts, float]] = []
    for sentence in plain_sentences():
        try:
            ssml = Speech(sentence).ssml()
        except SpeechError:
            continue
        measured.append((ssml, counts(ssml), espeak_seconds(ssml)))
    return measured


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| exercise | pace | parts | announced | announced s | estimate s | espeak-ng s "
        "| estimate / espeak-ng | announced / estimate |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.exercise} | {r.pace} | {r.parts} | {r.announced} | {r.announced_seconds:.0f} "
            f"| {r.estimate:.1f} | {r.measured:.1f} | {r.estimate / r.measured:.2f} "
            f"| {r.announced_seconds / r.estimate:.2f} |"
        )
    return lines


def main() -> int:
    rows, samples = measure_exercises()
    prose = measure_prose()
    everything = samples + [(k, m - k.breaks) for _, k, m in prose]
    a, b, c = fit(everything)
    # The same form at the rate assumed for Alexa: both constants scaled until the estimate
    # says the plain sentences at that many words a minute.
    words = sum(k.words for _, k, _ in prose)
    at_espeak = sum(estimate_with(1 / a, b, ssml) for ssml, _, _ in prose)
    scale = (60 * words / ASSUMED_ALEXA_RATE) / at_espeak
    estimated_rate = 60 * words / sum(estimate_seconds(ssml) for ssml, _, _ in prose)
    espeak_rate = 60 * words / sum(m - c for _, _, m in prose)
    worst = max(abs(r.announced_seconds / r.estimate - 1) for r in rows)
    ratios = [r.estimate / r.measured for r in rows]
    heard = [r.announced_seconds / r.measured for r in rows]
    version = (
        subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
        .stdout.split("Data at")[0]
        .strip()
    )
    lines = [
        "# Exercise lengths: announced, estimated, and said by espeak-ng",
        "",
        "Written by `make bench-speech` (benchmarks/speech_lengths.py). Each exercise at each pace",
        "as the skill says it from its start: every part rendered by espeak-ng to a WAV and",
        "measured; between two parts, the 8 s Alexa listens before the reprompt carries the next.",
        "The estimate is skill.speech.estimate_seconds; the announced length is the locale's",
        "phrase nearest the estimate. espeak-ng is not Alexa: see the calibration below.",
        "",
        f"- synthesiser: {version}, default English voice and rate ({ESPEAK_RATE} words a minute)",
        f"- estimate: {WORDS_PER_SECOND} words a second, {PAUSE_SECONDS} s at each comma or"
        " sentence end that more words follow, and every break",
        f"- announced / estimate: at most {worst:.0%} apart (the tests hold it within 15%)",
        f"- estimate / espeak-ng: {min(ratios):.2f} to {max(ratios):.2f};"
        f" announced / espeak-ng: {min(heard):.2f} to {max(heard):.2f}",
        "",
        *table(rows),
        "",
        "## Calibration",
        "",
        "The spoken time of each rendering (measured less its breaks) fitted as words x a +",
        "pauses x b + c, on the relative error, over the exercises' parts at every pace and"
        f" {len(prose)}",
        "plain sentences of the other plugins' content (c is the silence espeak-ng puts around a",
        "WAV):",
        "",
        f"- espeak-ng: a = {a:.3f} s a word, b = {b:.3f} s a pause, c = {c:.2f} s",
        f"- espeak-ng said those sentences at {espeak_rate:.0f} words a minute (less c)",
        f"- the same form scaled ({scale:.2f}) to the {ASSUMED_ALEXA_RATE} words a minute assumed"
        f" for Alexa: {1 / (a * scale):.2f} words a second, {b * scale:.2f} s a pause",
        f"- chosen (skill/speech.py): {WORDS_PER_SECOND} words a second, {PAUSE_SECONDS} s a"
        f" pause; over those sentences {estimated_rate:.0f} words a minute",
        "",
    ]
    if RESULTS.exists():
        kept = RESULTS.read_text(encoding="utf-8")
        if BEFORE_HEADING in kept:
            lines.append(kept[kept.index(BEFORE_HEADING) :].rstrip())
            lines.append("")
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
