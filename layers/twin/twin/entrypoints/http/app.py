"""Builds a FastAPI app from services and the routers it should serve."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import APIRouter, FastAPI

from twin import __version__
from twin.composition import Services
from twin.domain import limits
from twin.entrypoints.http.body_limit import BodyLimitMiddleware
from twin.entrypoints.http.errors import install_error_handlers
from twin.entrypoints.http.rate_limit import RateLimitMiddleware
from twin.entrypoints.http.routes import ask, health, ingest, profile, search

ALL_ROUTERS = (ask.router, search.router, profile.router, ingest.router, health.router)


def create_app(
    services: Services,
    routers: tuple[APIRouter, ...] = ALL_ROUTERS,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    app = FastAPI(
        title="Digital Twin",
        version=__version__,
        description="Ask about a person's professional profile; answers come in their voice, with sources.",
        lifespan=lifespan,
    )
    app.state.services = services
    for router in routers:
        app.include_router(router)
    install_error_handlers(app)
    # The last middleware added runs first: refuse over-limit clients before reading their bodies.
    app.add_middleware(BodyLimitMiddleware, max_bytes=limits.MAX_BODY_BYTES)
    app.add_middleware(
        RateLimitMiddleware, limiter=services.rate_limiter, limit=services.settings.rate_limit()
    )
    return app
