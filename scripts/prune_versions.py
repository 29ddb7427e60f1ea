"""Deletes the published versions of a stack's functions that nothing invokes any more.

With SnapStart every published version keeps a snapshot, billed for as long as the version exists
(docs/operations.md, cost notes), and SAM retains each version it stops referencing. A version is kept when an
alias points at it (`live`) or it is among the newest `--keep` of its function; `$LATEST` is never touched.
A dry run by default: it prints what it would delete. `--delete` deletes.

    .venv/bin/python scripts/prune_versions.py --stack digital-twin-dev [--keep 1] [--delete]
"""

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

import boto3

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_lambda import LambdaClient


def stack_functions(cloudformation: "CloudFormationClient", stack: str) -> list[str]:
    pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack)
    return sorted(
        resource["PhysicalResourceId"]
        for page in pages
        for resource in page["StackResourceSummaries"]
        if resource["ResourceType"] == "AWS::Lambda::Function" and "PhysicalResourceId" in resource
    )


def prunable_versions(client: "LambdaClient", function: str, keep: int) -> list[str]:
    versions = sorted(
        (
            version["Version"]
            for page in client.get_paginator("list_versions_by_function").paginate(FunctionName=function)
            for version in page["Versions"]
            if version["Version"] != "$LATEST"
        ),
        key=int,
    )
    aliased = {
        alias["FunctionVersion"]
        for page in client.get_paginator("list_aliases").paginate(FunctionName=function)
        for alias in page["Aliases"]
    }
    newest = set(versions[-keep:]) if keep else set()
    return [version for version in versions if version not in aliased | newest]


def prune(
    cloudformation: "CloudFormationClient",
    client: "LambdaClient",
    stack: str,
    *,
    keep: int,
    delete: bool,
    report: Callable[[str], None] = print,
) -> int:
    """Deletes (or, without `delete`, lists) the prunable versions of every function of `stack`; how many."""
    count = 0
    for function in stack_functions(cloudformation, stack):
        for version in prunable_versions(client, function, keep):
            report(f"{'deleting' if delete else 'would delete'} {function}:{version}")
            if delete:
                client.delete_function(FunctionName=function, Qualifier=version)
            count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True, help="the stack's name, e.g. digital-twin-dev")
    parser.add_argument("--keep", type=int, default=1, help="newest versions kept per function besides aliased ones")
    parser.add_argument("--delete", action="store_true", help="delete them (without it: only list them)")
    arguments = parser.parse_args(argv)
    if arguments.keep < 0:
        parser.error("--keep must be 0 or more")
    count = prune(
        boto3.client("cloudformation"),
        boto3.client("lambda"),
        arguments.stack,
        keep=arguments.keep,
        delete=arguments.delete,
    )
    print(f"{count} version(s) {'deleted' if arguments.delete else 'to delete (dry run; --delete deletes them)'}")


if __name__ == "__main__":
    main()
