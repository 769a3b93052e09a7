"""The repair's turns: its questions, its steps, the break and the close, said the same
way from every handler and hook (plugin.py)."""

from __future__ import annotations

from skill import api
from skill.plugins.repair.content import Role
from skill.plugins.repair.progress import (
    BREAK,
    SCREENING,
    STEPS,
    TOGETHER,
    UPSET,
    RepairPlugin,
    RepairProgress,
)

# Session keys for what is said once: the partner question, and how to go on from a step.
TOGETHER_ASKED = "repair.together"
SAY_NEXT = "repair.sayNext"
# help_given_for's value after the domestic violence resources: no couple repair after it.
ABUSE = "abuse"
# The ways into a repair, and the person's part in the hurt that each one already tells. Said
# at a step ("my husband never listens to me"), they are an answer, not a new repair.
ROLES: dict[str, str] = {
    "RepairIntent": "both",
    "RepairCausedIntent": "caused",
    "RepairReceivedIntent": "received",
}
# Free words at a step land in these (AnswerIntent's carriers, or no words Alexa could place).
ANSWERS = ("AnswerIntent", "AMAZON.FallbackIntent", "AMAZON.NoIntent", *ROLES)
# The AnswerIntent slot whose carrier asks how ("how do I do that?"): the step is
# said again instead of thanks for an answer.
ASKING_SLOTS = ("answerHow",)
STAGES = (UPSET, BREAK, SCREENING, TOGETHER, STEPS)


def blocked(handler_input: api.HandlerInput) -> bool:
    """After the domestic violence resources in this session, couple repair is not for now."""
    return api.help_given_for(handler_input) == ABUSE


def not_after_abuse(plugin: RepairPlugin, handler_input: api.HandlerInput) -> api.Response:
    """A gentle word, and the resources again (which offer a breathing exercise): no steps, and
    nothing said before ("let's carry on", "they can be repaired"). The repair's place is
    dropped first, so that no later launch offers couple steps back."""
    kept = plugin.progress(handler_input).teaching
    plugin.save(handler_input, RepairProgress(teaching=kept))
    response = api.abuse_resources(handler_input)  # after the save: it clears the last activity
    if response.output_speech is not None:
        said = api.Speech(plugin.text(handler_input).not_after_abuse)
        response.output_speech.ssml = said.then(response.output_speech.ssml).safe_ssml()
    return response


def question(
    plugin: RepairPlugin, handler_input: api.HandlerInput, progress: RepairProgress, *lead: str
) -> api.Response:
    """Asks what the stage needs, or says the next step."""
    if blocked(handler_input):
        return not_after_abuse(plugin, handler_input)
    content = plugin.text(handler_input)
    if progress.stage == BREAK:
        progress = progress.changed(stage=SCREENING)  # the break is over
    asked = {
        UPSET: (content.upset_question, content.upset_reprompt),
        SCREENING: (content.screening_question, content.screening_reprompt),
        TOGETHER: (content.together_question, content.together_reprompt),
    }
    if progress.stage in asked:
        if progress.stage == TOGETHER:
            api.first_time(handler_input, TOGETHER_ASKED)  # asked in this session
        plugin.activate(handler_input, at=progress)
        said, reprompt = asked[progress.stage]
        return api.reply(handler_input, api.Speech(*lead, said), api.Speech(reprompt))
    return step(plugin, handler_input, progress, *lead)


# How long a step's reprompt holds in silence before it speaks, when both partners are there.
TALKING_SECONDS = 60.0


def step(
    plugin: RepairPlugin,
    handler_input: api.HandlerInput,
    progress: RepairProgress,
    *lead: str,
    teach: bool = True,
) -> api.Response:
    """Says the step `progress.step` points at (the last one again, past the end); with
    `teach`, the teaching moment that follows it, if one does."""
    if blocked(handler_input):
        return not_after_abuse(plugin, handler_input)
    content = plugin.text(handler_input)
    total = len(content.steps)
    index = min(max(progress.step, 0), total - 1)
    together = progress.together
    said = [*lead, content.step_lead.format(n=index + 1, total=total)]
    said.append(content.steps[index].said(progress.role, together))
    teaching = progress.teaching
    # A teaching moment lifts the mood: not after where to turn was given in this session.
    if teach and index + 1 in content.teach_after and api.help_given_for(handler_input) is None:
        said.append(content.teachings[teaching % len(content.teachings)])
        teaching += 1
    if api.first_time(handler_input, SAY_NEXT):
        said.append(content.say_next.said(together))
        if api.remembered(handler_input):
            said.append(content.quiet_note)
    elif not said[-1].rstrip().endswith("?"):
        said.append(content.say_next_again.said(together))
    moved = progress.changed(stage=STEPS, step=index + 1, teaching=teaching, answers=0)
    plugin.activate(handler_input, at=moved)
    reprompt = api.Speech()
    if together:
        # Two people talking to each other are silent to Alexa: the reprompt holds a while
        # before it speaks, so that the session does not close in the middle of their talk.
        reprompt.pause(TALKING_SECONDS)
    reprompt.say(content.step_reprompt.said(together))
    return api.reply(handler_input, api.Speech(*said), reprompt)


def go_on(
    plugin: RepairPlugin, handler_input: api.HandlerInput, progress: RepairProgress, *lead: str
) -> api.Response:
    """The next step, or, after the last one, the close."""
    if progress.step >= len(plugin.text(handler_input).steps):
        return finish(plugin, handler_input, progress, *lead)
    return step(plugin, handler_input, progress, *lead)


def finish(
    plugin: RepairPlugin, handler_input: api.HandlerInput, progress: RepairProgress, *lead: str
) -> api.Response:
    """The whole repair is done: the close, remembering offered if it would help, the menu."""
    content = plugin.text(handler_input)
    closing = (
        content.closing.said(progress.together)
        if api.help_given_for(handler_input) is None
        else content.closing_after_help
    )
    plugin.save(handler_input, RepairProgress(teaching=progress.teaching))  # nothing to resume
    said = (*lead, closing)
    offered = api.offer_to_remember(handler_input, api.Speech(*said), after=plugin.name)
    if offered is not None:
        plugin.deactivate(handler_input)  # the answer is the core's, then its menu
        return offered
    return api.menu(handler_input, *said, done=plugin.name)


def start(
    plugin: RepairPlugin, handler_input: api.HandlerInput, role: str = "both", *lead: str
) -> api.Response:
    """A new repair from its first question, whatever was kept (only the teaching moments go
    on, so that none repeats in a row)."""
    if blocked(handler_input):
        return not_after_abuse(plugin, handler_input)
    content = plugin.text(handler_input)
    # A role kept by another version (starting over passes the kept one) is "both".
    known: Role = next((known for known in content.role_words if known == role), "both")
    kept = plugin.progress(handler_input).teaching
    progress = RepairProgress(stage=UPSET, role=known, teaching=kept)
    said = content.role_words[known]
    return question(plugin, handler_input, progress, *lead, content.opening, said)


def take_a_break(
    plugin: RepairPlugin, handler_input: api.HandlerInput, progress: RepairProgress
) -> api.Response:
    """The break advised, and how to come back; never "shall we go on?" a minute later."""
    content = plugin.text(handler_input)
    plugin.save(handler_input, progress)
    said = [content.break_advice, content.come_back_when_ready]
    if api.remembered(handler_input):
        said.append(content.come_back_next_time)
    # No way back at the exercise's end: the person says when the break is over.
    breathing = api.start_capability(handler_input, "breathing", *said, content.break_exercise)
    if breathing is not None:
        return breathing
    plugin.activate(handler_input)
    speech = api.Speech(*said)
    # Coming back later is a moment remembering would help (None: not to be asked now).
    offered = api.offer_to_remember(handler_input, speech, after=plugin.name)
    return offered or api.reply(handler_input, speech, api.Speech(content.break_reprompt))


def carry_on(
    plugin: RepairPlugin, handler_input: api.HandlerInput, *lead: str
) -> api.Response | None:
    """On from where the repair is, or None when no repair is under way (never a step without
    the questions before it)."""
    progress = plugin.progress(handler_input)
    if progress.stage not in STAGES:
        return None
    if progress.stage == STEPS and api.first_time(handler_input, TOGETHER_ASKED):
        # Another visit: whether the partner is there is asked again, then the steps go on.
        progress = progress.changed(stage=TOGETHER)
    return question(plugin, handler_input, progress, *lead)
