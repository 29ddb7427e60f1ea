"""RFC 9728 protected-resource metadata: how an MCP client learns where to get a token, and for what."""

from fastapi import APIRouter, Request

from twin.entrypoints.http.dependencies import ServicesDep
from twin.security.identity import Scope

router = APIRouter(tags=["auth"])


@router.get("/.well-known/oauth-protected-resource/mcp", summary="Protected-resource metadata of the MCP endpoint")
@router.get("/.well-known/oauth-protected-resource", include_in_schema=False)
async def protected_resource_metadata(request: Request, services: ServicesDep) -> dict[str, object]:
    resources = request.app.state.resources(request.scope)
    return {
        "resource": resources.mcp_url,
        "authorization_servers": list(services.settings.authorization_servers),
        "scopes_supported": [scope.value for scope in Scope],
        "bearer_methods_supported": ["header"],
        "resource_name": "Digital Twin",
        "resource_documentation": f"{resources.api_url}/docs",
    }
