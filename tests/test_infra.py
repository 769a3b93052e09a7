"""The deployable stack (infra/skill-stack.yaml) and the ASK CLI project (ask-resources.json).

Offline: cfn-lint, moto's CloudFormation, and the skill's own Lambda entry point against the
table the stack creates. moto's CloudFormation leaves out some properties it does not model (see
apply_what_moto_ignores); those are checked in the template itself.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import logging
import os
import subprocess
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cfnlint.api import lint
from cfnlint.decode import cfn_yaml
from moto import mock_aws

from skill.local import cli
from skill.local.conversation import Conversation, LambdaHandler
from skill.local.envelopes import Caller
from skill.local.nlu import LocalNlu
from skill.local.package import stack_target
from skill.state import ACCOUNT_PERSON
from skill.store import (
    ATTRIBUTE_DEFINITIONS,
    KEY_SCHEMA,
    PARTITION_KEY,
    SORT_KEY,
    TTL_ATTRIBUTE,
    ProfileStore,
)
from tests.conftest import ROOT, SKILL_ID, Calls

STACK = ROOT / "infra" / "skill-stack.yaml"
ASK_RESOURCES = ROOT / "ask-resources.json"
DIALOGS = ROOT / "examples" / "dialogs"
# The regions the cfn-deployer maps Alexa's regions to (default/NA, EU, FE).
DEPLOY_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
# What @ask-cli/cfn-deployer passes to every stack (its _mapStackParameters).
DEPLOYER_PARAMETERS = {
    "SkillId",
    "LambdaRuntime",
    "LambdaHandler",
    "CodeBucket",
    "CodeKey",
    "CodeVersion",
}
# What the stack's ReservedConcurrency default is sized for (no load is stated for the skill):
# requests a second at the busiest time, each taking as long as the function's Timeout allows.
ASSUMED_PEAK_REQUESTS_PER_SECOND = 5
# Lambda keeps this much of an account's concurrency unreserved; the usual quota is 1,000.
UNRESERVED_MINIMUM = 100
USUAL_ACCOUNT_QUOTA = 1000
# Its names: ask-<skill>-<region>-skillStack-<time>; ask-<project>-<profile>-<region>-<time>.
STACK_NAME = "ask-SecureBase-default-skillStack-1700000000000"
CODE_BUCKET = "ask-securebase-default-useast1-1700000000000"
CODE_KEY = "endpoint/build.zip"
USER_ID = "amzn1.ask.account.DEPLOYED"
# Shipped in the Lambda package: skill/ without the local tools and the web service.
SHIPPED = [
    path
    for path in sorted((ROOT / "skill").rglob("*.py"))
    if path.relative_to(ROOT / "skill").parts[0] not in ("local", "web")
]


@cache
def template() -> dict[str, Any]:
    """The template as CloudFormation reads it (!Ref X becomes {"Ref": "X"}, and so on)."""
    loaded: dict[str, Any] = cfn_yaml.load(str(STACK))
    return loaded


def resource(name: str) -> dict[str, Any]:
    found: dict[str, Any] = template()["Resources"][name]
    return found


def ask_user_config() -> dict[str, Any]:
    resources = json.loads(ASK_RESOURCES.read_text(encoding="utf-8"))
    config: dict[str, Any] = resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    return config


def stub_code() -> bytes:
    """A stand-in for dist/lambda.zip: moto stores the code, it never runs it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lambda_function.py", "def lambda_handler(event, context):\n    pass\n")
    return buffer.getvalue()


def deploy(
    with_code_version: bool = True, user_parameters: dict[str, str] | None = None
) -> dict[str, str]:
    """Does what `ask deploy`'s cfn-deployer does (inside mock_aws); returns the stack's outputs.
    user_parameters are those ask-resources.json's userConfig.cfn.parameters would add."""
    s3: Any = boto3.client("s3")
    s3.create_bucket(Bucket=CODE_BUCKET)
    s3.put_bucket_versioning(Bucket=CODE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    version = s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=stub_code())["VersionId"]
    config = ask_user_config()
    parameters = {
        "SkillId": SKILL_ID,
        "LambdaRuntime": config["runtime"],
        "LambdaHandler": config["handler"],
        "CodeBucket": CODE_BUCKET,
        "CodeKey": CODE_KEY,
        "CodeVersion": version if with_code_version else "",
        **(user_parameters or {}),
    }
    cloudformation: Any = boto3.client("cloudformation")
    cloudformation.create_stack(
        StackName=STACK_NAME,
        TemplateBody=STACK.read_text(encoding="utf-8"),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM"],  # the only capability the deployer adds
    )
    stack = cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    return {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}


def apply_what_moto_ignores(table_name: str) -> None:
    """moto's CloudFormation creates the table without its TimeToLiveSpecification and
    PointInTimeRecoverySpecification (and drops SSESpecification, which it reads under the API's
    key, not CloudFormation's). This applies the template's own TTL and recovery settings, as
    CloudFormation would, so that the table compares with the one `secure-base db create`
    makes; test_the_table_is_encrypted_recoverable_expiring_and_retained checks all three in
    the template."""
    properties = resource("ProfileTable")["Properties"]
    client = boto3.client("dynamodb")
    ttl = properties["TimeToLiveSpecification"]
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": ttl["Enabled"]},
    )
    recovery = properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
    client.update_continuous_backups(
        TableName=table_name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": recovery},
    )


@pytest.fixture
def deployed() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield deploy()


@pytest.fixture
def function_environment(
    deployed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The deployed function's environment, set in this process as Lambda would set it."""
    lambda_client: Any = boto3.client("lambda")
    configuration = lambda_client.get_function_configuration(FunctionName=deployed["SkillEndpoint"])
    variables: dict[str, str] = configuration["Environment"]["Variables"]
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return variables


@pytest.fixture
def deployed_function(
    function_environment: dict[str, str],
) -> Iterator[tuple[LambdaHandler, Calls]]:
    """lambda/lambda_function.py imported afresh, as a new container would with that environment
    (the copy other tests import keeps the table and endpoint it was first built with)."""
    root_level = logging.getLogger().level
    spec = importlib.util.spec_from_file_location(
        "deployed_lambda_function", ROOT / "lambda" / "lambda_function.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    store = module.SKILL.persistence_adapter
    assert isinstance(store, ProfileStore)
    assert store.table_name == function_environment["TABLE_NAME"]
    handler: LambdaHandler = module.lambda_handler
    yield handler, Calls(store)
    logging.getLogger().setLevel(root_level)  # the entry point sets the root logger's level


def replay(handler: LambdaHandler, nlu: LocalNlu, name: str) -> list[str]:
    """Replays examples/dialogs/<name> through `handler`; returns each response's SSML."""
    utterances = json.loads((DIALOGS / name).read_text(encoding="utf-8"))["userInput"]
    conversation = Conversation(
        handler=handler,
        nlu=nlu,
        # The skill's own id (the function refuses any other); Alexa's APIs on a closed local
        # port, so that nothing could reach the network.
        caller=Caller(
            skill_id=SKILL_ID,
            user_id=USER_ID,
            device_id="amzn1.ask.device.DEPLOYED",
            api_endpoint="http://127.0.0.1:9",
        ),
    )
    spoken = []
    for utterance in utterances:
        body = conversation.say(utterance).response["response"]
        spoken.append((body.get("outputSpeech") or {}).get("ssml", ""))
    return spoken


def policy_statements() -> dict[str, dict[str, Any]]:
    (policy,) = resource("SkillFunctionRole")["Properties"]["Policies"]
    return {statement["Sid"]: statement for statement in policy["PolicyDocument"]["Statement"]}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def dynamodb_operations_in_shipped_code() -> dict[str, set[str]]:
    """DynamoDB operations called on a `client` in the shipped modules, by enclosing function."""
    client: Any = boto3.client("dynamodb")  # any waiter's name, not a literal one
    operations = client.meta.method_to_api_mapping  # get_item -> GetItem
    found: dict[str, set[str]] = {}

    class Visitor(ast.NodeVisitor):
        def __init__(self) -> None:
            self.function = "<module>"

        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            outer, self.function = self.function, node.name
            self.generic_visit(node)
            self.function = outer

        def visit_Call(self, node: ast.Call) -> None:
            call = node.func
            if isinstance(call, ast.Attribute) and _names_a_client(call.value):
                argument = node.args[0] if node.args else None
                name = argument.value if isinstance(argument, ast.Constant) else None
                operation = None
                if call.attr == "get_paginator" and isinstance(name, str):
                    operation = operations[name]
                elif call.attr == "get_waiter" and isinstance(name, str):
                    operation = client.get_waiter(name).config.operation
                if operation is not None:
                    found.setdefault(operation, set()).add(self.function)
            self.generic_visit(node)

        def visit_Attribute(self, node: ast.Attribute) -> None:
            # Called at once or handed on (the store's retrying `_call` takes the bound method).
            if _names_a_client(node.value) and node.attr in operations:
                found.setdefault(operations[node.attr], set()).add(self.function)
            self.generic_visit(node)

    for path in SHIPPED:
        Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _names_a_client(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "client") or (
        isinstance(node, ast.Attribute) and node.attr == "client"
    )


# cfn-lint


def test_cfn_lint_reports_nothing() -> None:
    matches = lint(STACK.read_text(encoding="utf-8"), regions=DEPLOY_REGIONS)
    assert [str(match) for match in matches] == []


# The stack in moto's CloudFormation, deployed as the cfn-deployer deploys it


@pytest.mark.parametrize("with_code_version", [True, False], ids=["code-version", "no-version"])
def test_the_stack_creates_with_the_deployers_parameters(with_code_version: bool) -> None:
    with mock_aws():
        outputs = deploy(with_code_version)
        lambda_client: Any = boto3.client("lambda")
        function = lambda_client.get_function(FunctionName=outputs["SkillEndpoint"])
        assert function["Configuration"]["FunctionArn"] == outputs["SkillEndpoint"]
        assert outputs["SkillEndpoint"].startswith("arn:aws:lambda:us-east-1:")
        table = boto3.client("dynamodb").describe_table(TableName=outputs["TableName"])["Table"]
        assert table["TableStatus"] == "ACTIVE"


def test_the_function_is_wired_to_the_stacks_table_and_skill(
    deployed: dict[str, str], function_environment: dict[str, str]
) -> None:
    assert function_environment == {
        "TABLE_NAME": deployed["TableName"],
        "SKILL_ID": SKILL_ID,
        "LOG_LEVEL": "INFO",
    }
    lambda_client: Any = boto3.client("lambda")
    configuration = lambda_client.get_function_configuration(FunctionName=deployed["SkillEndpoint"])
    config = ask_user_config()
    assert (configuration["Runtime"], configuration["Handler"]) == (
        config["runtime"],
        config["handler"],
    )
    # moto keeps the permission's principal but drops its EventSourceToken (checked below, in
    # the template).
    policy = json.loads(lambda_client.get_policy(FunctionName=deployed["SkillEndpoint"])["Policy"])
    assert [statement["Principal"] for statement in policy["Statement"]] == [
        "alexa-appkit.amazon.com"
    ]


def test_a_replayed_dialog_keeps_its_progress_in_the_stacks_table(
    deployed: dict[str, str], deployed_function: tuple[LambdaHandler, Calls], nlu: LocalNlu
) -> None:
    handler, calls = deployed_function
    spoken = replay(handler, nlu, "returning-visit.json")

    assert "Welcome to Secure Base" in spoken[0]
    assert "Welcome back" in spoken[4]  # a new session, remembered through the table
    items = boto3.client("dynamodb").scan(TableName=deployed["TableName"])["Items"]
    assert [(item[PARTITION_KEY], item[SORT_KEY]) for item in items] == [
        ({"S": USER_ID}, {"S": ACCOUNT_PERSON})
    ]
    assert int(items[0][TTL_ATTRIBUTE]["N"]) > 0
    assert calls["GetItem"] and calls["PutItem"]


def test_the_role_allows_every_dynamodb_call_the_function_makes(
    deployed: dict[str, str], deployed_function: tuple[LambdaHandler, Calls], nlu: LocalNlu
) -> None:
    handler, calls = deployed_function
    replay(handler, nlu, "returning-visit.json")
    spoken = replay(handler, nlu, "forget-me.json")  # "forget me" queries, then deletes

    assert "Welcome to Secure Base" in spoken[6]  # forgotten: a first visit again
    allowed = set(as_list(policy_statements()["ProfileItems"]["Action"]))
    made = {f"dynamodb:{operation}" for operation in calls.counts}
    assert {"dynamodb:Query", "dynamodb:DeleteItem"} <= made
    assert made <= allowed


# The table: the same schema as `secure-base db create`, and kept safe


def test_db_create_makes_the_same_table_as_the_stack(deployed: dict[str, str]) -> None:
    apply_what_moto_ignores(deployed["TableName"])
    assert cli.main(["db", "create", "--table-name", "made-by-db-create"]) == 0

    client = boto3.client("dynamodb")

    def schema(table_name: str) -> dict[str, Any]:
        table = client.describe_table(TableName=table_name)["Table"]
        ttl = client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
        return {
            "KeySchema": table["KeySchema"],
            "AttributeDefinitions": sorted(
                table["AttributeDefinitions"], key=lambda a: a["AttributeName"]
            ),
            "BillingMode": table["BillingModeSummary"]["BillingMode"],
            "TimeToLive": (ttl.get("AttributeName"), ttl.get("TimeToLiveStatus")),
        }

    made = schema("made-by-db-create")
    assert schema(deployed["TableName"]) == made
    assert made["KeySchema"] == KEY_SCHEMA
    assert made["TimeToLive"] == (TTL_ATTRIBUTE, "ENABLED")
    assert made["BillingMode"] == "PAY_PER_REQUEST"


def test_the_table_is_encrypted_recoverable_expiring_and_retained() -> None:
    table = resource("ProfileTable")
    properties = table["Properties"]
    assert properties["KeySchema"] == KEY_SCHEMA
    assert properties["AttributeDefinitions"] == ATTRIBUTE_DEFINITIONS
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["TimeToLiveSpecification"] == {
        "AttributeName": TTL_ATTRIBUTE,
        "Enabled": True,
    }
    # People's progress survives deleting the stack and any change that replaces the table.
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert properties["DeletionProtectionEnabled"] is True


def test_the_table_is_deleted_only_once_its_protection_is_turned_off(
    deployed: dict[str, str],
) -> None:
    client: Any = boto3.client("dynamodb")
    table_name = deployed["TableName"]
    assert client.describe_table(TableName=table_name)["Table"]["DeletionProtectionEnabled"]
    with pytest.raises(ClientError) as refused:
        client.delete_table(TableName=table_name)
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert table_name in client.list_tables()["TableNames"]

    # The deliberate way, as the README's tear-down gives it.
    client.update_table(TableName=table_name, DeletionProtectionEnabled=False)
    client.delete_table(TableName=table_name)
    assert table_name not in client.list_tables()["TableNames"]


# Least privilege


def test_the_role_has_no_wildcard_and_reaches_only_this_stacks_resources() -> None:
    statements = policy_statements()
    for statement in statements.values():
        assert statement["Effect"] == "Allow"
        for text in strings_in([statement["Action"], statement["Resource"]]):
            assert "*" not in text, statement["Sid"]
    # Every resource is one this stack creates, by reference: no ARN written out by hand.
    assert statements["ProfileItems"]["Resource"] == {"Fn::GetAtt": ["ProfileTable", "Arn"]}
    assert statements["OwnLogGroup"]["Resource"] == {"Fn::GetAtt": ["SkillLogGroup", "Arn"]}
    assert set(as_list(statements["OwnLogGroup"]["Action"])) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    assert "NotAction" not in str(statements) and "NotResource" not in str(statements)


def test_the_roles_dynamodb_actions_are_exactly_the_calls_the_code_makes() -> None:
    found = dynamodb_operations_in_shipped_code()
    # Making the table is the stack's job: only ProfileStore.create_table (for local use and
    # tests) calls these, and no shipped module calls that method.
    schema_operations = {op for op, functions in found.items() if functions == {"create_table"}}
    assert schema_operations == {"CreateTable", "UpdateTimeToLive", "DescribeTable"}
    for path in SHIPPED:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.func if isinstance(node, ast.Call) else None
            if isinstance(call, ast.Attribute) and call.attr == "create_table":
                assert _names_a_client(call.value), f"{path} calls create_table"

    used = {f"dynamodb:{op}" for op in found.keys() - schema_operations}
    assert used == {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"}
    assert set(as_list(policy_statements()["ProfileItems"]["Action"])) == used


# The function, its log group, and Alexa's permission


def test_only_this_skill_may_invoke_the_function() -> None:
    permission = resource("SkillInvokePermission")["Properties"]
    assert permission == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Fn::GetAtt": ["SkillFunction", "Arn"]},
        "Principal": "alexa-appkit.amazon.com",
        "EventSourceToken": {"Ref": "SkillId"},
    }


def test_the_function_knows_its_table_and_skill_and_logs_to_its_own_group() -> None:
    properties = resource("SkillFunction")["Properties"]
    assert properties["Environment"]["Variables"] == {
        "TABLE_NAME": {"Ref": "ProfileTable"},
        "SKILL_ID": {"Ref": "SkillId"},
        "LOG_LEVEL": "INFO",
    }
    # moto ignores both of these: checked here.
    assert properties["Architectures"] == [{"Ref": "LambdaArchitecture"}]
    assert properties["LoggingConfig"]["LogGroup"] == {"Ref": "SkillLogGroup"}
    log_group = resource("SkillLogGroup")["Properties"]
    assert log_group["RetentionInDays"] == 30
    assert properties["Role"] == {"Fn::GetAtt": ["SkillFunctionRole", "Arn"]}
    # Alexa waits about 8 s: the function may not run much longer than that.
    assert 8 <= properties["Timeout"] <= 10


def test_the_functions_reserved_concurrency_is_a_parameter_sized_for_the_peak() -> None:
    properties = resource("SkillFunction")["Properties"]
    # 0 (Lambda would refuse every invocation) reserves nothing instead: for a new account.
    assert properties["ReservedConcurrentExecutions"] == {
        "Fn::If": ["ReservesConcurrency", {"Ref": "ReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert template()["Conditions"]["ReservesConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ReservedConcurrency"}, 0]}]
    }
    parameter = template()["Parameters"]["ReservedConcurrency"]
    assert parameter["Type"] == "Number"
    assert parameter["MinValue"] == 0
    # As many turns at once as arrive at the peak during the longest a turn can take.
    default = parameter["Default"]
    assert default == ASSUMED_PEAK_REQUESTS_PER_SECOND * properties["Timeout"]
    # An account with the usual quota can reserve it and keep Lambda's unreserved minimum.
    assert default <= USUAL_ACCOUNT_QUOTA - UNRESERVED_MINIMUM
    description = parameter["Description"]
    assert str(UNRESERVED_MINIMUM) in description and "Service Quotas" in description


@pytest.mark.parametrize(
    ("user_parameters", "reserved"),
    [({}, None), ({"ReservedConcurrency": "200"}, 200), ({"ReservedConcurrency": "0"}, 0)],
    ids=["default", "from-ask-resources", "none-in-a-new-account"],
)
def test_the_deployed_function_reserves_the_parameters_concurrency(
    user_parameters: dict[str, str], reserved: int | None
) -> None:
    if reserved is None:  # what the deployer gets without a value in ask-resources.json
        reserved = int(template()["Parameters"]["ReservedConcurrency"]["Default"])
    with mock_aws():
        outputs = deploy(user_parameters=user_parameters)
        lambda_client: Any = boto3.client("lambda")
        function = lambda_client.get_function(FunctionName=outputs["SkillEndpoint"])
        if reserved == 0:
            assert "ReservedConcurrentExecutions" not in function.get("Concurrency", {})
        else:
            assert int(function["Concurrency"]["ReservedConcurrentExecutions"]) == reserved


def test_the_log_group_exists_with_its_retention(deployed: dict[str, str]) -> None:
    logs: Any = boto3.client("logs")
    groups = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]
    assert [(group["logGroupName"], group["retentionInDays"]) for group in groups] == [
        (f"/aws/lambda/{STACK_NAME}", 30)
    ]


# The contract with the ASK CLI and with `secure-base package`


def test_the_stack_takes_what_the_cfn_deployer_passes_and_gives_what_it_reads() -> None:
    parameters = template()["Parameters"]
    assert parameters.keys() >= DEPLOYER_PARAMETERS
    # Anything the deployer does not pass needs a default, or `ask deploy` fails.
    for name in parameters.keys() - DEPLOYER_PARAMETERS:
        assert "Default" in parameters[name], name
    assert parameters["CodeVersion"]["Default"] == ""
    code = resource("SkillFunction")["Properties"]["Code"]
    assert code["S3ObjectVersion"] == {
        "Fn::If": ["HasCodeVersion", {"Ref": "CodeVersion"}, {"Ref": "AWS::NoValue"}]
    }
    # The function's ARN; with SnapStart on, its alias's (tests/test_snapstart.py).
    assert template()["Outputs"]["SkillEndpoint"]["Value"] == {
        "Fn::If": ["SnapStartOn", {"Ref": "SkillAlias"}, {"Fn::GetAtt": ["SkillFunction", "Arn"]}]
    }
    # The deployer fetches the skill's messaging credentials over SMAPI when the template text
    # mentions both of these parameter names; this skill has no use for them.
    text = STACK.read_text(encoding="utf-8")
    assert "SkillClientId" not in text or "SkillClientSecret" not in text
    # A role name would need CAPABILITY_NAMED_IAM, which the deployer does not add.
    assert "RoleName" not in resource("SkillFunctionRole")["Properties"]


def test_the_package_and_the_deployer_agree_on_runtime_and_architecture() -> None:
    parameters = template()["Parameters"]
    runtime = parameters["LambdaRuntime"]["Default"]
    architecture = parameters["LambdaArchitecture"]["Default"]
    assert (runtime, architecture) == ("python3.12", "arm64")
    assert parameters["LambdaArchitecture"]["AllowedValues"] == ["arm64", "x86_64"]
    # `secure-base package` builds for these defaults...
    target = stack_target()
    assert (f"python{target.python}", target.arch) == (runtime, architecture)
    # ...and the deployer overrides LambdaRuntime and LambdaHandler with ask-resources.json's.
    config = ask_user_config()
    assert config["runtime"] == runtime
    assert config["handler"] == parameters["LambdaHandler"]["Default"]


def test_ask_resources_deploys_this_skill_package_and_this_stack() -> None:
    resources = json.loads(ASK_RESOURCES.read_text(encoding="utf-8"))
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    profile = resources["profiles"]["default"]
    package = ROOT / profile["skillMetadata"]["src"]
    assert (package / "skill.json").is_file()
    assert list((package / "interactionModels" / "custom").glob("*.json"))
    assert profile["skillInfrastructure"]["type"] == "@ask-cli/cfn-deployer"
    config = ask_user_config()
    assert (ROOT / config["templatePath"]).resolve() == STACK
    assert config["awsRegion"] == "us-east-1"

    # The ASK CLI builds the code with hooks/build.sh when it exists, before any of its own
    # flows (its pip flow would install wheels for this machine, not the function's arm64).
    assert (ROOT / profile["code"]["default"]["src"] / "lambda_function.py").is_file()
    assert os.access(ROOT / "hooks" / "build.sh", os.X_OK)

    # With targetEndpoint set, the CLI writes the stack's endpoint into exactly these parts of
    # the manifest: every API the manifest declares, and the events it subscribes to.
    manifest = json.loads((package / "skill.json").read_text(encoding="utf-8"))["manifest"]
    expected = set(manifest["apis"]) | ({"events"} if manifest.get("events") else set())
    assert set(config["targetEndpoint"]) == expected


def test_the_ask_cli_build_hook_uploads_exactly_what_secure_base_package_builds(
    tmp_path: Path,
) -> None:
    # `ask deploy` runs the hook from elsewhere, with the path of the zip it will upload.
    environment = {**os.environ, "PIP_NO_INDEX": "1"}  # tests stay offline: the cached wheels
    hook = subprocess.run(
        [str(ROOT / "hooks" / "build.sh"), str(tmp_path / "build.zip"), "false"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert hook.returncode == 0, hook.stderr
    assert cli.main(["package", "--offline", "--out", str(tmp_path / "lambda.zip")]) == 0
    built = (tmp_path / "build.zip").read_bytes()
    assert built == (tmp_path / "lambda.zip").read_bytes()
    assert "lambda_function.py" in zipfile.ZipFile(tmp_path / "build.zip").namelist()
