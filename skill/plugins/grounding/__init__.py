"""Grounding: not written yet; the menu offer says so honestly until it lands."""

from skill.plugins.coming_soon import coming_soon_plugin

plugin = coming_soon_plugin("grounding", __name__, "GroundingIntent", menu_position=1)
