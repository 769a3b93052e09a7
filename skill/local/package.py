"""`secure-base package`: the Lambda zip, built for the function's architecture and Python.

Wheels are taken for the target platform (manylinux aarch64 for arm64), never from this
machine's site-packages, so that any compiled module matches the function. The same
sources give the same bytes: pinned requirements installed without resolution, bytecode
compiled with hash-based invalidation under a fixed path and hash seed, and zip entries in
sorted order with fixed dates and modes.

The zip holds the content snapshot (skill/blocks/snapshot.py): every declaration's content,
validated here in every locale, which the function serves without validating it again.

The zip serves what the models were built from: the project file `skill.discovery` read (its
`[tool.secure-base] plugins` list) goes to the zip's root, where the skill finds it beside
`skill/`, and every listed plugin from another distribution goes with it, copied from where it
is installed (its top-level packages, kept as sources like the skill's, and its .dist-info, by
which the skill finds its entry point). Only the plugin itself is copied: what it depends on,
beyond secure-base, must be pinned in lambda/requirements.txt like the skill's own dependencies.
A listed plugin that is not installed fails the build.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from skill.blocks.plugin import PluginError
from skill.blocks.snapshot import FOLDER_NAME
from skill.discovery import ENTRY_POINT_GROUP, enabled, project_file
from skill.local import content_snapshot

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "infra" / "skill-stack.yaml"
REQUIREMENTS = ROOT / "lambda" / "requirements.txt"
DEFAULT_OUT = ROOT / "dist" / "lambda.zip"
# Where the function finds its code; compiled modules name their sources under it.
TASK_ROOT = "/var/task"
# Lambda runs Amazon Linux 2023 (glibc 2.34): any of these manylinux tags loads there.
MANYLINUX = ("manylinux_2_28", "manylinux_2_17", "manylinux2014")
MACHINES = {"arm64": "aarch64", "x86_64": "x86_64"}
# Only the skill itself ships: the local tools and the web service stay on the developer's side.
# Of the dependencies, what the skill never needs is left out too (the zip's size budget):
# dateutil's own time zone data (zoneinfo is used), charset_normalizer's compiled speed-ups (its
# pure Python modules do the same work, and requests only asks it about answers that name no
# charset), and pip's install records (the licences in the metadata folders stay; METADATA
# keeps its headers, not the long description each project copies its README into).
LEFT_OUT = (
    "bin",
    "skill/local",
    "skill/web",
    "skill/safety/evaluation",  # the labelled sets: for the figures, not for the skill
    "dateutil/zoneinfo/dateutil-zoneinfo.tar.gz",
    "charset_normalizer/*.so",
    "*.dist-info/RECORD",
    "*.dist-info/direct_url.json",  # names the scratch folder the wheel was built in
)
# Kept as source beside their bytecode: our own code, so that tracebacks show its lines. The
# dependencies ship as bytecode only (sourceless .pyc in place of each .py): half the size.
WITH_SOURCES = ("skill", "lambda_function.py")
# ask-sdk-model's thousand generated classes are mostly docstrings, read by no one at run time:
# compiled without them (and without asserts, which it does not use), a third of its size.
WITHOUT_DOCSTRINGS = ("ask_sdk_model",)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# What the Lambda Python runtime provides beside the function's code: boto3 and what it needs.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")


class PackageError(Exception):
    """Something the person running the command must fix (shown without a traceback)."""


@dataclass(frozen=True)
class Target:
    arch: str  # as Lambda names it: arm64 or x86_64
    python: str  # "3.12"

    @property
    def platforms(self) -> list[str]:
        return [f"{tag}_{MACHINES[self.arch]}" for tag in MANYLINUX]


def stack_target(stack: Path = STACK) -> Target:
    """The architecture and Python the stack's function runs (its parameters' defaults)."""
    parameters = _load_template(stack)["Parameters"]
    runtime = str(parameters["LambdaRuntime"]["Default"])
    return Target(str(parameters["LambdaArchitecture"]["Default"]), runtime.removeprefix("python"))


def this_machine() -> Target:
    machine = platform.machine().lower()
    arch = "arm64" if machine in ("aarch64", "arm64") else machine
    return Target(arch, f"{sys.version_info.major}.{sys.version_info.minor}")


def build(target: Target, out: Path, wheels: Path, offline: bool = False) -> Path:
    """Writes the zip to `out`: lambda_function.py, the skill and its pinned dependencies, the
    project file and the plugins it lists from other distributions."""
    if target.arch not in MACHINES:
        raise PackageError(f"unknown architecture {target.arch}: choose arm64 or x86_64")
    project = project_file()
    plugins = plugin_distributions(project)
    interpreter = _interpreter(target.python)
    fetch(target, wheels, offline)
    with tempfile.TemporaryDirectory(prefix="secure-base-package-") as scratch:
        work = Path(scratch)
        project_wheel = _project_wheel(work)
        task = work / "task"
        _pip(
            "install", "--target", str(task), "--no-deps", "--no-index", "--no-compile",
            "--find-links", str(wheels), *_platform_options(target),
            "-r", str(REQUIREMENTS), str(project_wheel),
        )  # fmt: skip
        shutil.copy2(ROOT / "lambda" / "lambda_function.py", task / "lambda_function.py")
        shutil.copy2(project, task / "pyproject.toml")
        plugin_code = [name for plugin in plugins for name in _copy_distribution(plugin, task)]
        content_snapshot.write_project(task / FOLDER_NAME)  # what the skill serves, validated here
        _strip(task)
        _compile(interpreter, task, (*WITH_SOURCES, *plugin_code))
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_zip(task, out)
    return out


def unpack_as_lambda(archive: Path, folder: Path) -> tuple[Path, Path]:
    """The zip unpacked as /var/task, and a folder standing in for the runtime's own packages
    (this machine's boto3 and what it needs, linked): the two folders a function's path holds."""
    task, runtime = folder / "task", folder / "runtime"
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(task)
    runtime.mkdir()
    for name in RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise PackageError(f"{name} is not installed here")
        origin = Path(spec.origin)
        if spec.submodule_search_locations is not None:  # a package: link its folder
            (runtime / name).symlink_to(origin.parent)
        else:
            (runtime / origin.name).symlink_to(origin)
    return task, runtime


def fetch(target: Target, wheels: Path, offline: bool = False) -> None:
    """Puts the target's wheels of every pinned requirement in `wheels` (a reusable cache)."""
    wheels.mkdir(parents=True, exist_ok=True)
    source = ["--no-index"] if offline else []
    try:
        _pip(
            "download", "--dest", str(wheels), "--find-links", str(wheels), "--no-deps",
            *source, *_platform_options(target), "-r", str(REQUIREMENTS),
        )  # fmt: skip
    except PackageError as error:
        hint = " (offline: fill the cache first without --offline)" if offline else ""
        raise PackageError(f"could not get the {target.arch} wheels{hint}: {error}") from None


def plugin_distributions(project: Path) -> list[metadata.Distribution]:
    """The installed distributions of the plugins `project` lists, but secure-base's own."""
    if not project.is_file():
        raise PackageError(f"no project file {project}")
    try:
        names = enabled(project)
    except PluginError as error:
        raise PackageError(f"{project}: {error}") from None
    installed = metadata.entry_points(group=ENTRY_POINT_GROUP)
    found: dict[str, metadata.Distribution] = {}
    for name in names:
        providers = installed.select(name=name)
        if not providers:
            raise PackageError(f"plugin {name} is listed in {project} but not installed")
        for distribution in (entry_point.dist for entry_point in providers):
            if distribution and re.sub(r"[-_.]+", "-", distribution.name).lower() != "secure-base":
                found[distribution.name] = distribution
    return list(found.values())


def _copy_distribution(distribution: metadata.Distribution, task: Path) -> list[str]:
    """Copies a plugin's .dist-info, and its top-level packages and modules from wherever they
    are imported (an editable install's are in its source tree): returns the latter's names."""
    files = distribution.files or []
    listed = distribution.read_text("top_level.txt")  # setuptools writes it; else the RECORD
    tops = listed.split() if listed is not None else _top_level(files)
    info = [file for file in files if file.parts[0].endswith(".dist-info")]
    if not info or not tops:
        raise PackageError(f"cannot find the files of {distribution.name}: reinstall it with pip")
    for file in info:
        (task / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file.locate(), task / file)
    copied = []
    for top in tops:
        if top in {path.name.split(".")[0] for path in task.iterdir()}:
            raise PackageError(f"{top}, of {distribution.name}, is already in the zip")
        spec = importlib.util.find_spec(top)
        if spec is not None and spec.submodule_search_locations:  # a package
            copied.append(top)
            ignore = shutil.ignore_patterns("__pycache__")
            for folder in spec.submodule_search_locations:  # a namespace package's: each part
                shutil.copytree(folder, task / top, ignore=ignore, dirs_exist_ok=True)
        elif spec is not None and spec.origin is not None:  # a module
            copied.append(Path(spec.origin).name)
            shutil.copy2(spec.origin, task / copied[-1])
        else:
            raise PackageError(f"{top}, of {distribution.name}, cannot be imported")
    return copied


def _top_level(files: list[metadata.PackagePath]) -> list[str]:
    folders = {file.parts[0] for file in files if len(file.parts) > 1}
    modules = {file.stem for file in files if len(file.parts) == 1 and file.suffix == ".py"}
    skipped = ("..", "__pycache__")  # scripts outside the folder, bytecode
    return sorted(
        name
        for name in folders | modules
        if name not in skipped and not name.endswith(".dist-info")
        and not name.startswith("__editable__")  # an editable install's hook
    )  # fmt: skip


def _platform_options(target: Target) -> list[str]:
    platforms = [option for tag in target.platforms for option in ("--platform", tag)]
    return [
        *platforms,
        "--python-version", target.python,
        "--implementation", "cp",
        "--only-binary", ":all:",
    ]  # fmt: skip


def _project_wheel(work: Path) -> Path:
    # Built from a fresh copy: setuptools' build/ folder in the tree can hold deleted modules.
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "skill", source / "skill", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    _pip("wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(work), str(source))
    return next(work.glob("secure_base-*.whl"))


def _strip(task: Path) -> None:
    for pattern in LEFT_OUT:
        for path in task.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    for record in task.glob("*.dist-info/METADATA"):
        record.write_text(_headers_only(record.read_text(encoding="utf-8")), encoding="utf-8")


def _headers_only(metadata: str) -> str:
    """A distribution's METADATA without its long description (the project's README, or even
    its whole changelog): importlib.metadata reads only the headers (name, version)."""
    kept: list[str] = []
    in_description = False
    for line in metadata.partition("\n\n")[0].splitlines():
        if line[:1] in (" ", "\t"):  # a header's continuation line
            if not in_description:
                kept.append(line)
            continue
        # An older layout puts the description in a header of its own.
        in_description = line.startswith("Description:")
        if not in_description:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _compile(interpreter: str, task: Path, with_sources: Sequence[str]) -> None:
    ours = [task / name for name in with_sources]
    bare = [task / name for name in WITHOUT_DOCSTRINGS]
    theirs = sorted(path for path in task.iterdir() if path not in ours and path not in bare)
    _compileall(interpreter, ours, legacy=False)
    _compileall(interpreter, theirs, legacy=True)
    _compileall(interpreter, bare, legacy=True, optimize=2)
    theirs += bare
    for path in theirs:
        sources = [path] if path.is_file() else list(path.rglob("*.py"))
        for source in sources:
            if source.suffix == ".py" and source.with_suffix(".pyc").is_file():
                source.unlink()


def _compileall(interpreter: str, paths: list[Path], legacy: bool, optimize: int = 0) -> None:
    """Hash-checked bytecode named for /var/task; `legacy` puts x.pyc beside x.py (to replace
    it) instead of in __pycache__."""
    environment = {**os.environ, "PYTHONHASHSEED": "0"}  # set constants compile in one order
    task = paths[0].parent
    command = [
        interpreter, "-m", "compileall", "-q", "-j", "0", "-s", str(task), "-p", TASK_ROOT,
        "--invalidation-mode", "unchecked-hash", "-o", str(optimize),
        *(["-b"] if legacy else []), *map(str, paths),
    ]  # fmt: skip
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise PackageError(f"compiling with {interpreter} failed:\n{output}")


def _write_zip(task: Path, out: Path) -> None:
    files = sorted(path for path in task.rglob("*") if path.is_file())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            entry = zipfile.ZipInfo(path.relative_to(task).as_posix(), ZIP_DATE)
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes(), compresslevel=9)


def _interpreter(version: str) -> str:
    """A Python of the target version, to compile bytecode the function can load as it is."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    # pyenv's shims are on PATH but refuse to run a version that is not selected: ask the
    # installed versions directly too, and keep the first candidate that really runs.
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which(f"python{version}"), *sorted(pyenv.glob(f"{version}.*/bin/python"))]
    for candidate in filter(None, candidates):
        probe = [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        result = subprocess.run(probe, capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip() == version:
            return str(candidate)
    raise PackageError(
        f"the function runs Python {version}, but no python{version} was found to compile its "
        f"bytecode: install it, or choose a LambdaRuntime matching a Python you have "
        f"(--python-version)"
    )


def _pip(*arguments: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *arguments]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if "WARNING" not in line]
        raise PackageError("\n".join(lines[-5:]) or f"pip {arguments[0]} failed")


def _load_template(path: Path) -> dict[str, Any]:
    class TemplateLoader(yaml.SafeLoader):
        """Reads CloudFormation's short-form tags (!Ref, !Sub, ...) as plain values."""

    def plain(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        raise yaml.constructor.ConstructorError(
            None, None, f"unexpected {node.tag}", node.start_mark
        )

    TemplateLoader.add_multi_constructor("!", plain)
    template: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), TemplateLoader)
    return template
