"""The cloud `ApprovedAnswerStore`: the owner's approved answers in Upstash Redis, one hash per twin."""

import json

from upstash_redis import Redis

from twin.adapters.upstash_redis_stores import text_reply, upstash_errors
from twin.domain.faq import ApprovedAnswer


class RedisApprovedAnswerStore:
    """Each answer as JSON in the hash `<prefix>answers`, under its id; the prefix names the twin."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._key = f"{prefix}answers"

    def add(self, answer: ApprovedAnswer) -> None:
        record = {"question": answer.question, "answer": answer.answer, "created_at": answer.created_at}
        with upstash_errors():
            self._redis.hset(self._key, answer.id, json.dumps(record))

    def list(self) -> list[ApprovedAnswer]:
        with upstash_errors():
            entries = self._redis.hgetall(self._key)
            found = [_load(answer_id, text_reply(raw)) for answer_id, raw in entries.items()]
        return sorted(found, key=lambda answer: (answer.created_at, answer.id))

    def remove(self, answer_id: str) -> bool:
        with upstash_errors():
            return self._redis.hdel(self._key, answer_id) == 1


def _load(answer_id: str, raw: str | None) -> ApprovedAnswer:
    record = json.loads(raw or "")
    return ApprovedAnswer(
        id=answer_id, question=record["question"], answer=record["answer"], created_at=record["created_at"]
    )
