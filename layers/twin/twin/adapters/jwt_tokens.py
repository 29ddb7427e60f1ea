"""Bearer JWTs with PyJWT: verified against an HS256 secret or a JWKS (RS256/ES256), and issued (HS256).

Each key source has its own algorithm allow-list, chosen before any key is touched: an HMAC
algorithm is only ever checked against the secret, never against a public key, and `none` never.
Once the signature checks out, every claim the twin reads must have its JSON type before any is interpreted.
"""

import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import jwt

from twin.errors import AuthenticationError

SECRET_ALGORITHMS: Final = ("HS256",)
JWKS_ALGORITHMS: Final = ("RS256", "ES256")
REQUIRED_CLAIMS: Final = ("exp", "iat", "iss", "aud", "sub")


def _is_number(value: object) -> bool:
    """A JSON number (RFC 7519 NumericDate): not a string of digits, not a boolean, not NaN or Infinity."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_string(value: object) -> bool:
    return isinstance(value, str)


def _is_strings(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))


CLAIM_TYPES: Final[dict[str, Callable[[object], bool]]] = {
    "exp": _is_number,
    "nbf": _is_number,
    "iat": _is_number,
    "iss": _is_string,
    "sub": _is_string,
    "aud": _is_strings,
    "jti": _is_string,
    "scope": _is_string,
    "scp": _is_strings,
    "client_id": _is_string,
    "azp": _is_string,
    "invite": _is_string,
    "grant": _is_string,
}


class _TypedClaimsJWT(jwt.PyJWT):
    """PyJWT reads the times with `int()`, so `"exp": "1796…"` would pass for a date."""

    def _decode_payload(self, decoded: dict[str, Any]) -> dict[str, Any]:
        # PyJWT's hook between the signature check and the claim checks.
        claims = super()._decode_payload(decoded)
        if not all(is_typed(claims[name]) for name, is_typed in CLAIM_TYPES.items() if name in claims):
            raise AuthenticationError("invalid_claim")
        return claims


_DECODER: Final = _TypedClaimsJWT()

_REASONS: Final[tuple[tuple[type[Exception], str], ...]] = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.InvalidAudienceError, "wrong_audience"),
    (jwt.InvalidIssuerError, "wrong_issuer"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.InvalidSignatureError, "bad_signature"),
    (jwt.PyJWKClientConnectionError, "jwks_unavailable"),
    (jwt.PyJWKClientError, "unknown_key"),
    (jwt.InvalidAlgorithmError, "algorithm_not_allowed"),
    (jwt.DecodeError, "malformed_token"),
)


class JwtVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        secret: str | None = None,
        jwks_url: str | None = None,
        leeway_seconds: int = 30,
        jwks_timeout_seconds: float = 3,
    ) -> None:
        self._issuer = issuer
        self._secret = secret
        self._leeway = leeway_seconds
        # Keys are cached; an unknown `kid` refetches the set at most once per cool-down, so random
        # kids cannot turn every request into a JWKS download.
        self._jwks = (
            jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=jwks_timeout_seconds, cooldown_duration=30)
            if jwks_url
            else None
        )

    def verify(self, token: str, audiences: frozenset[str]) -> dict[str, object]:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            key: str | jwt.PyJWK
            if algorithm in SECRET_ALGORITHMS and self._secret:
                key = self._secret
            elif algorithm in JWKS_ALGORITHMS and self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token)
            else:
                raise AuthenticationError("algorithm_not_allowed")
            claims: dict[str, object] = _DECODER.decode(
                token,
                key,
                algorithms=[str(algorithm)],
                audience=sorted(audiences),
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationError(_reason(error)) from None
        return claims


def issue_token(
    *,
    secret: str,
    issuer: str,
    subject: str,
    audiences: Iterable[str],
    scopes: Iterable[str],
    ttl_seconds: int,
    tier: str,
    extra_claims: Mapping[str, str] | None = None,
) -> str:
    """`extra_claims` (`client_id`, `invite`, `grant`, `jti`) never replace the registered ones above them."""
    now = int(time.time())
    claims = dict(extra_claims or {}) | {
        "iss": issuer,
        "sub": subject,
        "aud": sorted(audiences),
        "scope": " ".join(scopes),
        "tier": tier,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def _reason(error: Exception) -> str:
    return next((reason for kind, reason in _REASONS if isinstance(error, kind)), "invalid_token")
