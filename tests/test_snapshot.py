"""The content snapshot: what the skill serves is what was validated, and a stale one is refused."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.app import build_skill
from skill.blocks.plugin import LOCALES, Plugin
from skill.blocks.progress import NoProgress
from skill.blocks.snapshot import FOLDER_ENV, INDEX, Snapshot, SnapshotError
from skill.core import Core
from skill.discovery import PROJECT_ENV, discover, enabled, served
from skill.local import content_snapshot
from skill.safety import Safety
from tests.test_plugins import GOOD_LOCALE, entry_point, make_package, packages, words_class

__all__ = ["packages"]  # the fixture, used by name

ROOT = Path(__file__).resolve().parents[1]


def snapshot_of(folder: Path, *plugins: Plugin[Any, Any], names: tuple[str, ...] = ()) -> Snapshot:
    content_snapshot.write(folder, [], plugins, names or tuple(p.name for p in plugins), {})
    return Snapshot.read(folder)


def test_the_project_snapshot_serves_exactly_what_its_files_validate_as(tmp_path: Path) -> None:
    content_snapshot.write_project(tmp_path / "snapshot")
    snapshot = Snapshot.read(tmp_path / "snapshot")
    declarations: list[Plugin[Any, Any]] = [Core(), Safety(), *discover().plugins]
    assert sorted(snapshot.declarations) == sorted(d.name for d in declarations)
    for declaration in declarations:
        for locale in LOCALES:
            assert snapshot.entry(declaration.name, locale) == declaration.validated(locale)


def test_a_changed_locale_file_makes_the_snapshot_stale(packages: Path, tmp_path: Path) -> None:
    package = make_package(packages, "pkg_snap_edit", {"en.json": GOOD_LOCALE})
    snapshot = snapshot_of(tmp_path / "snapshot", words_class(package)())
    assert snapshot.problems(["words"]) == []
    edited = {**GOOD_LOCALE, "content": {**GOOD_LOCALE["content"], "words": "Hello again."}}
    (packages / package / "locale" / "en.json").write_text(json.dumps(edited))
    assert snapshot.problems(["words"]) == [f"older than {package}/locale/en.json"]
    with pytest.raises(SnapshotError, match=r"older than .*en.json.*secure-base snapshot"):
        snapshot.require(["words"])


def test_a_locale_file_added_since_makes_the_snapshot_stale(packages: Path, tmp_path: Path) -> None:
    package = make_package(packages, "pkg_snap_add", {"en.json": GOOD_LOCALE})
    snapshot = snapshot_of(tmp_path / "snapshot", words_class(package)())
    (packages / package / "locale" / "en-GB.json").write_text('{"content": {"words": "Hiya."}}')
    assert snapshot.problems(["words"]) == [f"older than {package}/locale/en-GB.json"]


def test_a_changed_content_model_makes_the_snapshot_stale(packages: Path, tmp_path: Path) -> None:
    package = make_package(packages, "pkg_snap_model", {"en.json": GOOD_LOCALE})
    source = packages / package / "__init__.py"
    source.write_text(
        "from skill.blocks.content import MenuContent\n\n\n"
        "class Kind(MenuContent):\n    words: str\n"
    )
    kind = __import__(package).Kind
    plugin = words_class(package, base=Plugin[kind, NoProgress])()  # type: ignore[valid-type]
    snapshot = snapshot_of(tmp_path / "snapshot", plugin)
    assert snapshot.problems(["words"]) == []
    source.write_text(source.read_text() + "    more: str = ''\n")
    assert snapshot.problems(["words"]) == [f"older than {package}/__init__.py"]


def test_a_snapshot_for_another_plugin_list_is_refused(packages: Path, tmp_path: Path) -> None:
    package = make_package(packages, "pkg_snap_list", {"en.json": GOOD_LOCALE})
    snapshot = snapshot_of(tmp_path / "snapshot", words_class(package)())
    with pytest.raises(
        SnapshotError, match=r"built for plugins \['words'\], .* \['words', 'more'\]"
    ):
        snapshot.require(["words", "more"])


def test_a_plugin_broken_in_one_locale_is_left_out_whole(packages: Path, tmp_path: Path) -> None:
    files = {"en.json": GOOD_LOCALE, "en-IN.json": {"content": {"colour": "blue"}}}
    package = make_package(packages, "pkg_snap_broken", files)
    broken = words_class(package)()
    snapshot = snapshot_of(tmp_path / "snapshot", broken)
    assert "words" not in snapshot.declarations
    assert "en-IN.json: content.colour: Extra inputs" in snapshot.errors["words"]
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.secure-base]\nplugins = ["words"]\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PROJECT_ENV, str(project))
        found = served(snapshot, [entry_point("words", f"{package}:WordsPlugin")])
    assert found.plugins == ()  # not served in en-US either
    assert "Extra inputs" in found.errors["words"]


def test_the_skill_refuses_a_missing_or_stale_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FOLDER_ENV, str(tmp_path / "snapshot"))
    with pytest.raises(SnapshotError, match=r"no content snapshot .*secure-base snapshot"):
        build_skill()
    content_snapshot.write_project(tmp_path / "snapshot")
    index = tmp_path / "snapshot" / INDEX
    recorded = json.loads(index.read_text())
    recorded["declarations"]["grounding"]["sources"][0][2] = "0" * 64  # built from other text
    index.write_text(json.dumps(recorded))
    with pytest.raises(SnapshotError, match=r"older than skill/plugins/grounding/locale/en\.json"):
        build_skill()


def test_the_development_tools_rebuild_a_stale_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FOLDER_ENV, str(tmp_path / "snapshot"))
    assert content_snapshot.refresh() is True  # missing: written
    assert content_snapshot.refresh() is False  # fresh: left as it is
    index = tmp_path / "snapshot" / INDEX
    recorded = json.loads(index.read_text())
    recorded["plugins"] = ["grounding"]
    index.write_text(json.dumps(recorded))
    assert content_snapshot.refresh() is True
    assert Snapshot.read(tmp_path / "snapshot").problems(enabled()) == []
    # The skill imports each plugin from where the snapshot found it: an entry point that now
    # names another class is a stale snapshot too.
    recorded = json.loads(index.read_text())
    recorded["declarations"]["repair"]["class"] = "skill.plugins.grounding.plugin:Grounding"
    index.write_text(json.dumps(recorded))
    assert content_snapshot.refresh() is True
    assert (
        Snapshot.read(tmp_path / "snapshot").declarations["repair"].class_path.endswith(":Repair")
    )


def test_snapshot_check_says_whether_the_snapshot_can_be_served(tmp_path: Path) -> None:
    environment = {FOLDER_ENV: str(tmp_path / "snapshot"), "PATH": ""}
    command = [sys.executable, "-m", "skill.local.cli", "snapshot"]
    stale = subprocess.run([*command, "--check"], env=environment, capture_output=True, text=True)
    assert stale.returncode == 1 and "no content snapshot" in stale.stderr
    written = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=ROOT)
    assert written.returncode == 0, written.stderr
    fresh = subprocess.run([*command, "--check"], env=environment, capture_output=True, text=True)
    assert fresh.returncode == 0 and "up to date" in fresh.stdout


def test_the_skill_reads_the_plugin_list_again_only_when_the_project_file_changed(
    packages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = make_package(packages, "pkg_snap_project", {"en.json": GOOD_LOCALE})
    plugin = words_class(package)()
    module: Any = importlib.import_module(package)
    module.WordsPlugin = type(plugin)  # where its entry point says it is
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.secure-base]\nplugins = ["words"]\n')
    monkeypatch.setenv(PROJECT_ENV, str(project))
    content_snapshot.write(tmp_path / "snapshot", [], [plugin], ["words"], {}, project)
    snapshot = Snapshot.read(tmp_path / "snapshot")
    installed = [entry_point("words", f"{package}:WordsPlugin")]
    assert snapshot.written_with(project)
    assert [p.name for p in served(snapshot, installed).plugins] == ["words"]
    project.write_text('# the same list, said again\n[tool.secure-base]\nplugins = ["words"]\n')
    assert not snapshot.written_with(project)
    assert [p.name for p in served(snapshot, installed).plugins] == ["words"]
    project.write_text('[tool.secure-base]\nplugins = ["words", "more"]\n')
    with pytest.raises(SnapshotError, match=r"the project lists \['words', 'more'\]"):
        served(snapshot, installed)


def test_a_snapshot_older_than_the_code_that_validates_is_stale(tmp_path: Path) -> None:
    content_snapshot.write_project(tmp_path / "snapshot")
    index = tmp_path / "snapshot" / INDEX
    recorded = json.loads(index.read_text())
    layers = next(s for s in recorded["builder"] if s[1] == "layers.py")
    layers[2] = "0" * 64  # as if written by another version of how locale files are laid over
    index.write_text(json.dumps(recorded))
    snapshot = Snapshot.read(tmp_path / "snapshot")
    assert snapshot.problems(enabled()) == ["older than skill/blocks/layers.py"]


def test_a_damaged_snapshot_file_is_a_clear_error(tmp_path: Path) -> None:
    content_snapshot.write_project(tmp_path / "snapshot")
    (tmp_path / "snapshot" / "grounding" / "en-GB.json").write_text('["skill.blocks.content:Loc')
    snapshot = Snapshot.read(tmp_path / "snapshot")
    with pytest.raises(SnapshotError, match=r"grounding/en-GB damaged.*secure-base snapshot"):
        snapshot.entry("grounding", "en-GB")
    (tmp_path / "snapshot" / INDEX).write_text('{"format": 1}')
    with pytest.raises(SnapshotError, match="damaged index"):
        Snapshot.read(tmp_path / "snapshot")


def test_a_snapshot_that_left_a_plugin_out_is_written_again_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FOLDER_ENV, str(tmp_path / "snapshot"))
    content_snapshot.write_project(tmp_path / "snapshot")
    index = tmp_path / "snapshot" / INDEX
    recorded = json.loads(index.read_text())
    recorded["errors"] = {"repair": "PluginError: plugin repair, en-GB.json: since mended"}
    index.write_text(json.dumps(recorded))
    assert content_snapshot.refresh() is True  # its files are not recorded: the fix is heard
    assert Snapshot.read(tmp_path / "snapshot").errors == {}
