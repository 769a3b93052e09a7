"""The safety layer: crisis and abuse routing that runs before every plugin, on every turn.

Crisis statements reach the locale's resources through their own intents ("I need help now",
"my partner hits me", ...) and through screening of every slot value any plugin receives.
A plugin whose own safety question is answered yes (the repair guidance, before couple steps)
calls `abuse_resources` (in `skill.api`). The person's words are screened within the turn only:
never stored, never logged.
"""

from skill.safety.plugin import Safety
from skill.safety.resources import abuse_resources
from skill.safety.screening import Risk

__all__ = ["Risk", "Safety", "abuse_resources"]
