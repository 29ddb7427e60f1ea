"""The `AskStore` on Upstash Redis: an ask's reads and writes in one round trip each."""

import json

from upstash_redis import Redis

from twin.adapters.upstash_question_log import RedisQuestionLog, cited
from twin.adapters.upstash_redis_stores import (
    RedisProfileStore,
    RedisSessionStore,
    load_profile,
    load_turns,
    text_reply,
    upstash_errors,
)
from twin.domain.answers import Answer, Turn, decode_answer, encode_answer
from twin.domain.profile import IndexedProfile
from twin.domain.question_log import Asked

# A hit also ends the conversation with the turn, in the same round trip: the turn is written as
# `RedisSessionStore.append` writes it, from the question and the answer's text, both already JSON. With a question
# log (KEYS[3]) the question joins it as `RedisQuestionLog.queue_add` adds an entry: its head (ARGV[4]) and what
# the answer cited, kept beside the answer for this.
_RECALL = """
local entry = redis.call("HMGET", KEYS[1], "answer", "text", "cited")
if not entry[1] then return false end
redis.call("RPUSH", KEYS[2], '{"question": ' .. ARGV[1] .. ', "answer": ' .. entry[2] .. '}')
redis.call("LTRIM", KEYS[2], -tonumber(ARGV[2]), -1)
redis.call("EXPIRE", KEYS[2], ARGV[3])
if KEYS[3] and entry[3] then
  redis.call("ZADD", KEYS[3], ARGV[5], ARGV[4] .. entry[3])
  redis.call("ZREMRANGEBYSCORE", KEYS[3], "-inf", "(" .. ARGV[6])
  redis.call("ZREMRANGEBYRANK", KEYS[3], 0, -tonumber(ARGV[7]) - 1)
  redis.call("EXPIRE", KEYS[3], ARGV[8])
end
return entry[1]
"""


class RedisAskStore:
    """An ask's reads and writes in one round trip each: the profile record with the conversation (a pipeline), the
    cached answer with the turn it adds (a script), then the turn with the answer to cache (a transaction); the
    question log's entry joins whichever of the last two ends the ask.

    A cached answer is a hash at `<prefix>cache:<key>`: the answer, its text as JSON for the turn, and what it cited
    as the end of a question log entry.
    """

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        sessions: RedisSessionStore,
        cache_ttl_seconds: int,
        questions: RedisQuestionLog | None = None,
    ) -> None:
        """Without `questions`, nothing is logged."""
        self._redis = redis
        self._profile_key = RedisProfileStore(redis, prefix).key
        self._sessions = sessions
        self._cache_prefix = f"{prefix}cache:"
        self._cache_ttl_seconds = cache_ttl_seconds
        self._questions = questions

    def open(self, twin_id: str, conversation: str) -> tuple[IndexedProfile | None, list[Turn]]:
        with upstash_errors():
            pipeline = self._redis.pipeline()
            pipeline.get(self._profile_key)
            pipeline.lrange(self._sessions.key(conversation), 0, -1)
            record, items = pipeline.exec()
            return load_profile(record, twin_id), load_turns(items)

    def recall(self, key: str, conversation: str, question: str, *, log: Asked | None = None) -> Answer | None:
        sessions = self._sessions
        keys = [self._cache_prefix + key, sessions.key(conversation)]
        args = [json.dumps(question), str(sessions.max_turns), str(sessions.ttl_seconds)]
        if log is not None and self._questions is not None:
            keys.append(self._questions.key)
            args += self._questions.script_arguments(log)
        with upstash_errors():
            cached = text_reply(self._redis.eval(_RECALL, keys=keys, args=args))
            return None if cached is None else decode_answer(cached)

    def record(
        self, conversation: str, question: str, answer: Answer, *, cache_key: str | None, log: Asked | None = None
    ) -> None:
        with upstash_errors():
            transaction = self._redis.multi()
            self._sessions.queue_append(transaction, conversation, Turn(question=question, answer=answer.text))
            if cache_key is not None and self._cache_ttl_seconds > 0:
                key = self._cache_prefix + cache_key
                values = {
                    "answer": encode_answer(answer),
                    "text": json.dumps(answer.text),
                    "cited": cited(answer.answered, [source.id for source in answer.sources]),
                }
                transaction.hset(key, values=values)
                transaction.expire(key, self._cache_ttl_seconds)
            if log is not None and self._questions is not None:
                self._questions.queue_add(transaction, log.answered_by(answer))
            transaction.exec()
