"""Blueprint reflection: the inherited-blueprint questions, asked aloud, resumed next time."""

from skill.plugins.reflection.plugin import Reflection

__all__ = ["Reflection"]
