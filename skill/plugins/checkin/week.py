"""How was my week: the ratings of this week, against last week's."""

from __future__ import annotations

from datetime import date, timedelta

from skill import api
from skill.plugins.checkin.state import CheckinPlugin, CheckinProgress, local_now


class WeekHandler(api.Handler[CheckinPlugin]):
    intents = ("WeekSummaryIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        content, state = self.plugin.text(handler_input), self.plugin.progress(handler_input)
        # Ratings are kept only for someone remembered who agreed: in a session that said no
        # to being remembered, nothing is told back as if it were kept.
        if not (state.ratings_ok and api.remembered(handler_input)):
            return api.menu(handler_input, content.week_not_kept)
        today = local_now(handler_input, state.zone).date()
        this_week = _week(state, today)
        if not this_week:
            return api.menu(handler_input, content.week_nothing)
        average = _number(sum(this_week) / len(this_week), content.and_a_half)
        if api.help_given_for(handler_input) is not None:
            # After where to turn was given: the answer asked for, without counts or cheer.
            return api.menu(handler_input, content.week_summary_sober.format(average=average))
        said = [content.week_summary.format(len(this_week), average=average)]
        last_week = _week(state, today - timedelta(days=7))
        if last_week:
            previous = sum(last_week) / len(last_week)
            now = sum(this_week) / len(this_week)
            said.append(
                content.week_compared_same if round(previous, 1) == round(now, 1)
                else (content.week_compared_up if now > previous
                      else content.week_compared_down).format(
                    previous=_number(previous, content.and_a_half))
            )  # fmt: skip
        return api.menu(handler_input, *said)


def _week(state: CheckinProgress, day: date) -> list[int]:
    week = day.isocalendar()[:2]
    return [r for d, r in state.rated().items() if date.fromisoformat(d).isocalendar()[:2] == week]


def _number(value: float, and_a_half: str) -> str:
    """An average as people say it, to the nearest half ("3 and a half"), not "3.2"."""
    halves = round(value * 2)
    return f"{halves // 2} {and_a_half}" if halves % 2 else str(halves // 2)
