"""What the nightly check-in keeps, and the small helpers its two halves share."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from skill.api import HandlerInput, Plugin, Progress
from skill.plugins.checkin.content import CheckinContent

ASKED_TIME = "checkinAskedTime"
# Next turn: a time heard without am or pm ("ten"), kept as heard, while asking "ten pm?".
ASKED_HALF = "checkinAskedHalf"
# Next turn: the same, after a no to "ten pm?": said again, it is the morning one.
NOT_EVENING = "checkinNotEvening"
# Next turn: the stage whose question was just asked again, after an answer with no words.
ASKED_AGAIN = "checkinAskedAgain"
# Next turn: after a hard day, the offer of a breathing exercise (or repair guidance).
OFFERED_CALM = "checkinOfferedCalm"
# Once a session: "Or say skip." with the rating question.
SKIP_HINT = "checkin.skipHint"
TOKEN_PREFIX = "checkin:"
RATING_STAGE = 3
EVENING_HOUR = 18
NEAR_CHOSEN_TIME = timedelta(hours=2)


class CheckinProgress(Progress):
    """What the profile keeps: the reminder's time, id and time zone, the date of the last
    check-in and the place in one under way. Never the rating: it is used in the turn it is
    said in (a hard day's gentle close) and then forgotten, so that nothing of how the person
    felt is stored (Amazon's health policy: docs/health-policy.md)."""

    time: str = ""  # "21:30", local to `zone`
    zone: str = ""
    reminder: str = ""  # the Reminders API's alert token
    last_done: str = ""  # the local date of the last check-in
    stage: int = -1  # -1: none in progress; 0 to 2: the questions; 3: the rating

    @classmethod
    def accepts(cls, field: str, value: object) -> bool:
        """A time that is not one (a damaged item) reads as none, so that the evening launch
        and "when is my check-in" never trip over it."""
        return field != "time" or value == "" or parse_time(str(value)) is not None


CheckinPlugin = Plugin[CheckinContent, CheckinProgress]


def local_now(handler_input: HandlerInput, zone: str) -> datetime:
    import zoneinfo  # with sysconfig, 2 ms of every cold start, for a check-in's launches only

    try:
        tz = zoneinfo.ZoneInfo(zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    now: datetime = handler_input.request_envelope.request.timestamp.astimezone(tz)
    return now


def spoken_time(time: str) -> str:
    if time in ("00:00", "12:00"):
        return "midnight" if time == "00:00" else "noon"  # "12 am" leaves people guessing
    hour, minute = (int(part) for part in time.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12} {suffix}" if minute == 0 else f"{hour12}:{minute:02d} {suffix}"


def on_the_clock(time: str) -> str:
    """The time as a clock face says it, without am or pm: "10", "9:30"."""
    hour, minute = (int(part) for part in time.split(":"))
    return f"{hour % 12 or 12}" if minute == 0 else f"{hour % 12 or 12}:{minute:02d}"


def either_half(time: str) -> bool:
    """Whether a time Alexa heard could be morning or evening: it sends "ten" as "10:00", the
    same as "ten am", so a morning hour for a nightly check-in is asked about; and "twelve" as
    "12:00", which could be noon or midnight."""
    return 1 <= int(time.split(":")[0]) <= 12


def in_the_evening(time: str) -> str:
    """The evening (or night) reading of a time heard without am or pm: 10:00 is 22:00, and
    12:00 is midnight."""
    hour, minute = time.split(":")
    return f"{(int(hour) + 12) % 24:02d}:{minute}"


def parse_time(value: str | None) -> str | None:
    """Alexa's AMAZON.TIME value ("21:30") as HH:MM; None for vague ones ("EV" for evening)."""
    found = re.fullmatch(r"(\d{1,2}):(\d{2})", value or "")
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        return None
    return f"{int(found.group(1)):02d}:{found.group(2)}"
