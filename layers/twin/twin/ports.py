"""The ports: what the services need from the outside world, as small protocols.

Embedded adapters (SQLite, in-process, extractive) and cloud adapters (Upstash, Groq) fill them in.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from twin.domain.answers import Reply, Turn
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import IndexedProfile, SectionType
from twin.domain.prompt import Prompt
from twin.domain.rate_limits import RateDecision, RateLimit
from twin.security.api_keys import ApiKeyRecord
from twin.security.invites import InviteRecord


class VectorIndex(Protocol):
    """Chunks of each twin, kept in the twin's own namespace and ranked against a text query."""

    def upsert(self, namespace: str, chunks: Sequence[Chunk]) -> None: ...

    def delete(self, namespace: str, ids: Sequence[str]) -> None: ...

    def list_ids(self, namespace: str) -> list[str]: ...

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]: ...

    def query(
        self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None
    ) -> list[ScoredChunk]: ...


class ProfileStore(Protocol):
    """The record of which profile version each twin serves."""

    def get(self, twin_id: str) -> IndexedProfile | None: ...

    def put(self, profile: IndexedProfile) -> None: ...


class Cache(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_seconds: int) -> None: ...


class SessionStore(Protocol):
    """Recent turns of each conversation; the store caps their number and expires idle sessions."""

    def history(self, session_id: str) -> list[Turn]: ...

    def append(self, session_id: str, turn: Turn) -> None: ...

    def delete(self, session_id: str) -> bool: ...


class RateLimiter(Protocol):
    def hit(self, key: str, limit: RateLimit) -> RateDecision:
        """Count one request for `key` and say whether it is within `limit`."""
        ...


class ChatModel(Protocol):
    def answer(self, prompt: Prompt) -> Reply: ...


class KeyStore(Protocol):
    """API-key records, durable, looked up by the hash of the key."""

    def add(self, record: ApiKeyRecord) -> None: ...

    def find(self, key_hash: str) -> ApiKeyRecord | None: ...

    def list(self) -> list[ApiKeyRecord]: ...

    def revoke(self, key_id: str, revoked_at: str) -> bool: ...


class InviteStore(Protocol):
    """Invite records (hashes only), durable, looked up by the hash of the code or by id."""

    def add(self, record: InviteRecord) -> None: ...

    def find(self, code_hash: str) -> InviteRecord | None: ...

    def get(self, invite_id: str) -> InviteRecord | None: ...

    def list(self) -> list[InviteRecord]: ...

    def revoke(self, invite_id: str, revoked_at: str) -> bool: ...

    def use(self, invite_id: str, used_at: str) -> bool:
        """Count one use, atomically: False when the invite is revoked or its uses are spent."""
        ...


class OAuthStore(Protocol):
    """What the authorization server keeps between requests (registered clients, pending consents, codes,
    grants): JSON text under a key, each for its own lifetime."""

    def put(self, key: str, record: str, ttl_seconds: int) -> None: ...

    def get(self, key: str) -> str | None: ...

    def take(self, key: str) -> str | None:
        """Read and delete in one step: of two callers taking the same key, only one gets the record."""
        ...

    def delete(self, key: str) -> None: ...


class ClientMetadataDocuments(Protocol):
    async def fetch(self, url: str) -> bytes:
        """The OAuth client metadata document at an HTTPS URL, fetched from a public address only, within a
        short time and a small size. Raises ClientMetadataError with the reason otherwise."""
        ...


class TokenVerifier(Protocol):
    def verify(self, token: str, audiences: frozenset[str]) -> dict[str, object]:
        """The token's claims once its signature, issuer, audience and times check out and its registered
        claims (times, `iss`, `sub`, `aud`, `jti`, `scope`/`scp`, `client_id`/`azp`) have their JSON types.

        Raises AuthenticationError with the reason otherwise.
        """
        ...


class Telemetry(Protocol):
    """Metrics and traces of the work a request does: CloudWatch EMF and X-Ray in AWS, nothing locally."""

    def count(self, name: str, value: int = 1) -> None: ...

    def timed(self, name: str) -> AbstractContextManager[None]:
        """A trace span around the block, and its duration as the metric `<name>Latency`."""
        ...


class UsagePlans(Protocol):
    """Where API keys are metered (API Gateway usage plans in AWS)."""

    def register(self, record: ApiKeyRecord, key: str) -> None: ...

    def deregister(self, key_id: str) -> None: ...
