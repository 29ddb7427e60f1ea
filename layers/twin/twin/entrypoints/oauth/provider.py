"""The authorization server's own decisions, behind the MCP SDK's OAuth handlers (which speak the protocol).

- Clients: registered (RFC 7591), or an HTTPS `client_id` naming its Client ID Metadata Document.
- `/authorize` names the one resource tokens are for, the MCP endpoint (RFC 8707), then hands over to the consent
  page; an approval there with a valid invite code makes a single-use code that lives five minutes.
- Tokens: a JWT for an hour (audience: the MCP endpoint; subject: the invite), and a refresh token that is
  rotated on each use. Both hold only while their invite does.

Codes and refresh tokens are stored by hash only; a registered client's secret is derived, not stored.
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Final
from urllib.parse import urlsplit

import anyio.to_thread
from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    OAuthAuthorizationServerProvider,
    RefreshToken,
    RegistrationError,
    TokenError,
    construct_redirect_uri,
)
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from pydantic import BaseModel

from twin.entrypoints.oauth.clients import (
    PUBLIC_CLIENT,
    check_redirect_uris,
    client_label,
    client_of_metadata_document,
    client_secret_of,
    is_metadata_document_url,
)
from twin.errors import AuthenticationError, ClientMetadataError, InviteRefusedError
from twin.ports import ClientMetadataDocuments, OAuthStore, TokenVerifier
from twin.security.audit import audit
from twin.security.invites import OAUTH_SCOPES
from twin.security.policy import Resources
from twin.services.invites import InviteService

CONSENT_PATH: Final = "/authorize/consent"
CODE_TTL_SECONDS: Final = 300
CONSENT_TTL_SECONDS: Final = 600
ACCESS_TOKEN_TTL_SECONDS: Final = 3600
REFRESH_TOKEN_TTL_SECONDS: Final = 30 * 86_400
REGISTERED_CLIENT_TTL_SECONDS: Final = 90 * 86_400
METADATA_DOCUMENT_TTL_SECONDS: Final = 300
MAX_CLIENT_ID_CHARS: Final = 2_000

TokenIssuer = Callable[[str, str, list[str], dict[str, str], int], str]
"""(subject, audience, scopes, extra claims, lifetime in seconds) → a signed JWT."""


class InviteCode(AuthorizationCode):
    invite_id: str


class InviteRefreshToken(RefreshToken):
    grant_id: str
    invite_id: str


class InviteAccessToken(AccessToken):
    grant_id: str


class Grant(BaseModel):
    """What one approval lets a client keep doing: the current refresh token's hash and what it may renew."""

    secret_hash: str
    client_id: str
    scopes: list[str]
    invite_id: str


class PendingConsent(BaseModel):
    """An authorization request waiting on the consent page."""

    request_id: str
    csrf: str
    client_id: str
    client_label: str
    params: AuthorizationParams

    @property
    def redirect_host(self) -> str:
        parts = urlsplit(str(self.params.redirect_uri))
        return parts.hostname or f"{parts.scheme}:"


class TwinOAuthProvider(OAuthAuthorizationServerProvider[InviteCode, InviteRefreshToken, InviteAccessToken]):
    def __init__(
        self,
        *,
        invites: InviteService,
        store: OAuthStore,
        documents: ClientMetadataDocuments,
        tokens: TokenVerifier,
        issue: TokenIssuer,
        resources: Resources,
        client_secret_key: str,
    ) -> None:
        self._invites = invites
        self._store = store
        self._documents = documents
        self._tokens = tokens
        self._issue = issue
        self._resources = resources
        self._client_secret_key = client_secret_key

    @property
    def issuer(self) -> str:
        return self._resources.api_url

    @property
    def resource(self) -> str:
        return self._resources.mcp_url

    # -- clients ----------------------------------------------------------------------------------

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        if len(client_id) > MAX_CLIENT_ID_CHARS:
            return None
        if is_metadata_document_url(client_id):
            return await self._document_client(client_id)
        raw = await _off_loop(self._store.get, f"client:{client_id}")
        if raw is None:
            return None
        client = OAuthClientInformationFull.model_validate_json(raw)
        if client.token_endpoint_auth_method != PUBLIC_CLIENT:
            client.client_secret = client_secret_of(self._client_secret_key, client_id)
        return client

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        problem = check_redirect_uris(client_info)
        if problem is not None:
            audit("client_registered", actor="anonymous", resource="-", outcome="denied", reason="redirect_uri")
            raise RegistrationError("invalid_redirect_uri", problem)
        if client_info.client_secret is not None:
            # The SDK's handler answers with this very record: the client learns the derived secret from it.
            client_info.client_secret = client_secret_of(self._client_secret_key, client_info.client_id)
        stored = client_info.model_dump_json(exclude={"client_secret"}, exclude_none=True)
        await _off_loop(self._store.put, f"client:{client_info.client_id}", stored, REGISTERED_CLIENT_TTL_SECONDS)
        audit("client_registered", actor="anonymous", resource=client_info.client_id, outcome="registered")

    async def _document_client(self, url: str) -> OAuthClientInformationFull | None:
        key = f"document:{_digest(url)}"
        cached = await _off_loop(self._store.get, key)
        if cached is not None:
            return OAuthClientInformationFull.model_validate_json(cached)
        host = urlsplit(url).hostname or "-"
        try:
            client = client_of_metadata_document(url, await self._documents.fetch(url))
        except ClientMetadataError as error:
            audit("client_metadata", actor="anonymous", resource=host, outcome="denied", reason=error.reason)
            return None
        await _off_loop(self._store.put, key, client.model_dump_json(exclude_none=True), METADATA_DOCUMENT_TTL_SECONDS)
        audit("client_metadata", actor="anonymous", resource=host, outcome="fetched")
        return client

    # -- authorization and consent ----------------------------------------------------------------

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        if params.resource is None:
            raise AuthorizeError("invalid_request", f"the resource parameter is required: {self.resource}")
        if params.resource != self.resource:
            raise AuthorizeError("invalid_target", f"tokens are issued for {self.resource} only")
        pending = PendingConsent(
            request_id=secrets.token_urlsafe(24),
            csrf=secrets.token_urlsafe(24),
            client_id=client.client_id,
            client_label=client_label(client),
            params=params.model_copy(update={"scopes": params.scopes or [scope.value for scope in OAUTH_SCOPES]}),
        )
        await _off_loop(
            self._store.put, f"consent:{pending.request_id}", pending.model_dump_json(), CONSENT_TTL_SECONDS
        )
        return f"{self.issuer}{CONSENT_PATH}?request={pending.request_id}"

    async def pending_consent(self, request_id: str, *, take: bool = False) -> PendingConsent | None:
        """The request waiting on the consent page; `take` also ends it, so that it is answered once."""
        key = f"consent:{request_id[:64]}"
        raw = await _off_loop(self._store.take if take else self._store.get, key)
        return None if raw is None else PendingConsent.model_validate_json(raw)

    async def approve(self, pending: PendingConsent, invite_code: str) -> str:
        """Where the browser goes next: back to the client with a code, or with the error (RFC 6749 §4.1.2.1)."""
        scopes = pending.params.scopes or []
        try:
            invite = await _off_loop(
                lambda: self._invites.redeem(invite_code, frozenset(scopes), client=pending.client_id)
            )
        except InviteRefusedError as refused:
            error = "invalid_scope" if refused.reason == "scope_beyond_invite" else "access_denied"
            return self._error_redirect(pending, error, refused.message)
        code = secrets.token_urlsafe(32)
        record = InviteCode(
            code=_digest(code),
            scopes=scopes,
            expires_at=time.time() + CODE_TTL_SECONDS,
            client_id=pending.client_id,
            code_challenge=pending.params.code_challenge,
            redirect_uri=pending.params.redirect_uri,
            redirect_uri_provided_explicitly=pending.params.redirect_uri_provided_explicitly,
            resource=pending.params.resource,
            subject=invite.invite_id,
            invite_id=invite.invite_id,
        )
        await _off_loop(self._store.put, f"code:{_digest(code)}", record.model_dump_json(), CODE_TTL_SECONDS)
        return construct_redirect_uri(
            str(pending.params.redirect_uri), code=code, state=pending.params.state, iss=self.issuer
        )

    def deny(self, pending: PendingConsent) -> str:
        audit("consent", actor="anonymous", resource=pending.client_id, outcome="denied", reason="declined")
        return self._error_redirect(pending, "access_denied", "the request was declined")

    def _error_redirect(self, pending: PendingConsent, error: str, description: str) -> str:
        return construct_redirect_uri(
            str(pending.params.redirect_uri),
            error=error,
            error_description=description,
            state=pending.params.state,
            iss=self.issuer,
        )

    # -- tokens -----------------------------------------------------------------------------------

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> InviteCode | None:
        # Taken, not read: a code is gone after its first exchange, even a failed one (RFC 6749 §4.1.2).
        raw = await _off_loop(self._store.take, f"code:{_digest(authorization_code)}")
        return None if raw is None else InviteCode.model_validate_json(raw)

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: InviteCode
    ) -> OAuthToken:
        if not await _off_loop(self._invites.is_active, authorization_code.invite_id):
            self._refused(authorization_code.invite_id, client.client_id, "revoked_invite")
            raise TokenError("invalid_grant", "the invite behind this code was revoked")
        return await self._tokens_for(
            secrets.token_urlsafe(16),
            client.client_id,
            authorization_code.scopes,
            granted=authorization_code.scopes,
            invite_id=authorization_code.invite_id,
        )

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> InviteRefreshToken | None:
        grant_id, _, secret = refresh_token.partition(".")
        raw = await _off_loop(self._store.get, f"grant:{grant_id[:64]}")
        if raw is None:
            return None
        grant = Grant.model_validate_json(raw)
        if not hmac.compare_digest(grant.secret_hash, _digest(secret)):
            # A refresh token used before: it may have been stolen, so the whole grant ends (OAuth 2.1 §4.3.1).
            await _off_loop(self._store.delete, f"grant:{grant_id}")
            self._refused(grant.invite_id, grant.client_id, "refresh_token_reused")
            return None
        if grant.client_id != client.client_id:
            return None
        if not await _off_loop(self._invites.is_active, grant.invite_id):
            self._refused(grant.invite_id, grant.client_id, "revoked_invite")
            return None
        return InviteRefreshToken(
            token=refresh_token,
            client_id=grant.client_id,
            scopes=grant.scopes,
            resource=self.resource,
            subject=grant.invite_id,
            grant_id=grant_id,
            invite_id=grant.invite_id,
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: InviteRefreshToken, scopes: list[str]
    ) -> OAuthToken:
        # Taken, so that of two refreshes with the same token only one gets new tokens.
        raw = await _off_loop(self._store.take, f"grant:{refresh_token.grant_id}")
        secret = refresh_token.token.partition(".")[2]
        if raw is None or not hmac.compare_digest(Grant.model_validate_json(raw).secret_hash, _digest(secret)):
            self._refused(refresh_token.invite_id, client.client_id, "refresh_token_reused")
            raise TokenError("invalid_grant", "this refresh token was already used")
        return await self._tokens_for(
            refresh_token.grant_id,
            client.client_id,
            scopes,
            granted=refresh_token.scopes,
            invite_id=refresh_token.invite_id,
        )

    async def load_access_token(self, token: str) -> InviteAccessToken | None:
        try:
            claims = await _off_loop(self._tokens.verify, token, frozenset({self.resource}))
        except AuthenticationError:
            return None
        grant, client_id, scope = claims.get("grant"), claims.get("client_id"), claims.get("scope")
        if not (isinstance(grant, str) and isinstance(client_id, str) and isinstance(scope, str)):
            return None
        return InviteAccessToken(
            token=token, client_id=client_id, scopes=scope.split(), resource=self.resource, grant_id=grant
        )

    async def revoke_token(self, token: InviteAccessToken | InviteRefreshToken) -> None:
        """Either token ends the grant: no refresh from then on; an access token still runs its hour at most."""
        await _off_loop(self._store.delete, f"grant:{token.grant_id}")
        audit("token_revoked", actor="anonymous", resource=token.client_id, outcome="revoked")

    async def _tokens_for(
        self, grant_id: str, client_id: str, scopes: list[str], *, granted: list[str], invite_id: str
    ) -> OAuthToken:
        secret = secrets.token_urlsafe(32)
        grant = Grant(secret_hash=_digest(secret), client_id=client_id, scopes=granted, invite_id=invite_id)
        await _off_loop(self._store.put, f"grant:{grant_id}", grant.model_dump_json(), REFRESH_TOKEN_TTL_SECONDS)
        claims = {"client_id": client_id, "invite": invite_id, "grant": grant_id, "jti": secrets.token_urlsafe(12)}
        access_token = self._issue(invite_id, self.resource, scopes, claims, ACCESS_TOKEN_TTL_SECONDS)
        audit("token_issued", actor=f"invite:{invite_id}", resource=client_id, outcome="issued")
        return OAuthToken(
            access_token=access_token,
            expires_in=ACCESS_TOKEN_TTL_SECONDS,
            scope=" ".join(scopes),
            refresh_token=f"{grant_id}.{secret}",
        )

    @staticmethod
    def _refused(invite_id: str, client_id: str, reason: str) -> None:
        audit("token_issued", actor=f"invite:{invite_id}", resource=client_id, outcome="denied", reason=reason)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _off_loop[Result](function: Callable[..., Result], *arguments: object) -> Result:
    """Stores and the invite service block (SQLite, Redis over HTTP): keep them off the event loop."""
    return await anyio.to_thread.run_sync(lambda: function(*arguments))
