"""The cloud stores on Upstash Redis, over its REST API: cache, sessions, profile record and document, rate limits.
An ask's own store, the question log, and API keys, invites and the OAuth server's records
(`upstash_redis_credentials`) have modules of their own.

Each call is one HTTP request (a pipeline, a transaction or a script when it needs several commands).

What belongs to one twin lives under `twin:<environment>:<twin>:`; API keys, invites, OAuth records and rate
limits, shared by the twins of an environment, under `twin:<environment>:`. Every failure is a
BackendUnavailableError.
"""

import base64
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
from twin.domain.profile import IndexedProfile, ProfileDocument, ProfileFormat
from twin.domain.rate_limits import RateDecision, RateLimit
from twin.errors import BackendUnavailableError

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


class RedisProfileDocuments:
    """The document the twin was last ingested from, at `<prefix>profile-document`: a hash of the twin's id, the
    version and the document's bytes in base64 (an ingested document is at most 4 MiB: well within a request)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._key = f"{prefix}profile-document"

    def put_document(self, twin_id: str, document: ProfileDocument) -> None:
        content = base64.b64encode(document.content).decode()
        with upstash_errors():
            self._redis.hset(self._key, values={"twin_id": twin_id, "version": document.version, "content": content})

    def get_document(self, twin_id: str) -> ProfileDocument | None:
        with upstash_errors():
            fields = self._redis.hgetall(self._key)
            if not isinstance(fields, dict) or fields.get("twin_id") != twin_id:
                return None
            return ProfileDocument(version=int(fields["version"]), content=base64.b64decode(fields["content"]))


def load_profile(value: object, twin_id: str) -> IndexedProfile | None:
    raw = text_reply(value)
    if raw is None:
        return None
    record = json.loads(raw)
    record["source_format"] = ProfileFormat(record["source_format"])
    record.setdefault("namespace", record["twin_id"])  # a record from before versions had namespaces
    profile = IndexedProfile(**record)
    return profile if profile.twin_id == twin_id else None


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
