"""Where a repair is: the questions before the steps, a break, then the steps."""

from __future__ import annotations

from skill.api import Plugin, Progress
from skill.plugins.repair.content import RepairContent

# The stages in their order: "are you still very upset?", (a break, when so), the safety
# question, "is your partner there with you?", the steps.
UPSET, BREAK, SCREENING, TOGETHER, STEPS = "upset", "break", "screening", "together", "steps"


class RepairProgress(Progress):
    stage: str = ""  # "" when no repair is in progress
    role: str = "both"  # caused, received or both
    step: int = 0  # the next step to say (the number of steps said)
    teaching: int = 0  # the next teaching moment, so that none repeats in a row
    # Whether the partner is there too: a flag, so that every step is worded for one or two.
    together: bool = False
    # Answers heard at the step just said (a count, never the words): together, the first one
    # gives the other partner a turn before the next step.
    answers: int = 0


RepairPlugin = Plugin[RepairContent, RepairProgress]
