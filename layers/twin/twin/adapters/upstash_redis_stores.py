"""The cloud stores on Upstash Redis, over its REST API: cache, sessions, profile record, API keys, invites, the
OAuth server's records, rate limits.

What belongs to one twin lives under `twin:<environment>:<twin>:`; API keys, invites, OAuth records and rate
limits, shared by the twins of an environment, under `twin:<environment>:`. Every failure is a
BackendUnavailableError.
"""

import dataclasses
import functools
import json
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from upstash_ratelimit import Ratelimit, TokenBucket
from upstash_ratelimit.limiter import Response
from upstash_redis import Redis
from upstash_redis.errors import UpstashError

from twin.domain.answers import Turn
from twin.domain.profile import IndexedProfile, ProfileFormat
from twin.domain.rate_limits import RateDecision, RateLimit
from twin.errors import BackendUnavailableError
from twin.security.api_keys import ApiKeyRecord
from twin.security.identity import parse_scopes
from twin.security.invites import InviteRecord

SERVICE = "upstash-redis"


def key_prefix(environment: str, twin_id: str | None = None) -> str:
    """`twin:<environment>:<twin>:` for one twin's data; `twin:<environment>:` for what its twins share."""
    return f"twin:{environment}:{twin_id}:" if twin_id else f"twin:{environment}:"


@functools.cache
def redis_client(url: str, token: str, *, timeout_seconds: float) -> Redis:
    """The one client of the process. No retries: a retried write (a turn, a rate-limit hit) could count twice."""
    client = Redis(url, token, rest_retries=0, allow_telemetry=False)
    # The SDK's httpx client has no timeout and no setting for one; httpx times connect, send and read
    # separately, so each gets a third of the budget.
    client._http._client.timeout = httpx.Timeout(timeout_seconds / 3)
    return client


@contextmanager
def _upstash() -> Iterator[None]:
    """Every way a call can fail, as BackendUnavailableError; the reason never holds the token."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise BackendUnavailableError(SERVICE, "timed out") from error
    except httpx.HTTPError as error:
        raise BackendUnavailableError(SERVICE, f"request failed: {type(error).__name__}") from error
    except UpstashError as error:
        raise BackendUnavailableError(SERVICE, f"error reply: {str(error)[:100]}") from error
    except Exception as error:  # a malformed reply makes the SDK (or our parsing) raise anything
        raise BackendUnavailableError(SERVICE, f"malformed reply: {type(error).__name__}") from error


def _text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"expected a string, not {type(value).__name__}")
    return value


class RedisCache:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}cache:"

    def get(self, key: str) -> str | None:
        with _upstash():
            return _text(self._redis.get(self._prefix + key))

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        if ttl_seconds <= 0:
            return
        with _upstash():
            self._redis.set(self._prefix + key, value, ex=ttl_seconds)


class RedisSessionStore:
    """A list of turns (JSON) per session, capped to the last `max_turns`, expiring `ttl_seconds` after the last."""

    def __init__(self, redis: Redis, prefix: str, *, ttl_seconds: int, max_turns: int) -> None:
        self._redis = redis
        self._prefix = f"{prefix}session:"
        self._ttl_seconds = ttl_seconds
        self._max_turns = max_turns

    def history(self, session_id: str) -> list[Turn]:
        with _upstash():
            return [Turn(**json.loads(item)) for item in self._redis.lrange(self._prefix + session_id, 0, -1)]

    def append(self, session_id: str, turn: Turn) -> None:
        key = self._prefix + session_id
        with _upstash():
            transaction = self._redis.multi()
            transaction.rpush(key, json.dumps(dataclasses.asdict(turn)))
            transaction.ltrim(key, -self._max_turns, -1)
            transaction.expire(key, self._ttl_seconds)
            transaction.exec()

    def delete(self, session_id: str) -> bool:
        with _upstash():
            return self._redis.delete(self._prefix + session_id) == 1


class RedisProfileStore:
    """The twin's IndexedProfile as JSON at `<prefix>profile`; the prefix names the twin."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._key = f"{prefix}profile"

    def get(self, twin_id: str) -> IndexedProfile | None:
        with _upstash():
            raw = _text(self._redis.get(self._key))
            if raw is None:
                return None
            record = json.loads(raw)
            record["source_format"] = ProfileFormat(record["source_format"])
            profile = IndexedProfile(**record)
        return profile if profile.twin_id == twin_id else None

    def put(self, profile: IndexedProfile) -> None:
        with _upstash():
            self._redis.set(self._key, json.dumps(dataclasses.asdict(profile)))


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
        with _upstash():
            transaction = self._redis.multi()
            transaction.set(self._record_prefix + record.key_hash, _dump_key(record))
            transaction.hset(self._index, record.key_id, record.key_hash)
            transaction.exec()

    def find(self, key_hash: str) -> ApiKeyRecord | None:
        with _upstash():
            raw = _text(self._redis.get(self._record_prefix + key_hash))
            return None if raw is None else _load_key(raw)

    def list(self) -> list[ApiKeyRecord]:
        with _upstash():
            hashes = self._redis.hgetall(self._index).values()
            if not hashes:
                return []
            raws = self._redis.mget(*(self._record_prefix + key_hash for key_hash in hashes))
            records = [_load_key(raw) for raw in map(_text, raws) if raw is not None]
        return sorted(records, key=lambda record: (record.created_at, record.key_id))

    def revoke(self, key_id: str, revoked_at: str) -> bool:
        with _upstash():
            key_hash = _text(self._redis.hget(self._index, key_id))
            if key_hash is None:
                return False
            return bool(self._redis.eval(_REVOKE, keys=[self._record_prefix + key_hash], args=[key_id, revoked_at]))


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
        with _upstash():
            transaction = self._redis.multi()
            transaction.set(self._record_prefix + record.invite_id, _dump_invite(record))
            transaction.set(self._code_prefix + record.code_hash, record.invite_id)
            transaction.sadd(self._index, record.invite_id)
            transaction.exec()

    def find(self, code_hash: str) -> InviteRecord | None:
        with _upstash():
            invite_id = _text(self._redis.get(self._code_prefix + code_hash))
        return None if invite_id is None else self.get(invite_id)

    def get(self, invite_id: str) -> InviteRecord | None:
        with _upstash():
            raw = _text(self._redis.get(self._record_prefix + invite_id))
            return None if raw is None else _load_invite(raw)

    def list(self) -> list[InviteRecord]:
        with _upstash():
            ids = self._redis.smembers(self._index)
            if not ids:
                return []
            raws = self._redis.mget(*(self._record_prefix + invite_id for invite_id in ids))
            records = [_load_invite(raw) for raw in map(_text, raws) if raw is not None]
        return sorted(records, key=lambda record: (record.created_at, record.invite_id))

    def revoke(self, invite_id: str, revoked_at: str) -> bool:
        with _upstash():
            return bool(self._redis.eval(_REVOKE_INVITE, keys=[self._record_prefix + invite_id], args=[revoked_at]))

    def use(self, invite_id: str, used_at: str) -> bool:
        with _upstash():
            return bool(self._redis.eval(_USE_INVITE, keys=[self._record_prefix + invite_id], args=[used_at]))


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
        with _upstash():
            self._redis.set(self._prefix + key, record, ex=ttl_seconds)

    def get(self, key: str) -> str | None:
        with _upstash():
            return _text(self._redis.get(self._prefix + key))

    def take(self, key: str) -> str | None:
        with _upstash():
            return _text(self._redis.getdel(self._prefix + key))

    def delete(self, key: str) -> None:
        with _upstash():
            self._redis.delete(self._prefix + key)


class RedisRateLimiter:
    """upstash-ratelimit's token bucket, one per key at `<prefix>ratelimit:<key>`, refilled a token at a time.

    Like the embedded limiter: a caller may burst up to `requests`, then goes on at `requests / window`.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}ratelimit"
        self._ratelimits: dict[RateLimit, Ratelimit] = {}

    def hit(self, key: str, limit: RateLimit) -> RateDecision:
        with _upstash():
            response = self._ratelimit(limit).limit(key)
            return _decision(response, limit, time.time())

    def _ratelimit(self, limit: RateLimit) -> Ratelimit:
        ratelimit = self._ratelimits.get(limit)
        if ratelimit is None:
            bucket = TokenBucket(max_tokens=limit.requests, refill_rate=1, interval=_refill_ms(limit), unit="ms")
            ratelimit = self._ratelimits.setdefault(limit, Ratelimit(self._redis, bucket, prefix=self._prefix))
        return ratelimit


def _refill_ms(limit: RateLimit) -> int:
    return max(1, limit.window_seconds * 1000 // limit.requests)


def _decision(response: Response, limit: RateLimit, now: float) -> RateDecision:
    """`response.reset` is when the next token comes back (epoch seconds); the others follow one per interval."""
    until_refill = max(0.0, response.reset - now)
    missing = limit.requests - response.remaining
    refill_seconds = _refill_ms(limit) / 1000
    return RateDecision(
        allowed=response.allowed,
        limit=response.limit,
        remaining=response.remaining,
        reset_seconds=math.ceil(until_refill + (missing - 1) * refill_seconds) if missing > 0 else 0,
        retry_after_seconds=0 if response.allowed else max(1, math.ceil(until_refill)),
    )
