"""scripts/public_access.py against stubbed AWS clients (no network): one command refuses every public route at the
gateway, and one gives the stack's own limits back; nothing else on the stage is touched."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import Stubber

from scripts.public_access import PUBLIC_METHODS, switch
from tests.unit.test_template import ROUTES

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_cloudformation import CloudFormationClient

STACK = "digital-twin-prod"
API_ID = "abc123defg"
PARAMETERS = {
    "Stage": "prod",
    "StageRateLimit": "100",
    "StageBurstLimit": "200",
    "PublicAskRateLimit": "5",
    "PublicAskBurstLimit": "10",
    "PublicChat": "Enabled",
}
# The public MCP endpoint is off here (PublicMcp=Disabled): its resource does not exist and must not be patched.
RESOURCES = [
    {"id": "root", "path": "/", "resourceMethods": {"GET": {}}},
    {"id": "embed", "path": "/embed.js", "resourceMethods": {"GET": {}}},
    {"id": "privacy", "path": "/privacy", "resourceMethods": {"GET": {}}},
    {"id": "v1", "path": "/v1"},
    {"id": "public", "path": "/v1/public"},
    {"id": "ask", "path": "/v1/public/ask", "resourceMethods": {"POST": {}, "OPTIONS": {}}},
    {"id": "fit", "path": "/v1/public/fit", "resourceMethods": {"POST": {}, "OPTIONS": {}}},
    {"id": "private", "path": "/v1/ask", "resourceMethods": {"POST": {}, "OPTIONS": {}}},
    {"id": "health", "path": "/health", "resourceMethods": {"GET": {}}},
]


Clients = tuple["CloudFormationClient", "APIGatewayClient", Stubber]


@pytest.fixture
def aws() -> Iterator[Clients]:
    credentials: dict[str, Any] = {"region_name": "us-east-1", "aws_access_key_id": "t", "aws_secret_access_key": "t"}
    cloudformation: CloudFormationClient = boto3.client("cloudformation", **credentials)
    apigateway: APIGatewayClient = boto3.client("apigateway", **credentials)
    with Stubber(cloudformation) as stack, Stubber(apigateway) as gateway:
        stack.add_response(
            "describe_stacks",
            {
                "Stacks": [
                    {
                        "StackName": STACK,
                        "CreationTime": "2026-11-01T00:00:00Z",
                        "StackStatus": "UPDATE_COMPLETE",
                        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in PARAMETERS.items()],
                    }
                ]
            },
            {"StackName": STACK},
        )
        stack.add_response(
            "describe_stack_resource",
            {
                "StackResourceDetail": {
                    "LogicalResourceId": "TwinApi",
                    "PhysicalResourceId": API_ID,
                    "ResourceType": "AWS::ApiGateway::RestApi",
                    "LastUpdatedTimestamp": "2026-11-01T00:00:00Z",
                    "ResourceStatus": "UPDATE_COMPLETE",
                }
            },
            {"StackName": STACK, "LogicalResourceId": "TwinApi"},
        )
        gateway.add_response("get_resources", {"items": RESOURCES}, {"restApiId": API_ID})
        yield cloudformation, apigateway, gateway


def _throttle(path: str, method: str, rate: str, burst: str) -> list[dict[str, str]]:
    setting = f"/{path}/{method}/throttling"
    return [
        {"op": "replace", "path": f"{setting}/rateLimit", "value": rate},
        {"op": "replace", "path": f"{setting}/burstLimit", "value": burst},
    ]


def test_off_throttles_every_public_method_the_stage_has_to_nothing_in_one_stage_update(aws: Clients) -> None:
    cloudformation, apigateway, gateway = aws
    operations = [
        *_throttle("~1", "GET", "0", "0"),
        *_throttle("~1embed.js", "GET", "0", "0"),
        *_throttle("~1privacy", "GET", "0", "0"),
        *_throttle("~1v1~1public~1ask", "POST", "0", "0"),
        *_throttle("~1v1~1public~1ask", "OPTIONS", "0", "0"),
        *_throttle("~1v1~1public~1fit", "POST", "0", "0"),
        *_throttle("~1v1~1public~1fit", "OPTIONS", "0", "0"),
    ]
    gateway.add_response("update_stage", {}, {"restApiId": API_ID, "stageName": "prod", "patchOperations": operations})
    reported: list[str] = []

    count = switch(cloudformation, apigateway, STACK, on=False, report=reported.append)

    assert count == 7
    assert reported[0] == "off: GET /"
    gateway.assert_no_pending_responses()  # and nothing touched /v1/ask or /health: the stubber would refuse it


def test_on_gives_the_question_and_fit_routes_their_own_throttle_and_the_rest_the_stages(aws: Clients) -> None:
    cloudformation, apigateway, gateway = aws
    operations = [
        *_throttle("~1", "GET", "100", "200"),
        *_throttle("~1embed.js", "GET", "100", "200"),
        *_throttle("~1privacy", "GET", "100", "200"),
        *_throttle("~1v1~1public~1ask", "POST", "5", "10"),
        *_throttle("~1v1~1public~1ask", "OPTIONS", "100", "200"),
        *_throttle("~1v1~1public~1fit", "POST", "5", "10"),
        *_throttle("~1v1~1public~1fit", "OPTIONS", "100", "200"),
    ]
    gateway.add_response("update_stage", {}, {"restApiId": API_ID, "stageName": "prod", "patchOperations": operations})

    assert switch(cloudformation, apigateway, STACK, on=True, report=lambda _: None) == 7
    gateway.assert_no_pending_responses()


def test_the_public_methods_are_exactly_the_routes_the_template_serves_without_a_credential_to_visitors() -> None:
    public_functions = {"PublicFunction", "PublicMcpFunction"}
    visitors = {(method, path) for function, method, path, _ in ROUTES if function in public_functions}

    assert set(PUBLIC_METHODS) == visitors
