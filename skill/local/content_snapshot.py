"""Writes the content snapshot (skill/blocks/snapshot.py): `secure-base snapshot`, the Lambda
package, and the development tools whenever the one beside the project file is missing or stale.

Every declaration (the core, the safety layer, each enabled plugin) is validated from its files
in every locale first; a plugin that fails in any of them is left out of the snapshot whole, its
error recorded, so that the skill never serves half of it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from skill.blocks.content import LocaleFile, Model
from skill.blocks.plugin import LOCALES, Plugin, PluginError
from skill.blocks.snapshot import (
    FORMAT,
    INDEX,
    TYPE_KEY,
    Snapshot,
    SnapshotError,
    Source,
    class_path,
    default_folder,
    digest,
)
from skill.core import Core
from skill.discovery import ENTRY_POINT_GROUP, discover, enabled, project_file
from skill.safety import Safety

# The code every locale file goes through before it is served: read and laid over
# (skill/blocks/plugin.py, layers.py), validated (validation.py, content.py, speech.py).
BUILDER = (
    ("skill.blocks", "plugin.py"),
    ("skill.blocks", "layers.py"),
    ("skill.blocks", "validation.py"),
    ("skill.blocks", "content.py"),
    ("skill", "speech.py"),
)


def write_project(folder: Path) -> Path:
    """The snapshot of this project: the core, the safety layer and the plugins it lists."""
    found = discover()
    project = project_file()
    return write(folder, [Core(), Safety()], found.plugins, enabled(project), found.errors, project)


def write(
    folder: Path,
    built_in: Sequence[Plugin[Any, Any]],
    plugins: Sequence[Plugin[Any, Any]],
    names: Sequence[str],
    errors: dict[str, str],
    project: Path | None = None,
) -> Path:
    """Validates every declaration in every locale and writes the snapshot to `folder`, in the
    place of any there. A plugin that fails in some locale is left out whole, its error kept
    (with those in `errors`, of plugins that could not be loaded); a built-in one raises.
    `project`: the project file whose list `names` is (the skill then reads it only if it
    changed)."""
    errors = dict(errors)
    served: list[Plugin[Any, Any]] = []
    for declaration in [*built_in, *plugins]:
        try:
            declaration.validate(LOCALES)
        except PluginError as error:
            if declaration in built_in:
                raise
            errors[declaration.name] = f"{type(error).__name__}: {error}"
            continue
        served.append(declaration)
    staging = folder.with_name(f"{folder.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    index: dict[str, Any] = {
        "format": FORMAT,
        "plugins": list(names),
        "errors": errors,
        "project": _sha256(project) if project is not None and project.is_file() else None,
        "locales": list(LOCALES),
        "builder": [(package, file, digest(package, file)) for package, file in BUILDER],
        "declarations": {},
    }
    for declaration in served:
        used: list[str] = [class_path(LocaleFile)]
        (staging / declaration.name).mkdir()
        for locale in LOCALES:
            data, content = declaration.validated(locale)
            classes: list[str] = []
            entry = {"locale_file": _tagged(data, classes), "content": _tagged(content, classes)}
            text = json.dumps(classes) + "\n" + json.dumps(entry, ensure_ascii=False)
            (staging / declaration.name / f"{locale}.json").write_text(text, encoding="utf-8")
            used += classes
        index["declarations"][declaration.name] = {
            "class": class_path(type(declaration)),
            "sources": sources(declaration, used),
        }
    (staging / INDEX).write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    _replace(folder, staging)
    return folder


def sources(declaration: Plugin[Any, Any], classes: Sequence[str]) -> list[Source]:
    """What the declaration's content is made from: the locale files its locales read (those
    absent too, so that one added later counts) and the modules of its content classes."""
    package = declaration.locale_package
    names = dict.fromkeys(name for locale in LOCALES for name in (locale.split("-")[0], locale))
    found: list[Source] = [
        (package, f"locale/{name}.json", digest(package, f"locale/{name}.json")) for name in names
    ]
    for module in dict.fromkeys(path.partition(":")[0] for path in classes):
        parent, _, file = module.rpartition(".")
        loaded = sys.modules[module]
        if hasattr(loaded, "__path__"):  # a package: its __init__.py
            parent, file = module, "__init__"
        found.append((parent, f"{file}.py", digest(parent, f"{file}.py")))
    return found


def refresh(project: Path | None = None) -> bool:
    """Rebuilds the snapshot beside the project file when it is missing, stale or for another
    plugin list (what the development tools do before serving); returns whether it did."""
    folder = default_folder(project or project_file())
    try:
        snapshot = Snapshot.read(folder)
        # One that left a plugin out is written again every time: its sources are not recorded,
        # and the fix is to be heard at once.
        if not snapshot.problems(enabled()) and not _moved(snapshot) and not snapshot.errors:
            return False
    except SnapshotError:
        pass
    write_project(folder)
    return True


def _moved(snapshot: Snapshot) -> list[str]:
    """The plugins whose installed entry point names another class than the snapshot recorded
    (the skill imports each from where the snapshot says: skill.discovery.served)."""
    moved = []
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        recorded = snapshot.declarations.get(entry_point.name)
        if recorded is not None and entry_point.name not in ("core", "safety"):
            try:
                found = class_path(entry_point.load())
            except Exception:  # not importable now: the snapshot is stale either way
                found = ""
            if found != recorded.class_path:
                moved.append(entry_point.name)
    return moved


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tagged(value: Any, classes: list[str]) -> Any:
    """`value` as JSON, each model an object whose TYPE_KEY is its class's place in `classes`."""
    if isinstance(value, Model):
        path = class_path(type(value))
        if path not in classes:
            classes.append(path)
        fields = {
            f.name: _tagged(getattr(value, f.name), classes) for f in dataclasses.fields(value)
        }
        return {TYPE_KEY: classes.index(path), **fields}
    if isinstance(value, dict):
        if TYPE_KEY in value:
            raise PluginError(f"a content key may not be {TYPE_KEY!r}: the snapshot uses it")
        return {key: _tagged(item, classes) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(item, classes) for item in value]
    return value


def _replace(folder: Path, staging: Path) -> None:
    """Puts `staging` in `folder`'s place, so that a reader finds the old snapshot or the new."""
    old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
    if folder.exists():
        folder.rename(old)
    try:
        staging.rename(folder)
    except OSError:  # another process put its own, written from the same sources, first
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
