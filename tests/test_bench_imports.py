"""benchmarks/imports.py reads `python -X importtime` right: each module under the import that
imported it, the interpreter's own start left out, the noisy runs' medians ranked."""

from __future__ import annotations

from benchmarks.imports import MARK, Import, medians, parse, slowest, table

# importtime's shape: a module's line after those of the modules it imported, two more spaces
# for each level; the lines before MARK are the interpreter's own start.
SAMPLE = f"""import time: self [us] | cumulative | imported package
import time:       101 |        101 |   _io
import time:       663 |       1070 | _frozen_importlib_external
{MARK}
import time:       900 |        900 |       botocore.tokens
import time:       300 |       1200 |     botocore.signers
import time:       100 |        100 |     botocore.compat
import time:       200 |       1500 |   botocore
import time:       400 |       1900 | skill.store
import time:      5000 |       5000 | skill.plugins.grounding.plugin
"""


def test_each_module_is_placed_under_the_import_that_imported_it() -> None:
    found = {one.module: one for one in parse(SAMPLE)}

    assert found["botocore.tokens"] == Import("botocore.tokens", 900, 900, 3, "botocore.signers")
    assert found["botocore.signers"].parent == "botocore"
    assert found["botocore.compat"].parent == "botocore"
    assert found["botocore"] == Import("botocore", 200, 1500, 1, "skill.store")
    assert found["skill.store"].depth == 0 and found["skill.store"].parent is None
    assert found["skill.plugins.grounding.plugin"].parent is None


def test_the_interpreters_own_start_is_left_out() -> None:
    modules = [one.module for one in parse(SAMPLE)]

    assert "_io" not in modules and "_frozen_importlib_external" not in modules
    assert len(modules) == 6


def test_the_slowest_are_ranked_by_their_median_over_the_runs() -> None:
    runs = [parse(SAMPLE), parse(SAMPLE.replace("5000 |       5000", "9000 |       9000"))]
    # A third run in which the plugin was quick: its median is the middle run's.
    runs.append(parse(SAMPLE.replace("5000 |       5000", "1000 |       1000")))

    ranked = slowest(medians(runs), top=2)

    assert [one.module for one in ranked] == ["skill.plugins.grounding.plugin", "skill.store"]
    assert ranked[0].cumulative_us == 5000


def test_the_table_shows_times_in_milliseconds_and_the_nesting() -> None:
    rows = table(slowest(parse(SAMPLE), top=3)).splitlines()

    assert rows[2] == "| skill.plugins.grounding.plugin | 5.0 | 5.0 | (the cold path itself) |"
    assert rows[4] == "| · botocore | 1.5 | 0.2 | skill.store |"
