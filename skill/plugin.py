"""The plugin API: how a content module (built in or third party) plugs into Secure Base.

A plugin declares in one place its name, its intents and their slots, its handlers, its content
model, the Alexa permissions it needs and, optionally, a resume hook. Sample utterances, custom
slot values and spoken content live beside it in per-locale JSON files
(`locale/<locale>.json`, falling back to `locale/<language>.json`), loaded once per container.

Plugins are found through the entry point group `secure_base.plugins`; each entry point names a
`Plugin` object. A plugin that fails to import or to validate is logged and left out, and the
others keep working.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import Any, Generic, Protocol, TypeVar

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from skill.speech import validate_text

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "secure_base.plugins"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
NAME_PATTERN = re.compile(r"^(?:AMAZON\.)?[A-Za-z][A-Za-z_]*$")


class Content(BaseModel):
    """Base for a plugin's spoken content: unknown keys fail, and so does unspeakable text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _speakable(cls, value: Any) -> Any:
        for text in _strings(value):
            validate_text(text)
        return value


class MenuContent(Content):
    """Content of a plugin offered in the menu: what the menu and help say about it."""

    # How the menu names it: "a calming exercise".
    label: str
    # One sentence for help: "A calming exercise, to slow your breathing and settle your body."
    description: str


class SlotValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    value: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()


class LocaleFile(BaseModel):
    """One plugin's `locale/<locale>.json`: samples, slot values and content."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    samples: dict[str, tuple[str, ...]] = {}
    slot_types: dict[str, tuple[SlotValue, ...]] = {}
    content: dict[str, Any] = {}


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=NAME_PATTERN.pattern)
    # slot name -> slot type (a custom type of this plugin's locale files, or AMAZON.*)
    slots: dict[str, str] = {}

    @property
    def builtin(self) -> bool:
        return self.name.startswith("AMAZON.")


class Resume(Protocol):
    """Lets Launch offer "pick up where you left off" for a plugin the person was in."""

    def offer(self, handler_input: HandlerInput) -> str | None:
        """One sentence saying where the person stopped, or None when there is nothing to resume."""

    def resume(self, handler_input: HandlerInput) -> Response:
        """Continues where the person stopped."""


ContentT = TypeVar("ContentT", bound=Content)


@dataclass(frozen=True, eq=False)
class Plugin(Generic[ContentT]):
    name: str
    package: str  # the import package whose `locale/` folder holds this plugin's files
    content_model: type[ContentT]
    handlers: Callable[[], Sequence[AbstractRequestHandler]]
    intents: tuple[Intent, ...] = ()
    permissions: tuple[str, ...] = ()
    resume: Resume | None = None
    # start(handler_input, *lead): starts the plugin's main activity, after saying `lead`, when
    # another part of the skill offers it (the safety layer or the repair guidance offering a
    # breathing exercise); None if it cannot be started that way.
    start: Callable[..., Response] | None = None
    # on_launch(handler_input, *lead): a response that takes over the launch (the evening
    # check-in), or None to let the launch go on as usual.
    on_launch: Callable[..., Response | None] | None = None
    # Says, in one sentence, what this plugin keeps about the person beyond a place in it
    # ("what do you know about me"); None when it keeps nothing more.
    describe: Callable[[HandlerInput], str | None] | None = None
    # Answers "help" while this plugin is the active one (see skill.core.session.set_active).
    help: Callable[[HandlerInput], Response] | None = None
    # Called when the person erases their data, for anything the plugin keeps outside the
    # profile (e.g. reminders it created); the profile items themselves are deleted by the core.
    forget: Callable[[HandlerInput], None] | None = None
    # Position in the spoken menu; None keeps the plugin out of the menu.
    menu_position: int | None = None
    _cache: dict[str, tuple[LocaleFile, ContentT]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise PluginError(f"plugin name {self.name!r} must be lowercase letters, digits, _")
        if self.menu_position is not None and not issubclass(self.content_model, MenuContent):
            raise PluginError(f"plugin {self.name} is in the menu: its content needs MenuContent")

    def locale_file(self, locale: str) -> LocaleFile:
        return self._load(locale)[0]

    def content(self, locale: str | None) -> ContentT:
        return self._load(locale if locale in LOCALES else LOCALES[0])[1]

    def _load(self, locale: str) -> tuple[LocaleFile, ContentT]:
        if locale not in self._cache:
            data = LocaleFile.model_validate(self._read(locale))
            self._check(locale, data)
            self._cache[locale] = (data, self.content_model.model_validate(data.content))
        return self._cache[locale]

    def _read(self, locale: str) -> dict[str, Any]:
        """The language file (`en.json`) with the locale's own file (`en-GB.json`) laid over it,
        section by section, so a locale only restates what differs."""
        folder = resources.files(self.package) / "locale"
        layers = [folder / f"{locale.split('-')[0]}.json", folder / f"{locale}.json"]
        found = [layer for layer in layers if layer.is_file()]
        if not found:
            raise PluginError(f"plugin {self.name}: no locale file for {locale}")
        merged: dict[str, Any] = {}
        for layer in found:
            for section, value in json.loads(layer.read_text(encoding="utf-8")).items():
                if isinstance(value, dict) and isinstance(merged.get(section), dict):
                    merged[section] = {**merged[section], **value}
                else:
                    merged[section] = value
        return merged

    def _check(self, locale: str, data: LocaleFile) -> None:
        declared = {intent.name for intent in self.intents}
        unknown = set(data.samples) - declared
        missing = {i.name for i in self.intents if not i.builtin} - set(data.samples)
        where = f"plugin {self.name} ({locale})"
        if unknown:
            raise PluginError(f"{where}: samples for undeclared intents {sorted(unknown)}")
        if missing:
            raise PluginError(f"{where}: no samples for {sorted(missing)}")
        for intent in self.intents:
            for slot_type in intent.slots.values():
                if not slot_type.startswith("AMAZON.") and slot_type not in data.slot_types:
                    raise PluginError(f"{where}: no slot type {slot_type}")

    def validate(self, locales: Sequence[str] = LOCALES) -> None:
        """Loads and checks `locales` now, not on a first request (every one by default)."""
        for locale in locales:
            self._load(locale)


class PluginError(Exception):
    """A plugin's declaration or files are invalid."""


@dataclass(frozen=True)
class Discovery:
    plugins: tuple[Plugin[Any], ...]
    # entry point name -> what went wrong, for plugins that could not be loaded
    errors: dict[str, str]


def load(
    entry_points: Sequence[metadata.EntryPoint], locales: Sequence[str] = LOCALES
) -> Discovery:
    """The plugins behind `entry_points`, each checked in `locales` (its other locales are
    read on first use)."""
    plugins: list[Plugin[Any]] = []
    errors: dict[str, str] = {}
    for entry_point in sorted(entry_points, key=lambda e: e.name):
        try:
            plugin = entry_point.load()
            if not isinstance(plugin, Plugin):
                raise PluginError(f"{entry_point.value} is a {type(plugin).__name__}, not a Plugin")
            plugin.validate(locales)
            handlers = list(plugin.handlers())
            if not all(isinstance(h, AbstractRequestHandler) for h in handlers):
                raise PluginError(f"{plugin.name}: handlers() must return request handlers")
        except Exception as error:  # a broken plugin must not break the rest
            errors[entry_point.name] = f"{type(error).__name__}: {error}"
            log.error("plugin %s left out: %s", entry_point.name, errors[entry_point.name])
            continue
        plugins.append(plugin)
    names = [p.name for p in plugins]
    duplicates = {n for n in names if names.count(n) > 1}
    for name in duplicates:
        errors[name] = "two plugins share this name"
        log.error("plugin %s left out: two plugins share this name", name)
    return Discovery(tuple(p for p in plugins if p.name not in duplicates), errors)


@cache
def discover(every_locale: bool = True) -> Discovery:
    """Every installed plugin, found once per process.

    The skill itself checks only the first locale at start (a broken plugin is still left out
    at once) and reads the others when first asked: a shorter cold start. `secure-base model
    check` and the tests check every locale.
    """
    locales = LOCALES if every_locale else LOCALES[:1]
    return load(list(metadata.entry_points(group=ENTRY_POINT_GROUP)), locales)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [s for v in value.__dict__.values() for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []
