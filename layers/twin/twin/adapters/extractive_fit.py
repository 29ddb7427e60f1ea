"""The embedded `FitModel`: judges each requirement from the words its passages share with it (`twin.domain.fit`)."""

from collections.abc import Sequence

from twin.domain.fit import FitCase, FitReport, evaluate


class ExtractiveFitModel:
    def assess(self, persona: str, cases: Sequence[FitCase]) -> FitReport:
        return evaluate(cases)
