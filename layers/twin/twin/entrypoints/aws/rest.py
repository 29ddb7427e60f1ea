"""REST functions: the FastAPI app with only the function's own routers, behind Mangum."""

from typing import Any

from fastapi import APIRouter
from mangum import Mangum

from twin.composition import build_services, seed_if_empty
from twin.entrypoints.aws.context import resources_of_scope
from twin.entrypoints.aws.observability import LambdaHandler, instrumented, telemetry
from twin.entrypoints.http.app import create_app
from twin.entrypoints.http.auth import AuthorizerContextIdentity
from twin.settings import Settings


def rest_handler(*routers: APIRouter) -> LambdaHandler:
    """Built once per cold start; API Gateway's authorizer has already decided who may call."""
    settings = Settings.from_environment(env_file=None)
    services = build_services(settings, telemetry())
    seed_if_empty(services)
    app = create_app(
        services, identify=AuthorizerContextIdentity(), resources=resources_of_scope(settings), routers=routers
    )
    # FastAPI needs no lifespan here; "off" also spares every invocation a startup/shutdown round.
    asgi = Mangum(app, lifespan="off")

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        response: dict[str, Any] = asgi(event, context)
        return response

    return instrumented(handle)
