"""The example dialogs (examples/dialogs/*.json), replayed through the local CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from skill.local import cli
from tests.conftest import ROOT


def replay(name: str, capsys: pytest.CaptureFixture[str], *options: str) -> list[dict[str, Any]]:
    """The turns of examples/dialogs/`name`.json, as `dialog --replay --json` prints them."""
    path = ROOT / "examples" / "dialogs" / f"{name}.json"
    assert cli.main(["dialog", "--replay", str(path), "--json", *options]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def ssml_of(turn: dict[str, Any]) -> str:
    """The speech of a replayed turn's response, as SSML."""
    return str(turn["response"]["response"]["outputSpeech"]["ssml"])
