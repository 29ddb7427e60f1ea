"""From an `Authorization` header to an identity, or a refusal with the reason why."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from twin.errors import AuthenticationError
from twin.security.api_keys import API_KEY_PREFIX, hash_api_key
from twin.security.identity import AuthMethod, Identity, parse_scopes

if TYPE_CHECKING:  # the ports module brings the whole domain, which the authorizer's cold path skips
    from collections.abc import Callable

    from twin.ports import InviteStore, KeyStore, TokenVerifier

MAX_HEADER_CHARS: Final = 8_192
# RFC 6750 b64token after a case-insensitive scheme and exactly one space: no second credential,
# no second scheme, nothing after the token.
_BEARER: Final = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-._~+/]+=*)")
_JWT_SHAPE: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class Authenticator:
    def __init__(
        self,
        *,
        tokens: TokenVerifier | None,
        keys: Callable[[], KeyStore],
        invites: Callable[[], InviteStore],
        tiers: tuple[str, ...],
        default_tier: str = "free",
    ) -> None:
        """`keys` builds the key store on the first API key presented, `invites` the invite store on the first token
        the twin's own authorization server issued: a caller with another JWT never loads their SDKs."""
        self._tokens = tokens
        self._keys = keys
        self._invites = invites
        self._tiers = tiers
        self._default_tier = default_tier

    def authenticate(self, authorization: str | None, audiences: frozenset[str]) -> Identity:
        credential = bearer_credential(authorization)
        if credential.startswith(API_KEY_PREFIX):
            return self._api_key(credential)
        if not _JWT_SHAPE.fullmatch(credential):
            raise AuthenticationError("malformed_token")
        if self._tokens is None:
            raise AuthenticationError("tokens_not_configured")
        return self._identity(self._tokens.verify(credential, audiences), audiences)

    def _api_key(self, key: str) -> Identity:
        record = self._keys().find(hash_api_key(key))
        if record is None:
            raise AuthenticationError("unknown_api_key")
        if record.revoked_at is not None:
            raise AuthenticationError("revoked_api_key")
        return record.identity()

    def _identity(self, claims: dict[str, object], served: frozenset[str]) -> Identity:
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise AuthenticationError("missing_subject")
        scope = claims.get("scope", claims.get("scp", ""))
        scopes = parse_scopes(" ".join(scope) if isinstance(scope, list) else str(scope))
        tier = claims.get("tier")
        client_id = next((value for key in ("client_id", "azp") if isinstance(value := claims.get(key), str)), subject)
        audience = claims.get("aud")
        named = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
        invite = claims.get("invite")
        if isinstance(invite, str):
            # Issued through an invite: it holds only while the invite does, so a revocation takes effect at once.
            record = self._invites().get(invite)
            if record is None or record.revoked_at is not None:
                raise AuthenticationError("revoked_invite")
        return Identity(
            subject=invite if isinstance(invite, str) else subject,
            client_id=client_id,
            scopes=scopes,
            tier=tier if isinstance(tier, str) and tier in self._tiers else self._default_tier,
            method=AuthMethod.JWT if invite is None else AuthMethod.OAUTH,
            # Only this API's own resources: they are what the policy asks about, and they travel in the
            # authorizer's space-separated context without a stray audience splitting into another.
            audiences=served.intersection(named),
        )


def bearer_credential(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationError("missing_credentials")
    if len(authorization) > MAX_HEADER_CHARS:
        raise AuthenticationError("oversized_header")
    match = _BEARER.fullmatch(authorization)
    if match is None:
        raise AuthenticationError("not_a_bearer_credential")
    return match.group(1)
