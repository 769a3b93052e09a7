"""The content snapshot: every enabled plugin's validated content, per locale, read without
validating it again (and without importing pydantic), so that a cold start only parses JSON.

`secure-base package` writes it into the Lambda zip (skill/local/content_snapshot.py), and the
development tools (`secure-base chat`, `model check`, the tests) write it beside the project
file whenever it is missing or stale. The skill refuses one that is stale (older than a source
it was built from: a locale file, or a module defining a content class) or built for another
plugin list, with an error that says how to rebuild it; it never serves half of one.

Layout, in `content-snapshot/` beside the project file:
- `index.json`: the format, the project's plugin list (and the project file's hash: the
  skill reads the list again only when the file changed), the plugins left out (broken) with what
  was wrong, and for each declaration served (the core, the safety layer, every plugin) its
  class and the fingerprint of each source file.
- `<declaration>/<locale>.json`: its locale file and content, each model as a JSON object
  carrying `"~"`, the index of its class in the file's `classes`.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from skill.blocks.content import LocaleFile, Model
from skill.blocks.locales import LOCALES

FORMAT = 1
FOLDER_NAME = "content-snapshot"
INDEX = "index.json"
TYPE_KEY = "~"
# Where the snapshot is, when not beside the project file (a read-only project folder).
FOLDER_ENV = "SECURE_BASE_SNAPSHOT"
REBUILD = "run `secure-base snapshot` (make run and make test do it for you)"

# A source as the index records it: (package, path inside it, sha-256, or None when absent).
Source = tuple[str, str, str | None]


class SnapshotError(Exception):
    """A snapshot that cannot be served: missing, stale, damaged, or for other plugins."""


def default_folder(project: Path) -> Path:
    chosen = os.environ.get(FOLDER_ENV)
    return Path(chosen) if chosen else project.parent / FOLDER_NAME


def class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def digest(package: str, path: str) -> str | None:
    """The source's sha-256, or None when it is not there."""
    try:
        found = resources.files(package).joinpath(path)
    except ImportError:  # the package is gone (a plugin uninstalled): its file is absent too
        return None
    return hashlib.sha256(found.read_bytes()).hexdigest() if found.is_file() else None


def changed(sources: Sequence[Source]) -> list[str]:
    """The sources that differ from what was recorded. A module recorded as source that ships as
    bytecode only (a dependency in the Lambda zip) cannot be compared, and is not."""
    differing = []
    for package, path, recorded in sources:
        now = digest(package, path)
        if now is None and path.endswith(".py") and recorded is not None:
            continue
        if now != recorded:
            differing.append(f"{package.replace('.', '/')}/{path}")
    return differing


@dataclass(frozen=True)
class Declaration:
    class_path: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    plugins: tuple[str, ...]  # the project's list it was built for
    errors: dict[str, str]  # plugins left out, and why
    declarations: dict[str, Declaration]
    project: str | None = None  # the sha-256 of the project file it was written with
    # The code that reads, lays over and validates every locale file, and the locales served.
    builder: tuple[Source, ...] = ()
    locales: tuple[str, ...] = ()

    def written_with(self, project: Path) -> bool:
        """Whether `project` is the very file the snapshot was written with."""
        return (
            project.is_file() and hashlib.sha256(project.read_bytes()).hexdigest() == self.project
        )

    @classmethod
    def read(cls, folder: Path) -> Snapshot:
        try:
            index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SnapshotError(f"no content snapshot in {folder}: {REBUILD}") from None
        except (OSError, ValueError) as error:
            raise SnapshotError(
                f"content snapshot {folder} unreadable ({error}): {REBUILD}"
            ) from None
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise SnapshotError(f"content snapshot {folder} is of another format: {REBUILD}")
        try:
            declarations = {
                name: Declaration(entry["class"], tuple(tuple(s) for s in entry["sources"]))
                for name, entry in index["declarations"].items()
            }
            plugins, errors = tuple(index["plugins"]), dict(index["errors"])
            builder = tuple(tuple(s) for s in index["builder"])
            locales = tuple(index["locales"])
        except (KeyError, TypeError, AttributeError):
            raise SnapshotError(f"content snapshot {folder}: damaged index: {REBUILD}") from None
        return cls(folder, plugins, errors, declarations, index.get("project"), builder, locales)

    def problems(self, plugins: Sequence[str]) -> list[str]:
        """Why this snapshot cannot serve a project listing `plugins`, if it cannot."""
        if tuple(plugins) != self.plugins:
            return [f"built for plugins {list(self.plugins)}, the project lists {list(plugins)}"]
        if self.locales != LOCALES:
            return [f"built for locales {list(self.locales)}, the skill serves {list(LOCALES)}"]
        stale = [path for d in self.declarations.values() for path in changed(d.sources)]
        return [f"older than {path}" for path in [*changed(self.builder), *stale]]

    def require(self, plugins: Sequence[str]) -> Snapshot:
        problems = self.problems(plugins)
        if problems:
            raise SnapshotError(f"content snapshot {self.folder}: {'; '.join(problems)}: {REBUILD}")
        return self

    def holds(self, name: str, declared: type) -> bool:
        found = self.declarations.get(name)
        return found is not None and found.class_path == class_path(declared)

    def entry(self, name: str, locale: str) -> tuple[LocaleFile, Any]:
        """A declaration's locale file and content in `locale`, as they were validated."""
        path = self.folder / name / f"{locale}.json"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise SnapshotError(f"content snapshot has no {name}/{locale}: {REBUILD}") from None
        try:
            classes = _classes(tuple(json.loads(text[: text.index("\n")])))
            entry = json.loads(text[text.index("\n") + 1 :], object_hook=_builder(classes))
            return entry["locale_file"], entry["content"]
        except (ValueError, KeyError, TypeError, AttributeError, ImportError):
            raise SnapshotError(f"content snapshot: {name}/{locale} damaged: {REBUILD}") from None


@cache
def _classes(paths: tuple[str, ...]) -> tuple[type[Model], ...]:
    found = []
    for path in paths:
        module, _, qualname = path.partition(":")
        target: Any = importlib.import_module(module)
        for part in qualname.split("."):
            target = getattr(target, part)
        if not (isinstance(target, type) and issubclass(target, Model)):
            raise SnapshotError(f"content snapshot names {path}, which is not a content model")
        found.append(target)
    return tuple(found)


def _builder(classes: tuple[type[Model], ...]) -> Callable[[dict[str, Any]], Any]:
    """json's object hook: each object made what it was validated as (its lists as the
    tuples the models declare), without validating it again."""

    def build(found: dict[str, Any]) -> Any:
        for key, value in found.items():
            if type(value) is list:
                found[key] = _tuples(value)
        kind = found.pop(TYPE_KEY, None)
        if kind is None:
            return found
        # Its fields as they were validated: not through __init__, which would make a dataclass
        # of the class first (skill.blocks.content.Model), for nothing.
        made = object.__new__(classes[kind])
        made.__dict__.update(found)
        return made

    return build


def _tuples(items: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuples(item) if type(item) is list else item for item in items)
