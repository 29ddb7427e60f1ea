"""Builds a FastAPI app from services, the routers it should serve and where identities come from.

A Lambda function imports only its own routers: each costs its module and its routes' set-up at cold start.
"""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import APIRouter, FastAPI
from starlette.types import Scope

from twin import __version__
from twin.composition import Services
from twin.entrypoints.http.auth import IdentitySource
from twin.entrypoints.http.errors import install_error_handlers
from twin.entrypoints.http.middleware import api_middleware
from twin.entrypoints.http.openapi import document_access
from twin.security.policy import Resources


def create_app(
    services: Services,
    *,
    identify: IdentitySource,
    resources: Callable[[Scope], Resources],
    routers: tuple[APIRouter, ...],
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    app = FastAPI(
        title="Digital Twin",
        version=__version__,
        description="Ask about a person's professional profile; answers come in their voice, with sources.",
        lifespan=lifespan,
        redoc_url=None,
        # The twin's traces are its own (X-Ray subsegments): FastAPI's OpenTelemetry support would only look for a
        # provider on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        middleware=api_middleware(services, identify=identify, resources=resources),
    )
    app.state.services = services
    app.state.resources = resources
    for router in routers:
        # Its routes themselves, complete with the router's tags and dependencies: an included router stays a
        # branch FastAPI walks into, and matches again, on every request that passes it.
        app.router.routes.extend(router.routes)
    install_error_handlers(app)
    document_access(app)
    return app
