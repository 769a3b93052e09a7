"""Nightly check-in: a daily reminder at the person's chosen time, and a short check-in."""

from skill.alexa_api import REMINDERS_SCOPE
from skill.plugin import Intent, Plugin
from skill.plugins.checkin.content import CheckinContent
from skill.plugins.checkin.handlers import (
    checkin_help,
    describe,
    handlers,
    on_launch,
    start_checkin,
)
from skill.plugins.checkin.setup import forget_reminder

plugin: Plugin[CheckinContent] = Plugin(
    name="checkin",
    package=__name__,
    content_model=CheckinContent,
    handlers=handlers,
    intents=(
        Intent(name="SetCheckinIntent", slots={"time": "AMAZON.TIME"}),
        Intent(name="CheckinTimeIntent", slots={"time": "AMAZON.TIME"}),
        Intent(name="WhenIsCheckinIntent"),
        Intent(name="StopCheckinIntent"),
        Intent(name="StartCheckinIntent"),
        Intent(name="PartnerTurnIntent"),
        Intent(name="RatingIntent", slots={"rating": "AMAZON.NUMBER"}),
        Intent(name="WeekSummaryIntent"),
        Intent(name="AMAZON.YesIntent"),
        Intent(name="AMAZON.NoIntent"),
    ),
    permissions=(REMINDERS_SCOPE,),
    start=start_checkin,
    forget=forget_reminder,
    on_launch=on_launch,
    help=checkin_help,
    describe=describe,
    menu_position=4,
)
