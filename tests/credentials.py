"""Credentials for the security tests: a token factory, and the corpus of hostile credentials.

Every hostile credential must be refused with 401, by `Authenticator`, by the Lambda authorizer and by
`twin serve` alike; each names the refusal reason the audit log should give.
"""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

SECRET = "test-secret-with-enough-entropy-0123456789abcdef"
ISSUER = "twin-local"
API_URL = "https://api.twin.example/dev"
MCP_URL = f"{API_URL}/mcp"
AUDIENCES = frozenset({API_URL, MCP_URL})
ALL_SCOPES = "twin:read twin:ask twin:admin"


@dataclass(frozen=True)
class TokenFactory:
    secret: str = SECRET
    issuer: str = ISSUER
    audience: list[str] = field(default_factory=lambda: sorted(AUDIENCES))

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "user-1",
            "aud": self.audience,
            "scope": ALL_SCOPES,
            "iat": now,
            "exp": now + 600,
        }
        claims.update(overrides)
        return {key: value for key, value in claims.items() if value is not None}

    def token(
        self,
        *,
        key: str | RSAPrivateKey | EllipticCurvePrivateKey | None = None,
        algorithm: str = "HS256",
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        return jwt.encode(self.claims(**claims), key or self.secret, algorithm=algorithm, headers=headers)


def _segment(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def hmac_signed(tokens: TokenFactory, key: bytes, headers: dict[str, Any], **claims: Any) -> str:
    """HS256 by hand, with any bytes as the key (PyJWT rightly refuses to key HMAC with a PEM) and any claims
    (PyJWT refuses to encode an `iss` that is not a string)."""
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', **headers})}.{_segment(tokens.claims(**claims))}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_segment(signature)}"


def mistyped(**claims: Any) -> Callable[[TokenFactory], str]:
    """A token signed with the right secret whose claims have the wrong JSON types."""
    return lambda tokens: f"Bearer {hmac_signed(tokens, tokens.secret.encode(), {}, **claims)}"


def unsigned(tokens: TokenFactory, algorithm: str = "none") -> str:
    return f"{_segment({'alg': algorithm, 'typ': 'JWT'})}.{_segment(tokens.claims())}."


def tampered(tokens: TokenFactory) -> str:
    header, _, signature = tokens.token(scope="twin:read").split(".")
    return f"{header}.{_segment(tokens.claims(scope=ALL_SCOPES, tier='partner'))}.{signature}"


def cut_signature(tokens: TokenFactory, keep: int) -> str:
    """Base64url of `keep` characters decodes when `keep` is a multiple of 4, and never when it is 4n+1."""
    head, _, signature = tokens.token().rpartition(".")
    return f"{head}.{signature[:keep]}"


@dataclass(frozen=True)
class Hostile:
    name: str
    authorization: Callable[[TokenFactory], str | None]
    reason: str


def _bearer(token: Callable[[TokenFactory], str]) -> Callable[[TokenFactory], str]:
    return lambda tokens: f"Bearer {token(tokens)}"


HOSTILE: list[Hostile] = [
    Hostile("no Authorization header", lambda t: None, "missing_credentials"),
    Hostile("empty header", lambda t: "", "missing_credentials"),
    Hostile("scheme without a token", lambda t: "Bearer", "not_a_bearer_credential"),
    Hostile("scheme and a space", lambda t: "Bearer ", "not_a_bearer_credential"),
    Hostile("Basic credentials", lambda t: "Basic dXNlcjpwYXNzd29yZA==", "not_a_bearer_credential"),
    Hostile("Bearer twice", lambda t: f"Bearer Bearer {t.token()}", "not_a_bearer_credential"),
    Hostile("two tokens", lambda t: f"Bearer {t.token()} {t.token()}", "not_a_bearer_credential"),
    Hostile("two spaces after the scheme", lambda t: f"Bearer  {t.token()}", "not_a_bearer_credential"),
    Hostile("tab after the scheme", lambda t: f"Bearer\t{t.token()}", "not_a_bearer_credential"),
    Hostile("scheme glued to the token", lambda t: f"Bearer{t.token()}", "not_a_bearer_credential"),
    Hostile("colon after the scheme", lambda t: f"Bearer: {t.token()}", "not_a_bearer_credential"),
    Hostile("another scheme name", lambda t: f"Token {t.token()}", "not_a_bearer_credential"),
    Hostile(
        "trailing comma and a second credential", lambda t: f"Bearer {t.token()}, Basic eA==", "not_a_bearer_credential"
    ),
    Hostile("NUL byte in the token", lambda t: f"Bearer {t.token()}\x00", "not_a_bearer_credential"),
    Hostile("non-ASCII token", lambda t: "Bearer tökén.tökén.tökén", "not_a_bearer_credential"),
    Hostile("huge header", lambda t: "Bearer " + "A" * 9_000, "oversized_header"),
    Hostile("not base64 segments", lambda t: "Bearer aaaa.bbbb.cccc", "malformed_token"),
    Hostile("one segment only", lambda t: "Bearer abcdefghijklmnop", "malformed_token"),
    Hostile("truncated signature", _bearer(lambda t: cut_signature(t, 20)), "bad_signature"),
    Hostile("signature cut mid-byte", _bearer(lambda t: cut_signature(t, 21)), "malformed_token"),
    Hostile("alg none", _bearer(unsigned), "algorithm_not_allowed"),
    Hostile("alg None in capitals", _bearer(lambda t: unsigned(t, "NONE")), "algorithm_not_allowed"),
    Hostile(
        "HS512, not on the allow-list",
        _bearer(lambda t: t.token(key=SECRET * 2, algorithm="HS512")),
        "algorithm_not_allowed",
    ),
    Hostile(
        "signed with another secret",
        _bearer(lambda t: t.token(key="another-secret-0123456789abcdef-xyz")),
        "bad_signature",
    ),
    Hostile("tampered payload", _bearer(tampered), "bad_signature"),
    Hostile("expired", _bearer(lambda t: t.token(exp=int(time.time()) - 3600)), "expired"),
    Hostile("expired just beyond the leeway", _bearer(lambda t: t.token(exp=int(time.time()) - 61)), "expired"),
    Hostile("nbf in the future", _bearer(lambda t: t.token(nbf=int(time.time()) + 3600)), "not_yet_valid"),
    Hostile("iat in the future", _bearer(lambda t: t.token(iat=int(time.time()) + 3600)), "not_yet_valid"),
    Hostile("wrong issuer", _bearer(lambda t: t.token(iss="https://evil.example")), "wrong_issuer"),
    Hostile("wrong audience", _bearer(lambda t: t.token(aud="https://other.example")), "wrong_audience"),
    Hostile("missing exp", _bearer(lambda t: t.token(exp=None)), "missing_claim"),
    Hostile("missing aud", _bearer(lambda t: t.token(aud=None)), "missing_claim"),
    Hostile("missing iss", _bearer(lambda t: t.token(iss=None)), "missing_claim"),
    Hostile("missing sub", _bearer(lambda t: t.token(sub=None)), "missing_claim"),
    Hostile("exp that is not a number", _bearer(lambda t: t.token(exp="tomorrow")), "invalid_claim"),
    Hostile("exp as a string of digits", mistyped(exp=str(int(time.time()) + 600)), "invalid_claim"),
    Hostile("exp as true", mistyped(exp=True), "invalid_claim"),
    Hostile("exp that is not finite", mistyped(exp=float("inf")), "invalid_claim"),
    Hostile("nbf as a string", mistyped(nbf=str(int(time.time()))), "invalid_claim"),
    Hostile("iat as a string", mistyped(iat=str(int(time.time()))), "invalid_claim"),
    Hostile("iss as a list", mistyped(iss=[ISSUER]), "invalid_claim"),
    Hostile("sub as a number", mistyped(sub=42), "invalid_claim"),
    Hostile("aud holding a number", lambda t: mistyped(aud=[*t.audience, 7])(t), "invalid_claim"),
    Hostile("aud as an object", lambda t: mistyped(aud={"url": t.audience[0]})(t), "invalid_claim"),
    Hostile("jti as a number", mistyped(jti=1), "invalid_claim"),
    Hostile("scope as a list", mistyped(scope=["twin:read"]), "invalid_claim"),
    Hostile("scp holding a number", mistyped(scope=None, scp=["twin:read", 1]), "invalid_claim"),
    Hostile("client_id as a number", mistyped(client_id=7), "invalid_claim"),
    Hostile("unknown API key", lambda t: "Bearer twk_" + "x" * 43, "unknown_api_key"),
    Hostile("API key prefix in capitals", lambda t: "Bearer TWK_" + "x" * 43, "malformed_token"),
]
