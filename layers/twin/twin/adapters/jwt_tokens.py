"""Bearer JWTs with PyJWT: verified against an HS256 secret or a JWKS (RS256/ES256), and issued (HS256).

Each key source has its own algorithm allow-list, chosen before any key is touched: an HMAC
algorithm is only ever checked against the secret, never against a public key, and `none` never.
Once the signature checks out, every claim the twin reads must have its JSON type before any is interpreted.
"""

import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import jwt

from twin.errors import AuthenticationError

SECRET_ALGORITHMS: Final = ("HS256",)
JWKS_ALGORITHMS: Final = ("RS256", "ES256")
REQUIRED_CLAIMS: Final = ("exp", "iat", "iss", "aud", "sub")
REMEMBERED_TOKENS: Final = 256
REMEMBER_SECONDS: Final = 60


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


class _VerifiedTokens:
    """Tokens that passed verification and their claims, each for at most a minute and never past its `exp`.

    PyJWT decodes and checks a token in Python (about 100 us), and a client sends the same token request after
    request. Only a token that verified is kept, keyed by the token itself and the audiences it was checked
    for; a token signed by a key since dropped from the JWKS passes for at most that minute.
    """

    def __init__(self) -> None:
        self._claims: dict[tuple[str, frozenset[str]], tuple[float, dict[str, object]]] = {}
        self._lock = threading.Lock()

    def get(self, token: str, audiences: frozenset[str]) -> dict[str, object] | None:
        remembered = self._claims.get((token, audiences))
        if remembered is None or remembered[0] <= time.time():
            return None
        return dict(remembered[1])

    def add(self, token: str, audiences: frozenset[str], claims: dict[str, object], leeway: int) -> None:
        expires = claims["exp"]
        if not isinstance(expires, int | float):
            return
        until = min(time.time() + REMEMBER_SECONDS, expires + leeway)
        with self._lock:
            if len(self._claims) >= REMEMBERED_TOKENS:
                del self._claims[next(iter(self._claims))]  # the oldest
            self._claims[(token, audiences)] = (until, dict(claims))


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
        self._verified = _VerifiedTokens()

    def verify(self, token: str, audiences: frozenset[str]) -> dict[str, object]:
        claims = self._verified.get(token, audiences)
        if claims is None:
            claims = self._decoded(token, audiences)
            self._verified.add(token, audiences, claims, self._leeway)
        return claims

    def _decoded(self, token: str, audiences: frozenset[str]) -> dict[str, object]:
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


class JwtIssuer:
    """HS256 tokens signed with the secret the verifier checks them against."""

    def __init__(self, *, secret: str, issuer: str) -> None:
        self._secret = secret
        self._issuer = issuer

    def issue(
        self,
        *,
        subject: str,
        audiences: Iterable[str],
        scopes: Iterable[str],
        ttl_seconds: int,
        tier: str,
        claims: Mapping[str, str] | None = None,
    ) -> str:
        """`claims` (`client_id`, `invite`, `grant`, `jti`) never replace the registered ones."""
        now = int(time.time())
        registered = {
            "iss": self._issuer,
            "sub": subject,
            "aud": sorted(audiences),
            "scope": " ".join(scopes),
            "tier": tier,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
        }
        return jwt.encode(dict(claims or {}) | registered, self._secret, algorithm="HS256")


def _reason(error: Exception) -> str:
    return next((reason for kind, reason in _REASONS if isinstance(error, kind)), "invalid_token")
