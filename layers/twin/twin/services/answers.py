"""Approved answers: the owner answers a question once, and the twin answers it so from then on.

Each is stored apart from the profile document and published as a `faq` section of a new profile version (see
`IngestService.republish`), so answers cached from the version before cannot be served any more.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from twin.domain import limits
from twin.domain.faq import ApprovedAnswer
from twin.errors import AnswerNotFoundError, ConcurrentIngestError, InvalidRequestError
from twin.ports import ApprovedAnswerStore
from twin.security.audit import audit
from twin.services import validation
from twin.services.ask import normalize
from twin.services.ingest import IngestService

ID_PREFIX: Final = "ans_"
# An ingest that publishes between the store's change and the republication may have read the store before it.
_PUBLISH_ATTEMPTS: Final = 3


@dataclass(frozen=True, slots=True)
class Published:
    answer: ApprovedAnswer
    version: int | None
    """The profile version that holds the change; None while no profile is ingested (its first version will)."""


class AnswerService:
    def __init__(
        self,
        *,
        answers: ApprovedAnswerStore,
        ingest: IngestService,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._answers = answers
        self._ingest = ingest
        self._clock = clock

    def add(self, question: str, answer: str, *, actor: str) -> Published:
        """An answer to a question already approved in the same words replaces it."""
        question, answer = validation.approved_question(question), validation.approved_answer(answer)
        existing = self._answers.list()
        replaced = [old for old in existing if normalize(old.question) == normalize(question)]
        if len(existing) - len(replaced) >= limits.MAX_APPROVED_ANSWERS:
            raise InvalidRequestError(
                f"there are already {limits.MAX_APPROVED_ANSWERS} approved answers: remove one first"
            )
        approved = ApprovedAnswer(
            id=f"{ID_PREFIX}{secrets.token_hex(6)}",
            question=question,
            answer=answer,
            created_at=self._clock().isoformat(timespec="seconds"),
        )
        self._answers.add(approved)
        for old in replaced:
            self._answers.remove(old.id)
        version = self._publish()
        audit("answer_approved", actor=actor, resource=approved.id, outcome=f"version {version}")
        return Published(approved, version)

    def list(self) -> list[ApprovedAnswer]:
        return self._answers.list()

    def remove(self, answer_id: str, *, actor: str) -> Published:
        approved = next((answer for answer in self._answers.list() if answer.id == answer_id), None)
        if approved is None or not self._answers.remove(answer_id):
            audit("answer_removed", actor=actor, resource=answer_id, outcome="not_found")
            raise AnswerNotFoundError
        version = self._publish()
        audit("answer_removed", actor=actor, resource=answer_id, outcome=f"version {version}")
        return Published(approved, version)

    def _publish(self) -> int | None:
        attempts = _PUBLISH_ATTEMPTS
        while True:
            try:
                report = self._ingest.republish()
            except ConcurrentIngestError:
                attempts -= 1
                if not attempts:
                    raise
                continue
            return report.version if report is not None else None
