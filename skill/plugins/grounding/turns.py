"""The grounding plugin's turns: play an exercise (in one piece, or with its next part carried
in the reprompt), finish it, offer another, and the session marks they keep.

Alexa speaks a reprompt without telling the skill, so the skill cannot know whether the carried
part was heard. It counts it as heard once it is sent: that is what happens when the person
says nothing, the usual case (nothing in the first part asks them to speak), and it is what a
session that then closes leaves behind (no resume offer for a part already heard). So words
after such a response are read as coming after the carried part: "next" or "continue" go on
after it (or say the exercise has ended), "too fast" says the carried part again at the slower
pace, and "pause" works out from the request times where the person was. A person never hears
a part twice unless they ask; the cost is that a "next" said in the few seconds before the
reprompt skips to the end, and the answer then says that the exercise has ended.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from skill import api
from skill.plugins.grounding.content import Pace
from skill.plugins.grounding.exercises import (
    DEFAULT_PACE,
    Pieces,
    choose,
    pace_named,
)
from skill.plugins.grounding.progress import GroundingPlugin, GroundingProgress

OFFERED_MORE = "groundingOfferedMore"
# Next turn: what the last response said of an exercise ({"exercise", "pace", "parts": [[start,
# end], ...], "at": the request's time, "lead": seconds said before it}), for the words said
# during it or right after it: "too fast", "pause", "next".
PLAYED = "groundingPlayed"
# Session: the exercise whose end this run has counted, so that a redo counts it once.
COUNTED = "groundingCounted"
# Session: the pace was changed in this session (the question to remember then names it).
PACE_CHANGED = "groundingPaceChanged"
# Session: an exercise was started for someone in distress (a panic attack, by the safety layer,
# by the repair for someone very upset): not a moment to ask about remembering.
IN_DISTRESS = "groundingInDistress"
# first_time keys: the kept pace is said once a session; how to go on once an activity.
PACE_SAID = "grounding.pace"
HOW_TO_GO_ON = "grounding.goOn."
# "pause" waits this long in silence in its reprompt (several 10 s breaks), then says how to go
# on: with Alexa listening before and after, about two minutes in all.
HOLD_SECONDS = 100.0
# After "pause", the place is taken this much earlier than the request times suggest (a little
# said again rather than a little missed): the time to say "Alexa, pause", and the estimate's
# error.
PAUSE_EARLY_SECONDS = 3.0
PAUSE_EARLY_FACTOR = 0.85


def pace_of(progress: GroundingProgress) -> Pace:
    # A pace another version kept that this one lacks: the usual one.
    return pace_named(progress.pace) or DEFAULT_PACE


def in_exercise(plugin: GroundingPlugin, handler_input: api.HandlerInput) -> bool:
    """In an exercise, or right after one was said (its words may still be about it)."""
    return plugin.is_active(handler_input) or api.from_last_turn(handler_input, PLAYED) is not None


def session_of(handler_input: api.HandlerInput) -> dict[str, Any]:
    attributes: dict[str, Any] = handler_input.attributes_manager.session_attributes
    return attributes


def request_time(handler_input: api.HandlerInput) -> datetime:
    timestamp: datetime = handler_input.request_envelope.request.timestamp
    return timestamp


def play(
    plugin: GroundingPlugin,
    handler_input: api.HandlerInput,
    progress: GroundingProgress,
    *lead: str,
    intro: bool = True,
) -> api.Response:
    """Says the exercise in progress from its place: all of it where it fits, else its next
    part with the one after in the reprompt. From the start, with its intro unless `intro` is
    false (going on after a pause)."""
    content = plugin.text(handler_input)
    exercise = content.exercise(progress.exercise)
    if exercise is None or progress.step >= len(exercise.steps):
        plugin.save(handler_input, progress.changed(exercise="", step=0))
        plugin.deactivate(handler_input)
        last = content.exercise(progress.last)
        ended = content.ended.format(name=last.name) if last else content.nothing_to_continue
        return offer_more(plugin, handler_input, ended)
    pace = pace_of(progress)
    lead_speech = api.Speech(*lead)
    pieces = Pieces(content, exercise, pace)
    parts = pieces.pack(progress.step, lead_speech, intro)
    sent = parts[:2]
    api.expect_next_turn(
        handler_input,
        PLAYED,
        {
            "exercise": exercise.id,
            "pace": pace,
            "parts": [[part.start, part.end] for part in sent],
            "at": request_time(handler_input).isoformat(),
            "lead": api.estimate_seconds(lead_speech.ssml()),
            "intro": intro,
        },
    )
    speech = lead_speech.then(sent[0].speech.ssml())
    end = sent[-1].end
    if end < len(exercise.steps):
        # More than two parts: the reprompt's part ends asking to go on (a session that closes
        # after it keeps the place for next time).
        plugin.activate(handler_input, progress.changed(step=end))
        carried = sent[1].speech
        if api.first_time(handler_input, HOW_TO_GO_ON + exercise.id):
            carried.say(content.go_on_first)
        else:
            carried.say(content.go_on_again)
        return api.reply(handler_input, speech, carried)
    finished, counted = _completed(handler_input, progress, exercise.id)
    plugin.save(handler_input, finished)
    plugin.deactivate(handler_input)
    if len(sent) == 1:
        return finish(plugin, handler_input, speech, finished, counted)
    # The last part goes in the reprompt, with the question that follows the exercise.
    ending = finish(plugin, handler_input, sent[1].speech, finished, counted)
    carried_ssml = getattr(ending.output_speech, "ssml", None) or sent[1].speech.ssml()
    return api.reply(handler_input, speech, carried_ssml)


def finish(
    plugin: GroundingPlugin,
    handler_input: api.HandlerInput,
    speech: api.Speech,
    progress: GroundingProgress,
    counted: bool,
) -> api.Response:
    """After the exercise: back to where it was started from, or (the first time) whether to
    remember, or another exercise."""
    content = plugin.text(handler_input)
    ordinal = content.ordinals.get(str(progress.week_count)) if counted else None
    # After the safety layer gave where to turn, no counts: nothing that sounds like a score.
    if ordinal and not api.help_given_for(handler_input):
        speech.say(content.week_count.format(ordinal=ordinal))
    question = content.pace_question if session_of(handler_input).get(PACE_CHANGED) else None
    returned = api.offer_return(handler_input, speech)
    if returned is not None:
        return returned
    if not session_of(handler_input).get(IN_DISTRESS):
        asked = api.offer_to_remember(handler_input, speech, after=plugin.name, question=question)
        if asked is not None:
            return asked
    return offer_more(plugin, handler_input, speech=speech)


def _completed(
    handler_input: api.HandlerInput, progress: GroundingProgress, exercise: str
) -> tuple[GroundingProgress, bool]:
    """The progress once `exercise` is done, and whether this was its first end in this run
    (a redo at another pace, or the rest after a pause, is not another exercise)."""
    done = progress.changed(exercise="", step=0, last=exercise)
    session = session_of(handler_input)
    if session.get(COUNTED) == exercise:
        return done, False
    session[COUNTED] = exercise
    year, week, _ = request_time(handler_input).isocalendar()
    this_week = f"{year}-W{week:02d}"
    count = progress.week_count + 1 if progress.week == this_week else 1
    update = {"total": progress.total + 1, "week": this_week, "week_count": count}
    return done.changed(**update), True


def offer_more(
    plugin: GroundingPlugin,
    handler_input: api.HandlerInput,
    *lead: str,
    speech: api.Speech | None = None,
) -> api.Response:
    content = plugin.text(handler_input)
    speech = (speech or api.Speech()).say(" ".join(lead)).say(content.offer_more)
    api.expect_next_turn(handler_input, OFFERED_MORE, True)
    return api.reply(handler_input, speech, api.Speech(content.offer_reprompt))


def pace_lead(
    plugin: GroundingPlugin, handler_input: api.HandlerInput, progress: GroundingProgress
) -> list[str]:
    """Once a session, a kept pace other than the usual one is said to be in use."""
    pace = pace_of(progress)
    if pace == DEFAULT_PACE or not api.first_time(handler_input, PACE_SAID):
        return []
    return [plugin.text(handler_input).pace_in_use[pace]]


def begin_exercise(
    plugin: GroundingPlugin,
    handler_input: api.HandlerInput,
    exercise_id: str | None,
    quick: bool,
    *lead: str,
) -> api.Response:
    content = plugin.text(handler_input)
    progress = plugin.progress(handler_input)
    exercise = content.exercise(exercise_id or "") or choose(
        content, quick, progress.last, progress.total
    )
    session_of(handler_input).pop(COUNTED, None)  # a new run
    chosen = progress.changed(exercise=exercise.id, step=0)
    return play(plugin, handler_input, chosen, *lead, *pace_lead(plugin, handler_input, progress))


def last_played(handler_input: api.HandlerInput) -> dict[str, Any] | None:
    played = api.from_last_turn(handler_input, PLAYED)
    return played if isinstance(played, dict) else None


def place_heard(
    plugin: GroundingPlugin, handler_input: api.HandlerInput, progress: GroundingProgress
) -> tuple[str, int]:
    """Where to go on from after words said during an exercise ("pause", a name it does not
    know): the step that was being said when they came, taken from the request times (a little
    early), or else the place kept."""
    played = last_played(handler_input)
    content = plugin.text(handler_input)
    exercise = content.exercise(str(played.get("exercise"))) if played else None
    if played is None or exercise is None:
        return progress.exercise or progress.last, progress.step
    pace = pace_named(str(played.get("pace"))) or pace_of(progress)
    parts = [(int(start), int(end)) for start, end in played.get("parts", [])]
    try:
        elapsed = (
            request_time(handler_input) - datetime.fromisoformat(played["at"])
        ).total_seconds()
    except (KeyError, TypeError, ValueError):
        elapsed = 0.0
    into = elapsed * PAUSE_EARLY_FACTOR - PAUSE_EARLY_SECONDS - float(played.get("lead", 0))
    if not parts:
        return exercise.id, 0
    intro = bool(played.get("intro", True))
    pieces = Pieces(content, exercise, pace)
    return exercise.id, pieces.step_at(parts, max(0.0, into), intro)


def still_playing(plugin: GroundingPlugin, handler_input: api.HandlerInput) -> bool:
    """Whether this request came while the exercise the last response said was still being
    said (by the estimate of its parts, and Alexa listening between them): words that
    interrupted it, not an answer to the question after it."""
    played = last_played(handler_input)
    content = plugin.text(handler_input)
    exercise = content.exercise(str(played.get("exercise"))) if played else None
    if played is None or exercise is None:
        return False
    pace = pace_named(str(played.get("pace"))) or DEFAULT_PACE
    try:
        parts = [(int(start), int(end)) for start, end in played.get("parts", [])]
        elapsed = (
            request_time(handler_input) - datetime.fromisoformat(played["at"])
        ).total_seconds()
        lead = float(played.get("lead", 0))
    except (KeyError, TypeError, ValueError):
        return False
    pieces = Pieces(content, exercise, pace)
    intro = bool(played.get("intro", True))
    said = sum(pieces.seconds(start, end, intro) for start, end in parts)
    return bool(parts) and elapsed < lead + said + api.LISTEN_SECONDS * (len(parts) - 1)
