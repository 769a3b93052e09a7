"""The locales the skill serves, the first the one it answers in for any other."""

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
