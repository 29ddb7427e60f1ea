"""The API Gateway REQUEST authorizer: the same decision as `twin serve`, as an IAM policy.

The policy lists every route the identity may call (API Gateway caches it per `Authorization`
header, for all routes), the context carries the identity to the functions, and
`usageIdentifierKey` names the usage-plan key that meters the caller.
"""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from twin.composition import build_services
from twin.entrypoints.aws.context import resources_of_event
from twin.entrypoints.aws.observability import LambdaHandler, instrumented, metrics
from twin.errors import AuthenticationError
from twin.security.audit import audit
from twin.security.authenticator import bearer_credential
from twin.security.identity import AuthMethod, Identity
from twin.security.policy import Route, allowed_routes
from twin.settings import Settings


class UnauthorizedError(Exception):
    """API Gateway answers 401 when an authorizer fails with exactly this message."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


def authorizer_handler() -> LambdaHandler:
    settings = Settings.from_environment(env_file=None)
    authenticator = build_services(settings).authenticator

    def authorize(event: dict[str, Any], context: Any) -> dict[str, Any]:
        resources = resources_of_event(event, settings)
        authorization = header(event, "authorization")
        request_id = (event.get("requestContext") or {}).get("requestId")

        def denied(actor: str, reason: str) -> None:
            audit("authorize", actor=actor, resource="api", outcome="denied", reason=reason, request_id=request_id)
            metrics.add_metric(name="AuthorizerDenied", unit=MetricUnit.Count, value=1)

        try:
            identity = authenticator.authenticate(authorization, resources.audiences)
        except AuthenticationError as error:
            denied("anonymous", error.reason)
            # Lambda counts the raise as an error; this lets the errors alarm tell refusals from failures.
            metrics.add_metric(name="AuthorizerRejected", unit=MetricUnit.Count, value=1)
            raise UnauthorizedError from None
        routes = allowed_routes(identity, resources)
        if not routes:
            denied(identity.principal.key, "no_routes")
        response: dict[str, Any] = {
            "principalId": identity.principal.key,
            "policyDocument": policy(event["methodArn"], routes),
            "context": identity.context(),
        }
        usage_key = usage_identifier(identity, authorization, settings.tier_usage_keys)
        if usage_key is not None:
            response["usageIdentifierKey"] = usage_key
        return response

    return instrumented(authorize)


def header(event: dict[str, Any], name: str) -> str | None:
    headers = event.get("headers") or {}
    return next((value for key, value in headers.items() if key.lower() == name), None)


def policy(method_arn: str, routes: list[Route]) -> dict[str, Any]:
    """Allow exactly the routes given, on this API and stage; with none, deny the one asked for (403)."""
    api_and_stage = "/".join(method_arn.split("/", 2)[:2])
    if routes:
        effect = "Allow"
        resources = sorted({f"{api_and_stage}/{route.method}{_wildcards(route.path)}" for route in routes})
    else:
        effect, resources = "Deny", [method_arn]
    statement = {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resources}
    return {"Version": "2012-10-17", "Statement": [statement]}


def usage_identifier(identity: Identity, authorization: str | None, tier_keys: dict[str, str]) -> str | None:
    """The presented API key (registered in its tier's usage plan), or the usage-plan key of a JWT's tier."""
    if identity.method is AuthMethod.API_KEY:
        return bearer_credential(authorization)
    return tier_keys.get(identity.tier)


def _wildcards(path: str) -> str:
    return "/".join("*" if part.startswith("{") else part for part in path.split("/"))
