"""OAuth clients: the redirect URIs a client may name, Client ID Metadata Documents, and registered clients'
secrets, which are derived from the client id rather than stored."""

import hashlib
import hmac
import json
from typing import Final
from urllib.parse import urlsplit

from mcp.shared.auth import OAuthClientInformationFull
from pydantic import ValidationError

from twin.errors import ClientMetadataError
from twin.security.invites import OAUTH_SCOPES

OAUTH_SCOPE_LIST: Final = " ".join(OAUTH_SCOPES)
PUBLIC_CLIENT: Final = "none"
"""The token endpoint authentication method (RFC 7591) of a client without a secret."""
LOOPBACK_HOSTS: Final = ("127.0.0.1", "::1", "localhost")
# Schemes a browser would run or read locally instead of handing to an app.
_UNSAFE_SCHEMES: Final = frozenset(
    {"javascript", "data", "file", "vbscript", "about", "blob", "filesystem", "view-source"}
)
MAX_REDIRECT_URIS: Final = 10
MAX_REDIRECT_URI_CHARS: Final = 2_000


def is_metadata_document_url(client_id: str) -> bool:
    return client_id.startswith("https://")


def redirect_uri_problem(uri: str) -> str | None:
    """Why a client may not register `uri` (RFC 6749 §3.1.2, OAuth 2.1 §2.3.1, RFC 8252 §7); None when it may.

    HTTPS anywhere, plain HTTP only back to this machine, an app's own scheme; never a fragment.
    """
    if len(uri) > MAX_REDIRECT_URI_CHARS:
        return "too long"
    parts = urlsplit(uri)
    if parts.fragment or "#" in uri:
        return "has a fragment"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        return "is plain HTTP to another machine"
    if parts.scheme in ("http", "https") and not parts.hostname:
        return "names no host"
    if not parts.scheme or parts.scheme in _UNSAFE_SCHEMES:
        return "has a scheme no app can receive"
    return None


def check_redirect_uris(client: OAuthClientInformationFull) -> str | None:
    uris = [str(uri) for uri in client.redirect_uris or []]
    if not uris or len(uris) > MAX_REDIRECT_URIS:
        return f"from 1 to {MAX_REDIRECT_URIS} redirect URIs are needed"
    return next((f"a redirect URI {problem}" for uri in uris if (problem := redirect_uri_problem(uri))), None)


def client_of_metadata_document(url: str, document: bytes) -> OAuthClientInformationFull:
    """The client a Client ID Metadata Document describes: a public client, with the document's redirect URIs
    only. Raises ClientMetadataError when the document is not one for `url`."""
    try:
        fields = json.loads(document)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ClientMetadataError("not_json") from None
    if not isinstance(fields, dict) or fields.get("client_id") != url:
        raise ClientMetadataError("client_id_mismatch")
    if fields.get("token_endpoint_auth_method", PUBLIC_CLIENT) != PUBLIC_CLIENT or "client_secret" in fields:
        # A document is public: no secret can be in it, and this server verifies no client key.
        raise ClientMetadataError("not_a_public_client")
    try:
        client = OAuthClientInformationFull.model_validate(
            {
                key: fields[key]
                for key in ("client_name", "client_uri", "logo_uri", "redirect_uris", "grant_types", "response_types")
                if key in fields
            }
            | {"client_id": url, "token_endpoint_auth_method": PUBLIC_CLIENT, "scope": OAUTH_SCOPE_LIST}
        )
    except ValidationError:
        raise ClientMetadataError("invalid_fields") from None
    if check_redirect_uris(client) is not None:
        raise ClientMetadataError("invalid_redirect_uris")
    return client


def client_secret_of(key: str, client_id: str) -> str:
    """A registered client's secret, the same each time it is derived: nothing about it needs storing."""
    return hmac.new(key.encode(), f"oauth-client-secret:{client_id}".encode(), hashlib.sha256).hexdigest()


def client_label(client: OAuthClientInformationFull) -> str:
    """How the consent page names the client: its own name, and for a metadata document its domain, which the
    client's name cannot fake."""
    name = (client.client_name or "").strip()[:80]
    if is_metadata_document_url(client.client_id):
        host = urlsplit(client.client_id).hostname or ""
        return f"{name} ({host})" if name else host
    return name or "An unnamed application"
