"""PRIVACY.md says exactly what is stored and for how long: tied to what the store writes.

Its "## What is kept" section lists every stored attribute by its path in the DynamoDB item
(`consent`, `plugin_state.checkin.time`), its "### If you say no" table the whole record of a
no, and its "## How long it is kept" table the durations. A field added to the profile or to a
plugin's progress without a line in the policy fails here, and so does a line for a field that
is no longer stored, or a duration that no longer matches the code or the stack.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from cfnlint.decode import cfn_yaml

from skill.blocks.consent import ASK_AGAIN_AFTER_DAYS
from skill.blocks.plugin import LOCALES, Plugin
from skill.blocks.session import StoredState
from skill.discovery import discover
from skill.local.envelopes import Caller, envelope, request_for
from skill.local.nlu import Understanding
from skill.plugins.checkin import Checkin
from skill.state import RECENT_KEPT, WRITES_KEPT, Profile
from skill.store import DECLINED_GRACE_SECONDS, RETENTION_SECONDS, ProfileStore

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "PRIVACY.md"
STACK = ROOT / "infra" / "skill-stack.yaml"
DAY = 24 * 3600
# What DynamoDB keeps when PointInTimeRecoverySpecification names no RecoveryPeriodInDays.
PITR_DEFAULT_DAYS = 35

# A row of the policy's tables that names a stored field: "| `plugin_state.repair.role` | ...".
FIELD_ROW = re.compile(r"^\| `([^`]+)` \|(.*)$", re.MULTILINE)
# A row of the durations table: "| Your record | 365 | ... |".
DURATION_ROW = re.compile(r"^\| ([^|]+?) \| (\d+) \|", re.MULTILINE)

# Realistic values for the enabled plugins' progress; a field without one gets another value of
# its default's type (see `filled`), so a new field is stored, and must be in the policy.
SAMPLES: dict[str, dict[str, object]] = {
    "grounding": {
        "exercise": "box",
        "step": 3,
        "pace": "slower",
        "last": "senses",
        "total": 14,
        "week": "2026-W48",
        "week_count": 3,
    },
    "reflection": {"current": 4, "stage": 1, "asked": 0b11111, "answered": 9, "started": True},
    "repair": {
        "stage": "steps",
        "role": "received",
        "step": 2,
        "teaching": 1,
        "together": True,
        "answers": 1,
    },
    "checkin": {
        "time": "21:30",
        "zone": "America/Chicago",
        "reminder": "amzn1.alert.0123-4567",
        "last_done": "2026-11-26",
        "stage": 1,
    },
}
TODAY = date(2026, 11, 27)


def policy() -> str:
    return POLICY.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The lines under `heading` ("## What is kept"), up to the next heading of its level or
    above."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    if heading not in lines:
        pytest.fail(f"PRIVACY.md has no heading {heading!r}")
    body = []
    for line in lines[lines.index(heading) + 1 :]:
        if re.match(rf"#{{1,{level}}} ", line):
            break
        body.append(line)
    return "\n".join(body)


def listed(text: str) -> list[str]:
    return [found.group(1) for found in FIELD_ROW.finditer(text)]


def described(text: str) -> dict[str, str]:
    """Field -> the rest of its first row (what it holds, why)."""
    rows: dict[str, str] = {}
    for found in FIELD_ROW.finditer(text):
        rows.setdefault(found.group(1), found.group(2))
    return rows


def durations(text: str) -> dict[str, int]:
    return {
        found.group(1): int(found.group(2))
        for found in DURATION_ROW.finditer(section(text, "## How long it is kept"))
    }


def other_than(default: object) -> object:
    """A value of `default`'s type that is not it."""
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 3
    if isinstance(default, float):
        return default + 1.5
    return "sample_1"


def filled(plugin: Plugin[Any, Any]) -> StoredState:
    """The plugin's progress with every field set, as the profile stores it."""
    progress = plugin.progress_model()
    for name, default in progress.stored().items():
        value = SAMPLES.get(plugin.name, {}).get(name, other_than(default))
        try:
            progress = progress.changed(**{name: value})
        except ValueError:
            continue  # a field with rules of its own and no sample above: its default is stored
    stored: StoredState = progress.stored()
    return stored


def full_profile() -> Profile:
    """Consent given, every field of the profile set, every enabled plugin's progress filled."""
    plugins = discover().plugins
    profile = Profile(
        consent=TODAY - timedelta(days=40),
        declined_until=TODAY - timedelta(days=45),
        visits=12,
        last_visit=TODAY,
        last_activity=plugins[-1].name,
        recent=[plugin.name for plugin in plugins],
        plugin_state={plugin.name: filled(plugin) for plugin in plugins},
    )
    empty = [
        name
        for name, value in profile.dumped().items()
        if value is None and name not in ("origin",)  # the store makes the origin
    ]
    assert not empty, f"fill these in full_profile too: {empty}"
    return profile


def request_envelope(person_id: str) -> RequestEnvelope:
    caller = Caller(skill_id="skill", user_id="user-1", device_id="d", person_id=person_id)
    request = request_for(Understanding(None), "en-US", datetime.now(UTC), "skill")
    event = envelope(caller, request, "session", True, {})
    deserialized: RequestEnvelope = DefaultSerializer().deserialize(
        json.dumps(event), RequestEnvelope
    )
    return deserialized


def attribute_paths(item: dict[str, Any], prefix: str = "") -> set[str]:
    """Every stored attribute of a DynamoDB item by its path: maps are opened, other values
    (lists of write tokens, the names in `recent`) are one attribute each."""
    paths = set()
    for name, typed in item.items():
        if "M" in typed:
            paths |= attribute_paths(typed["M"], f"{prefix}{name}.")
        else:
            paths.add(f"{prefix}{name}")
    return paths


def only_item(store: ProfileStore) -> dict[str, Any]:
    items = store.client.scan(TableName=store.table_name)["Items"]
    assert len(items) == 1
    return dict(items[0])


def stack_resource(kind: str) -> dict[str, Any]:
    template: dict[str, Any] = cfn_yaml.load(str(STACK))
    found = [r for r in template["Resources"].values() if r["Type"] == kind]
    assert len(found) == 1, f"one {kind} expected in the stack"
    properties: dict[str, Any] = found[0]["Properties"]
    return properties


def test_the_policy_lists_every_stored_field_and_only_those(store: ProfileStore) -> None:
    store.save_attributes(request_envelope("amzn1.ask.person.TEST"), full_profile().dumped())
    stored = attribute_paths(only_item(store))
    kept = section(policy(), "## What is kept")
    in_policy = set(listed(kept))

    assert not stored - in_policy, f"stored, but not in PRIVACY.md: {sorted(stored - in_policy)}"
    assert not in_policy - stored, f"in PRIVACY.md, but not stored: {sorted(in_policy - stored)}"
    outside_no = listed(kept.replace(section(policy(), "### If you say no"), ""))
    assert len(outside_no) == len(set(outside_no)), "a field is listed twice"


def test_the_record_of_a_no_is_exactly_what_the_policy_says(store: ProfileStore) -> None:
    until = TODAY + timedelta(days=ASK_AGAIN_AFTER_DAYS)
    store.note_declined(request_envelope("amzn1.ask.person.TEST"), until)
    item = only_item(store)

    assert attribute_paths(item) == set(listed(section(policy(), "### If you say no")))
    grace = durations(policy())["The record of a no, after that"]
    week_ends = datetime.combine(until, datetime.min.time(), UTC).timestamp()
    assert int(item["expiresAt"]["N"]) == week_ends + grace * DAY


def test_a_remembered_record_expires_as_the_policy_says(store: ProfileStore) -> None:
    store.save_attributes(request_envelope("amzn1.ask.person.TEST"), full_profile().dumped())
    days = durations(policy())["Your record"]
    assert abs(int(only_item(store)["expiresAt"]["N"]) - (time.time() + days * DAY)) < 60


def test_the_durations_in_the_policy_are_the_codes_and_the_stacks() -> None:
    recovery = stack_resource("AWS::DynamoDB::Table")["PointInTimeRecoverySpecification"]
    backups = (
        recovery.get("RecoveryPeriodInDays", PITR_DEFAULT_DAYS)
        if recovery.get("PointInTimeRecoveryEnabled")
        else 0
    )
    assert RETENTION_SECONDS % DAY == 0 and DECLINED_GRACE_SECONDS % DAY == 0

    assert durations(policy()) == {
        "Your record": RETENTION_SECONDS // DAY,
        "Not asking again after a no": ASK_AGAIN_AFTER_DAYS,
        "The record of a no, after that": DECLINED_GRACE_SECONDS // DAY,
        "Logs": stack_resource("AWS::Logs::LogGroup")["RetentionInDays"],
        "Backups (point-in-time recovery)": backups,
    }


def test_the_counts_the_policy_gives_are_the_codes() -> None:
    rows = described(section(policy(), "## What is kept"))
    assert f"last {WRITES_KEPT} writes" in rows["writes"]
    assert f"up to {RECENT_KEPT}" in rows["recent"]


def test_the_check_in_s_rating_is_said_to_be_never_kept_and_is_not(store: ProfileStore) -> None:
    never = section(policy(), "## What is never kept").lower()
    assert "rating" in never and "check-in" in never
    assert "rating" not in section(policy(), "## How long it is kept").lower()
    store.save_attributes(request_envelope("amzn1.ask.person.TEST"), full_profile().dumped())
    assert not [path for path in attribute_paths(only_item(store)) if "rating" in path]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_reminder_text_the_policy_quotes_is_the_one_set(locale: str) -> None:
    """What the reminder says is quoted to the person; it must be what Alexa is asked to say."""
    quoted = re.search(r'notification in the Alexa app, saying: "([^"]+)\."', _policy_text())
    assert quoted is not None, "PRIVACY.md no longer quotes the reminder"
    assert quoted.group(1) == Checkin().content(locale).reminder_text


def _policy_text() -> str:
    return " ".join(POLICY.read_text(encoding="utf-8").split())
