"""REST functions: the FastAPI app with only the function's own routers, behind Mangum."""

from typing import Any

from fastapi import APIRouter
from mangum import Mangum

from twin.composition import build_services, lambda_telemetry, seed_if_empty
from twin.entrypoints.aws.context import resources_of_scope
from twin.entrypoints.aws.observability import LambdaHandler, instrumented, metrics, traced
from twin.entrypoints.http.app import create_app
from twin.entrypoints.http.auth import AuthorizerContextIdentity
from twin.settings import Settings


def rest_handler(*routers: APIRouter, settings: Settings | None = None) -> LambdaHandler:
    """Built once per cold start; API Gateway's authorizer has already decided who may call."""
    settings = settings or Settings.from_environment(env_file=None)
    telemetry, xray = lambda_telemetry(metrics)
    services = build_services(settings, telemetry, concurrent=False)
    seed_if_empty(services)
    app = create_app(
        services, identify=AuthorizerContextIdentity(), resources=resources_of_scope(settings), routers=routers
    )
    # FastAPI needs no lifespan here; "off" also spares every invocation a startup/shutdown round.
    asgi = Mangum(traced(app, xray), lifespan="off")

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        response: dict[str, Any] = asgi(event, context)
        return response

    return instrumented(handle)


def public_chat_handler() -> LambdaHandler:
    """The public chat, which refuses to start where its per-address limit would not hold: without Redis each
    container counts alone, so the limit multiplies with the number of containers."""
    from twin.entrypoints.aws.public_limits import require_shared_limits
    from twin.entrypoints.http.routes import public

    settings = Settings.from_environment(env_file=None)
    if settings.public_chat:
        require_shared_limits(settings, "the public chat")
    return rest_handler(public.router, settings=settings)
