"""An exercise as speech at the person's pace, packed into as few parts as fit one response.

An exercise plays as one continuous piece where it fits what Alexa plays in one outputSpeech
(skill.speech.MAX_SPEECH_SECONDS, MAX_SSML_CHARS); a longer one (at the slowest pace, or a third
party's) is split at its steps into parts that each fit. The length it announces is computed
from the estimate of exactly what it will say, at that pace.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.api import (
    LISTEN_SECONDS,
    MAX_RESPONSE_BYTES,
    MAX_SPEECH_SECONDS,
    MAX_SSML_CHARS,
    Speech,
    estimate_seconds,
)
from skill.plugins.grounding.content import COUNT_NAMES, Exercise, GroundingContent, Pace, Phase


@dataclass(frozen=True)
class PaceSpec:
    factor: float  # how much longer each silence lasts than at the normal pace
    voice: str | None = None  # a prosody rate for the words, None for the voice's own


# Slowest first. The slowest also slows the voice a little: someone for whom "slower" was still
# too fast usually means the talking too.
PACES: dict[Pace, PaceSpec] = {
    "slowest": PaceSpec(1.75, "90%"),
    "slower": PaceSpec(1.5),
    "normal": PaceSpec(1.0),
    "faster": PaceSpec(0.75),
}
ORDER: tuple[Pace, ...] = tuple(PACES)
DEFAULT_PACE: Pace = "normal"

# Room kept in every part for what may follow it in the same outputSpeech: the question after
# the exercise (another one? remember the place?), a week's count, or "shall I go on?".
ENDING_SECONDS = 20.0
ENDING_CHARS = 600
# A response carries its speech and its reprompt twice (the core keeps the last response in the
# session attributes for "repeat"): four parts' worth of SSML, plus the rest of the session
# attributes, stay well under Alexa's 24 KB.
PART_CHARS = min(MAX_SSML_CHARS, (MAX_RESPONSE_BYTES - 4096) // 4)


def pace_named(name: str | None) -> Pace | None:
    """The pace `name` is (a kept value), or None when this version has no such."""
    return next((pace for pace in PACES if pace == name), None)


def neighbour(pace: Pace, steps: int) -> Pace | None:
    """The pace `steps` slower (negative) or faster (positive), or None past either end."""
    index = ORDER.index(pace) + steps
    return ORDER[index] if 0 <= index < len(ORDER) else None


def phase_seconds(phase: Phase, pace: Pace) -> int:
    """A breath count at `pace`, in whole seconds: the number the intro says is the silence."""
    return max(1, round(phase.seconds * PACES[pace].factor))


def spoken_seconds(content: GroundingContent, seconds: int) -> str:
    """ "four seconds", "one second"."""
    if seconds == 1:
        return content.seconds.one
    words = content.numbers[seconds] if seconds < len(content.numbers) else str(seconds)
    return content.seconds.other.format(count=words)


def spoken_length(content: GroundingContent, seconds: float) -> str:
    """ "a minute and a half": the locale's length nearest `seconds` (relatively)."""
    best = min(content.lengths, key=lambda length: abs(length.seconds - seconds) / seconds)
    if seconds <= content.lengths[-1].seconds or best is not content.lengths[-1]:
        return best.say
    return content.minutes.format(round(seconds / 60))


def intro_text(content: GroundingContent, exercise: Exercise, pace: Pace) -> str:
    phases = content.patterns[exercise.pattern] if exercise.pattern else ()
    counts = {
        name: spoken_seconds(content, phase_seconds(phase, pace))
        for name, phase in zip(COUNT_NAMES, phases, strict=False)
    }
    return exercise.intro.format(**counts)


def step_speech(content: GroundingContent, exercise: Exercise, index: int, pace: Pace) -> Speech:
    """Step `index`: its sentences, and counted breaths and silences as real pauses at `pace`."""
    spec = PACES[pace]
    speech = Speech()
    for segment in exercise.steps[index]:
        if segment.say is not None:
            speech.say(segment.say, rate=spec.voice)
        elif segment.pause is not None:
            speech.pause(segment.pause * spec.factor)
        else:
            for _ in range(segment.cycles):
                for phase in content.patterns[segment.breath or ""]:
                    speech.say(phase.cue, rate=spec.voice).pause(phase_seconds(phase, pace))
    return speech


@dataclass(frozen=True)
class Piece:
    """A stretch of speech with its estimate: pieces add up (the estimate is a sum)."""

    ssml: str
    seconds: float
    chars: int

    @classmethod
    def of(cls, speech: Speech) -> Piece:
        ssml = speech.ssml()
        return cls(ssml, estimate_seconds(ssml), len(ssml) - len("<speak></speak>") + 1)


@dataclass(frozen=True)
class Part:
    start: int  # the first step it says
    end: int  # the step after its last
    speech: Speech  # the intro (from the start), its steps, the closing (at the end)
    seconds: float


class Pieces:
    """An exercise at one pace, cut at its steps: the intro, each step and the closing."""

    def __init__(self, content: GroundingContent, exercise: Exercise, pace: Pace) -> None:
        self.content = content
        self.exercise = exercise
        self.pace = pace
        voice = PACES[pace].voice
        self.steps = [
            Piece.of(step_speech(content, exercise, i, pace)) for i in range(len(exercise.steps))
        ]
        self.closing = Piece.of(Speech().say(exercise.closing, rate=voice))
        self.intro_text = intro_text(content, exercise, pace)
        self.length = ""
        self.intro = Piece.of(Speech().say(self.intro_text, rate=voice))
        # What it announces is computed from what it says, the announcement included: settled
        # in a few rounds (the sentence changes the length by a second or two).
        for _ in range(3):
            seconds = self.total_seconds()
            length = spoken_length(content, seconds)
            if length == self.length:
                break
            self.length = length
            takes = content.takes.format(length=length)
            self.intro = Piece.of(Speech().say(self.intro_text, rate=voice).say(takes, rate=voice))

    def total_seconds(self) -> float:
        """How long the whole exercise takes from its start: its parts, and Alexa listening
        between them before the reprompt carries the next."""
        parts = self.pack(0)
        return sum(p.seconds for p in parts) + LISTEN_SECONDS * (len(parts) - 1)

    def seconds(self, start: int, end: int, intro: bool = True) -> float:
        """How long the steps from `start` to `end` take as one part (with the intro from the
        start, unless `intro` is false; with the closing at the end)."""
        return self._cost(start, end, intro)[0]

    def _cost(self, start: int, end: int, intro: bool = True) -> tuple[float, int]:
        pieces = self.steps[start:end]
        if start == 0 and intro:
            pieces = [self.intro, *pieces]
        if end == len(self.steps):
            pieces = [*pieces, self.closing]
        return sum(p.seconds for p in pieces), sum(p.chars for p in pieces)

    def pack(self, start: int, lead: Speech | None = None, intro: bool = True) -> list[Part]:
        """The steps from `start` on, in as few parts as fit one outputSpeech each (the first
        after `lead`): consecutive steps, each part as long as fits. From the start, with the
        intro unless `intro` is false (going on after a pause: the person has heard it)."""
        lead_piece = Piece.of(lead) if lead is not None else None
        parts: list[Part] = []
        begin = start
        while begin < len(self.steps):
            extra_seconds = ENDING_SECONDS + (lead_piece.seconds if lead_piece and not parts else 0)
            extra_chars = ENDING_CHARS + (lead_piece.chars if lead_piece and not parts else 0)
            end = begin + 1  # a step too long on its own still goes alone (tests catch it)
            while end < len(self.steps):
                seconds, chars = self._cost(begin, end + 1, intro)
                if seconds + extra_seconds > MAX_SPEECH_SECONDS or chars + extra_chars > PART_CHARS:
                    break
                end += 1
            parts.append(self._part(begin, end, intro))
            begin = end
        return parts

    def _part(self, start: int, end: int, intro: bool = True) -> Part:
        speech = Speech()
        if start == 0 and intro:
            speech.then(self.intro.ssml)
        for index in range(start, end):
            speech.then(self.steps[index].ssml)
        if end == len(self.steps):
            speech.then(self.closing.ssml)
        return Part(start, end, speech, self._cost(start, end, intro)[0])

    def step_at(self, parts: list[tuple[int, int]], seconds_in: float, intro: bool = True) -> int:
        """The step that was being said `seconds_in` after the parts `parts` began (the
        first in the speech, the second in the reprompt after Alexa listened)."""
        elapsed = 0.0
        for index, (start, end) in enumerate(parts):
            if index:
                elapsed += LISTEN_SECONDS
            if start == 0 and intro:
                elapsed += self.intro.seconds
            for step in range(start, end):
                elapsed += self.steps[step].seconds
                if seconds_in < elapsed:
                    return step
        return parts[-1][1] - 1


def choose(content: GroundingContent, quick: bool, last: str | None, completed: int) -> Exercise:
    """A fitting exercise, varied: not the one done last time (unless it is the only one)."""
    fitting = [
        e for e in content.exercises if e.quick == quick and (quick or e.kind != "body")
    ] or list(content.exercises)
    fresh = [e for e in fitting if e.id != last] or fitting
    return fresh[completed % len(fresh)]
