"""The grounding plugin and its turns: start, next, pause, continue, start over, pace, another."""

from __future__ import annotations

from skill import api
from skill.plugins.grounding.content import GroundingContent
from skill.plugins.grounding.exercises import DEFAULT_PACE, choose, pace_named, step_speech
from skill.plugins.grounding.progress import GroundingPlugin, GroundingProgress

OFFERED_MORE = "groundingOfferedMore"


def play(
    plugin: GroundingPlugin,
    handler_input: api.HandlerInput,
    progress: GroundingProgress,
    *lead: str,
) -> api.Response:
    """Says the next step of the exercise in progress, and moves the place on."""
    content = plugin.text(handler_input)
    exercise = content.exercise(progress.exercise)
    if exercise is None or progress.step >= len(exercise.steps):
        plugin.save(handler_input, progress)
        return offer_more(plugin, handler_input, content.nothing_to_continue)
    speech = api.Speech(*lead)
    speech.then(step_speech(content, exercise, progress.step, progress.pace).ssml())
    plugin.activate(handler_input)
    if progress.step + 1 < len(exercise.steps):
        plugin.save(handler_input, progress.model_copy(update={"step": progress.step + 1}))
        speech.say(content.say_next)
        return api.reply(handler_input, speech, api.Speech(content.next_reprompt))
    finished = _completed(handler_input, progress, exercise.id)
    plugin.save(handler_input, finished)
    plugin.deactivate(handler_input)
    ordinal = content.ordinals.get(str(finished.week_count))
    if ordinal:
        speech.say(content.week_count.format(ordinal=ordinal))
    return api.offer_return(handler_input, speech) or offer_more(
        plugin, handler_input, speech=speech
    )


def _completed(
    handler_input: api.HandlerInput, progress: GroundingProgress, exercise: str
) -> GroundingProgress:
    year, week, _ = handler_input.request_envelope.request.timestamp.isocalendar()
    this_week = f"{year}-W{week:02d}"
    count = progress.week_count + 1 if progress.week == this_week else 1
    return progress.model_copy(
        update={
            "exercise": "",
            "step": 0,
            "last": exercise,
            "total": progress.total + 1,
            "week": this_week,
            "week_count": count,
        }
    )


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
    chosen = progress.model_copy(update={"exercise": exercise.id, "step": 0})
    return play(plugin, handler_input, chosen, *lead)


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


class NextHandler(api.Handler[GroundingPlugin]):
    """Next, continue, "I'm ready", or "okay" (Alexa's yes) in the middle of an exercise."""

    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "AMAZON.YesIntent")
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return play(self.plugin, handler_input, self.plugin.progress(handler_input))


class PauseHandler(api.Handler[GroundingPlugin]):
    intents = ("AMAZON.PauseIntent",)
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        return api.reply(
            handler_input, api.Speech(content.paused), api.Speech(content.pause_reprompt)
        )


class StartOverHandler(api.Handler[GroundingPlugin]):
    intents = ("AMAZON.StartOverIntent",)
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        exercise = progress.exercise or progress.last
        restarted = progress.model_copy(update={"exercise": exercise, "step": 0})
        starting_over = self.plugin.text(handler_input).starting_over
        return play(self.plugin, handler_input, restarted, starting_over)


class PaceHandler(api.Handler[GroundingPlugin]):
    """A pace ("slower please", "that was too fast"): at once, and remembered."""

    intents = ("SetPaceIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        heard = api.resolved_id(handler_input, "pace")
        progress = self.plugin.progress(handler_input)
        # No pace heard: the kept one, if this version has it (another may have had more).
        pace = pace_named(heard) or pace_named(progress.pace) or DEFAULT_PACE
        changed = progress.model_copy(update={"pace": pace})
        self.plugin.save(handler_input, changed)
        said = content.pace_changed[pace]
        if self.plugin.is_active(handler_input) and changed.exercise:
            return play(self.plugin, handler_input, changed, said)
        return api.menu(handler_input, said, content.pace_kept)


class Grounding(api.Plugin[GroundingContent, GroundingProgress]):
    name = "grounding"
    intents = (
        api.Intent(name="GroundingIntent", slots={"exercise": "EXERCISE"}),
        api.Intent(name="SetPaceIntent", slots={"pace": "PACE"}),
        *api.Intent.named("PanicIntent", "QuickGroundingIntent", "AnotherExerciseIntent"),
        *api.Intent.named("AMAZON.NextIntent"),
        *api.Intent.named("AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent"),
    )
    handlers = (StartHandler, NextHandler, PauseHandler, StartOverHandler, PaceHandler)
    menu_position = 1
    provides = frozenset({"breathing"})

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        """A short breathing exercise, for someone waiting for help or settling before a hard
        conversation."""
        return begin_exercise(self, handler_input, None, True, *lead)

    def resume_offer(self, handler_input: api.HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        content = self.text(handler_input)
        exercise = content.exercise(progress.exercise)
        if exercise is None or not 0 < progress.step < len(exercise.steps):
            return None
        return content.resume_offer.format(
            name=exercise.name, step=progress.step + 1, steps=len(exercise.steps)
        )

    def resume(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        continuing = self.text(handler_input).continuing
        return play(self, handler_input, self.progress(handler_input), *lead, continuing)

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response:
        content = self.text(handler_input)
        exercise = content.exercise(self.progress(handler_input).exercise)
        name = exercise.name if exercise else content.label
        speech = api.Speech(content.help.format(name=name), *footer)
        return api.reply(handler_input, speech, api.Speech(content.next_reprompt))
