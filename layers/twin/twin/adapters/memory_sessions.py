"""The embedded `SessionStore`: recent turns per session, in-process, expiring when idle."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from twin.domain.answers import Turn


@dataclass
class _Session:
    expires_at: float
    turns: list[Turn] = field(default_factory=list)


class MemorySessionStore:
    def __init__(
        self,
        *,
        ttl_seconds: int,
        max_turns: int,
        max_sessions: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._ttl_seconds = ttl_seconds
        self._max_turns = max_turns
        self._max_sessions = max_sessions
        self._clock = clock
        self._lock = threading.Lock()

    def history(self, session_id: str) -> list[Turn]:
        with self._lock:
            session = self._live(session_id)
            return list(session.turns) if session else []

    def append(self, session_id: str, turn: Turn) -> None:
        with self._lock:
            session = self._live(session_id) or _Session(expires_at=0.0)
            session.turns = [*session.turns, turn][-self._max_turns :]
            session.expires_at = self._clock() + self._ttl_seconds
            self._sessions[session_id] = session
            self._sessions.move_to_end(session_id)
            while len(self._sessions) > self._max_sessions:
                self._sessions.popitem(last=False)

    def delete(self, session_id: str) -> bool:
        with self._lock:
            return self._sessions.pop(session_id, None) is not None

    def _live(self, session_id: str) -> _Session | None:
        session = self._sessions.get(session_id)
        if session is not None and session.expires_at <= self._clock():
            del self._sessions[session_id]
            return None
        return session
