"""The building blocks every handler stands on: session access, focus, next-turn expectations,
replies, the menu, hand-overs, the turn log, and the plugin base classes.

This package is the bottom layer: it imports nothing of the safety layer, the core's handlers or
any plugin. Plugin authors import it through `skill.api`.
"""
