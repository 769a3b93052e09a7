"""Where a repair is: the two questions, then the steps."""

from __future__ import annotations

from skill.api import Plugin, Progress
from skill.plugins.repair.content import RepairContent

UPSET, SCREENING, STEPS = "upset", "screening", "steps"


class RepairProgress(Progress):
    stage: str = ""  # "" when no repair is in progress
    role: str = "both"  # caused, received or both
    step: int = 0  # the next step to say
    teaching: int = 0  # the next teaching moment, so that none repeats in a row


RepairPlugin = Plugin[RepairContent, RepairProgress]
