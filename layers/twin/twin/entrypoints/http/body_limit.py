"""Refuses request bodies over a limit with 413 before the app reads any of it."""

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from twin.entrypoints.buffered_body import BodyTooLargeError, BufferedBody
from twin.entrypoints.error_body import error_response
from twin.errors import PayloadTooLargeError


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: Callable[[str], int]) -> None:
        """`max_bytes` gives the limit for a request path."""
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit = self._max_bytes(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        try:
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise BodyTooLargeError
            # Bodies within the limit are small: read them whole, then replay them to the app.
            body = await BufferedBody.read(receive, limit)
        except BodyTooLargeError:
            error = PayloadTooLargeError(limit)
            await error_response(413, error.code, error.message)(scope, receive, send)
            return
        await self._app(scope, body.replay(receive), send)
