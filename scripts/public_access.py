"""Turns a stack's public access off, or back on, in one command and without a deploy.

    .venv/bin/python scripts/public_access.py --stack digital-twin-prod off
    .venv/bin/python scripts/public_access.py --stack digital-twin-prod on

`off` throttles every public method the stage has (the chat page, embed.js, the privacy notice, the public
question and fit routes, the public MCP endpoint) to 0 requests a second with no burst: API Gateway answers them 429
before any function runs, within seconds. `on` gives them back the stack's own limits: PublicAskRateLimit and
PublicAskBurstLimit for POST /v1/public/ask and POST /v1/public/fit, StageRateLimit and StageBurstLimit for the
others. The authenticated
API, the OAuth sign-in and /health are left as they are. It needs `cloudformation:DescribeStacks`,
`cloudformation:DescribeStackResource`, `apigateway:GET` and `apigateway:PATCH` on the API.
"""

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_apigateway.type_defs import PatchOperationTypeDef
    from mypy_boto3_cloudformation import CloudFormationClient

PUBLIC_ASK = ("POST", "/v1/public/ask")
PUBLIC_FIT = ("POST", "/v1/public/fit")
PUBLIC_METHODS = (
    ("GET", "/"),
    ("GET", "/embed.js"),
    ("GET", "/privacy"),
    PUBLIC_ASK,
    ("OPTIONS", "/v1/public/ask"),
    PUBLIC_FIT,
    ("OPTIONS", "/v1/public/fit"),
    ("POST", "/v1/public/mcp"),
    ("GET", "/v1/public/mcp"),
    ("OPTIONS", "/v1/public/mcp"),
)
"""What anyone may call without a credential, bar /health and the OAuth routes (template.yaml: PublicFunction and
PublicMcpFunction)."""


@dataclass(frozen=True)
class Stage:
    rest_api_id: str
    name: str
    parameters: dict[str, str]
    """The stack's parameter values, defaults included."""

    def limits(self, method: tuple[str, str], *, on: bool) -> tuple[str, str]:
        """(rate, burst) of a public method: nothing when off, the stack's own limits when on."""
        if not on:
            return "0", "0"
        prefix = "PublicAsk" if method in (PUBLIC_ASK, PUBLIC_FIT) else "Stage"
        return self.parameters[f"{prefix}RateLimit"], self.parameters[f"{prefix}BurstLimit"]


def stack_stage(cloudformation: "CloudFormationClient", stack: str) -> Stage:
    (described,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    parameters = {item["ParameterKey"]: item["ParameterValue"] for item in described.get("Parameters", [])}
    api = cloudformation.describe_stack_resource(StackName=stack, LogicalResourceId="TwinApi")
    return Stage(api["StackResourceDetail"]["PhysicalResourceId"], parameters["Stage"], parameters)


def deployed_methods(apigateway: "APIGatewayClient", rest_api_id: str) -> set[tuple[str, str]]:
    """(METHOD, path) of every method the API has: the public MCP endpoint exists only when it is enabled."""
    pages = apigateway.get_paginator("get_resources").paginate(restApiId=rest_api_id)
    return {
        (method, item["path"]) for page in pages for item in page["items"] for method in item.get("resourceMethods", {})
    }


def throttle_operations(stage: Stage, methods: Iterable[tuple[str, str]], *, on: bool) -> list["PatchOperationTypeDef"]:
    """A stage's method settings are addressed by resource path with `/` spelled `~1`, then the method."""
    operations: list[PatchOperationTypeDef] = []
    for method in methods:
        verb, path = method
        rate, burst = stage.limits(method, on=on)
        setting = f"/{path.replace('/', '~1')}/{verb}/throttling"
        operations.append({"op": "replace", "path": f"{setting}/rateLimit", "value": rate})
        operations.append({"op": "replace", "path": f"{setting}/burstLimit", "value": burst})
    return operations


def switch(
    cloudformation: "CloudFormationClient",
    apigateway: "APIGatewayClient",
    stack: str,
    *,
    on: bool,
    report: Callable[[str], None] = print,
) -> int:
    """Public access of `stack` on or off; how many methods it changed."""
    stage = stack_stage(cloudformation, stack)
    deployed = deployed_methods(apigateway, stage.rest_api_id)
    methods = [method for method in PUBLIC_METHODS if method in deployed]
    if methods:
        operations = throttle_operations(stage, methods, on=on)
        apigateway.update_stage(restApiId=stage.rest_api_id, stageName=stage.name, patchOperations=operations)
    for verb, path in methods:
        report(f"{'on' if on else 'off'}: {verb} {path}")
    return len(methods)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True, help="the stack's name, e.g. digital-twin-prod")
    parser.add_argument("state", choices=["off", "on"], help="off: refuse every public request (429); on: undo it")
    arguments = parser.parse_args(argv)
    on = arguments.state == "on"
    count = switch(boto3.client("cloudformation"), boto3.client("apigateway"), arguments.stack, on=on)
    print(f"public access {arguments.state} on {count} method(s) of {arguments.stack}")


if __name__ == "__main__":
    main()
