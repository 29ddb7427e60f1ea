"""Bearer tokens verified against a JWKS served over loopback, including the hostile cases."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.credentials import AUDIENCES, ISSUER, SECRET, TokenFactory, hmac_signed
from twin.adapters.jwt_tokens import JwtVerifier
from twin.adapters.sqlite_key_store import SqliteKeyStore
from twin.adapters.sqlite_oauth_stores import SqliteInviteStore, SqliteOAuthDatabase
from twin.errors import AuthenticationError
from twin.security.authenticator import Authenticator
from twin.settings import TIERS

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
TOKENS = TokenFactory()


def jwk(public_key: Any, kid: str, algorithm: str) -> dict[str, Any]:
    key: dict[str, Any] = json.loads(jwt.algorithms.get_default_algorithms()[algorithm].to_jwk(public_key))
    return key | {"kid": kid, "use": "sig", "alg": algorithm}


@dataclass
class JwksServer:
    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def jwks() -> Iterator[JwksServer]:
    document = json.dumps(
        {"keys": [jwk(RSA_KEY.public_key(), "rsa-1", "RS256"), jwk(EC_KEY.public_key(), "ec-1", "ES256")]}
    ).encode()
    served = JwksServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()


def authenticator(jwks_url: str, secret: str | None = None) -> Authenticator:
    verifier = JwtVerifier(issuer=ISSUER, secret=secret, jwks_url=jwks_url, jwks_timeout_seconds=2)
    invites = SqliteInviteStore(SqliteOAuthDatabase(":memory:"))
    return Authenticator(tokens=verifier, keys=lambda: SqliteKeyStore(":memory:"), invites=lambda: invites, tiers=TIERS)


def refused(authenticator: Authenticator, token: str) -> str:
    with pytest.raises(AuthenticationError) as refusal:
        authenticator.authenticate(f"Bearer {token}", AUDIENCES)
    return refusal.value.reason


def test_rs256_and_es256_tokens_from_the_jwks_are_accepted(jwks: JwksServer) -> None:
    verifying = authenticator(jwks.url)
    rs256 = TOKENS.token(key=RSA_KEY, algorithm="RS256", headers={"kid": "rsa-1"})
    es256 = TOKENS.token(key=EC_KEY, algorithm="ES256", headers={"kid": "ec-1"})

    assert verifying.authenticate(f"Bearer {rs256}", AUDIENCES).subject == "user-1"
    assert verifying.authenticate(f"Bearer {es256}", AUDIENCES).subject == "user-1"


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
def test_a_jwks_token_whose_times_are_strings_is_refused(jwks: JwksServer, claim: str) -> None:
    """PyJWT alone reads `"exp": "1796…"` as a number: the type is checked for every key source."""
    now = int(time.time())
    times = {"exp": now + 600, "nbf": now, "iat": now}
    token = TOKENS.token(key=EC_KEY, algorithm="ES256", headers={"kid": "ec-1"}, **{claim: str(times[claim])})

    assert refused(authenticator(jwks.url), token) == "invalid_claim"


@pytest.mark.parametrize("kid", ["unknown-key", "../../../../etc/passwd", "' OR '1'='1' --", "rsa-1\x00", ""])
def test_a_kid_not_in_the_jwks_is_refused(jwks: JwksServer, kid: str) -> None:
    token = TOKENS.token(key=RSA_KEY, algorithm="RS256", headers={"kid": kid})

    assert refused(authenticator(jwks.url), token) in {"unknown_key", "malformed_token"}


def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(jwks: JwksServer) -> None:
    token = TOKENS.token(key=OTHER_RSA_KEY, algorithm="RS256", headers={"kid": "rsa-1"})

    assert refused(authenticator(jwks.url), token) == "bad_signature"


def public_pem() -> str:
    pem = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode()


def test_hs256_signed_with_the_rsa_public_key_is_refused(jwks: JwksServer) -> None:
    """The classic algorithm-confusion attack: HMAC keyed with a public key the attacker can read."""
    forged = hmac_signed(TOKENS, public_pem().encode(), {"kid": "rsa-1"})

    assert refused(authenticator(jwks.url), forged) == "algorithm_not_allowed"
    assert refused(authenticator(jwks.url, secret=SECRET), forged) == "bad_signature"


def test_an_unreachable_jwks_refuses_instead_of_failing_open() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    token = TOKENS.token(key=RSA_KEY, algorithm="RS256", headers={"kid": "rsa-1"})

    assert refused(authenticator(f"http://127.0.0.1:{closed_port}/jwks.json"), token) == "jwks_unavailable"


def test_random_kids_do_not_turn_every_request_into_a_jwks_download(jwks: JwksServer) -> None:
    verifying = authenticator(jwks.url)
    before = len(jwks.requests)

    for number in range(20):
        token = TOKENS.token(key=RSA_KEY, algorithm="RS256", headers={"kid": f"random-{number}"})
        refused(verifying, token)

    assert len(jwks.requests) - before <= 2
