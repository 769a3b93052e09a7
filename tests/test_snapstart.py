"""Lambda SnapStart, off by default: the stack's SnapStart parameter and skill/snapstart.py's hook.

moto's CloudFormation creates no AWS::Lambda::Alias (and ignores SnapStart), so the stack with
SnapStart on is checked as CloudFormation would resolve it for given parameters (`rendered`),
and by cfn-lint; the default is also deployed in moto. Lambda's hooks library exists only in
Lambda's runtimes: a stand-in with its interface takes its place here.
"""

from __future__ import annotations

import importlib.util
import logging
import random
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from cfnlint.api import lint
from moto import mock_aws

from skill import snapstart
from skill.alexa_api import TimedApiClient
from skill.blocks.plugin import LOCALES
from skill.core.interceptors import TurnContext
from skill.discovery import project_snapshot
from skill.store import ProfileStore
from tests.conftest import ROOT, SKILL_ID
from tests.test_infra import (
    CODE_BUCKET,
    CODE_KEY,
    DEPLOY_REGIONS,
    STACK,
    STACK_NAME,
    deploy,
    template,
)

NO_VALUE = {"Ref": "AWS::NoValue"}
ON = "PublishedVersions"
# What the stack creates without SnapStart, as before the parameter existed.
RESOURCES_WITHOUT_SNAPSTART = {
    "ProfileTable",
    "SkillLogGroup",
    "SkillFunctionRole",
    "SkillFunction",
    "SkillInvokePermission",
}
# Every property of AWS::Lambda::Version needs a replacement to change, which is what publishes
# a new version (CloudFormation's resource reference).
VERSION_REPLACED_BY = {"CodeSha256", "Description", "FunctionName", "RuntimePolicy"}


# The stack as CloudFormation resolves it


def rendered(**parameters: str) -> dict[str, Any]:
    """Resources, outputs and failed rule assertions of the stack deployed with `parameters`
    (the deployer's, then the defaults): conditions decided, Fn::If chosen, AWS::NoValue
    dropped and parameters put in place of their Ref and into Fn::Sub. References to resources
    stay as written."""
    loaded = template()
    values = {name: str(spec.get("Default", "")) for name, spec in loaded["Parameters"].items()}
    values.update(SkillId=SKILL_ID, CodeBucket=CODE_BUCKET, CodeKey=CODE_KEY, CodeVersion="v1")
    values.update(parameters)

    def decide(node: Any) -> Any:
        (function, argument) = next(iter(node.items()))
        if function == "Ref":
            return values[argument]
        if function == "Condition":
            return decide(loaded["Conditions"][argument])
        if function == "Fn::Equals":
            left, right = (a if not isinstance(a, dict) else decide(a) for a in argument)
            return str(left) == str(right)
        if function == "Fn::Not":
            return not decide(argument[0])
        raise AssertionError(f"no rendering for {function}")

    def holds(condition: str) -> bool:
        return bool(decide(loaded["Conditions"][condition]))

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [item for item in map(resolve, node) if item != NO_VALUE]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"} and node["Ref"] in values:
            return values[node["Ref"]]
        if set(node) == {"Fn::If"}:
            condition, chosen, other = node["Fn::If"]
            return resolve(chosen if holds(condition) else other)
        if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
            return re.sub(
                r"\$\{([A-Za-z0-9]+)\}", lambda m: values.get(m[1], m[0]), node["Fn::Sub"]
            )
        return {
            key: item
            for key, item in ((k, resolve(v)) for k, v in node.items())
            if item != NO_VALUE
        }

    resources = {
        name: resolve(spec)
        for name, spec in loaded["Resources"].items()
        if "Condition" not in spec or holds(spec["Condition"])
    }
    refused = [
        assertion["AssertDescription"]
        for rule in loaded.get("Rules", {}).values()
        if decide(rule["RuleCondition"])
        for assertion in rule["Assertions"]
        if not decide(assertion["Assert"])
    ]
    return {"Resources": resources, "Outputs": resolve(loaded["Outputs"]), "Refused": refused}


def properties(stack: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = stack["Resources"][name]["Properties"]
    return found


def alexa_permissions(stack: dict[str, Any]) -> dict[str, Any]:
    """What each Alexa permission lets this skill invoke: {FunctionName: permission}."""
    return {
        str(spec["Properties"]["FunctionName"]): spec["Properties"]
        for spec in stack["Resources"].values()
        if spec["Type"] == "AWS::Lambda::Permission"
    }


# Off, the default: the stack as it was


def test_snapstart_is_off_unless_asked_for() -> None:
    parameter = template()["Parameters"]["SnapStart"]
    assert (parameter["Default"], parameter["AllowedValues"]) == ("Off", ["Off", ON])


def test_off_the_stack_is_the_function_alexa_invokes_directly() -> None:
    stack = rendered()
    assert set(stack["Resources"]) == RESOURCES_WITHOUT_SNAPSTART
    function = properties(stack, "SkillFunction")
    assert "SnapStart" not in function
    assert function["Description"] == "Secure Base Alexa skill"
    assert stack["Outputs"]["SkillEndpoint"]["Value"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}
    assert list(alexa_permissions(stack)) == [str({"Fn::GetAtt": ["SkillFunction", "Arn"]})]
    assert stack["Refused"] == []


def test_off_a_new_upload_changes_nothing_but_the_code() -> None:
    first, second = (properties(rendered(CodeVersion=v), "SkillFunction") for v in ("a", "b"))
    assert first.pop("Code") != second.pop("Code")
    assert first == second


def test_the_default_deploys_no_version_and_no_alias() -> None:
    with mock_aws():
        outputs = deploy()
        cloudformation: Any = boto3.client("cloudformation")
        created = cloudformation.describe_stack_resources(StackName=STACK_NAME)["StackResources"]
        # moto lists each resource whose condition is false as an entry without a name.
        names = {resource.get("LogicalResourceId") for resource in created} - {None}
        assert names == RESOURCES_WITHOUT_SNAPSTART
        lambda_client: Any = boto3.client("lambda")
        # arn:aws:lambda:<region>:<account>:function:<name>, no qualifier: Alexa invokes $LATEST.
        endpoint = outputs["SkillEndpoint"].split(":")
        assert endpoint[5] == "function" and len(endpoint) == 7
        name = endpoint[6]
        versions = lambda_client.list_versions_by_function(FunctionName=name)["Versions"]
        assert [version["Version"] for version in versions] == ["$LATEST"]
        assert lambda_client.list_aliases(FunctionName=name)["Aliases"] == []


# On: served from the published, snapshotted version


def test_on_alexa_invokes_the_snapstart_version_through_its_alias() -> None:
    stack = rendered(SnapStart=ON)
    assert properties(stack, "SkillFunction")["SnapStart"] == {"ApplyOn": ON}
    assert properties(stack, "SkillFunctionVersion")["FunctionName"] == {"Ref": "SkillFunction"}
    alias = properties(stack, "SkillAlias")
    assert alias["FunctionName"] == {"Ref": "SkillFunction"}
    assert alias["FunctionVersion"] == {"Fn::GetAtt": ["SkillFunctionVersion", "Version"]}
    # What `ask deploy` writes into the manifest.
    assert stack["Outputs"]["SkillEndpoint"]["Value"] == {"Ref": "SkillAlias"}
    # Alexa may invoke the alias, for this skill only; the function's own permission stays for
    # the moment the manifest still names the function.
    permissions = alexa_permissions(stack)
    assert set(permissions) == {
        str({"Ref": "SkillAlias"}),
        str({"Fn::GetAtt": ["SkillFunction", "Arn"]}),
    }
    for permission in permissions.values():
        assert permission["Action"] == "lambda:InvokeFunction"
        assert permission["Principal"] == "alexa-appkit.amazon.com"
        assert permission["EventSourceToken"] == SKILL_ID
    assert stack["Refused"] == []


def test_on_each_deploy_publishes_a_new_version_even_of_the_same_zip() -> None:
    # `ask deploy` uploads the zip each time, and `secure-base package` makes the same bytes of
    # the same sources: only the S3 object version (CodeVersion) tells two deploys apart.
    first, second = (rendered(SnapStart=ON, CodeVersion=v) for v in ("a", "b"))
    old, new = (properties(s, "SkillFunctionVersion") for s in (first, second))
    changed = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
    assert changed and changed <= VERSION_REPLACED_BY  # a replacement: a new version published
    # ...of a function whose configuration changed (Lambda publishes no unchanged function).
    before, after = (properties(s, "SkillFunction") for s in (first, second))
    before.pop("Code")
    after.pop("Code")
    assert before != after


def test_on_a_replaced_version_and_its_snapshot_are_deleted() -> None:
    # Each version kept with a snapshot is billed for its cache by the hour.
    version = template()["Resources"]["SkillFunctionVersion"]
    assert (version["DeletionPolicy"], version["UpdateReplacePolicy"]) == ("Delete", "Delete")


@pytest.mark.parametrize("runtime", template()["Parameters"]["LambdaRuntime"]["AllowedValues"])
def test_on_the_stack_refuses_a_runtime_without_snapstart(runtime: str) -> None:
    supported = tuple(map(int, runtime.removeprefix("python").split("."))) >= (3, 12)
    assert bool(rendered(SnapStart=ON, LambdaRuntime=runtime)["Refused"]) is not supported
    assert rendered(LambdaRuntime=runtime)["Refused"] == []


def test_on_the_stack_refuses_a_deploy_without_a_code_version() -> None:
    assert rendered(SnapStart=ON, CodeVersion="")["Refused"]
    assert rendered(CodeVersion="")["Refused"] == []


def test_cfn_lint_reports_nothing_with_snapstart_on() -> None:
    text = STACK.read_text(encoding="utf-8")
    with_snapstart = text.replace('Default: "Off"', f"Default: {ON}")
    assert with_snapstart != text
    assert [str(match) for match in lint(with_snapstart, regions=DEPLOY_REGIONS)] == []


# The after-restore hook


@dataclass
class Hooks:
    """Lambda's snapshot_restore_py as its runtime uses it: registered callables, then run."""

    after_restore: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = field(
        default_factory=list
    )
    before_snapshot: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = field(
        default_factory=list
    )

    def module(self) -> types.ModuleType:
        module = types.ModuleType(snapstart.HOOKS_MODULE)

        def register_after_restore(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            self.after_restore.append((func, args, kwargs))
            return func

        module.register_after_restore = register_after_restore  # type: ignore[attr-defined]

        def register_before_snapshot(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            self.before_snapshot.append((func, args, kwargs))
            return func

        module.register_before_snapshot = register_before_snapshot  # type: ignore[attr-defined]
        return module

    def snapshot(self) -> None:
        for func, args, kwargs in self.before_snapshot:
            func(*args, **kwargs)

    def restore(self) -> None:
        for func, args, kwargs in self.after_restore:
            func(*args, **kwargs)


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> Hooks:
    registry = Hooks()
    monkeypatch.setitem(sys.modules, snapstart.HOOKS_MODULE, registry.module())
    return registry


@pytest.fixture
def entry_point() -> Iterator[types.ModuleType]:
    """lambda/lambda_function.py imported afresh, as a new execution environment would."""
    root_level = logging.getLogger().level
    spec = importlib.util.spec_from_file_location(
        "snapstart_lambda_function", ROOT / "lambda" / "lambda_function.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    logging.getLogger().setLevel(root_level)  # the entry point sets the root logger's level


def skill_like(store: object) -> Any:
    return SimpleNamespace(persistence_adapter=store, api_client=TimedApiClient())


def test_outside_lambda_no_hook_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, snapstart.HOOKS_MODULE, None)  # import fails, as here
    assert snapstart.register(skill_like(ProfileStore("t"))) is False


def test_the_entry_point_registers_the_hook_for_its_skill(
    hooks: Hooks, entry_point: types.ModuleType
) -> None:
    assert [(func, args) for func, args, _ in hooks.after_restore] == [
        (snapstart.after_restore, (entry_point.SKILL,))
    ]
    assert len(hooks.before_snapshot) == 1  # the warm-up, tried below


def test_the_snapshot_holds_every_locales_content_and_compiled_rules(
    hooks: Hooks, entry_point: types.ModuleType
) -> None:
    skill = entry_point.SKILL
    serving = next(
        i.plugins
        for i in skill.request_dispatcher.request_interceptors
        if isinstance(i, TurnContext)
    )
    for declaration in serving.everything:
        type(declaration).serve_from(None)  # nothing read yet, as in a fresh process
        type(declaration).serve_from(project_snapshot())
    hooks.snapshot()
    for declaration in serving.everything:
        assert sorted(type(declaration)._cache) == sorted(LOCALES), declaration.name
    for locale in LOCALES:  # the rules a first utterance is screened with, compiled once
        assert "_screening" in vars(serving.safety.content(locale))
    assert skill.api_client._client is not None  # requests imported before, not at a first call


def test_a_restored_environment_makes_its_own_dynamodb_client(
    hooks: Hooks, entry_point: types.ModuleType
) -> None:
    store = entry_point.SKILL.persistence_adapter
    assert isinstance(store, ProfileStore)
    with mock_aws():
        snapshotted = store.client
        hooks.restore()
        fresh = store.client
        assert fresh is not snapshotted
        assert store.client is fresh  # made once, then kept as before
        store.create_table()  # and it works
        assert store.table_name in fresh.list_tables()["TableNames"]


def test_environments_restored_from_one_snapshot_draw_different_random_numbers() -> None:
    random.seed(21)
    snapshot = random.getstate()
    draws = []
    for _ in range(2):  # two environments resumed from the same snapshot
        random.setstate(snapshot)
        snapstart.after_restore(skill_like(ProfileStore("t")))
        draws.append([random.random() for _ in range(4)])
    random.setstate(snapshot)
    unrestored = [random.random() for _ in range(4)]
    assert draws[0] != draws[1]
    assert unrestored not in draws


def test_a_client_with_its_own_reconnect_is_asked_to_reconnect() -> None:
    calls: list[str] = []

    class Reconnecting:
        def __init__(self, name: str) -> None:
            self.name = name

        def reconnect(self) -> None:
            calls.append(self.name)

    snapstart.after_restore(
        SimpleNamespace(persistence_adapter=Reconnecting("store"), api_client=Reconnecting("api"))
    )
    assert calls == ["store", "api"]
