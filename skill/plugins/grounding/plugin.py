"""The grounding plugin and its handlers: start, pause, continue, start over, pace, another.

An exercise is said in one response where it fits. One that needs two parts says the first and
carries the second in the reprompt, so that silence, natural with eyes closed, goes on with it
(skill/plugins/grounding/turns.py says what "next" means after that).
"""

from __future__ import annotations

from skill import api
from skill.plugins.grounding.choices import ask_again, offer_choice, offer_made, take
from skill.plugins.grounding.content import GroundingContent, Pace
from skill.plugins.grounding.exercises import (
    DEFAULT_PACE,
    ORDER,
    neighbour,
    pace_named,
    spoken_length,
)
from skill.plugins.grounding.names import asked, chosen
from skill.plugins.grounding.progress import GroundingPlugin, GroundingProgress
from skill.plugins.grounding.turns import (
    HOLD_SECONDS,
    HOW_TO_GO_ON,
    IN_DISTRESS,
    OFFERED_MORE,
    PACE_CHANGED,
    PACE_SAID,
    PLAYED,
    begin_exercise,
    in_exercise,
    last_played,
    offer_more,
    pace_lead,
    pace_of,
    place_heard,
    play,
    session_of,
)


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
            session_of(handler_input)[IN_DISTRESS] = True
            return begin_exercise(
                self.plugin, handler_input, None, True, lead.format(emergency=emergency)
            )
        quick = api.is_intent(handler_input, "QuickGroundingIntent")
        named = None
        if api.is_intent(handler_input, "GroundingIntent"):
            content = self.plugin.text(handler_input)
            wanted = asked(
                content,
                api.slot_value(handler_input, "exercise"),
                api.resolved_id(handler_input, "exercise"),
            )
            offer = offer_made(self.plugin, handler_input)
            if offer is not None and wanted.exercise is None and wanted.unknown is None:
                return take(self.plugin, handler_input, offer, wanted)  # "let's do that one"
            if wanted.unknown is not None:
                # A name it does not know: said so, never another exercise in its place.
                return offer_choice(self.plugin, handler_input, wanted.unknown)
            named = wanted.exercise
        return begin_exercise(self.plugin, handler_input, named, quick)


class ChoiceWordsHandler(api.Handler[GroundingPlugin]):
    """The answer to "I don't know the lion breath yet. I have ... Shall we do box
    breathing?": yes (or "okay", "continue", "I don't mind", "I don't know") is the one asked
    about; "the second one", or a name, that one; no the menu; anything else the question once
    more. A name said with a carrier phrase ("let's do that one") is StartHandler's."""

    intents = (
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "AMAZON.NextIntent",
        "AMAZON.ResumeIntent",
        "AnswerIntent",
        "AMAZON.FallbackIntent",
    )

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return offer_made(self.plugin, handler_input) is not None

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        offer = offer_made(self.plugin, handler_input)
        assert offer is not None  # applies() said so
        content = self.plugin.text(handler_input)
        picked = chosen(content, api.heard(handler_input))
        if not picked.vague:
            return take(self.plugin, handler_input, offer, picked)
        if api.is_intent(handler_input, "AMAZON.NextIntent", "AMAZON.ResumeIntent"):
            return take(self.plugin, handler_input, offer, picked)
        heard = api.meaning(handler_input)
        if heard in (api.Meaning.YES, api.Meaning.PARTLY, api.Meaning.UNSURE):
            return take(self.plugin, handler_input, offer, picked)
        if heard is api.Meaning.NO:
            return api.menu(handler_input, content.choice_declined)
        return ask_again(self.plugin, handler_input, offer)


class OfferedMoreWordsHandler(api.Handler[GroundingPlugin]):
    """Words, not a plain yes or no, to "another exercise?": "kind of" or "yes please" is
    another one, gently; "I feel a bit better" or "thank you" a warm word and the short menu;
    anything else (other words, or nothing heard) the offer once more, as a question the person
    can answer. A plain "no" is the core's goodbye."""

    intents = ("AnswerIntent", "AMAZON.FallbackIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return bool(api.from_last_turn(handler_input, OFFERED_MORE))

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content = self.plugin.text(handler_input)
        heard = api.meaning(handler_input)
        said = api.heard(handler_input)
        if heard is not api.Meaning.YES and _has_any(said, content.rest_words):
            # "Not better yet", "better but still shaky": not a close, whatever else is said.
            still = _has_any(said, content.still_words)
            heard = api.Meaning.OTHER if still else api.Meaning.NO
        if heard in (api.Meaning.YES, api.Meaning.PARTLY):
            return begin_exercise(self.plugin, handler_input, None, False, content.more_gently)
        if heard is api.Meaning.NO:
            return api.menu(handler_input, content.glad_to_rest, done=self.plugin.name)
        if said:
            return offer_more(self.plugin, handler_input, content.with_you)
        return offer_more(self.plugin, handler_input)


def _has_any(said: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {said} "
    return any(f" {api.folded(phrase)} " in padded for phrase in phrases)


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
        exercise_id, step = place_heard(self.plugin, handler_input, progress)
        self.plugin.activate(handler_input, progress.changed(exercise=exercise_id, step=step))
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


class StartOverHandler(api.Handler[GroundingPlugin]):
    intents = ("AMAZON.StartOverIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return in_exercise(self.plugin, handler_input)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        progress = self.plugin.progress(handler_input)
        played = last_played(handler_input)
        exercise = str(played["exercise"]) if played else progress.exercise or progress.last
        restarted = progress.changed(exercise=exercise, step=0)
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
        played = last_played(handler_input)
        running = played is not None or (
            self.plugin.is_active(handler_input) and bool(progress.exercise)
        )
        if target is None or target == current:
            return self._unchanged(handler_input, heard, current, running)
        api.first_time(handler_input, PACE_SAID)  # the pace is now said: not again this session
        session_of(handler_input)[PACE_CHANGED] = True
        changed = progress.changed(pace=target)
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
            again = changed.changed(exercise=exercise, step=start)
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
        played = last_played(handler_input)
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
    testing = """
        Calming exercise: say "I'm having a panic attack" or "help me calm down". The exercise
        plays in one response, with real pauses. Say "slower" to hear the part just played at a
        slower pace, "pause" to hold it and "continue" to go on. Ask for one by name ("do box
        breathing"); a name the skill does not have ("let's do the lion breath") is said as
        unknown and the ones it has are offered.
    """
    intents = (
        # "Alexa, I'm having a panic attack", "Alexa, help me calm down", "Alexa, do box
        # breathing": each may reach the skill without its name.
        api.Intent(name="GroundingIntent", slots={"exercise": "EXERCISE"}, name_free=True),
        api.Intent(name="PanicIntent", name_free=True),
        api.Intent(name="QuickGroundingIntent", name_free=True),
        api.Intent(name="SetPaceIntent", slots={"pace": "PACE"}),
        *api.Intent.named("AnotherExerciseIntent"),
        *api.Intent.named("AMAZON.NextIntent"),
        *api.Intent.named("AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent"),
    )
    handlers = (
        ChoiceWordsHandler,
        StartHandler,
        OfferedMoreWordsHandler,
        NextHandler,
        PauseHandler,
        StartOverHandler,
        PaceHandler,
    )
    menu_position = 1
    provides = frozenset({"breathing"})

    def understands_slot(
        self, locale: str, slot_type: str, value: str, resolved: str | None
    ) -> bool:
        """Said without the skill's name: an exercise it has, or none in particular ("something
        calming"), is one it serves; a name it does not know ("the lion breath") is not."""
        if super().understands_slot(locale, slot_type, value, resolved):
            return True  # a value or synonym of the type ("square breathing", "4 7 8")
        if slot_type != "EXERCISE":
            return False
        wanted = asked(self.content(locale), value, resolved)
        return wanted.exercise is not None or wanted.vague

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        """A short breathing exercise, for someone waiting for help or settling before a hard
        conversation."""
        session_of(handler_input)[IN_DISTRESS] = True
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
