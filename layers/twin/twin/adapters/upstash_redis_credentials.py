"""The stores the twins of an environment share on Upstash Redis: API keys, invites and the OAuth server's
records, all under `twin:<environment>:`. Every failure is a BackendUnavailableError."""

import dataclasses
import json
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from upstash_redis import Redis
from upstash_redis.client import Pipeline

from twin.adapters.upstash_redis_stores import text_reply, upstash_errors
from twin.ports import ExpiringRecord
from twin.security.api_keys import ApiKeyRecord
from twin.security.identity import parse_scopes
from twin.security.invites import InviteRecord

# Atomic, so that of two revocations only one succeeds. Every field is a string (scopes space-separated),
# because cjson would write an empty list back as {}.
_REVOKE = """
local raw = redis.call("GET", KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.key_id ~= ARGV[1] or type(record.revoked_at) == "string" then return 0 end
record.revoked_at = ARGV[2]
redis.call("SET", KEYS[1], cjson.encode(record))
return 1
"""


class RedisKeyStore:
    """Each record as JSON at `<prefix>apikey:<hash>`; the hash `<prefix>apikeys` maps key ids to hashes."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._record_prefix = f"{prefix}apikey:"
        self._index = f"{prefix}apikeys"

    def add(self, record: ApiKeyRecord) -> None:
        self.import_records([record])

    def find(self, key_hash: str) -> ApiKeyRecord | None:
        with upstash_errors():
            raw = text_reply(self._redis.get(self._record_prefix + key_hash))
            return None if raw is None else _load_key(raw)

    def export_records(self) -> list[ApiKeyRecord]:
        return self.list()

    def list(self) -> list[ApiKeyRecord]:
        with upstash_errors():
            hashes = self._redis.hgetall(self._index).values()
            if not hashes:
                return []
            raws = self._redis.mget(*(self._record_prefix + key_hash for key_hash in hashes))
            records = [_load_key(raw) for raw in map(text_reply, raws) if raw is not None]
        return sorted(records, key=lambda record: (record.created_at, record.key_id))

    def revoke(self, key_id: str, revoked_at: str) -> bool:
        with upstash_errors():
            key_hash = text_reply(self._redis.hget(self._index, key_id))
            if key_hash is None:
                return False
            return bool(self._redis.eval(_REVOKE, keys=[self._record_prefix + key_hash], args=[key_id, revoked_at]))

    def import_records(self, records: Sequence[ApiKeyRecord]) -> None:
        """In one transaction."""
        with upstash_errors(), _transaction(self._redis, records) as transaction:
            for record in records:
                transaction.set(self._record_prefix + record.key_hash, _dump_key(record))
                transaction.hset(self._index, record.key_id, record.key_hash)


def _dump_key(record: ApiKeyRecord) -> str:
    return json.dumps({**dataclasses.asdict(record), "scopes": " ".join(sorted(record.scopes))})


def _load_key(raw: str) -> ApiKeyRecord:
    record = json.loads(raw)
    return ApiKeyRecord(**{**record, "scopes": parse_scopes(record["scopes"])})


_REVOKE_INVITE = """
local raw = redis.call("GET", KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if type(record.revoked_at) == "string" then return 0 end
record.revoked_at = ARGV[1]
redis.call("SET", KEYS[1], cjson.encode(record))
return 1
"""
_USE_INVITE = """
local raw = redis.call("GET", KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if type(record.revoked_at) == "string" then return 0 end
if type(record.max_uses) == "number" and record.uses >= record.max_uses then return 0 end
record.uses = record.uses + 1
record.last_used_at = ARGV[1]
redis.call("SET", KEYS[1], cjson.encode(record))
return 1
"""


class RedisInviteStore:
    """Each record as JSON at `<prefix>invite:<id>`; `<prefix>invite-code:<hash>` names the id of each code's
    invite and the set `<prefix>invites` holds every id."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._record_prefix = f"{prefix}invite:"
        self._code_prefix = f"{prefix}invite-code:"
        self._index = f"{prefix}invites"

    def add(self, record: InviteRecord) -> None:
        self.import_records([record])

    def find(self, code_hash: str) -> InviteRecord | None:
        with upstash_errors():
            invite_id = text_reply(self._redis.get(self._code_prefix + code_hash))
        return None if invite_id is None else self.get(invite_id)

    def get(self, invite_id: str) -> InviteRecord | None:
        with upstash_errors():
            raw = text_reply(self._redis.get(self._record_prefix + invite_id))
            return None if raw is None else _load_invite(raw)

    def export_records(self) -> list[InviteRecord]:
        return self.list()

    def list(self) -> list[InviteRecord]:
        with upstash_errors():
            ids = self._redis.smembers(self._index)
            if not ids:
                return []
            raws = self._redis.mget(*(self._record_prefix + invite_id for invite_id in ids))
            records = [_load_invite(raw) for raw in map(text_reply, raws) if raw is not None]
        return sorted(records, key=lambda record: (record.created_at, record.invite_id))

    def revoke(self, invite_id: str, revoked_at: str) -> bool:
        with upstash_errors():
            return bool(self._redis.eval(_REVOKE_INVITE, keys=[self._record_prefix + invite_id], args=[revoked_at]))

    def use(self, invite_id: str, used_at: str) -> bool:
        with upstash_errors():
            return bool(self._redis.eval(_USE_INVITE, keys=[self._record_prefix + invite_id], args=[used_at]))

    def import_records(self, records: Sequence[InviteRecord]) -> None:
        """In one transaction."""
        with upstash_errors(), _transaction(self._redis, records) as transaction:
            for record in records:
                transaction.set(self._record_prefix + record.invite_id, _dump_invite(record))
                transaction.set(self._code_prefix + record.code_hash, record.invite_id)
                transaction.sadd(self._index, record.invite_id)


def _dump_invite(record: InviteRecord) -> str:
    return json.dumps({**dataclasses.asdict(record), "scopes": " ".join(sorted(record.scopes))})


def _load_invite(raw: str) -> InviteRecord:
    record = json.loads(raw)
    return InviteRecord(**{**record, "scopes": parse_scopes(record["scopes"])})


class RedisOAuthStore:
    """Each record at `<prefix>oauth:<key>`, expiring with Redis's own TTL."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}oauth:"

    def put(self, key: str, record: str, ttl_seconds: int) -> None:
        with upstash_errors():
            self._redis.set(self._prefix + key, record, ex=ttl_seconds)

    def get(self, key: str) -> str | None:
        with upstash_errors():
            return text_reply(self._redis.get(self._prefix + key))

    def take(self, key: str) -> str | None:
        with upstash_errors():
            return text_reply(self._redis.getdel(self._prefix + key))

    def delete(self, key: str) -> None:
        with upstash_errors():
            self._redis.delete(self._prefix + key)

    def export_records(self) -> list[ExpiringRecord]:
        """SCAN for the keys, then each record and its remaining lifetime in one pipeline."""
        with upstash_errors():
            keys, cursor = [], 0
            while True:
                cursor, page = self._redis.scan(cursor, match=f"{self._prefix}*", count=_SCAN_COUNT)
                keys.extend(page)
                if cursor == 0:
                    break
            if not keys:
                return []
            pipeline = self._redis.pipeline()
            for key in keys:
                pipeline.get(key)
                pipeline.pttl(key)
            replies = pipeline.exec()
            now = time.time()
            values, lifetimes = map(text_reply, replies[::2]), map(_integer, replies[1::2])
            records = [
                ExpiringRecord(key=key.removeprefix(self._prefix), record=record, expires_at=now + ttl_ms / 1000)
                for key, record, ttl_ms in zip(keys, values, lifetimes, strict=True)
                if record is not None and ttl_ms > 0  # gone since the scan, or (never written so) without a lifetime
            ]
        return sorted(records, key=lambda record: record.key)

    def import_records(self, records: Sequence[ExpiringRecord]) -> None:
        """In one transaction, each for what is left of its lifetime."""
        now = time.time()
        alive = [(record, math.ceil((record.expires_at - now) * 1000)) for record in records if record.expires_at > now]
        with upstash_errors(), _transaction(self._redis, alive) as transaction:
            for record, ttl_ms in alive:
                transaction.set(self._prefix + record.key, record.record, px=ttl_ms)


_SCAN_COUNT = 500


def _integer(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer, not {type(value).__name__}")
    return value


@contextmanager
def _transaction(redis: Redis, records: Sequence[object]) -> Iterator[Pipeline]:
    """A MULTI/EXEC of the commands queued in the block, sent on leaving it; nothing is sent for no records."""
    transaction = redis.multi()
    yield transaction
    if records:
        transaction.exec()
