"""How was my week: understood, and answered plainly. No rating is kept (each is used only in
the check-in it is said in: docs/health-policy.md), so there is no week to tell."""

from __future__ import annotations

from skill import api
from skill.plugins.checkin.state import CheckinPlugin


class WeekHandler(api.Handler[CheckinPlugin]):
    intents = ("WeekSummaryIntent",)

    def handle(self, handler_input: api.HandlerInput) -> api.Response:
        return api.menu(handler_input, self.plugin.text(handler_input).week_not_kept)
