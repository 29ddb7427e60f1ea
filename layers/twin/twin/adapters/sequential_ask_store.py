"""The `AskStore` over the separate stores, one call after another: for stores where a call costs no round trip
(SQLite, in-process), or whose profile record is not beside the conversations (Upstash Redis with the embedded index).
"""

from functools import lru_cache

from twin.domain.answers import Answer, Turn, decode_answer, encode_answer
from twin.domain.profile import IndexedProfile
from twin.domain.question_log import Asked
from twin.ports import Cache, ProfileStore, QuestionLog, SessionStore

# A cached answer is recalled request after request, as the same text: decoded once (an Answer is immutable).
_decoded = lru_cache(maxsize=256)(decode_answer)


class SequentialAskStore:
    def __init__(
        self,
        profiles: ProfileStore,
        sessions: SessionStore,
        cache: Cache,
        *,
        cache_ttl_seconds: int,
        questions: QuestionLog | None = None,
    ) -> None:
        """Without `questions`, nothing is logged."""
        self._profiles = profiles
        self._sessions = sessions
        self._cache = cache
        self._cache_ttl_seconds = cache_ttl_seconds
        self._questions = questions

    def open(self, twin_id: str, conversation: str) -> tuple[IndexedProfile | None, list[Turn]]:
        profile = self._profiles.get(twin_id)
        return profile, self._sessions.history(conversation) if profile is not None else []

    def recall(self, key: str, conversation: str, question: str, *, log: Asked | None = None) -> Answer | None:
        cached = self._cache.get(key)
        if cached is None:
            return None
        answer = _decoded(cached)
        self._sessions.append(conversation, Turn(question=question, answer=answer.text))
        self._log(log, answer)
        return answer

    def record(
        self, conversation: str, question: str, answer: Answer, *, cache_key: str | None, log: Asked | None = None
    ) -> None:
        self._sessions.append(conversation, Turn(question=question, answer=answer.text))
        if cache_key is not None:
            self._cache.set(cache_key, encode_answer(answer), self._cache_ttl_seconds)
        self._log(log, answer)

    def _log(self, log: Asked | None, answer: Answer) -> None:
        if log is not None and self._questions is not None:
            self._questions.add(log.answered_by(answer))
