"""What the skill stores about a person, and nothing more.

One small item per (user, person). It never holds the person's own words:
only counters, dates and the names of things the skill offered.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

# Sort key when Alexa does not recognise the speaker: progress is then per account.
ACCOUNT_PERSON = "account"


class Profile(BaseModel):
    # Items written by a newer schema may carry fields this code does not know yet.
    model_config = ConfigDict(extra="ignore")

    schema_version: int = SCHEMA_VERSION
    # Optimistic lock: the stored version this profile was read at (0 = never stored).
    version: int = Field(default=0, ge=0)
    visits: int = Field(default=0, ge=0)
    last_visit: date | None = None
    # Name of the last activity chosen (e.g. "grounding"), used to say where they left off.
    last_activity: str | None = None
    # The day the person said yes to being remembered; without it nothing is written.
    consent: date | None = None
    # Each plugin's own small progress record (e.g. the step it stopped at), by plugin name.
    # Numbers, flags and ids only: never the person's words.
    plugin_state: dict[str, dict[str, int | float | bool | str]] = {}

    def with_visit(self, today: date) -> Profile:
        return self.model_copy(update={"visits": self.visits + 1, "last_visit": today})

    def content(self) -> dict[str, object]:
        """The fields that matter to the person: a change here is worth a write."""
        return self.model_dump(mode="json", exclude={"version"})
