"""What the core says (menu, help, privacy, errors) and the store listing, per locale."""

from __future__ import annotations

from skill.blocks.content import Content
from skill.blocks.plugin import Plugin
from skill.blocks.progress import NoProgress


class StoreListing(Content):
    name: str
    summary: str
    description: str
    # Written after the description in the store (Amazon's policy for health skills): that
    # the skill is not medical advice and not a substitute for professional help.
    health_disclaimer: str
    example_phrases: tuple[str, ...]
    keywords: tuple[str, ...]


class CoreContent(Content):
    invocation_name: str
    disclaimer: str
    disclaimer_short: str  # at the first launch
    welcome_back: str
    left_off: str  # {label}
    resume_question: str
    resume_reprompt: str
    pick_up_which: str  # {label}: after naming several places to pick up
    nothing_unfinished: str
    stop_in_middle: str  # before asking to remember, when the person stops in the middle
    place_kept: str  # the same, for a person remembered
    return_question: str  # {label}
    return_reprompt: str  # {label}
    menu_question: str  # {options}
    menu_again: str  # {options}: a later menu, two offers
    front_door: str  # the first launch: what the skill is, in a sentence
    menu_reprompt: str  # {options}
    or_word: str
    no_offers: str
    home: str
    help_intro: str
    help_controls: str
    help_short: str  # {options}: two or three things to say
    unknown_offer: str
    anything_else: str
    fallback: str
    answer_again: str  # before a yes/no question asked once more
    answer_unsure_again: str  # the same, after "I don't know"
    nothing_to_repeat: str
    nothing_in_progress: str
    goodbye: str
    error: str
    consent_question: str
    consent_reprompt: str
    consent_given: str
    consent_given_bye: str
    consent_unclear: str  # an answer that stayed unclear: nothing kept, not even a no
    known_declined: str  # {date}
    consent_declined: str
    known_nothing: str
    never_words: str
    known_consent: str  # {date}
    known_visits: str  # {visits}
    known_last_activity: str  # {activity}
    known_progress: str
    retention: str
    how_to_erase: str
    erase_question: str
    erase_reprompt: str
    erase_cancelled: str
    erased: str
    erase_failed: str
    progress_not_read: str
    progress_not_saved: str
    # What this session carried was erased meanwhile (forget me on another device): said once.
    erased_elsewhere: str
    # Erased, but a plugin could not undo all it set up outside the profile (its own words).
    erased_but: str  # {what}
    date_format: str  # strftime format for dates said aloud
    store: StoreListing


# The core, declared like any plugin (skill.core.Core): handlers reach its texts as
# self.plugin.text(handler_input), and the building blocks through core_text().
CorePlugin = Plugin[CoreContent, NoProgress]
