"""Grounding: calming exercises on request, paced with real pauses, at the person's pace."""

from skill.plugins.grounding.plugin import Grounding

__all__ = ["Grounding"]
