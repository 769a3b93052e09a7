"""The grounding plugin and its turns: start, pause, continue, start over, pace, another.

An exercise is said in one response where it fits. One that needs two parts says the first and
carries the second in the reprompt, so that silence, natural with eyes closed, goes on with it.

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
from skill.plugins.grounding.content import GroundingContent, Pace
from skill.plugins.grounding.exercises import (
    DEFAULT_PACE,
    ORDER,
    Pieces,
    choose,
    neighbour,
    pace_named,
    spoken_length,
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


def _session(handler_input: api.HandlerInput) -> dict[str, Any]:
    attributes: dict[str, Any] = handler_input.attributes_manager.session_attributes
    return attributes


def _now(handler_input: api.HandlerInput) -> datetime:
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
        plugin.save(handler_input, progress.model_copy(update={"exercise": "", "step": 0}))
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
            "at": _now(handler_input).isoformat(),
            "lead": api.estimate_seconds(lead_speech.ssml()),
            "intro": intro,
        },
    )
    speech = lead_speech.then(sent[0].speech.ssml())
    end = sent[-1].end
    if end < len(exercise.steps):
        # More than two parts: the reprompt's part ends asking to go on (a session that closes
        # after it keeps the place for next time).
        plugin.activate(handler_input, progress.model_copy(update={"step": end}))
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
    question = content.pace_question if _session(handler_input).get(PACE_CHANGED) else None
    returned = api.offer_return(handler_input, speech)
    if returned is not None:
        return returned
    if not _session(handler_input).get(IN_DISTRESS):
        asked = api.offer_to_remember(handler_input, speech, after=plugin.name, question=question)
        if asked is not None:
            return asked
    return offer_more(plugin, handler_input, speech=speech)


def _completed(
    handler_input: api.HandlerInput, progress: GroundingProgress, exercise: str
) -> tuple[GroundingProgress, bool]:
    """The progress once `exercise` is done, and whether this was its first end in this run
    (a redo at another pace, or the rest after a pause, is not another exercise)."""
    done = progress.model_copy(update={"exercise": "", "step": 0, "last": exercise})
    session = _session(handler_input)
    if session.get(COUNTED) == exercise:
        return done, False
    session[COUNTED] = exercise
    year, week, _ = _now(handler_input).isocalendar()
    this_week = f"{year}-W{week:02d}"
    count = progress.week_count + 1 if progress.week == this_week else 1
    update = {"total": progress.total + 1, "week": this_week, "week_count": count}
    return done.model_copy(update=update), True


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
    _session(handler_input).pop(COUNTED, None)  # a new run
    chosen = progress.model_copy(update={"exercise": exercise.id, "step": 0})
    return play(plugin, handler_input, chosen, *lead, *pace_lead(plugin, handler_input, progress))


def _played(handler_input: api.HandlerInput) -> dict[str, Any] | None:
    played = api.from_last_turn(handler_input, PLAYED)
    return played if isinstance(played, dict) else None


class StartHandler(api.Handler[GroundingPlugin]):
    """Starting one: "do box breathing", "something short", "another"; and at once, short and
    gentle, for "I'm having a panic attack"."""

    intents = (
        "PanicIntent",
        "GroundingIntent",
        "QuickGroundingIntent",
        "AnotherExerciseIntent",
        "AMAZON.YesIntent",
    )

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return not api.is_intent(handler_input, "AMAZON.YesIntent") or bool(
            api.from_last_turn(handler_input, OFFERED_MORE)
        )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        if api.is_intent(handler_input, "PanicIntent"):
            # Breathlessness or a racing heart can be more than panic: the skill does not judge
            # which, and says where to turn before anything else.
            lead = self.plugin.text(handler_input).panic_lead
            emergency = api.emergency_number(handler_input)
            _session(handler_input)[IN_DISTRESS] = True
            return begin_exercise(
                self.plugin, handler_input, None, True, lead.format(emergency=emergency)
            )
        quick = api.is_intent(handler_input, "QuickGroundingIntent")
        named = (
            api.resolved_id(handler_input, "exercise")
            if api.is_intent(handler_input, "GroundingIntent")
            else None
        )
        return begin_exercise(self.plugin, handler_input, named, quick)


class OfferedMoreWordsHandler(api.Handler[GroundingPlugin]):
    """Words, not a plain yes or no, to "another exercise?": "I still feel scared" is another
    one, gently; "I feel a bit better" or "thank you" a warm word and the short menu; nothing
    heard (a fallback) the offer once more. A plain "no" is the core's goodbye."""

    intents = ("AnswerIntent", "AMAZON.FallbackIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return bool(api.from_last_turn(handler_input, OFFERED_MORE))

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        heard = api.meaning(handler_input)
        said = api.heard(handler_input)
        if said and said in {api.folded(words) for words in content.rest_words}:
            heard = api.Meaning.NO
        if heard in (api.Meaning.YES, api.Meaning.PARTLY, api.Meaning.OTHER):
            return begin_exercise(self.plugin, handler_input, None, False, content.more_gently)
        if heard is api.Meaning.NO:
            return api.menu(handler_input, content.glad_to_rest, done=self.plugin.name)
        return offer_more(self.plugin, handler_input)


class NextHandler(api.Handler[GroundingPlugin]):
    """Next, continue, "I'm ready", or "okay" (Alexa's yes) in an exercise or right after one:
    on from what was said (see the module's note), or, when all of it was, that it ended."""

    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "AMAZON.YesIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return in_exercise(self.plugin, handler_input)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        going_on = bool(progress.exercise)
        lead = [self.plugin.text(handler_input).continuing] if going_on else []
        return play(self.plugin, handler_input, progress, *lead, intro=not going_on)


class PauseHandler(api.Handler[GroundingPlugin]):
    """ "pause": it holds (a reprompt of long silences), then says how to go on, and how to pick
    up later if the session has closed by then; it never promises more time than that."""

    intents = ("AMAZON.PauseIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return in_exercise(self.plugin, handler_input)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        progress = self.plugin.progress(handler_input)
        exercise_id, step = self._place(handler_input, progress)
        self.plugin.activate(
            handler_input, progress.model_copy(update={"exercise": exercise_id, "step": step})
        )
        if api.remembered(handler_input):
            pick_up = content.pick_up_remembered
        else:
            pick_up = content.pick_up_not_remembered
        after_hold = api.Speech(content.pause_reprompt, pick_up)
        waits = 2 * api.LISTEN_SECONDS + HOLD_SECONDS + api.estimate_seconds(after_hold.ssml())
        speech = api.Speech(content.paused.format(length=spoken_length(content, waits)))
        if api.first_time(handler_input, HOW_TO_GO_ON + exercise_id):
            speech.say(content.paused_how)
        reprompt = api.Speech().pause(HOLD_SECONDS).then(after_hold.ssml())
        return api.reply(handler_input, speech, reprompt)

    def _place(
        self, handler_input: api.HandlerInput, progress: GroundingProgress
    ) -> tuple[str, int]:
        """Where to go on from: the step that was being said when "pause" came, taken from the
        request times (a little early), or else the place kept."""
        played = _played(handler_input)
        content = self.plugin.text(handler_input)
        exercise = content.exercise(str(played.get("exercise"))) if played else None
        if played is None or exercise is None:
            return progress.exercise or progress.last, progress.step
        pace = pace_named(str(played.get("pace"))) or pace_of(progress)
        parts = [(int(start), int(end)) for start, end in played.get("parts", [])]
        try:
            elapsed = (_now(handler_input) - datetime.fromisoformat(played["at"])).total_seconds()
        except (KeyError, TypeError, ValueError):
            elapsed = 0.0
        into = elapsed * PAUSE_EARLY_FACTOR - PAUSE_EARLY_SECONDS - float(played.get("lead", 0))
        if not parts:
            return exercise.id, 0
        intro = bool(played.get("intro", True))
        pieces = Pieces(content, exercise, pace)
        return exercise.id, pieces.step_at(parts, max(0.0, into), intro)


class StartOverHandler(api.Handler[GroundingPlugin]):
    intents = ("AMAZON.StartOverIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return in_exercise(self.plugin, handler_input)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        played = _played(handler_input)
        exercise = str(played["exercise"]) if played else progress.exercise or progress.last
        restarted = progress.model_copy(update={"exercise": exercise, "step": 0})
        starting_over = self.plugin.text(handler_input).starting_over
        return play(self.plugin, handler_input, restarted, starting_over)


class PaceHandler(api.Handler[GroundingPlugin]):
    """A pace ("slower please", "that was too fast"): one step slower or faster, or the pace
    named. During an exercise or right after a part, that part is said again at the new pace;
    at either end of the paces, it says so and offers the other way."""

    intents = ("SetPaceIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        progress = self.plugin.progress(handler_input)
        current = pace_of(progress)
        # "slow it down" has no slot: the samples without one all ask for slower.
        heard = api.resolved_id(handler_input, "pace") or "slower"
        target: Pace | None
        if heard == "slower":
            target = neighbour(current, -1)
        elif heard == "faster":
            target = neighbour(current, +1)
        else:
            target = pace_named(heard) or DEFAULT_PACE
        played = _played(handler_input)
        running = played is not None or (
            self.plugin.is_active(handler_input) and bool(progress.exercise)
        )
        if target is None or target == current:
            return self._unchanged(handler_input, heard, current, running)
        api.first_time(handler_input, PACE_SAID)  # the pace is now said: not again this session
        _session(handler_input)[PACE_CHANGED] = True
        changed = progress.model_copy(update={"pace": target})
        self.plugin.save(handler_input, changed)
        if heard in ("slower", "faster"):
            said = content.pace_slower if heard == "slower" else content.pace_faster
            if target in content.pace_end:  # "This is my slowest pace.": the truth, at once
                said = f"{said} {content.pace_end[target]}"
        else:
            said = content.pace_named.get(target, content.pace_named[DEFAULT_PACE])
        if running:
            # The part just said (or being said) again, at the new pace.
            exercise = str(played["exercise"]) if played else progress.exercise
            start = int(played["parts"][-1][0]) if played and played.get("parts") else changed.step
            again = changed.model_copy(update={"exercise": exercise, "step": start})
            return play(self.plugin, handler_input, again, said)
        if api.remembered(handler_input):
            return api.menu(handler_input, said, content.pace_kept)
        asked = api.offer_to_remember(
            handler_input, api.Speech(said), question=content.pace_question
        )
        return asked or api.menu(handler_input, said, content.pace_this_visit)

    def _unchanged(
        self, handler_input: api.HandlerInput, heard: str, current: Pace, running: bool
    ) -> api.Response:
        content = self.plugin.text(handler_input)
        if current == ORDER[0] and heard in ("slower", current):
            said = content.pace_at_slowest
        elif current == ORDER[-1] and heard in ("faster", current):
            said = content.pace_at_fastest
        else:
            said = content.pace_already
        if not running:
            return api.menu(handler_input, said)
        played = _played(handler_input)
        if played is not None:
            api.expect_next_turn(handler_input, PLAYED, played)  # "continue" still goes on
        progress = self.plugin.progress(handler_input)
        if not progress.exercise:
            return offer_more(self.plugin, handler_input, said)
        self.plugin.activate(handler_input)
        return api.reply(
            handler_input,
            api.Speech(said, content.pace_go_on),
            api.Speech(content.next_reprompt),
        )


class Grounding(api.Plugin[GroundingContent, GroundingProgress]):
    name = "grounding"
    intents = (
        api.Intent(name="GroundingIntent", slots={"exercise": "EXERCISE"}),
        api.Intent(name="SetPaceIntent", slots={"pace": "PACE"}),
        *api.Intent.named("PanicIntent", "QuickGroundingIntent", "AnotherExerciseIntent"),
        *api.Intent.named("AMAZON.NextIntent"),
        *api.Intent.named("AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent"),
    )
    handlers = (
        StartHandler,
        OfferedMoreWordsHandler,
        NextHandler,
        PauseHandler,
        StartOverHandler,
        PaceHandler,
    )
    menu_position = 1
    provides = frozenset({"breathing"})

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        """A short breathing exercise, for someone waiting for help or settling before a hard
        conversation."""
        _session(handler_input)[IN_DISTRESS] = True
        return begin_exercise(self, handler_input, None, True, *lead)

    def resume_offer(self, handler_input: api.HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        content = self.text(handler_input)
        exercise = content.exercise(progress.exercise)
        if exercise is None or progress.step >= len(exercise.steps):
            return None
        return content.resume_offer.format(name=exercise.name)

    def resume(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        continuing = self.text(handler_input).continuing
        progress = self.progress(handler_input)
        pace = pace_lead(self, handler_input, progress)
        return play(self, handler_input, progress, *lead, continuing, *pace, intro=False)

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response:
        content = self.text(handler_input)
        exercise = content.exercise(self.progress(handler_input).exercise)
        name = exercise.name if exercise else content.label
        speech = api.Speech(content.help.format(name=name), *footer)
        return api.reply(handler_input, speech, api.Speech(content.next_reprompt))
