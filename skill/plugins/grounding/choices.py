"""A name the skill does not know ("do the lion breath"): said so, with a few of the exercises
it has, and a question a plain "yes" answers.

Someone asking for an exercise by name is often anxious: the answer is short and asks for
nothing more than a yes. "I don't know the lion breath yet. I have box breathing, four seven
eight breathing, the cyclic sigh, and a few more. Shall we do box breathing?": yes starts box
breathing, "the second one" or a name starts that one, no gives the menu. During an exercise
the question is about going on with it, from where the person was. Another exercise is never
started in the unknown one's place without that yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skill import api
from skill.plugins.grounding.content import Exercise, GroundingContent
from skill.plugins.grounding.names import Asked
from skill.plugins.grounding.progress import GroundingPlugin
from skill.plugins.grounding.turns import begin_exercise, place_heard, play, still_playing

# Next turn: the exercises just offered, {"offered": [ids, in the order said], "going_on": the
# exercise yes goes on with ("" for none), "step": where it goes on}.
OFFERED_CHOICE = "groundingOfferedChoice"
# How many exercises the answer names (the others are "a few more"): a short list to hear.
CHOICES = 3


@dataclass(frozen=True)
class Offer:
    offered: tuple[str, ...]
    going_on: str  # "" when yes starts the first offered
    step: int

    @property
    def default(self) -> str:
        """What a plain yes is for."""
        return self.going_on or self.offered[0]

    def as_attribute(self) -> dict[str, Any]:
        return {"offered": list(self.offered), "going_on": self.going_on, "step": self.step}


def offer_choice(
    plugin: GroundingPlugin, handler_input: api.HandlerInput, unknown: str
) -> api.Response:
    """Says that the name `unknown` (or, when "", that one) is not known yet, names a few
    exercises, and asks about one: the first, or the one in progress."""
    content = plugin.text(handler_input)
    progress = plugin.progress(handler_input)
    lead = content.unknown_named.format(name=unknown) if unknown else content.unknown_unnamed
    going_on = _in_progress(plugin, handler_input)
    if going_on is not None:
        current, step = going_on
        others = [e for e in content.exercises if e.id != current.id]
        offer = Offer(tuple(e.id for e in others[:CHOICES]), current.id, step)
        # The place the person was at is kept: a session that closes now picks up there.
        plugin.activate(handler_input, progress.changed(exercise=current.id, step=step))
        question = content.choices_going_on.format(
            choices=_listed(content, others[:CHOICES], len(others)), current=current.name
        )
    else:
        offered = list(content.exercises[:CHOICES])
        offer = Offer(tuple(e.id for e in offered), "", 0)
        # Not in an activity now: the answer is read by this offer, whoever had focus.
        plugin.deactivate(handler_input)
        question = content.choices.format(
            choices=_listed(content, offered, len(content.exercises)), first=offered[0].name
        )
    api.expect_next_turn(handler_input, OFFERED_CHOICE, offer.as_attribute())
    return api.reply(
        handler_input, api.Speech(lead, question), api.Speech(_reprompt(content, offer))
    )


def offer_made(plugin: GroundingPlugin, handler_input: api.HandlerInput) -> Offer | None:
    """The offer the last turn made, or None. Session attributes come back from the device:
    only exercises this version has, and a step inside the one going on, are read."""
    raw = api.from_last_turn(handler_input, OFFERED_CHOICE)
    if not isinstance(raw, dict):
        return None
    content = plugin.text(handler_input)
    listed = raw.get("offered")
    offered = tuple(
        i for i in (listed if isinstance(listed, list) else []) if _known(content, i) is not None
    )
    current = _known(content, raw.get("going_on"))
    step = raw.get("step")
    if current is None or not isinstance(step, int) or isinstance(step, bool):
        step = 0
    if current is not None and not 0 <= step < len(current.steps):
        current = None
    if not offered and current is None:
        return None
    return Offer(offered, current.id if current else "", step if current else 0)


def take(
    plugin: GroundingPlugin, handler_input: api.HandlerInput, offer: Offer, asked: Asked
) -> api.Response:
    """The exercise asked for, or the one at the place picked in the list, or else the one the
    question was about."""
    target = asked.exercise
    if (
        target is None
        and asked.pick is not None
        and -len(offer.offered) <= asked.pick < len(offer.offered)
    ):
        target = offer.offered[asked.pick]
    target = target or offer.default
    if target == offer.going_on:
        progress = plugin.progress(handler_input)
        place = progress.changed(exercise=target, step=offer.step)
        continuing = plugin.text(handler_input).continuing
        return play(plugin, handler_input, place, continuing, intro=False)
    return begin_exercise(plugin, handler_input, target, False)


def ask_again(
    plugin: GroundingPlugin, handler_input: api.HandlerInput, offer: Offer
) -> api.Response:
    """Words that answer nothing: the question once more, as what can be said."""
    api.expect_next_turn(handler_input, OFFERED_CHOICE, offer.as_attribute())
    again = _reprompt(plugin.text(handler_input), offer)
    return api.reply(handler_input, api.Speech(again), api.Speech(again))


def _in_progress(
    plugin: GroundingPlugin, handler_input: api.HandlerInput
) -> tuple[Exercise, int] | None:
    """The exercise under way and where the person was in it, or None: the one being said when
    the name came (from the request times, as for "pause"), or else one with a place kept
    (paused, or with parts still to come)."""
    progress = plugin.progress(handler_input)
    if still_playing(plugin, handler_input):
        exercise_id, step = place_heard(plugin, handler_input, progress)
    elif plugin.is_active(handler_input) and progress.exercise:
        exercise_id, step = progress.exercise, progress.step
    else:
        return None
    exercise = plugin.text(handler_input).exercise(exercise_id)
    if exercise is None or not 0 <= step < len(exercise.steps):
        return None
    return exercise, step


def _known(content: GroundingContent, exercise_id: object) -> Exercise | None:
    return content.exercise(exercise_id) if isinstance(exercise_id, str) else None


def _listed(content: GroundingContent, offered: list[Exercise], of: int) -> str:
    """ "box breathing, four seven eight breathing, the cyclic sigh, and a few more"."""
    names = [e.name for e in offered]
    if of > len(offered):
        names.append(content.a_few_more)
    if len(names) <= 2:
        return f" {content.and_word} ".join(names)
    return f"{', '.join(names[:-1])}, {content.and_word} {names[-1]}"


def _reprompt(content: GroundingContent, offer: Offer) -> str:
    default = content.exercise(offer.default)
    name = default.name if default else ""
    if offer.going_on:
        return content.choices_going_on_reprompt.format(current=name)
    return content.choices_reprompt.format(first=name)
