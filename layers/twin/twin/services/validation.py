"""Checks every entry point shares, so REST, MCP and the CLI reject the same inputs the same way."""

import re
import secrets

from twin.domain import limits
from twin.domain.profile import SectionType
from twin.errors import InsightsWindowError, InvalidRequestError

_SESSION_ID = re.compile(limits.SESSION_ID_PATTERN)
_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def question_text(question: str) -> str:
    return _bounded_text("question", question, limits.MAX_QUESTION_CHARS)


def query_text(query: str) -> str:
    return _bounded_text("query", query, limits.MAX_QUERY_CHARS)


def approved_question(question: str) -> str:
    return _bounded_text("question", question, limits.MAX_APPROVED_QUESTION_CHARS)


def approved_answer(answer: str) -> str:
    return _bounded_text("answer", answer, limits.MAX_APPROVED_ANSWER_CHARS)


def job_description(text: str) -> str:
    return _bounded_text("job_description", text, limits.MAX_JOB_DESCRIPTION_CHARS)


def top_k(value: int) -> int:
    if not limits.MIN_TOP_K <= value <= limits.MAX_TOP_K:
        raise InvalidRequestError(f"top_k must be between {limits.MIN_TOP_K} and {limits.MAX_TOP_K}")
    return value


def insight_days(value: int | str | None) -> int:
    """How many days insights cover: a number, or its text as a query string carries it; the default when None."""
    if value is None:
        return limits.DEFAULT_INSIGHT_DAYS
    if isinstance(value, str):
        value = int(value) if _WHOLE_NUMBER.fullmatch(value) else 0
    if not limits.MIN_INSIGHT_DAYS <= value <= limits.MAX_INSIGHT_DAYS:
        raise InsightsWindowError(limits.MIN_INSIGHT_DAYS, limits.MAX_INSIGHT_DAYS)
    return value


def section_type(value: str | None) -> SectionType | None:
    if value is None:
        return None
    try:
        return SectionType(value)
    except ValueError:
        allowed = ", ".join(section.value for section in SectionType)
        raise InvalidRequestError(f"section must be one of: {allowed}") from None


def session_id(value: str | None) -> str:
    """The caller's session id, or a new one when they start a conversation."""
    if value is None:
        return secrets.token_urlsafe(16)
    if not _SESSION_ID.fullmatch(value):
        raise InvalidRequestError("session_id must be 8-128 characters of letters, digits, '-' or '_'")
    return value


def _bounded_text(field: str, value: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InvalidRequestError(f"{field} must not be empty")
    if len(text) > limit:
        raise InvalidRequestError(f"{field} must be at most {limit} characters")
    return text
