"""The cloud `ApprovedAnswerStore`: the owner's approved answers in Upstash Redis, one hash per twin."""

import json
from collections.abc import Sequence

from upstash_redis import Redis

from twin.adapters.upstash_redis_stores import text_reply, upstash_errors
from twin.domain.faq import ApprovedAnswer


class RedisApprovedAnswerStore:
    """Each answer as JSON in the hash `<prefix>answers`, under its id; the prefix names the twin."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._key = f"{prefix}answers"

    def add(self, answer: ApprovedAnswer) -> None:
        with upstash_errors():
            self._redis.hset(self._key, answer.id, _dump(answer))

    def export_records(self) -> list[ApprovedAnswer]:
        return self.list()

    def import_records(self, records: Sequence[ApprovedAnswer]) -> None:
        if records:
            with upstash_errors():
                self._redis.hset(self._key, values={answer.id: _dump(answer) for answer in records})

    def list(self) -> list[ApprovedAnswer]:
        with upstash_errors():
            entries = self._redis.hgetall(self._key)
            found = [_load(answer_id, text_reply(raw)) for answer_id, raw in entries.items()]
        return sorted(found, key=lambda answer: (answer.created_at, answer.id))

    def remove(self, answer_id: str) -> bool:
        with upstash_errors():
            return self._redis.hdel(self._key, answer_id) == 1


def _dump(answer: ApprovedAnswer) -> str:
    return json.dumps({"question": answer.question, "answer": answer.answer, "created_at": answer.created_at})


def _load(answer_id: str, raw: str | None) -> ApprovedAnswer:
    record = json.loads(raw or "")
    return ApprovedAnswer(
        id=answer_id, question=record["question"], answer=record["answer"], created_at=record["created_at"]
    )
