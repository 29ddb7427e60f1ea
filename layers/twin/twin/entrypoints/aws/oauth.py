"""The OAuth function: the twin's authorization server (metadata, authorize, consent, token, register, revoke),
behind no authorizer. Its state (invites, clients, codes, grants) is in Upstash Redis, shared by every container: the
credentials database, or the main one when there is no credentials database.

The issuer is the API's URL as the caller reached it (the custom domain when `TWIN_PUBLIC_URL` is set, else the
execute-api URL with its stage); the routes are built once per issuer, on the first request naming it.
"""

from typing import Any

from mangum import Mangum
from starlette.applications import Starlette

from twin.composition import build_services, lambda_telemetry
from twin.entrypoints.aws.context import resources_of_event, resources_of_scope
from twin.entrypoints.aws.observability import LambdaHandler, instrumented, metrics, traced
from twin.entrypoints.http.auth import AuthorizerContextIdentity
from twin.entrypoints.http.middleware import api_middleware
from twin.entrypoints.oauth.routes import authorization_server
from twin.errors import ConfigurationError
from twin.settings import Settings


def oauth_handler() -> LambdaHandler:
    settings = Settings.from_environment(env_file=None)
    if not (settings.upstash_credentials_redis_url or settings.upstash_redis_url):
        raise ConfigurationError(
            "TWIN_UPSTASH_CREDENTIALS_REDIS_URL", "the OAuth function keeps its state in Upstash Redis"
        )
    telemetry, xray = lambda_telemetry(metrics)
    services = build_services(settings, telemetry, concurrent=False)
    middleware = api_middleware(services, identify=AuthorizerContextIdentity(), resources=resources_of_scope(settings))
    by_issuer: dict[str, Mangum] = {}

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        resources = resources_of_event(event, settings)
        asgi = by_issuer.get(resources.api_url)
        if asgi is None:
            app = Starlette(routes=authorization_server(services, resources), middleware=middleware)
            asgi = by_issuer.setdefault(resources.api_url, Mangum(traced(app, xray), lifespan="off"))
        response: dict[str, Any] = asgi(event, context)
        return response

    return instrumented(handle)
