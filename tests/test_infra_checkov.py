"""checkov's CloudFormation checks on infra/skill-stack.yaml: none fails, and each one skipped is
skipped in the template itself, with its reason.

checkov runs from its own virtualenv (`make checkov-install`, which `make unit` depends on), and
offline: no API key, no download of its platform's metadata, no check for a newer release.
"""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from typing import Any

import pytest
from cfnlint.decode import cfn_yaml

from tests.conftest import ROOT

STACK = ROOT / "infra" / "skill-stack.yaml"
CHECKOV = ROOT / ".secure-base" / "checkov" / "bin" / "checkov"
# Each skip is a decision argued in the template; a new one is made here too, not in passing.
SKIPPED = {
    "ProfileTable": {"CKV_AWS_119"},
    "SkillLogGroup": {"CKV_AWS_158"},
    "SkillFunction": {"CKV_AWS_116", "CKV_AWS_117", "CKV_AWS_173"},
}
OFFLINE = {
    # No guidelines or check-id mapping from the platform (what --skip-download also stops).
    "BC_SKIP_MAPPING": "TRUE",
    # No look-up of checkov's latest version on PyPI for its banner.
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
}


@cache
def scan() -> tuple[int, dict[str, Any]]:
    """checkov's exit code and its JSON report (failed checks only, and the counts)."""
    if not CHECKOV.is_file():
        pytest.fail(f"{CHECKOV} is missing: `make checkov-install` installs it")
    # An API key in the environment would send the template to the platform.
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BC_", "PRISMA_", "CKV_"))
    }
    scanned = subprocess.run(
        [
            str(CHECKOV),
            "--file",
            str(STACK.relative_to(ROOT)),
            "--framework",
            "cloudformation",
            "--quiet",
            "--compact",
            "--skip-download",
            "--output",
            "json",
        ],
        cwd=ROOT,
        env={**environment, **OFFLINE},
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(scanned.stdout)
    # A file checkov cannot read gives an empty list, not a report with failures.
    assert isinstance(report, dict), (scanned.stdout, scanned.stderr)
    return scanned.returncode, report


def skips_in_the_template() -> dict[str, list[dict[str, Any]]]:
    resources: dict[str, Any] = cfn_yaml.load(str(STACK))["Resources"]
    return {
        name: resource["Metadata"]["checkov"]["skip"]
        for name, resource in resources.items()
        if "checkov" in resource.get("Metadata", {})
    }


def test_checkov_reports_no_failed_check_on_the_stack() -> None:
    returncode, report = scan()
    failed = [
        f"{check['check_id']} {check['resource']}: {check['check_name']}"
        for check in report["results"].get("failed_checks", [])
    ]
    assert failed == []
    summary = report["summary"]
    assert (summary["failed"], summary["parsing_errors"], returncode) == (0, 0, 0)
    # It read every resource of the stack, and ran checks on them.
    resources = cfn_yaml.load(str(STACK))["Resources"]
    assert summary["resource_count"] == len(resources)
    assert summary["passed"] > 0


def test_every_skipped_check_is_skipped_in_the_template_with_its_reason() -> None:
    skips = skips_in_the_template()
    assert {name: {skip["id"] for skip in listed} for name, listed in skips.items()} == SKIPPED
    for name, listed in skips.items():
        for skip in listed:
            assert len(str(skip.get("comment", "")).split()) >= 10, (name, skip["id"])
    # checkov honoured exactly these, and no suppression written anywhere else.
    _, report = scan()
    assert report["summary"]["skipped"] == sum(len(ids) for ids in SKIPPED.values())
