"""Gives each request an id, in the `X-Request-Id` response header and on every audit line.

In Lambda it is API Gateway's request id (the one in the access log); locally a fresh one. An id the
caller sends is never trusted: the audit trail must not be steerable from outside.
"""

import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twin.security.audit import request_scope


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        header = (b"x-request-id", request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Nothing downstream sets it: added to the list as it is, without looking for it in it first.
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        with request_scope(request_id):
            await self._app(scope, receive, send_with_id)


def request_id_of(scope: Scope) -> str:
    event = scope.get("aws.event") or {}
    request_id = (event.get("requestContext") or {}).get("requestId")
    return str(request_id) if request_id else uuid.uuid4().hex
