"""The owner's view of the question log: what the last days' questions tell, and purging the log."""

import time
from collections.abc import Callable

from twin.domain import limits
from twin.domain.insights import Insights, summarize, window_start
from twin.errors import ProfileNotIngestedError
from twin.ports import QuestionLog
from twin.security.audit import audit
from twin.services import validation
from twin.services.profile import ProfileService


class QuestionsService:
    def __init__(
        self, *, questions: QuestionLog, profile: ProfileService, clock: Callable[[], float] = time.time
    ) -> None:
        self._questions = questions
        self._profile = profile
        self._clock = clock

    def insights(self, days: int | str | None = limits.DEFAULT_INSIGHT_DAYS) -> Insights:
        """Over the `days` UTC days that end today; sections compared with the profile served now (none yet: none)."""
        days = validation.insight_days(days)
        now = self._clock()
        entries = self._questions.since(window_start(now, days))
        try:
            sections = self._profile.overview().sections
        except ProfileNotIngestedError:
            sections = ()
        return summarize(entries, sections, now=now, days=days)

    def purge(self, *, before: float | None, actor: str) -> int:
        """Delete the questions asked before `before` (epoch seconds), or all of them: how many went."""
        deleted = self._questions.purge(before)
        audit("questions_purged", actor=actor, resource="question_log", outcome=f"{deleted} deleted")
        return deleted
