"""Repair guidance: from an injury back to safety, then a guided repair, step by step."""

from skill.plugins.repair.plugin import Repair

__all__ = ["Repair"]
