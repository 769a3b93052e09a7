"""Repair: not written yet; the menu offer says so honestly until it lands."""

from skill.plugins.coming_soon import coming_soon_plugin

plugin = coming_soon_plugin("repair", __name__, "RepairIntent", menu_position=3)
