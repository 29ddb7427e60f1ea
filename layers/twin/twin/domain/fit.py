"""Role fit: how strongly the profile shows each requirement of a job description, quoting it as its evidence.

A requirement asks for parts (`twin.domain.fit_parts`). Each sentence of the passages the retrieval found for it
says some of each part; the two that together say most (one stating the years asked for before one that does not)
are the evidence, quoted as the profile has them:
- `strong`: they say at least two thirds of the requirement, every thing it names (a technology, a degree; one of
  each set of alternatives) in its own words, and at least the years it asks for;
- `partial`: they say a third of it, or name only some of what it names;
- `none`: less, or none of the things it names (its other words are then no evidence), and no evidence is
  quoted: no evidence is never a match.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Final

from twin.domain.chunks import ScoredChunk
from twin.domain.fit_parts import parts, said, years, years_of
from twin.domain.requirements import Importance, Requirement
from twin.domain.text import sentences

MODEL_NAME: Final = "extractive"
STRONG: Final = 2 / 3
PARTIAL: Final = 1 / 3
MAX_EVIDENCE: Final = 2
MAX_QUOTE_CHARS: Final = 400
_SUMMARY_LISTED: Final = 3


class Strength(StrEnum):
    STRONG = "strong"
    PARTIAL = "partial"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Evidence:
    quote: str
    """Verbatim profile text."""
    source_id: str
    title: str


@dataclass(frozen=True, slots=True)
class RequirementFit:
    requirement: Requirement
    strength: Strength
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class _Candidate:
    source_id: str
    title: str
    quote: str
    says: tuple[float, ...]
    """How much it says of each part of the requirement."""


@dataclass(frozen=True, slots=True)
class FitCase:
    """One requirement and the passages the retrieval found for it, best first: what a judge decides from."""

    requirement: Requirement
    passages: tuple[ScoredChunk, ...]


@dataclass(frozen=True, slots=True)
class FitReport:
    requirements: tuple[RequirementFit, ...]
    summary: str
    model: str = MODEL_NAME
    fallback: bool = False
    """The configured model failed (or wrote something unusable) and the extractive judge stood in."""


def encode_report(report: FitReport) -> str:
    """As the cache keeps it."""
    return json.dumps(asdict(report), ensure_ascii=False)


def decode_report(value: str) -> FitReport:
    data = json.loads(value)
    requirements = tuple(
        RequirementFit(
            requirement=Requirement(fit["requirement"]["text"], Importance(fit["requirement"]["importance"])),
            strength=Strength(fit["strength"]),
            evidence=tuple(Evidence(**evidence) for evidence in fit["evidence"]),
        )
        for fit in data["requirements"]
    )
    return FitReport(**{**data, "requirements": requirements})


def evaluate(cases: Sequence[FitCase]) -> FitReport:
    """The extractive judgement of every requirement, and its summary."""
    fits = tuple(judge(case) for case in cases)
    return FitReport(requirements=fits, summary=summarise(fits))


def judge(case: FitCase) -> RequirementFit:
    requirement = case.requirement
    asked = parts(requirement.text)
    if not asked:
        return RequirementFit(requirement, Strength.NONE, ())
    asked_years = years(requirement.text)
    candidates = [
        _Candidate(hit.chunk.id, hit.chunk.title, quote, tuple(said(part, quote, hit.chunk.title) for part in asked))
        for hit in case.passages
        for quote in quotable_sentences(hit.chunk.text)
    ]
    # The sentences that say most first; of two that say as much, one stating the years asked for.
    candidates.sort(
        key=lambda c: sum(c.says) + (asked_years > 0 and years_of(asked, c.quote) >= asked_years), reverse=True
    )
    chosen: list[_Candidate] = []
    covered = [0.0] * len(asked)
    for candidate in candidates:
        if len(chosen) == MAX_EVIDENCE:
            break
        if any(says > before for says, before in zip(candidate.says, covered, strict=True)):
            chosen.append(candidate)
            covered = [max(pair) for pair in zip(candidate.says, covered, strict=True)]
    named = [said_of for part, said_of in zip(asked, covered, strict=True) if part.named]
    if named and 1.0 not in named:  # what it names is what it asks for: its other words are no evidence
        return RequirementFit(requirement, Strength.NONE, ())
    strength = _strength(
        sum(covered) / len(asked),
        names_all=all(said_of == 1.0 for said_of in named),
        years_met=not asked_years or max((years_of(asked, c.quote) for c in chosen), default=0.0) >= asked_years,
    )
    if strength is Strength.NONE:
        return RequirementFit(requirement, Strength.NONE, ())
    return RequirementFit(requirement, strength, tuple(Evidence(c.quote, c.source_id, c.title) for c in chosen))


def summarise(fits: Sequence[RequirementFit]) -> str:
    """In the first person, as the twin speaks: how many requirements it meets and how well, the gaps named."""
    if not fits:
        return "I found no requirements in that text to compare my profile with."
    counts = {strength: sum(fit.strength is strength for fit in fits) for strength in Strength}
    text = (
        f"My profile shows strong evidence for {counts[Strength.STRONG]} of the {len(fits)} requirements, "
        f"partial evidence for {counts[Strength.PARTIAL]} and none for {counts[Strength.NONE]}."
    )
    gaps = [fit.requirement for fit in fits if fit.strength is Strength.NONE]
    required = [gap for gap in gaps if gap.importance is Importance.REQUIRED] or gaps
    if required:
        named = "; ".join(_short(gap.text) for gap in required[:_SUMMARY_LISTED])
        more = f" and {len(required) - _SUMMARY_LISTED} more" if len(required) > _SUMMARY_LISTED else ""
        kind = "required" if required[0].importance is Importance.REQUIRED else "preferred"
        text += f" Nothing in it shows these {kind} ones: {named}{more}."
    return text


def quotable_sentences(text: str) -> list[str]:
    """The sentences of a passage exactly as it has them, so that a quote is the profile's own text."""
    flat = " ".join(text.split())
    quotes = []
    for sentence in sentences(text):
        for candidate in (sentence, sentence.split(": ", 1)[-1]):  # a lead-in line joined on reads differently
            quote = " ".join(candidate.split())
            if quote in flat and len(quote.split()) > 1:
                quotes.append(quote if len(quote) <= MAX_QUOTE_CHARS else _short(quote, MAX_QUOTE_CHARS))
                break
    return quotes


def _strength(share: float, *, names_all: bool, years_met: bool) -> Strength:
    if share >= STRONG and names_all and years_met:
        return Strength.STRONG
    return Strength.PARTIAL if share >= PARTIAL or not names_all else Strength.NONE


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split()).rstrip(".")
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit - 1)
    return flat[: cut if cut > 0 else limit - 1] + "…"
