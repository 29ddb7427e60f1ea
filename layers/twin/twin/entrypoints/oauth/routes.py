"""The authorization server's routes: the MCP SDK's metadata, authorize, token, registration and revocation
handlers over `TwinOAuthProvider`, and the consent page.

RFC 8414 metadata is served where clients look for it. For an issuer with a path (an API Gateway stage) they try
`/.well-known/oauth-authorization-server/<path>` and `/.well-known/openid-configuration/<path>` at the host
root, which a stage cannot route, then `<issuer>/.well-known/openid-configuration`, which it can.
"""

import json
from collections.abc import Callable
from functools import partial
from typing import Final
from urllib.parse import parse_qs

from mcp.server.auth.handlers.metadata import MetadataHandler
from mcp.server.auth.routes import (
    REVOCATION_PATH,
    TOKEN_PATH,
    build_metadata,
    cors_middleware,
    create_auth_routes,
)
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from pydantic import AnyHttpUrl, ConfigDict, TypeAdapter
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twin.composition import Services
from twin.entrypoints.buffered_body import BodyTooLargeError, BufferedBody
from twin.entrypoints.oauth.consent import ConsentPage
from twin.entrypoints.oauth.provider import CONSENT_PATH, TwinOAuthProvider
from twin.errors import BackendUnavailableError
from twin.security.audit import audit
from twin.security.invites import OAUTH_SCOPES
from twin.security.policy import Resources

METADATA_PATHS: Final = ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")
OAUTH_PATHS: Final = (*METADATA_PATHS, "/authorize", "/token", "/register", "/revoke")
"""Public: no credential is presented to reach them (the token endpoint authenticates clients itself)."""
MAX_TOKEN_REQUEST_BYTES: Final = 16 * 1024
_ISSUER_URL: Final = TypeAdapter(AnyHttpUrl, config=ConfigDict(url_preserve_empty_path=True))


def authorization_server(services: Services, resources: Resources) -> list[BaseRoute]:
    """The routes of the authorization server for the MCP endpoint of `resources`, its issuer the API's URL."""
    provider = TwinOAuthProvider(
        invites=services.invites,
        store=services.credentials.oauth_store,
        documents=services.credentials.client_metadata_documents,
        tokens=services.credentials.token_verifier,
        issue=services.issue_oauth_token,
        resources=resources,
        client_secret_key=services.credentials.oauth_signing_secret,
    )
    return oauth_routes(provider, twin_name=lambda: _twin_name(services))


def oauth_routes(provider: TwinOAuthProvider, *, twin_name: Callable[[], str]) -> list[BaseRoute]:
    issuer = _ISSUER_URL.validate_python(provider.issuer)
    scopes = [scope.value for scope in OAUTH_SCOPES]
    registration = ClientRegistrationOptions(enabled=True, valid_scopes=scopes, default_scopes=scopes)
    revocation = RevocationOptions(enabled=True)
    documentation = _ISSUER_URL.validate_python(f"{provider.issuer}/docs")
    metadata = build_metadata(issuer, documentation, registration, revocation)
    metadata.client_id_metadata_document_supported = True
    metadata.authorization_response_iss_parameter_supported = True
    metadata.token_endpoint_auth_methods_supported = ["none", "client_secret_post", "client_secret_basic"]
    metadata.revocation_endpoint_auth_methods_supported = metadata.token_endpoint_auth_methods_supported
    served_metadata = cors_middleware(MetadataHandler(metadata).handle, ["GET", "OPTIONS"])
    routes: list[BaseRoute] = [Route(path, served_metadata, methods=["GET", "OPTIONS"]) for path in METADATA_PATHS]
    for route in create_auth_routes(provider, issuer, documentation, registration, revocation):
        if not isinstance(route, Route) or route.path in METADATA_PATHS:
            continue
        if route.path == TOKEN_PATH:
            route = Route(TOKEN_PATH, TokenEndpointGuard(route.app, resource=provider.resource), methods=route.methods)
        elif route.path == REVOCATION_PATH:
            route = Route(REVOCATION_PATH, PublicClientRevocation(route.app), methods=route.methods)
        routes.append(route)
    consent = ConsentPage(provider, twin_name=twin_name)
    routes.append(Route(CONSENT_PATH, consent.handle, methods=["GET", "POST"]))
    return routes


class TokenEndpointGuard:
    """Around the SDK's token handler: a `resource` other than the MCP endpoint is refused (RFC 8707 §2.2, which
    the handler leaves to the provider but never passes it), and every refusal gets an audit line."""

    def __init__(self, app: ASGIApp, *, resource: str) -> None:
        self._app = app
        self._resource = resource

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self._app(scope, receive, send)
            return
        body = await _small_body(scope, receive, send)
        if body is None:
            return
        form = parse_qs(body.body.decode(errors="replace"))
        if any(resource != self._resource for resource in form.get("resource", [])):
            _audit_refusal("invalid_target")
            refusal = {"error": "invalid_target", "error_description": f"tokens are issued for {self._resource} only"}
            await JSONResponse(refusal, status_code=400, headers={"Cache-Control": "no-store"})(scope, receive, send)
            return
        await self._app(scope, body.replay(receive), partial(_audited, send, []))


class PublicClientRevocation:
    """Around the SDK's revocation handler, which wants a `client_secret` field even from a public client, one
    with no secret (RFC 7009 §2.1 asks it for `client_id` alone): such a request gets the field, empty."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self._app(scope, receive, send)
            return
        buffered = await _small_body(scope, receive, send)
        if buffered is None:
            return
        body = buffered.body
        if "client_secret" not in parse_qs(body.decode(errors="replace"), keep_blank_values=True):
            body += b"&client_secret="
        headers = [(name, value) for name, value in scope["headers"] if name != b"content-length"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        replayed: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive_body() -> Message:
            return replayed.pop(0) if replayed else await receive()

        await self._app(scope, receive_body, send)


async def _small_body(scope: Scope, receive: Receive, send: Send) -> BufferedBody | None:
    """The request body of a token or revocation request; None once a larger one has been answered 413."""
    try:
        return await BufferedBody.read(receive, max_bytes=MAX_TOKEN_REQUEST_BYTES)
    except BodyTooLargeError:
        too_large = {"error": "invalid_request", "error_description": "the request body is too large"}
        await JSONResponse(too_large, status_code=413)(scope, receive, send)
        return None


async def _audited(send: Send, refused: list[bytes], message: Message) -> None:
    """Passes the response on; when it is an error, names its OAuth error code in an audit line."""
    if message["type"] == "http.response.start" and message["status"] >= 400:
        refused.append(b"")
    elif message["type"] == "http.response.body" and refused:
        refused[0] += message.get("body", b"")
        if not message.get("more_body", False):
            try:
                error = json.loads(refused[0]).get("error")
            except (ValueError, AttributeError):
                error = None
            _audit_refusal(error if isinstance(error, str) else "unknown")
    await send(message)


def _twin_name(services: Services) -> str:
    """From the profile record alone: the consent page needs no index, nor the rights to read one."""
    try:
        profile = services.storage.profiles.get(services.settings.twin_id)
    except BackendUnavailableError:
        profile = None
    return (profile.name if profile else "") or "this person"


def _audit_refusal(error: str) -> None:
    audit("token_issued", actor="anonymous", resource=TOKEN_PATH, outcome="denied", reason=error[:40])
