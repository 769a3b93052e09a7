"""The reflection plugin and its turns: one question at a time, answered aloud, never stored.

What the person answers reaches this code only as the intent that carried it, and as the core's
reading of whether it was "I don't know" (api.meaning): the words are screened by the safety
layer within the turn and never read, kept or logged here.
"""

from __future__ import annotations

from skill import api
from skill.plugins.reflection.content import Question, ReflectionContent
from skill.plugins.reflection.progress import ReflectionPlugin, ReflectionProgress

# Silence after a question is thinking: the reprompt waits this long before the question comes
# again (Alexa's own listening time comes on top). A short pause, not a promise of minutes.
HOLD_SECONDS = 4.0
# What is said once per session (api.first_time), and again only when the person asks (help).
TAKE_YOUR_TIME = "reflection.take_your_time"
FOLLOW_UP_LEAD = "reflection.follow_up_lead"


def words_of(question: Question, stage: int) -> str:
    """The question itself (stage 0) or the follow-up the person is at."""
    return question.ask if stage == 0 else question.follow_ups[stage - 1]


def holding(content: ReflectionContent, progress: ReflectionProgress) -> api.Speech:
    """The reprompt: a pause, then the question again, briefly, and what can be said."""
    question = words_of(content.questions[progress.current], progress.stage)
    speech = api.Speech().pause(HOLD_SECONDS)
    return speech.say(content.hold).say(question).say(content.hold_options)


def ask(
    plugin: ReflectionPlugin,
    handler_input: api.HandlerInput,
    progress: ReflectionProgress,
    *lead: str,
) -> api.Response:
    """Asks the question (or follow-up) `progress` points at, and keeps the place."""
    content = plugin.text(handler_input)
    question = content.questions[progress.current]
    speech = api.Speech(*lead)
    if progress.stage == 0:
        # Where the person is, not a tally: said after a crisis too.
        total = len(content.questions)
        speech.say(content.question_lead.format(n=progress.current + 1, total=total))
    elif api.first_time(handler_input, FOLLOW_UP_LEAD):
        speech.say(content.follow_up_lead)
    speech.say(words_of(question, progress.stage))
    if api.first_time(handler_input, TAKE_YOUR_TIME):
        speech.say(content.take_your_time)
    plugin.activate(handler_input, at=progress.mark(progress.current))
    return api.reply(handler_input, speech, holding(content, progress))


def finish(
    plugin: ReflectionPlugin, handler_input: api.HandlerInput, progress: ReflectionProgress
) -> api.Response:
    """After the last question: a gentle close (its own thanks, so no other lead), then a
    short menu without the questions. The end of a pass is when remembering would help a next
    one: a person not remembered may be asked here, once (the core takes the answer and gives
    the menu)."""
    content = plugin.text(handler_input)
    plugin.save(handler_input, progress.at(current=0, stage=0, asked=0))
    if api.help_given_for(handler_input) is not None:
        # Where to turn was given this session: a quiet close, no cheer, nothing asked of them.
        return api.menu(handler_input, content.all_done_quiet, done=plugin.name)
    asked = api.offer_to_remember(
        handler_input,
        api.Speech(content.all_done),
        after=plugin.name,
        question=content.remember_question,
    )
    if asked is not None:
        return asked
    return api.menu(handler_input, content.all_done, content.go_again, done=plugin.name)


def next_question(
    plugin: ReflectionPlugin,
    handler_input: api.HandlerInput,
    progress: ReflectionProgress,
    *lead: str,
) -> api.Response:
    """The first question of this pass not asked yet; after the last one, the close."""
    content = plugin.text(handler_input)
    total = len(content.questions)
    # The place first when it is a question not asked yet (kept while remembering was asked).
    order = [progress.current, *range(progress.current + 1, total), *range(progress.current)]
    pending = [i for i in order if not progress.was_asked(i)]
    if not pending:
        return finish(plugin, handler_input, progress)
    following = progress.at(current=pending[0], stage=0)
    if lead:
        # On to a new question after an answer is when keeping the place would help: asked
        # once a session, and the answer leads back to that question (resume), where the
        # place now is.
        asked = api.offer_to_remember(
            handler_input,
            api.Speech(*lead),
            after=plugin.name,
            question=content.remember_question_mid,
            resume=True,
        )
        if asked is not None:
            plugin.save(handler_input, following)
            return asked
    return ask(plugin, handler_input, following, *lead)


def start(plugin: ReflectionPlugin, handler_input: api.HandlerInput, *lead: str) -> api.Response:
    progress = plugin.progress(handler_input)
    if not progress.started:
        first = progress.changed(started=True)
        return ask(plugin, handler_input, first, *lead, plugin.text(handler_input).first_time)
    if progress.asked:
        # Back to the question where the person stopped, not a new one.
        return ask(plugin, handler_input, progress.at(stage=0), *lead)
    return ask(plugin, handler_input, progress, *lead)


def start_over(
    plugin: ReflectionPlugin, handler_input: api.HandlerInput, *lead: str
) -> api.Response:
    """A new pass from question one, the kept place dropped."""
    progress = plugin.progress(handler_input)
    progress = progress.at(current=0, stage=0, asked=0).changed(started=True)
    return ask(plugin, handler_input, progress, *lead, plugin.text(handler_input).from_the_start)


class StartHandler(api.Handler[ReflectionPlugin]):
    intents = ("ReflectionIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return start(self.plugin, handler_input)


class AnswerHandler(api.Handler[ReflectionPlugin]):
    """An answer, in words, yes or no, or too unlike anything for Alexa to map (fallback):
    acknowledged briefly, without judging or echoing it, then the follow-up or next question.
    "I don't know" or "I'd rather not say" is met kindly and not pressed with a follow-up."""

    intents = ("AnswerIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.FallbackIntent")
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        progress = progress.changed(answered=progress.answered + 1)
        if api.meaning(handler_input) is api.Meaning.UNSURE:
            said = content.not_knowing[progress.answered % len(content.not_knowing)]
            return next_question(self.plugin, handler_input, progress, said)
        thanks = content.acknowledgements[progress.answered % len(content.acknowledgements)]
        question = content.questions[progress.current]
        if progress.stage < len(question.follow_ups):
            return ask(self.plugin, handler_input, progress.at(stage=progress.stage + 1), thanks)
        return next_question(self.plugin, handler_input, progress, thanks)


class NotInQuestionsHandler(api.Handler[ReflectionPlugin]):
    """The previous question when no activity is going on (inside another one, that
    activity's question is asked again)."""

    intents = ("PreviousQuestionIntent",)

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return not api.any_active(handler_input)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return api.menu(handler_input, self.plugin.text(handler_input).not_in_questions)


class MoveOnHandler(api.Handler[ReflectionPlugin]):
    """Next, continue or skip: on to the next question not asked yet."""

    intents = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "SkipQuestionIntent")
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        skipped = api.is_intent(handler_input, "SkipQuestionIntent")
        lead = (self.plugin.text(handler_input).skipped,) if skipped else ()
        return next_question(self.plugin, handler_input, self.plugin.progress(handler_input), *lead)


class PreviousHandler(api.Handler[ReflectionPlugin]):
    intents = ("PreviousQuestionIntent",)
    while_active = True

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        if progress.current == 0:
            return ask(self.plugin, handler_input, progress.at(stage=0), content.no_previous)
        back = progress.at(current=progress.current - 1, stage=0)
        return ask(self.plugin, handler_input, back, content.going_back)


class FirstQuestionHandler(api.Handler[ReflectionPlugin]):
    """Start over from the first question: a new pass from question one."""

    intents = ("FirstQuestionIntent", "AMAZON.StartOverIntent")

    def applies(self, handler_input: api.HandlerInput) -> bool:
        return api.is_intent(handler_input, "FirstQuestionIntent") or self.plugin.is_active(
            handler_input
        )

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return start_over(self.plugin, handler_input)


class HowManyLeftHandler(api.Handler[ReflectionPlugin]):
    intents = ("HowManyLeftIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, progress = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        total = len(content.questions)
        left = sum(not progress.was_asked(i) for i in range(total))
        said = content.left.format(left, total=total) if left else content.none_left
        if not self.plugin.is_active(handler_input):
            return api.menu(handler_input, said)
        return ask(self.plugin, handler_input, progress.at(stage=0), said)


class Reflection(api.Plugin[ReflectionContent, ReflectionProgress]):
    name = "reflection"
    testing = """
        Reflection questions: say "reflection questions". Each question is asked aloud; answer
        in a sentence ("my parents argued a lot"). The words are screened for safety and never
        stored or logged. Say "skip this one", "previous question" or "how many are left";
        after "stop", opening the skill again offers to pick up at the same question (when
        remembering was agreed).
    """
    intents = (
        # "Alexa, I want to reflect on my relationships": may reach the skill without its name.
        api.Intent(name="ReflectionIntent", name_free=True),
        *api.Intent.named(
            "PreviousQuestionIntent", "FirstQuestionIntent", "HowManyLeftIntent",
            "AMAZON.NextIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent",
            "AMAZON.YesIntent", "AMAZON.NoIntent",
        ),
    )  # fmt: skip
    # Tried in this order (after the safety layer's and the core's).
    handlers = (
        StartHandler, AnswerHandler, MoveOnHandler, PreviousHandler, FirstQuestionHandler,
        HowManyLeftHandler, NotInQuestionsHandler,
    )  # fmt: skip
    menu_position = 2

    def progress(self, handler_input: api.HandlerInput) -> ReflectionProgress:
        progress = super().progress(handler_input)
        questions = self.text(handler_input).questions
        placed = 0 <= progress.current < len(questions) and (
            0 <= progress.stage <= len(questions[progress.current].follow_ups)
        )
        # A place in questions that have changed since it was kept (another version's content)
        # is not a place in these: the person goes on from the first question of the pass.
        return progress if placed else progress.at(current=0, stage=0)

    def start(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        return start(self, handler_input, *lead)

    def start_over(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        # Not `start`: that goes back to the question where the person stopped.
        return start_over(self, handler_input, *lead)

    def resume_offer(self, handler_input: api.HandlerInput) -> str | None:
        progress = self.progress(handler_input)
        if not progress.asked:
            return None
        content = self.text(handler_input)
        return content.resume_offer.format(n=progress.current + 1, total=len(content.questions))

    def resume(self, handler_input: api.HandlerInput, *lead: str) -> api.Response:
        progress = self.progress(handler_input).at(stage=0)
        content = self.text(handler_input)
        # Straight on after being asked to remember; "let's carry on" after a break.
        go_on = (
            () if api.from_last_turn(handler_input, api.ASKED_CONSENT) else (content.continuing,)
        )
        return ask(self, handler_input, progress, *lead, *go_on)

    def help(self, handler_input: api.HandlerInput, *footer: str) -> api.Response:
        # Asked for: the instruction again, whether or not it was said this session.
        content = self.text(handler_input)
        reprompt = holding(content, self.progress(handler_input))
        return api.reply(handler_input, api.Speech(content.help, *footer), reprompt)
