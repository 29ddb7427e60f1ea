"""The OpenAPI document: FastAPI's, plus who may call what, taken from the route policy.

Authentication happens in middleware, which FastAPI cannot see: every operation the policy guards gets
the bearer scheme with the scopes it accepts, and the 401 and 403 the middleware answers.
"""

from typing import Any

from fastapi import FastAPI

from twin.security.policy import find_route

BEARER = "bearer"
_ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
_CHALLENGE = {
    "WWW-Authenticate": {
        "required": True,
        "description": "RFC 6750 challenge, with the RFC 9728 `resource_metadata` URL and the scopes",
        "schema": {"type": "string"},
    }
}
_ACCESS_ERRORS = {
    "401": {
        "description": "No credential, or one that is not valid",
        "headers": _CHALLENGE,
        "content": _ERROR_BODY,
    },
    "403": {
        "description": "The credential lacks every scope this accepts",
        "headers": _CHALLENGE,
        "content": _ERROR_BODY,
    },
}


def document_access(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_access(build())  # FastAPI keeps the document it builds in `app.openapi_schema`
        return app.openapi_schema  # type: ignore[return-value]  # set by build()

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the document


def _add_access(document: dict[str, Any]) -> None:
    document.setdefault("components", {}).setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A JWT issued for this API, or an API key (`twk_...`), as the bearer token.",
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            route = find_route(method.upper(), path)
            if route is not None:
                operation["security"] = [{BEARER: sorted(route.scopes)}]
                operation.setdefault("responses", {}).update(_ACCESS_ERRORS)
