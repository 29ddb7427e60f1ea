"""What a function learns from its API Gateway event: the public URL tokens must be issued for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twin.security.policy import Resources
from twin.settings import Settings, lambda_runtime_variable

if TYPE_CHECKING:  # the authorizer uses this module and never loads Starlette
    from starlette.types import Scope


def resources_of_event(event: dict[str, Any], settings: Settings) -> Resources:
    """`TWIN_PUBLIC_URL` when set (a custom domain); else this API's execute-api URL, stage included.

    Never the domain the request came through: the authorizer's result is cached per `Authorization` header for
    every domain of the API, so audiences that followed the domain would let a token for one pass on another.
    `requestContext.apiId` and `stage` are set by API Gateway, not by the caller, and do not change with the domain.
    """
    if settings.public_url:
        return Resources(api_url=settings.public_url.rstrip("/"))
    context = event.get("requestContext") or {}
    region = lambda_runtime_variable("AWS_REGION")
    host = f"{context.get('apiId')}.execute-api.{region}.amazonaws.com"
    return Resources(api_url=f"https://{host}/{context.get('stage', '')}".rstrip("/"))


def resources_of_scope(settings: Settings) -> Callable[[Scope], Resources]:
    """For middleware: Mangum keeps the Lambda event in the ASGI scope."""

    def resources(scope: Scope) -> Resources:
        return resources_of_event(scope.get("aws.event") or {}, settings)

    return resources
