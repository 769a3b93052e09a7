"""What the core says, and the store listing, per locale (validated when loaded)."""

from __future__ import annotations

from skill.plugin import Content


class StoreListing(Content):
    name: str
    summary: str
    description: str
    example_phrases: tuple[str, ...]
    keywords: tuple[str, ...]


class CoreContent(Content):
    invocation_name: str
    welcome_new: str
    disclaimer: str
    welcome_back: str
    left_off: str  # {label}
    resume_question: str
    resume_reprompt: str
    menu_question: str  # {options}
    menu_reprompt: str  # {options}
    or_word: str
    no_offers: str
    home: str
    help_intro: str
    help_controls: str
    help_safety: str
    unknown_offer: str
    anything_else: str
    fallback: str
    nothing_to_repeat: str
    goodbye: str
    error: str
    store: StoreListing
