"""The layers import one way: building blocks at the bottom; safety, the core and the plugins
above them; plugins only through skill.api; and no import hidden in a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SKILL = ROOT / "skill"
# Modules below every layer: they know nothing of plugins, handlers or the safety layer.
LEAVES = ("skill.speech", "skill.text", "skill.state", "skill.store", "skill.alexa_api")
# What each layer may import of the skill's own modules (besides the standard library and
# third-party packages).
ALLOWED = {
    "blocks": ("skill.blocks", *LEAVES),
    "safety": ("skill.safety", "skill.blocks", *LEAVES),
    "core": ("skill.core", "skill.safety", "skill.blocks", *LEAVES),
    "plugins": ("skill.api", "skill.plugins"),
}
# Imported inside a function for a stated reason that is not a cycle: an optional extra (Flask)
# and the labelled sets' reader, each needed by one developer command only; and content
# validation (pydantic), which the skill never needs when it serves from the content snapshot.
LOCAL_IMPORTS_ALLOWED = {("skill/local/cli.py", "skill.web.service"),
                         ("skill/local/cli.py", "skill.local"),
                         ("skill/blocks/plugin.py", "skill.blocks.validation")}  # fmt: skip


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, imported inside a function) for every import of `path`."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module == "skill":
                found.extend((f"skill.{alias.name}", inside) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, inside))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, inside) for alias in child.names)
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def own(module: str) -> bool:
    return module == "skill" or module.startswith("skill.")


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    allowed = ALLOWED[layer]
    for path in (SKILL / layer).rglob("*.py"):
        for module, _ in imports(path):
            if own(module):
                assert module.startswith(allowed), f"{path.relative_to(ROOT)} imports {module}"


def test_nothing_in_the_skill_imports_its_own_modules_inside_a_function() -> None:
    for path in SKILL.rglob("*.py"):
        relative = str(path.relative_to(ROOT))
        for module, inside in imports(path):
            if inside and own(module):
                assert (relative, module) in LOCAL_IMPORTS_ALLOWED, f"{relative}: {module}"


def test_the_plugin_api_is_one_module_every_plugin_can_use() -> None:
    for path in [
        *(ROOT / "examples" / "plugins").rglob("*.py"),
        *(ROOT / "tests" / "fixtures").rglob("*.py"),
    ]:
        for module, _ in imports(path):
            if own(module):
                assert module == "skill.api", f"{path.relative_to(ROOT)} imports {module}"
