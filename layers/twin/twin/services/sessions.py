"""Conversations: whose they are, and erasing one on request (GDPR)."""

import re

from twin.domain import limits
from twin.errors import SessionNotFoundError
from twin.ports import SessionStore
from twin.security.audit import audit
from twin.security.identity import Principal

_SESSION_ID = re.compile(limits.SESSION_ID_PATTERN)


def conversation_key(owner: Principal, session_id: str) -> str:
    """A session belongs to whoever started it: the same id under another caller is another conversation."""
    return f"{owner.key}\x1f{session_id}"


class SessionService:
    def __init__(self, *, sessions: SessionStore) -> None:
        self._sessions = sessions

    def forget(self, session_id: str, *, owner: Principal) -> None:
        found = bool(_SESSION_ID.fullmatch(session_id)) and self._sessions.delete(conversation_key(owner, session_id))
        audit("forget_session", actor=owner.key, resource="session", outcome="deleted" if found else "not_found")
        if not found:
            raise SessionNotFoundError
