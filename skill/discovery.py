"""Which plugins the skill serves: the project's explicit list, found by entry point.

The list is `plugins` in `[tool.secure-base]` of the project's pyproject.toml (the built-in
plugins when it says nothing). `model build`, `model check`, `package` and the skill itself all
read this one list: a plugin installed but not listed changes nothing; a listed plugin that is not
installed is an error that names it. The list's order is the order in which plugins hear a turn
after the one the person is in.

The project file is `$SECURE_BASE_PROJECT` when set (a pyproject.toml, or the folder holding
one), else the pyproject.toml beside the `skill` package: the repository in development, and the
Lambda zip's root, where `secure-base package` puts it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from skill.blocks.plugin import LOCALES, Plugin, PluginError
from skill.blocks.snapshot import Snapshot, SnapshotError, default_folder

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "secure_base.plugins"
BUILT_IN = ("grounding", "reflection", "repair", "checkin")
SETTINGS_TABLE = "secure-base"  # [tool.secure-base] in pyproject.toml
PROJECT_ENV = "SECURE_BASE_PROJECT"


def project_file() -> Path:
    chosen = os.environ.get(PROJECT_ENV)
    if chosen:
        path = Path(chosen)
        return path / "pyproject.toml" if path.is_dir() else path
    return Path(__file__).resolve().parents[1] / "pyproject.toml"


def settings(pyproject: Path | None = None) -> dict[str, Any]:
    """`[tool.secure-base]` of the project file ({} when there is none)."""
    import tomllib  # 2 ms of a cold start, which reads the list only if the file changed (served)

    path = pyproject or project_file()
    if not path.is_file():
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    found: dict[str, Any] = table.get(SETTINGS_TABLE, {})
    return found


def enabled(pyproject: Path | None = None) -> tuple[str, ...]:
    listed = settings(pyproject).get("plugins", list(BUILT_IN))
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        raise PluginError("[tool.secure-base] plugins must be a list of plugin names")
    return tuple(listed)


@dataclass(frozen=True)
class Discovery:
    plugins: tuple[Plugin[Any, Any], ...]
    # plugin name -> what went wrong, for listed plugins that could not be served
    errors: dict[str, str]


def load(
    entry_points: Sequence[metadata.EntryPoint],
    names: Sequence[str],
    locales: Sequence[str] = LOCALES,
    check: Callable[[Plugin[Any, Any]], None] | None = None,
) -> Discovery:
    """The plugins `names` lists, in its order, each checked in `locales` (and by `check`, if
    given). One that cannot be loaded is logged and left out; the others work."""
    by_name: dict[str, list[metadata.EntryPoint]] = {}
    for entry_point in entry_points:
        by_name.setdefault(entry_point.name, []).append(entry_point)
    plugins: list[Plugin[Any, Any]] = []
    errors: dict[str, str] = {}
    for name in dict.fromkeys(names):
        try:
            plugin = _load_one(name, by_name.get(name, []), locales)
            if check is not None:
                check(plugin)
            plugins.append(plugin)
        except Exception as error:  # a broken plugin must not break the rest
            errors[name] = f"{type(error).__name__}: {error}"
            log.error("plugin %s left out: %s", name, errors[name])
    return Discovery(tuple(plugins), errors)


def _load_one(
    name: str, found: list[metadata.EntryPoint], locales: Sequence[str]
) -> Plugin[Any, Any]:
    if not found:
        raise PluginError(f"{name} is enabled but no installed package provides it")
    if len({e.value for e in found}) > 1:
        raise PluginError(f"two installed packages provide {name}")
    declared = found[0].load()
    if not (isinstance(declared, type) and issubclass(declared, Plugin)):
        raise PluginError(f"{found[0].value} is not a Plugin class")
    if declared.name != name:
        raise PluginError(f"{found[0].value} is plugin {declared.name}, not {name}")
    plugin = declared()
    plugin.validate(locales)
    return plugin


@cache
def discover() -> Discovery:
    """The enabled plugins, found once per process and validated from their files in every
    locale: what `secure-base model check`, the snapshot's build and the tests serve."""
    installed = list(metadata.entry_points(group=ENTRY_POINT_GROUP))
    return load(installed, enabled(), LOCALES)


def served(
    snapshot: Snapshot, entry_points: Sequence[metadata.EntryPoint] | None = None
) -> Discovery:
    """The enabled plugins as the skill serves them: their classes imported, their content left
    to the snapshot (read when first asked, never validated again). The snapshot must be for this
    project's plugin list and not older than its sources (SnapshotError); a plugin it left out
    when it was built (broken in some locale) is left out again, with that error.

    Each class is imported from where the snapshot found it by entry point when it was written,
    unless `entry_points` are given: reading every installed distribution's entry points again
    costs a cold start 1 ms in the Lambda zip and ten times that in a virtualenv."""
    project = project_file()
    # The project file the snapshot was written with names the plugins it was written for.
    names = snapshot.plugins if snapshot.written_with(project) else enabled(project)
    snapshot.require(names)
    if entry_points is None:
        entry_points = [
            metadata.EntryPoint(name=name, value=declared.class_path, group=ENTRY_POINT_GROUP)
            for name, declared in snapshot.declarations.items()
        ]

    def held(plugin: Plugin[Any, Any]) -> None:
        if not snapshot.holds(plugin.name, type(plugin)):
            raise SnapshotError(f"the content snapshot holds another class for {plugin.name}")

    # Left out when the snapshot was written: left out again, and logged again.
    left_out = {name: snapshot.errors[name] for name in names if name in snapshot.errors}
    for name, error in left_out.items():
        log.error("plugin %s left out: %s", name, error)
    found = load(entry_points, [name for name in names if name not in left_out], (), held)
    return Discovery(found.plugins, {**left_out, **found.errors})


@cache
def project_snapshot() -> Snapshot | None:
    """The snapshot beside the project file, if there is one; it must be fresh (SnapshotError)."""
    try:
        snapshot = Snapshot.read(default_folder(project_file()))
    except SnapshotError:
        return None
    return snapshot.require(enabled())
