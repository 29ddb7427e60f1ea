"""API keys: random, prefixed so they are told apart from JWTs, stored only as a SHA-256 hash."""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

from twin.security.identity import AuthMethod, Identity, Scope

API_KEY_PREFIX: Final = "twk_"


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    key_id: str
    key_hash: str
    client_id: str
    tier: str
    scopes: frozenset[Scope]
    created_at: str
    revoked_at: str | None = None

    def identity(self) -> Identity:
        return Identity(
            subject=self.key_id,
            client_id=self.client_id,
            scopes=self.scopes,
            tier=self.tier,
            method=AuthMethod.API_KEY,
        )


def generate_api_key() -> str:
    """256 random bits after the prefix."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key_hash: str) -> str:
    """A public handle for listing and revoking: derived from the hash, useless for authenticating."""
    return f"key_{key_hash[:12]}"
