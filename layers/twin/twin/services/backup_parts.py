"""The parts of a backup: each durable store's records (API keys, invites, the OAuth server's clients and grants, the
question log, the approved answers) and the profile document, with how each is written to the file, read back, and
met by the state it is restored onto.

To back up another store: let its adapters fill in `ports.Archive[T]`, write a `RecordKind[T]` for its records, and
add `RecordPart("<name>", store, TheKind())` to the parts `twin.composition.Services.backup` lists.
"""

import base64
import binascii
import hashlib
import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Final

from twin.domain import limits
from twin.domain.faq import ApprovedAnswer
from twin.domain.profile import ProfileDocument
from twin.domain.question_log import Channel, LoggedQuestion
from twin.errors import BackupFormatError, ProfileFormatError
from twin.ports import Archive, ExpiringRecord, ProfileDocuments
from twin.security.api_keys import ApiKeyRecord, key_id_of
from twin.security.identity import Scope
from twin.security.invites import OAUTH_SCOPES, InviteRecord, invite_id_of
from twin.services.answers import ID_PREFIX as ANSWER_ID_PREFIX
from twin.services.backup import PartReport, Restore
from twin.services.backup_fields import SHA256_HEX, Fields
from twin.services.ingest import IngestService

MAX_OAUTH_RECORD_CHARS: Final = 100_000
"""A registered client, with its ten redirect URIs of up to 2,000 characters each, is well within this."""


class RecordKind[T](ABC):
    """How records of one kind are written to a backup file and read back."""

    @abstractmethod
    def identity(self, record: T) -> str:
        """What tells two records apart: restoring a record replaces the state's record of the same identity."""

    @abstractmethod
    def encode(self, record: T) -> dict[str, object]: ...

    @abstractmethod
    def decode(self, fields: Fields) -> T:
        """Raises BackupFormatError for a field that does not read."""

    def backed_up(self, record: T) -> bool:
        """Whether a backup keeps the record: all of them, unless a kind says otherwise."""
        return True

    def merge(self, current: T | None, restored: T) -> T | None:
        """What to write when restoring `restored` onto the state's record `current`; None to keep `current`."""
        return restored


class RecordPart[T]:
    """The records of one store, as a list of objects."""

    def __init__(self, name: str, store: Archive[T], kind: RecordKind[T]) -> None:
        self.name = name
        self._store = store
        self._kind = kind

    def export(self) -> list[dict[str, object]]:
        records = [record for record in self._store.export_records() if self._kind.backed_up(record)]
        return [self._kind.encode(record) for record in sorted(records, key=self._kind.identity)]

    def prepare(self, data: object, location: str) -> Restore:
        if not isinstance(data, list):
            raise BackupFormatError(location, "a list of records")
        records: dict[str, T] = {}
        for number, item in enumerate(data):
            record = self._kind.decode(Fields(item, f"{location}[{number}]"))
            if self._kind.identity(record) in records:
                raise BackupFormatError(f"{location}[{number}]", "a record whose id no other record of the part has")
            records[self._kind.identity(record)] = record
        return lambda actor: self._restore(list(records.values()))

    def _restore(self, records: list[T]) -> PartReport:
        current = {self._kind.identity(record): record for record in self._store.export_records()}
        changed = []
        for record in records:
            existing = current.get(self._kind.identity(record))
            merged = self._kind.merge(existing, record)
            if merged is not None and merged != existing:
                changed.append(merged)
        self._store.import_records(changed)
        return PartReport(self.name, written=len(changed), kept=len(records) - len(changed))


class ApprovedAnswers(RecordKind[ApprovedAnswer]):
    """The owner's approved answers, as written. The profile part's ingest, after this one, publishes them."""

    def identity(self, record: ApprovedAnswer) -> str:
        return record.id

    def encode(self, record: ApprovedAnswer) -> dict[str, object]:
        return {"id": record.id, "question": record.question, "answer": record.answer, "created_at": record.created_at}

    def decode(self, fields: Fields) -> ApprovedAnswer:
        return ApprovedAnswer(
            id=fields.text("id", pattern=_ANSWER_ID),
            question=fields.text("question", max_chars=limits.MAX_APPROVED_QUESTION_CHARS),
            answer=fields.text("answer", max_chars=limits.MAX_APPROVED_ANSWER_CHARS),
            created_at=fields.timestamp("created_at"),
        )


_ANSWER_ID: Final = re.compile(rf"{re.escape(ANSWER_ID_PREFIX)}[0-9a-f]{{12}}")


class Questions(RecordKind[LoggedQuestion]):
    """The question log's entries (never who asked: the log holds no such thing). An entry is told apart by all it
    holds, its time to the millisecond (what Upstash keeps): restoring adds the entries the log lacks, and the log's
    retention still applies to them."""

    def identity(self, record: LoggedQuestion) -> str:
        fields = [
            _milliseconds(record.asked_at),
            record.channel.value,
            record.question,
            record.answered,
            record.sections,
        ]
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()

    def encode(self, record: LoggedQuestion) -> dict[str, object]:
        return {
            "question": record.question,
            "asked_at_ms": _milliseconds(record.asked_at),
            "channel": record.channel.value,
            "answered": record.answered,
            "sections": list(record.sections),
        }

    def decode(self, fields: Fields) -> LoggedQuestion:
        return LoggedQuestion(
            question=fields.text("question"),
            asked_at=fields.integer("asked_at_ms", minimum=0) / 1000,
            channel=Channel(fields.choice("channel", [channel.value for channel in Channel])),
            answered=fields.boolean("answered"),
            sections=fields.texts("sections"),
        )

    def merge(self, current: LoggedQuestion | None, restored: LoggedQuestion) -> LoggedQuestion | None:
        return restored if current is None else None


def _milliseconds(timestamp: float) -> int:
    return round(timestamp * 1000)


class ApiKeys(RecordKind[ApiKeyRecord]):
    """Hashes and metadata: a key itself is never stored, so a backup cannot hold one. Restoring never brings a
    revoked key back: a revocation the state has is kept."""

    def __init__(self, tiers: Iterable[str]) -> None:
        self._tiers = tuple(tiers)

    def identity(self, record: ApiKeyRecord) -> str:
        return record.key_hash

    def encode(self, record: ApiKeyRecord) -> dict[str, object]:
        return {
            "key_id": record.key_id,
            "key_hash": record.key_hash,
            "client_id": record.client_id,
            "tier": record.tier,
            "scopes": sorted(record.scopes),
            "created_at": record.created_at,
            "revoked_at": record.revoked_at,
        }

    def decode(self, fields: Fields) -> ApiKeyRecord:
        key_hash = fields.text("key_hash", pattern=SHA256_HEX)
        if fields.text("key_id") != key_id_of(key_hash):
            raise fields.error("key_id", "the id of the key's hash")
        return ApiKeyRecord(
            key_id=key_id_of(key_hash),
            key_hash=key_hash,
            client_id=fields.text("client_id"),
            tier=fields.choice("tier", self._tiers),
            scopes=fields.scopes("scopes", Scope),
            created_at=fields.timestamp("created_at"),
            revoked_at=fields.optional_timestamp("revoked_at"),
        )

    def merge(self, current: ApiKeyRecord | None, restored: ApiKeyRecord) -> ApiKeyRecord | None:
        if current is None or current.revoked_at is None:
            return restored
        return replace(restored, revoked_at=current.revoked_at)


class Invites(RecordKind[InviteRecord]):
    """Hashes of the codes and metadata. Restoring never brings a revoked invite back nor gives back spent uses."""

    def identity(self, record: InviteRecord) -> str:
        return record.invite_id

    def encode(self, record: InviteRecord) -> dict[str, object]:
        return {
            "invite_id": record.invite_id,
            "code_hash": record.code_hash,
            "name": record.name,
            "scopes": sorted(record.scopes),
            "created_at": record.created_at,
            "expires_at": record.expires_at,
            "max_uses": record.max_uses,
            "uses": record.uses,
            "last_used_at": record.last_used_at,
            "revoked_at": record.revoked_at,
        }

    def decode(self, fields: Fields) -> InviteRecord:
        code_hash = fields.text("code_hash", pattern=SHA256_HEX)
        if fields.text("invite_id") != invite_id_of(code_hash):
            raise fields.error("invite_id", "the id of the code's hash")
        return InviteRecord(
            invite_id=invite_id_of(code_hash),
            code_hash=code_hash,
            name=fields.text("name"),
            scopes=fields.scopes("scopes", OAUTH_SCOPES),
            created_at=fields.timestamp("created_at"),
            expires_at=fields.optional_timestamp("expires_at"),
            max_uses=fields.optional_integer("max_uses", minimum=1),
            uses=fields.integer("uses", minimum=0),
            last_used_at=fields.optional_timestamp("last_used_at"),
            revoked_at=fields.optional_timestamp("revoked_at"),
        )

    def merge(self, current: InviteRecord | None, restored: InviteRecord) -> InviteRecord | None:
        if current is None:
            return restored
        used = [moment for moment in (current.last_used_at, restored.last_used_at) if moment is not None]
        return replace(
            restored,
            uses=max(current.uses, restored.uses),
            last_used_at=max(used, key=datetime.fromisoformat) if used else None,
            revoked_at=current.revoked_at or restored.revoked_at,
        )


class OAuthRecords(RecordKind[ExpiringRecord]):
    """Registered clients (never a secret: a client's is derived from the JWT secret) and grants (the hash of the
    current refresh token), each until it expires. Pending consents, codes and fetched client metadata documents
    live minutes and are not kept. A record the state already has is newer (a grant rotates its refresh token on
    every use), so it is kept."""

    DURABLE: Final = ("client:", "grant:")
    """The keys `entrypoints.oauth.provider` stores clients and grants under."""

    def identity(self, record: ExpiringRecord) -> str:
        return record.key

    def backed_up(self, record: ExpiringRecord) -> bool:
        return record.key.startswith(self.DURABLE)

    def encode(self, record: ExpiringRecord) -> dict[str, object]:
        return {
            "key": record.key,
            "record": json.loads(record.record),
            "expires_at": datetime.fromtimestamp(record.expires_at, UTC).isoformat(timespec="seconds"),
        }

    def decode(self, fields: Fields) -> ExpiringRecord:
        key = fields.text("key", max_chars=200)
        if not key.startswith(self.DURABLE):
            raise fields.error("key", f"a key starting with {' or '.join(self.DURABLE)}")
        record = json.dumps(fields.object("record"), ensure_ascii=False, separators=(",", ":"))
        if len(record) > MAX_OAUTH_RECORD_CHARS:
            raise fields.error("record", f"at most {MAX_OAUTH_RECORD_CHARS} characters of JSON")
        expires_at = datetime.fromisoformat(fields.timestamp("expires_at")).timestamp()
        return ExpiringRecord(key=key, record=record, expires_at=expires_at)

    def merge(self, current: ExpiringRecord | None, restored: ExpiringRecord) -> ExpiringRecord | None:
        return restored if current is None and restored.expires_at > time.time() else None


class ProfilePart:
    """The profile document as it was last ingested, and the version it made: restored by ingesting it again, which
    rebuilds the index, as the version the backup names or the next one if the twin is already past it."""

    name = "profile"

    def __init__(self, *, twin_id: str, documents: ProfileDocuments, ingest: IngestService) -> None:
        self._twin_id = twin_id
        self._documents = documents
        self._ingest = ingest

    def export(self) -> dict[str, object] | None:
        document = self._documents.get_document(self._twin_id)
        if document is None:
            return None
        return {
            "version": document.version,
            "sha256": hashlib.sha256(document.content).hexdigest(),
            "content_base64": base64.b64encode(document.content).decode(),
        }

    def prepare(self, data: object, location: str) -> Restore:
        if data is None:
            return lambda actor: PartReport(self.name, written=0, kept=0, note="the backup holds no profile document")
        fields = Fields(data, location)
        version = fields.integer("version", minimum=1)
        digest = fields.text("sha256", pattern=SHA256_HEX)
        try:
            content = base64.b64decode(fields.text("content_base64", max_chars=2**31), validate=True)
        except binascii.Error:
            raise fields.error("content_base64", "the document in base64") from None
        if hashlib.sha256(content).hexdigest() != digest:
            raise fields.error("sha256", "the SHA-256 of the document (the file is damaged)")
        try:
            self._ingest.check(content)
        except ProfileFormatError as error:
            raise fields.error("content_base64", f"a profile document that ingests ({error.message})") from None
        return lambda actor: self._restore(ProfileDocument(version=version, content=content), actor)

    def _restore(self, document: ProfileDocument, actor: str) -> PartReport:
        report = self._ingest.ingest(document.content, actor=actor, version_floor=document.version)
        written = int(report.changed)
        return PartReport(self.name, written=written, kept=1 - written, note=f"version {report.version}")
