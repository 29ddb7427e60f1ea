"""What a function learns from its API Gateway event: the public URL the caller used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twin.security.policy import Resources
from twin.settings import Settings

if TYPE_CHECKING:  # the authorizer uses this module and never loads Starlette
    from starlette.types import Scope


def resources_of_event(event: dict[str, Any], settings: Settings) -> Resources:
    """`TWIN_PUBLIC_URL` when set (a custom domain); else the execute-api URL, stage included.

    `requestContext.domainName` and `stage` are set by API Gateway, not by the caller.
    """
    if settings.public_url:
        return Resources(api_url=settings.public_url.rstrip("/"))
    context = event.get("requestContext") or {}
    return Resources(api_url=f"https://{context.get('domainName', 'localhost')}/{context.get('stage', '')}".rstrip("/"))


def resources_of_scope(settings: Settings) -> Callable[[Scope], Resources]:
    """For middleware: Mangum keeps the Lambda event in the ASGI scope."""

    def resources(scope: Scope) -> Resources:
        return resources_of_event(scope.get("aws.event") or {}, settings)

    return resources
