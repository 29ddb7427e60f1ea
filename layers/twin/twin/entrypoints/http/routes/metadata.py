"""RFC 9728 protected-resource metadata: how an MCP client learns where to get a token, and for what."""

from fastapi import APIRouter, Request

from twin.entrypoints.http.dependencies import services_of
from twin.security.invites import OAUTH_SCOPES

router = APIRouter(tags=["auth"])


@router.get("/.well-known/oauth-protected-resource/mcp", summary="Protected-resource metadata of the MCP endpoint")
@router.get("/.well-known/oauth-protected-resource", include_in_schema=False)
async def protected_resource_metadata(request: Request) -> dict[str, object]:
    resources = request.app.state.resources(request.scope)
    settings = services_of(request).settings
    # The twin's own authorization server first (its issuer is the API's URL), then any configured others.
    own = [resources.api_url] if settings.oauth else []
    return {
        "resource": resources.mcp_url,
        "authorization_servers": own + [server for server in settings.authorization_servers if server not in own],
        "scopes_supported": [scope.value for scope in OAUTH_SCOPES],
        "bearer_methods_supported": ["header"],
        "resource_name": "Digital Twin",
        "resource_documentation": f"{resources.api_url}/docs",
    }
