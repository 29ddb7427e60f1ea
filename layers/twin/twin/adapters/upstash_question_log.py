"""The question log on Upstash Redis: a sorted set at `<prefix>questions`, each entry scored by when it was asked
(epoch milliseconds), its member the entry as JSON with a random id (two alike in one millisecond stay two).

Each write trims the set in its own round trip: entries past keeping go, then the oldest beyond the size bound, and
the set expires once the last entry written is past keeping. The ask store writes an entry in the round trip the ask
makes anyway (`queue_add`, `script_arguments`).
"""

import json
import secrets
import time
from collections.abc import Callable, Sequence

from upstash_redis import Redis
from upstash_redis.client import Pipeline

from twin.adapters.upstash_redis_stores import upstash_errors
from twin.domain.question_log import DAY_SECONDS, Asked, Channel, LoggedQuestion, Retention


class RedisQuestionLog:
    def __init__(self, redis: Redis, prefix: str, *, retention: Retention, clock: Callable[[], float] = time.time):
        self._redis = redis
        self.key = f"{prefix}questions"
        self._retention = retention
        self._clock = clock

    def add(self, entry: LoggedQuestion) -> None:
        with upstash_errors():
            transaction = self._redis.multi()
            self.queue_add(transaction, entry)
            transaction.exec()

    def queue_add(self, commands: Pipeline, entry: LoggedQuestion) -> None:
        """Queue the commands that add `entry` and trim the log."""
        head = member_head(Asked(entry.question, entry.asked_at, entry.channel))
        commands.zadd(self.key, {head + cited(entry.answered, entry.sections): _score(entry.asked_at)})
        commands.zremrangebyscore(self.key, "-inf", f"({_score(self._retention.cutoff(self._clock()))}")
        commands.zremrangebyrank(self.key, 0, -self._retention.max_entries - 1)
        commands.expire(self.key, self._retention.days * DAY_SECONDS)

    def script_arguments(self, asked: Asked) -> list[str]:
        """For a script that adds `asked` with what its answer cited, as `queue_add` would: the member's head, its
        score, the score before which entries are past keeping, the size bound and the set's time to live."""
        retention = self._retention
        numbers = (_score(asked.asked_at), _score(retention.cutoff(self._clock())), retention.max_entries)
        return [member_head(asked), *map(str, numbers), str(retention.days * DAY_SECONDS)]

    def since(self, start: float) -> list[LoggedQuestion]:
        start = max(start, self._retention.cutoff(self._clock()))
        with upstash_errors():
            return _entries(self._redis.zrange(self.key, _score(start), "+inf", sortby="BYSCORE", withscores=True))

    def export_records(self) -> list[LoggedQuestion]:
        return self.since(0.0)

    def import_records(self, records: Sequence[LoggedQuestion]) -> None:
        if not records:
            return
        members: dict[str, float] = {
            member_head(Asked(entry.question, entry.asked_at, entry.channel)) + cited(entry.answered, entry.sections): (
                _score(entry.asked_at)
            )
            for entry in records
        }
        with upstash_errors():
            transaction = self._redis.multi()
            transaction.zadd(self.key, members)
            transaction.expire(self.key, self._retention.days * DAY_SECONDS)
            transaction.exec()

    def purge(self, before: float | None = None) -> int:
        end = "+inf" if before is None else f"({_score(before)}"
        with upstash_errors():
            return int(self._redis.zremrangebyscore(self.key, "-inf", end))


def member_head(asked: Asked) -> str:
    """The entry's JSON up to what its answer cited: `{"id": …, "question": …, "channel": …, `."""
    head = json.dumps({"id": secrets.token_hex(6), "question": asked.question, "channel": asked.channel.value})
    return head[:-1] + ", "


def cited(answered: bool, sections: Sequence[str]) -> str:
    """The rest of the entry's JSON: `"answered": …, "sections": […]}`."""
    return json.dumps({"answered": answered, "sections": list(sections)})[1:]


def _score(timestamp: float) -> int:
    return round(timestamp * 1000)


def _entries(replies: object) -> list[LoggedQuestion]:
    """From the members and their scores, as the SDK pairs them."""
    if not isinstance(replies, list):
        raise TypeError("expected a list")
    return [_entry(member, score) for member, score in replies]


def _entry(member: object, score: object) -> LoggedQuestion:
    if not isinstance(member, str) or not isinstance(score, int | float):
        raise TypeError("expected a member and its score")
    data = json.loads(member)
    return LoggedQuestion(
        question=data["question"],
        asked_at=score / 1000,
        channel=Channel(data["channel"]),
        answered=bool(data["answered"]),
        sections=tuple(data["sections"]),
    )
