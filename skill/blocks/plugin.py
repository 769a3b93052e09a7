"""The plugin base classes: a plugin is one class, and its handlers are bound to it.

A plugin declares as class attributes its name, intents, handlers, permissions, menu position
and the capabilities it provides; its content model and progress model are its two type
parameters (`class Grounding(Plugin[GroundingContent, GroundingProgress])`). Its hooks (start,
resume offer and resume, launch takeover, help, describe, forget) are methods with default
implementations. Sample utterances, custom slot values and spoken content live beside the class
in per-locale JSON files (`locale/<locale>.json`, falling back to `locale/<language>.json`),
validated where the skill is built (skill/blocks/validation.py) and served from the content
snapshot (skill/blocks/snapshot.py), or from the files themselves for a plugin the snapshot does
not hold (a test's own plugin).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from typing import Any, ClassVar, Generic, TypeVar, cast, get_args, get_origin

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.blocks.content import ANSWER_WORD_TYPE, Content, Intent, LocaleFile, MenuContent
from skill.blocks.focus import is_active, set_active
from skill.blocks.layers import laid_over
from skill.blocks.locales import LOCALES as LOCALES
from skill.blocks.progress import NoProgress, Progress
from skill.blocks.sdk import RequestHandler
from skill.blocks.session import store_state, stored_state
from skill.blocks.snapshot import Snapshot
from skill.state import NAME_PATTERN
from skill.text import words

# Its progress is kept under its name, in the form the profile keeps names in.
_NAME = re.compile(NAME_PATTERN)

ContentT = TypeVar("ContentT", bound=Content)
ProgressT = TypeVar("ProgressT", bound=Progress)
PluginT = TypeVar("PluginT", bound="Plugin[Any, Any]")


def served(locale: str | None) -> str:
    """The locale the skill answers in: the request's, or the first for one it does not serve."""
    return locale if locale in LOCALES else LOCALES[0]


class PluginError(Exception):
    """A plugin's declaration or files are invalid."""


def is_intent(handler_input: HandlerInput, *names: str) -> bool:
    """Whether the request is an IntentRequest for one of `names`."""
    return any(is_intent_name(name)(handler_input) for name in names)


class Handler(RequestHandler, Generic[PluginT]):
    """A request handler bound to its plugin (`self.plugin`), which the framework makes.

    It answers the request types in `requests` and the intents in `intents` (either list may be
    empty; both empty: any request), only while its plugin is the active one when
    `while_active` is set, and only when `applies` agrees.
    """

    intents: ClassVar[tuple[str, ...]] = ()
    requests: ClassVar[tuple[str, ...]] = ()
    while_active: ClassVar[bool] = False

    def __init__(self, plugin: PluginT) -> None:
        self.plugin = plugin

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if self.while_active and not self.plugin.is_active(handler_input):
            return False
        wanted = self.intents or self.requests
        if wanted and not (
            is_intent(handler_input, *self.intents)
            or any(is_request_type(kind)(handler_input) for kind in self.requests)
        ):
            return False
        return self.applies(handler_input)

    def applies(self, handler_input: HandlerInput) -> bool:
        """A further condition than the request's name (an offer just made, a stage)."""
        return True


class Plugin(Generic[ContentT, ProgressT]):
    """Base of every plugin (and of the core and the safety layer, declared the same way)."""

    name: ClassVar[str]
    intents: ClassVar[tuple[Intent, ...]] = ()
    handlers: ClassVar[tuple[type[Handler[Any]], ...]] = ()
    # Alexa permission scopes the plugin asks for (written into the skill manifest).
    permissions: ClassVar[tuple[str, ...]] = ()
    # Position in the spoken menu; None keeps the plugin out of the menu.
    menu_position: ClassVar[int | None] = None
    # What other parts of the skill may start through this plugin's `start` hook, for example
    # "breathing": the safety layer and the repair guidance offer a breathing exercise only when
    # an enabled plugin provides it.
    provides: ClassVar[frozenset[str]] = frozenset()
    # False for an activity that assumes a safe relationship (couple repair): after the domestic
    # violence resources were given in a session, the menu and launch leave it out.
    after_abuse: ClassVar[bool] = True
    # What a certification reviewer does to try this plugin's main path, and each permission
    # it asks for, in English: `model build` gathers these into the manifest's testing
    # instructions, and `model check --release` fails on an enabled plugin without them.
    testing: ClassVar[str] = ""
    # Set from the type parameters; the package whose `locale/` folder holds the files is the
    # class's own, unless `locale_package` says otherwise.
    content_model: ClassVar[type[Content]]
    progress_model: ClassVar[type[Progress]] = NoProgress
    locale_package: ClassVar[str]
    # Per locale: what is served (from the snapshot, else validated files), and what the files
    # validated as (model check, the snapshot's build).
    _cache: ClassVar[dict[str, tuple[LocaleFile, Any]]]
    _validated: ClassVar[dict[str, tuple[LocaleFile, Any]]]
    _snapshot: ClassVar[Snapshot | None]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            origin = get_origin(base)
            args = get_args(base)
            declared = isinstance(origin, type) and issubclass(origin, Plugin) and len(args) == 2
            if declared and all(isinstance(arg, type) for arg in args):
                cls.content_model, cls.progress_model = args
        concrete = next(
            (base for base in cls.__mro__[1:] if issubclass(base, Plugin) and "name" in vars(base)),
            None,
        )
        if concrete is not None and "locale_package" not in cls.__dict__:
            cls.locale_package = concrete.locale_package  # a variant of a plugin: its files
        elif "locale_package" not in cls.__dict__:
            module = sys.modules[cls.__module__]
            is_package = hasattr(module, "__path__")
            cls.locale_package = module.__name__ if is_package else module.__package__ or ""
        cls._cache, cls._validated, cls._snapshot = {}, {}, None
        if "name" in cls.__dict__:
            cls._check_declaration()

    @classmethod
    def _check_declaration(cls) -> None:
        if not _NAME.match(cls.name):
            raise PluginError(
                f"plugin name {cls.name!r} must be lowercase letters, digits, _ (at most 40)"
            )
        if not hasattr(cls, "content_model"):
            raise PluginError(f"plugin {cls.name}: declare Plugin[ContentModel, ProgressModel]")
        if cls.menu_position is not None and not issubclass(cls.content_model, MenuContent):
            raise PluginError(f"plugin {cls.name} is in the menu: its content needs MenuContent")
        for handler in cls.handlers:
            if not (isinstance(handler, type) and issubclass(handler, Handler)):
                raise PluginError(f"plugin {cls.name}: {handler!r} is not a Handler class")
        try:
            cls.progress_model.check_declaration()
        except ValueError as error:
            raise PluginError(f"plugin {cls.name}: {error}") from None

    def __init__(self) -> None:
        self.request_handlers: tuple[Handler[Any], ...] = tuple(h(self) for h in self.handlers)

    # -- what a handler reaches through self.plugin ------------------------------------------

    def text(self, handler_input: HandlerInput) -> ContentT:
        """This plugin's content in the request's locale."""
        return self.content(get_locale(handler_input))

    def progress(self, handler_input: HandlerInput) -> ProgressT:
        """What the profile keeps for this plugin (its progress model's defaults if nothing)."""
        stored = stored_state(handler_input, self.name)
        return cast(ProgressT, self.progress_model.read(stored))

    def save(self, handler_input: HandlerInput, progress: ProgressT) -> None:
        """Keeps `progress` (written when the person agreed to be remembered) and makes this
        plugin the last activity, the one a later launch names or offers to resume. A plugin
        that keeps nothing saves `NoProgress()` to be named: no entry is kept for it."""
        store_state(handler_input, self.name, progress.stored())

    def is_active(self, handler_input: HandlerInput) -> bool:
        return is_active(handler_input, self.name)

    def activate(self, handler_input: HandlerInput, at: ProgressT | None = None) -> None:
        """The person is now in this plugin: its handlers hear the next turn first. With
        `at`, that progress is kept too (the place the person is at)."""
        if at is not None:
            self.save(handler_input, at)
        set_active(handler_input, self.name)

    def deactivate(self, handler_input: HandlerInput) -> None:
        """The activity in progress is over, whichever plugin's it was: the next turn is heard
        in the usual order (the check-in's "now my partner" leaves any activity)."""
        set_active(handler_input, None)

    @property
    def can_resume(self) -> bool:
        """Whether the plugin has a resume hook (another plugin can hand back to it)."""
        return type(self).resume is not Plugin.resume

    def label(self, locale: str | None) -> str:
        """How the menu names it ("a calming exercise"); its name if it is not on the menu."""
        content = self.content(locale)
        return content.label if isinstance(content, MenuContent) else self.name

    # -- hooks (override what the plugin needs) ------------------------------------------------

    def start(self, handler_input: HandlerInput, *lead: str) -> Response | None:
        """Starts the plugin's main activity after saying `lead`, when another part of the
        skill starts it (through a capability in `provides`); None if it cannot be."""
        return None

    def resume_offer(self, handler_input: HandlerInput) -> str | None:
        """One sentence saying where the person stopped, or None when there is nothing to
        resume (the launch then offers the menu)."""
        return None

    def resume(self, handler_input: HandlerInput, *lead: str) -> Response | None:
        """Continues where the person stopped; None when the plugin cannot resume."""
        return None

    def start_over(self, handler_input: HandlerInput, *lead: str) -> Response | None:
        """Begins the activity again from its start, its kept place dropped ("no, start over"
        to a resume offer); by default the `start` hook."""
        return self.start(handler_input, *lead)

    def on_launch(self, handler_input: HandlerInput, *lead: str) -> Response | None:
        """A response that takes over the launch (the evening check-in), or None."""
        return None

    def help(self, handler_input: HandlerInput, *footer: str) -> Response | None:
        """Answers "help" while this plugin is the active one, ending with `footer` (the lines
        every help says, such as where to find help in a crisis); None for the general help."""
        return None

    def help_line(self, handler_input: HandlerInput) -> str | None:
        """What the general help says about this plugin: its menu description by default."""
        content = self.text(handler_input)
        return content.description if isinstance(content, MenuContent) else None

    def help_footer(self, handler_input: HandlerInput) -> str | None:
        """A line every help ends with, the active plugin's too (the safety layer's)."""
        return None

    def describe(self, handler_input: HandlerInput) -> str | None:
        """One sentence on what this plugin keeps about the person beyond a place in it
        ("what do you know about me"); None when it keeps nothing more."""
        return None

    def forget(self, handler_input: HandlerInput) -> str | None:
        """Erases what the plugin keeps outside the profile (e.g. reminders it created) when
        the person erases their data; the profile items themselves are deleted by the core.

        Returns None when all of it is gone, else one sentence telling the person what is left
        and how to remove it themselves (the core says it, after "I've erased everything I
        kept"). An exception counts as nothing left to say, and is logged by its type only.
        """
        return None

    def understands_slot(
        self, locale: str, slot_type: str, value: str, resolved: str | None
    ) -> bool:
        """Whether a slot value heard without the skill's name ("Alexa, do box breathing") is
        one this plugin can serve. Called with no request (nothing of the person's may be
        read): `resolved` is the id entity resolution matched, if Alexa sent one. By default,
        a built-in type's value, or a value or synonym of one of this plugin's types."""
        if slot_type.startswith("AMAZON.") or resolved is not None:
            return True
        values = self.locale_file(locale).slot_types.get(slot_type, ())
        phrases = {" ".join(words(p)) for v in values for p in (v.value, *v.synonyms)}
        return " ".join(words(value)) in phrases

    # -- locale files --------------------------------------------------------------------------

    def locale_file(self, locale: str) -> LocaleFile:
        return self._load(locale)[0]

    def content(self, locale: str | None) -> ContentT:
        return cast(ContentT, self._load(served(locale))[1])

    def validate(self, locales: Sequence[str] = LOCALES) -> None:
        """Validates `locales` from the files now (every one by default): model check, the
        snapshot's build and the tests do; the skill itself serves from the snapshot."""
        for locale in locales:
            self.validated(locale)

    @classmethod
    def serve_from(cls, snapshot: Snapshot | None) -> None:
        """Serves this plugin's content from `snapshot` (None: from its validated files)."""
        if cls._snapshot is not snapshot:
            cls._snapshot, cls._cache = snapshot, {}

    def _load(self, locale: str) -> tuple[LocaleFile, Any]:
        cache = type(self)._cache
        if locale not in cache:
            snapshot = type(self)._snapshot
            cache[locale] = (
                snapshot.entry(self.name, locale)
                if snapshot is not None
                else self.validated(locale)
            )
        return cache[locale]

    def validated(self, locale: str) -> tuple[LocaleFile, Any]:
        """The locale's files, validated: its locale file (its content section served as the
        content model, not kept twice) and its content; raises PluginError."""
        found = type(self)._validated
        if locale not in found:
            # pydantic, only where content is validated: the skill serves from the snapshot.
            from skill.blocks.validation import Invalid, validated

            merged, files = self._read(locale)
            where = f"plugin {self.name}, {' + '.join(files)}"
            try:
                data = validated(LocaleFile, merged)
            except Invalid as error:
                raise PluginError(f"{where}: {error}") from None
            self._check(where, data)
            try:
                content = validated(self.content_model, data.content, speakable=True)
            except Invalid as error:
                raise PluginError(f"{where}: content.{error}") from None
            found[locale] = (replace(data, content={}), content)
        return found[locale]

    def _read(self, locale: str) -> tuple[dict[str, Any], list[str]]:
        """The language file (`en.json`) with the locale's own file (`en-GB.json`) laid over
        it, section by section, so a locale only restates what differs (its samples, answer
        words and slot synonyms add to the language's); and the files read."""
        folder = resources.files(self.locale_package) / "locale"
        layers = [folder / f"{locale.split('-')[0]}.json", folder / f"{locale}.json"]
        found = [layer for layer in layers if layer.is_file()]
        if not found:
            raise PluginError(f"plugin {self.name}: no locale file for {locale} in {folder}")
        merged: dict[str, Any] = {}
        for layer in found:
            try:
                sections = json.loads(layer.read_text(encoding="utf-8"))
            except json.JSONDecodeError as error:
                raise PluginError(
                    f"plugin {self.name}, {layer}: line {error.lineno}, column {error.colno}: "
                    f"{error.msg}"
                ) from None
            if not isinstance(sections, dict):
                raise PluginError(f"plugin {self.name}, {layer}: not a JSON object")
            for section, value in sections.items():
                merged[section] = laid_over(section, merged.get(section), value)
        return merged, [str(layer) for layer in found]

    def _check(self, where: str, data: LocaleFile) -> None:
        declared = {intent.name for intent in self.intents}
        unknown = set(data.samples) - declared
        missing = {i.name for i in self.intents if not i.builtin} - set(data.samples)
        if unknown:
            raise PluginError(f"{where}: samples for undeclared intents {sorted(unknown)}")
        if missing:
            raise PluginError(f"{where}: no samples for {sorted(missing)}")
        for intent in self.intents:
            for slot_type in intent.slots.values():
                built = slot_type.startswith("AMAZON.") or slot_type == ANSWER_WORD_TYPE
                if not built and slot_type not in data.slot_types:
                    raise PluginError(f"{where}: no slot type {slot_type}")
