"""The audit trail: one JSON line per security-relevant event, on the `twin.audit` logger.

A line names the actor, action, resource, outcome, reason and request id; never a token, a key or
a question.
"""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

AUDIT_LOGGER: Final = "twin.audit"
_logger = logging.getLogger(AUDIT_LOGGER)
_request_id: ContextVar[str | None] = ContextVar("twin_request_id", default=None)


@contextmanager
def request_scope(request_id: str) -> Iterator[None]:
    """Audit lines written while handling a request carry its id."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def audit(
    action: str,
    *,
    actor: str,
    resource: str,
    outcome: str,
    reason: str | None = None,
    request_id: str | None = None,
) -> None:
    record = {
        "audit": True,
        "action": action,
        "actor": actor,
        "resource": resource,
        "outcome": outcome,
        "reason": reason,
        "request_id": request_id or _request_id.get(),
    }
    _logger.info(json.dumps({key: value for key, value in record.items() if value is not None}))
