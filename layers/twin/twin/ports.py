"""The ports: what the services need from the outside world, as small protocols.

Embedded adapters (SQLite, in-process, extractive) and cloud adapters (Upstash, Groq) fill them in.
"""

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from twin.domain.answers import Answer, Reply, Turn
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.faq import ApprovedAnswer
from twin.domain.profile import IndexedProfile, ProfileDocument, SectionType
from twin.domain.prompt import Prompt
from twin.domain.question_log import Asked, LoggedQuestion
from twin.domain.rate_limits import RateDecision, RateLimit
from twin.security.api_keys import ApiKeyRecord
from twin.security.invites import InviteRecord

if TYPE_CHECKING:  # only the functions that evaluate a fit load the fit domain
    from twin.domain.fit import FitCase, FitReport


class VectorIndex(Protocol):
    """The chunks of each profile version, in the version's own namespace, ranked against a text query."""

    def list_ids(self, namespace: str) -> list[str]: ...

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]: ...

    def query(
        self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None
    ) -> list[ScoredChunk]: ...


class ProfileStore(Protocol):
    """The record of the profile version each twin serves: readers find the version's namespace through it."""

    def get(self, twin_id: str) -> IndexedProfile | None: ...


class ProfileDocuments(Protocol):
    """The profile document each twin was last ingested from, kept for backups: the index is rebuilt from it."""

    def put_document(self, twin_id: str, document: ProfileDocument) -> None: ...

    def get_document(self, twin_id: str) -> ProfileDocument | None: ...


class ProfilePublisher(Protocol):
    """Makes a new profile version the one served: its chunks into `profile.namespace`, then its record."""

    def publish(self, profile: IndexedProfile, chunks: Sequence[Chunk], *, replacing: IndexedProfile | None) -> None:
        """Readers see `replacing` whole until they see `profile` whole, even if the process dies midway.

        Raises ConcurrentIngestError, publishing nothing, when `replacing` is no longer the version served.
        """
        ...


class Cache(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_seconds: int) -> None: ...


class SessionStore(Protocol):
    """Recent turns of each conversation; the store caps their number and expires idle sessions."""

    def history(self, session_id: str) -> list[Turn]: ...

    def append(self, session_id: str, turn: Turn) -> None: ...

    def delete(self, session_id: str) -> bool: ...


class AskStore(Protocol):
    """What one ask reads and writes besides the index: the profile record, the conversation, the answer cache and
    the question log (a store made without a log drops what it is given for it).

    Each method is one round trip to a network store: an answer from the cache costs two, a new one three.
    """

    def open(self, twin_id: str, conversation: str) -> tuple[IndexedProfile | None, list[Turn]]:
        """The record of the version the twin serves, and the conversation's recent turns."""
        ...

    def recall(self, key: str, conversation: str, question: str, *, log: Asked | None = None) -> Answer | None:
        """The answer cached under `key`; on a hit, `question` and that answer join the conversation, and `log`
        the question log with what that answer cited."""
        ...

    def record(
        self, conversation: str, question: str, answer: Answer, *, cache_key: str | None, log: Asked | None = None
    ) -> None:
        """`question` and `answer` join the conversation, and `log` the question log; the answer is cached under
        `cache_key` unless None."""
        ...


class RateLimiter(Protocol):
    def hit(self, key: str, limit: RateLimit) -> RateDecision:
        """Count one request for `key` and say whether it is within `limit`."""
        ...

    def hit_each(self, hits: Sequence[tuple[str, RateLimit]]) -> list[RateDecision]:
        """Count one request against each key and limit in turn, up to the first that refuses it (in one round
        trip to a network store): the decisions so far, the refusal last."""
        ...


class ChatModel(Protocol):
    def answer(self, prompt: Prompt) -> Reply: ...


class FitModel(Protocol):
    def assess(self, persona: str, cases: Sequence["FitCase"]) -> "FitReport":
        """How strongly the passages of each case show its requirement, with verbatim evidence and a summary."""
        ...


class Archive[T](Protocol):
    """A durable store's records all at once, for `twin backup`: every record it holds, and records put back."""

    def export_records(self) -> list[T]: ...

    def import_records(self, records: Sequence[T]) -> None:
        """Writes each record, replacing the store's record of the same id (importing twice is importing once)."""
        ...


class ApprovedAnswerStore(Archive[ApprovedAnswer], Protocol):
    """The owner's approved answers, durable and apart from the profile document: every ingest publishes them."""

    def add(self, answer: ApprovedAnswer) -> None: ...

    def list(self) -> list[ApprovedAnswer]:
        """Oldest first."""
        ...

    def remove(self, answer_id: str) -> bool: ...


class QuestionLog(Archive[LoggedQuestion], Protocol):
    """The questions asked of the twin, for its owner (`twin.domain.question_log`: never who asked). Each is kept
    for the retention period, and past the store's size bound the oldest go first."""

    def add(self, entry: LoggedQuestion) -> None: ...

    def since(self, start: float) -> list[LoggedQuestion]:
        """Those asked from `start` (epoch seconds) on and not yet past keeping, oldest first."""
        ...

    def purge(self, before: float | None = None) -> int:
        """Delete those asked before `before` (epoch seconds; every one when None): how many went."""
        ...


class KeyStore(Archive[ApiKeyRecord], Protocol):
    """API-key records, durable, looked up by the hash of the key."""

    def add(self, record: ApiKeyRecord) -> None: ...

    def find(self, key_hash: str) -> ApiKeyRecord | None: ...

    def list(self) -> list[ApiKeyRecord]: ...

    def revoke(self, key_id: str, revoked_at: str) -> bool: ...


class TokenIssuer(Protocol):
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
        """A signed bearer token for `subject`, valid for `ttl_seconds` on `audiences`, with more `claims`."""
        ...


class InviteStore(Archive[InviteRecord], Protocol):
    """Invite records (hashes only), durable, looked up by the hash of the code or by id."""

    def add(self, record: InviteRecord) -> None: ...

    def find(self, code_hash: str) -> InviteRecord | None: ...

    def get(self, invite_id: str) -> InviteRecord | None: ...

    def list(self) -> list[InviteRecord]: ...

    def revoke(self, invite_id: str, revoked_at: str) -> bool: ...

    def use(self, invite_id: str, used_at: str) -> bool:
        """Count one use, atomically: False when the invite is revoked or its uses are spent."""
        ...


@dataclass(frozen=True, slots=True)
class ExpiringRecord:
    """One record of an `OAuthStore`: its key, its JSON text and when it expires (seconds since the epoch)."""

    key: str
    record: str
    expires_at: float


class OAuthStore(Archive[ExpiringRecord], Protocol):
    """What the authorization server keeps between requests (registered clients, pending consents, codes,
    grants): JSON text under a key, each for its own lifetime. An archive exports the records not yet expired,
    and imports each for what is left of its lifetime (none, if it has expired since)."""

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


type Annotation = str | int | float | bool


class Telemetry(Protocol):
    """Metrics and traces of the work a request does: CloudWatch EMF and X-Ray in AWS, nothing locally."""

    def count(self, name: str, value: int = 1) -> None: ...

    def timed(self, name: str) -> AbstractContextManager[None]:
        """A trace span around the block, nested in the span it runs in, and its duration as `<name>Latency`."""
        ...

    def annotate(self, **values: Annotation) -> None:
        """Labels the current span with values its traces can be found by (names: letters, digits, `_`).

        Never anything personal: no question, no answer, no token.
        """
        ...


class UsagePlans(Protocol):
    """Where API keys are metered (API Gateway usage plans in AWS)."""

    def register(self, record: ApiKeyRecord, key: str) -> None: ...

    def deregister(self, key_id: str) -> None: ...
