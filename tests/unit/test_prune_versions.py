"""scripts/prune_versions.py against stubbed AWS clients (no network): what it keeps, and that it deletes only when
told to."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.stub import Stubber

from scripts.prune_versions import prune

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_lambda import LambdaClient

FUNCTION = "digital-twin-dev-AskFunction-abc"


@pytest.fixture
def aws() -> Iterator[tuple["CloudFormationClient", "LambdaClient", Stubber]]:
    cloudformation: CloudFormationClient = boto3.client(
        "cloudformation", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    client: LambdaClient = boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    with Stubber(cloudformation) as stack, Stubber(client) as functions:
        resource = {"LastUpdatedTimestamp": "2026-11-01T00:00:00Z", "ResourceStatus": "UPDATE_COMPLETE"}
        stack.add_response(
            "list_stack_resources",
            {
                "StackResourceSummaries": [
                    {
                        **resource,
                        "LogicalResourceId": "AskFunction",
                        "PhysicalResourceId": FUNCTION,
                        "ResourceType": "AWS::Lambda::Function",
                    },
                    {
                        **resource,
                        "LogicalResourceId": "FunctionLogGroup",
                        "PhysicalResourceId": "/aws/lambda/x",
                        "ResourceType": "AWS::Logs::LogGroup",
                    },
                ]
            },
            {"StackName": "digital-twin-dev"},
        )
        versions = [{"Version": version} for version in ("$LATEST", "1", "2", "3", "10")]
        functions.add_response("list_versions_by_function", {"Versions": versions}, {"FunctionName": FUNCTION})
        # `live` was rolled back to 3 by hand; 10 is the newest.
        functions.add_response(
            "list_aliases", {"Aliases": [{"Name": "live", "FunctionVersion": "3"}]}, {"FunctionName": FUNCTION}
        )
        yield cloudformation, client, functions


def test_a_dry_run_lists_the_versions_no_alias_points_at_but_the_newest_and_deletes_nothing(
    aws: tuple["CloudFormationClient", "LambdaClient", Stubber],
) -> None:
    cloudformation, client, functions = aws
    reported: list[str] = []

    count = prune(cloudformation, client, "digital-twin-dev", keep=1, delete=False, report=reported.append)

    assert count == 2
    assert reported == [f"would delete {FUNCTION}:1", f"would delete {FUNCTION}:2"]
    functions.assert_no_pending_responses()  # and no delete_function call was made: the stubber would refuse it


def test_with_delete_it_deletes_exactly_those_versions(
    aws: tuple["CloudFormationClient", "LambdaClient", Stubber],
) -> None:
    cloudformation, client, functions = aws
    for version in ("1", "2"):
        functions.add_response("delete_function", {}, {"FunctionName": FUNCTION, "Qualifier": version})

    prune(cloudformation, client, "digital-twin-dev", keep=1, delete=True, report=lambda _: None)

    functions.assert_no_pending_responses()
