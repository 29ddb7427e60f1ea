"""Each request a function serves as one X-Ray subsegment, under the invocation's segment.

Named after the route API Gateway matched (`POST /v1/ask`), which is also its `route` annotation and its
`http.request.url`: the template, never the path's values (a session id is a caller's conversation), the
query string or a header. Its response status marks it an error (4xx), a throttle (429) or a fault (5xx); an
exception that escapes the app is its cause, by type only. The work the request does nests under it.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twin.adapters.xray_daemon import XRayDaemon


class RequestSubsegments:
    def __init__(self, app: ASGIApp, xray: XRayDaemon) -> None:
        self._app = app
        self._xray = xray

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        method = scope["method"]
        template = (scope.get("aws.event") or {}).get("resource") or "unrouted"
        route = f"{method} {template}"
        with self._xray.subsegment(route) as subsegment:
            subsegment.annotate(route=route)
            subsegment.record_request(method, template)

            async def send_recording_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    subsegment.record_status(message["status"])
                await send(message)

            await self._app(scope, receive, send_recording_status)
