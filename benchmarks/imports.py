"""`python -m benchmarks.imports [--zip|--venv] [--top N]`: the slowest imports of the cold path.

The benchmark's cold process (import lambda_function, answer a returning person's LaunchRequest)
run under `python -X importtime`, from the unpacked Lambda zip (the default) or the development
virtualenv, and its imports ranked by cumulative time as a markdown table. Each module's times
are medians over several runs: a single run's are at the mercy of whatever else the machine
is doing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

RUNS = 5
TOP = 10
# Written by the child once the interpreter has started: what it imported before (the startup's
# own modules, `site` and the virtualenv's .pth hooks) is not the cold path the benchmark times.
MARK = "-- the cold path starts --"
# "import time: <self us> | <cumulative us> | <module>", the module indented two spaces for each
# level of nesting; a module's line comes after the lines of the modules it imported.
LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)$")


@dataclass(frozen=True)
class Import:
    module: str
    self_us: float
    cumulative_us: float
    depth: int  # 0: imported by the cold path's own code
    parent: str | None  # the module whose import imported it (None at depth 0)


def parse(stderr: str) -> list[Import]:
    """The imports importtime reported after MARK (all of them when there is no MARK)."""
    _, marked, after = stderr.partition(MARK)
    rows: list[tuple[str, int, int, int]] = []
    for line in (after if marked else stderr).splitlines():
        found = LINE.match(line)
        if found:
            own, cumulative, indent, module = found.groups()
            rows.append((module, int(own), int(cumulative), len(indent) // 2))
    parents: dict[int, str] = {}
    waiting: list[int] = []  # rows whose parent has not been reported yet
    for index, (module, _, _, depth) in enumerate(rows):
        while waiting and rows[waiting[-1]][3] > depth:
            parents[waiting.pop()] = module
        waiting.append(index)
    return [
        Import(module, own, cumulative, depth, parents.get(index))
        for index, (module, own, cumulative, depth) in enumerate(rows)
    ]


def medians(runs: Sequence[Sequence[Import]]) -> list[Import]:
    """One entry per module: the median of its times over the runs that imported it, where it
    sat in most of them. A module that some runs did not import keeps the others' median."""
    seen: dict[str, list[Import]] = {}
    for run in runs:
        for one in run:
            seen.setdefault(one.module, []).append(one)
    result = []
    for module, each in seen.items():
        (depth, parent), _ = Counter((e.depth, e.parent) for e in each).most_common(1)[0]
        result.append(
            Import(
                module,
                statistics.median(e.self_us for e in each),
                statistics.median(e.cumulative_us for e in each),
                depth,
                parent,
            )
        )
    return result


def slowest(imports: Sequence[Import], top: int = TOP) -> list[Import]:
    return sorted(imports, key=lambda found: found.cumulative_us, reverse=True)[:top]


def table(imports: Sequence[Import]) -> str:
    rows = [
        f"| {'· ' * found.depth}{found.module} | {found.cumulative_us / 1000:.1f} "
        f"| {found.self_us / 1000:.1f} | {found.parent or '(the cold path itself)'} |"
        for found in imports
    ]
    # The dots are the nesting depth: each stands for one import the module was imported under.
    header = "| module | cumulative ms | self ms | imported by |"
    return "\n".join([header, "| --- | ---: | ---: | --- |", *rows])


def listing(
    script: str,
    flags: Sequence[str],
    paths: Sequence[Path],
    stdin: str,
    cwd: Path,
    env: Mapping[str, str],
    answered: Callable[[str], object],
    runs: int = RUNS,
) -> list[Import]:
    """Each module's median times over `runs` children running `script` (the paths as its
    arguments, `stdin` as its input) under importtime, after one more child left out: the first
    run may write bytecode, which no later one does. `answered` is given each child's output, and
    raises when the child did not take the path it was meant to."""
    command = [sys.executable, *flags, "-X", "importtime", "-c", _marked(script), *map(str, paths)]
    reports = []
    for _ in range(runs + 1):
        child = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
            cwd=cwd,
            env=env,
        )
        answered(child.stdout)
        reports.append(parse(child.stderr))
    return medians(reports[1:])


def _marked(script: str) -> str:
    # sys is imported at startup, so this line adds no import of its own to the listing.
    return f"import sys; sys.stderr.write({MARK!r} + '\\n')\n{script}"


def main(argv: Sequence[str] | None = None) -> int:
    # run.py reports this module's table, so its own helpers are imported only here.
    from benchmarks import run

    parser = argparse.ArgumentParser(prog="python -m benchmarks.imports", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--zip", action="store_true", help="from the unpacked Lambda zip (the default)"
    )
    where.add_argument(
        "--venv", action="store_true", help="from the development virtualenv and lambda/"
    )
    parser.add_argument("--top", type=int, default=TOP, help="how many (default: %(default)s)")
    args = parser.parse_args(argv)
    with run.dynamodb(), tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        way = run.from_venv(folder) if args.venv else run.from_zip(*run.lambda_folders(folder))
        print(f"Slowest imports on the cold path (python -X importtime, {way.name})\n")
        print(table(run.slowest_imports(way, folder, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
