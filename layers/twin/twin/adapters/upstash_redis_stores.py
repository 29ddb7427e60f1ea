"""The cloud stores on Upstash Redis, over its REST API: cache, sessions, profile record, API keys, invites, the
OAuth server's records, rate limits. An ask's own store and the question log have modules of their own.

Each call is one HTTP request (a pipeline, a transaction or a script when it needs several commands).

What belongs to one twin lives under `twin:<environment>:<twin>:`; API keys, invites, OAuth records and rate
limits, shared by the twins of an environment, under `twin:<environment>:`. Every failure is a
BackendUnavailableError.
"""

import dataclasses
import functools
import json
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx
from upstash_redis import Redis
from upstash_redis.client import Pipeline
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
def upstash_errors() -> Iterator[None]:
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


def text_reply(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"expected a string, not {type(value).__name__}")
    return value


class RedisCache:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}cache:"

    def get(self, key: str) -> str | None:
        with upstash_errors():
            return text_reply(self._redis.get(self._prefix + key))

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        if ttl_seconds <= 0:
            return
        with upstash_errors():
            self._redis.set(self._prefix + key, value, ex=ttl_seconds)


class RedisSessionStore:
    """A list of turns (JSON) per session, capped to the last `max_turns`, expiring `ttl_seconds` after the last."""

    def __init__(self, redis: Redis, prefix: str, *, ttl_seconds: int, max_turns: int) -> None:
        self._redis = redis
        self._prefix = f"{prefix}session:"
        self.ttl_seconds = ttl_seconds
        self.max_turns = max_turns

    def key(self, session_id: str) -> str:
        return self._prefix + session_id

    def history(self, session_id: str) -> list[Turn]:
        with upstash_errors():
            return load_turns(self._redis.lrange(self.key(session_id), 0, -1))

    def append(self, session_id: str, turn: Turn) -> None:
        with upstash_errors():
            transaction = self._redis.multi()
            self.queue_append(transaction, session_id, turn)
            transaction.exec()

    def queue_append(self, commands: Pipeline, session_id: str, turn: Turn) -> None:
        key = self.key(session_id)
        commands.rpush(key, _dump_turn(turn))
        commands.ltrim(key, -self.max_turns, -1)
        commands.expire(key, self.ttl_seconds)

    def delete(self, session_id: str) -> bool:
        with upstash_errors():
            return self._redis.delete(self.key(session_id)) == 1


def _dump_turn(turn: Turn) -> str:
    return json.dumps({"question": turn.question, "answer": turn.answer})


def load_turns(items: object) -> list[Turn]:
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise TypeError("expected a list of strings")
    return [Turn(**json.loads(item)) for item in items]


# Compare-and-set: the record changes only if it still holds the version the new one replaces (0: none).
_SWITCH = """
local raw = redis.call("GET", KEYS[1])
local version = 0
if raw then version = cjson.decode(raw).version end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call("SET", KEYS[1], ARGV[2])
return 1
"""


class RedisProfileStore:
    """The twin's IndexedProfile as JSON at `<prefix>profile`; the prefix names the twin."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self.key = f"{prefix}profile"

    def get(self, twin_id: str) -> IndexedProfile | None:
        with upstash_errors():
            return load_profile(self._redis.get(self.key), twin_id)

    def switch(self, profile: IndexedProfile, *, replacing: IndexedProfile | None) -> bool:
        """Make `profile` the record if the record is still `replacing`; False if another one took its place."""
        expected = replacing.version if replacing is not None else 0
        record = json.dumps(dataclasses.asdict(profile))
        with upstash_errors():
            return bool(self._redis.eval(_SWITCH, keys=[self.key], args=[str(expected), record]))


def load_profile(value: object, twin_id: str) -> IndexedProfile | None:
    raw = text_reply(value)
    if raw is None:
        return None
    record = json.loads(raw)
    record["source_format"] = ProfileFormat(record["source_format"])
    record.setdefault("namespace", record["twin_id"])  # a record from before versions had namespaces
    profile = IndexedProfile(**record)
    return profile if profile.twin_id == twin_id else None


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
        with upstash_errors():
            transaction = self._redis.multi()
            transaction.set(self._record_prefix + record.key_hash, _dump_key(record))
            transaction.hset(self._index, record.key_id, record.key_hash)
            transaction.exec()

    def find(self, key_hash: str) -> ApiKeyRecord | None:
        with upstash_errors():
            raw = text_reply(self._redis.get(self._record_prefix + key_hash))
            return None if raw is None else _load_key(raw)

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


def _dump_key(record: ApiKeyRecord) -> str:
    return json.dumps({**dataclasses.asdict(record), "scopes": " ".join(sorted(record.scopes))})


def _load_key(raw: str) -> ApiKeyRecord:
    record = json.loads(raw)
    return ApiKeyRecord(**{**record, "scopes": parse_scopes(record["scopes"])})


# A token bucket per key (the layout upstash-ratelimit's TokenBucket used, so buckets carry over): a hash of
# `refilled_at` (ms) and `tokens`, refilled a token per interval. The buckets are tried in turn and the first
# that is empty refuses the request: the ones after it are not charged.
_CHARGE_BUCKETS = """
local now = tonumber(ARGV[1])
local decisions = {}
for i, key in ipairs(KEYS) do
  local max_tokens = tonumber(ARGV[2 * i])
  local interval = tonumber(ARGV[2 * i + 1])
  local bucket = redis.call("HMGET", key, "refilled_at", "tokens")
  local refilled_at, tokens = now, max_tokens
  if bucket[1] then refilled_at, tokens = tonumber(bucket[1]), tonumber(bucket[2]) end
  if now >= refilled_at + interval then
    local refills = math.floor((now - refilled_at) / interval)
    tokens = math.min(max_tokens, tokens + refills)
    refilled_at = refilled_at + refills * interval
  end
  if tokens < 1 then
    decisions[i] = {-1, refilled_at + interval}
    return decisions
  end
  tokens = tokens - 1
  redis.call("HSET", key, "refilled_at", refilled_at, "tokens", tokens)
  redis.call("PEXPIRE", key, (max_tokens - tokens) * interval)
  decisions[i] = {tokens, refilled_at + interval}
end
return decisions
"""


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
        with upstash_errors():
            transaction = self._redis.multi()
            transaction.set(self._record_prefix + record.invite_id, _dump_invite(record))
            transaction.set(self._code_prefix + record.code_hash, record.invite_id)
            transaction.sadd(self._index, record.invite_id)
            transaction.exec()

    def find(self, code_hash: str) -> InviteRecord | None:
        with upstash_errors():
            invite_id = text_reply(self._redis.get(self._code_prefix + code_hash))
        return None if invite_id is None else self.get(invite_id)

    def get(self, invite_id: str) -> InviteRecord | None:
        with upstash_errors():
            raw = text_reply(self._redis.get(self._record_prefix + invite_id))
            return None if raw is None else _load_invite(raw)

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


class RedisRateLimiter:
    """A token bucket per key at `<prefix>ratelimit:<key>`, refilled a token at a time, in one script per request.

    Like the embedded limiter: a caller may burst up to `requests`, then goes on at `requests / window`.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}ratelimit:"

    def hit(self, key: str, limit: RateLimit) -> RateDecision:
        return self.hit_each([(key, limit)])[0]

    def hit_each(self, hits: Sequence[tuple[str, RateLimit]]) -> list[RateDecision]:
        keys = [self._prefix + key for key, _ in hits]
        now_ms = time.time_ns() // 1_000_000
        args = [str(now_ms), *(str(number) for _, limit in hits for number in (limit.requests, _refill_ms(limit)))]
        with upstash_errors():
            replies = self._redis.eval(_CHARGE_BUCKETS, keys=keys, args=args)
            return [
                _decision(limit, remaining, refill_at_ms / 1000, now_ms / 1000)
                for (_, limit), (remaining, refill_at_ms) in zip(hits, replies, strict=False)
            ]


def _refill_ms(limit: RateLimit) -> int:
    return max(1, limit.window_seconds * 1000 // limit.requests)


def _decision(limit: RateLimit, remaining: int, refill_at: float, now: float) -> RateDecision:
    """`refill_at` is when the next token comes back (epoch seconds); the others follow one per interval."""
    allowed = remaining >= 0
    remaining = max(0, remaining)
    until_refill = max(0.0, refill_at - now)
    missing = limit.requests - remaining
    refill_seconds = _refill_ms(limit) / 1000
    return RateDecision(
        allowed=allowed,
        limit=limit.requests,
        remaining=remaining,
        reset_seconds=math.ceil(until_refill + (missing - 1) * refill_seconds) if missing > 0 else 0,
        retry_after_seconds=0 if allowed else max(1, math.ceil(until_refill)),
    )
