"""Querying the index on behalf of a request: understood, widened, re-ranked; an index that cannot answer is
`retrieval_unavailable`.

The index is asked for a wider pool than the caller wants, with the question's words and its intents'
and thesaurus's; when the section types the question is about are missing from the pool (the words
"What do you do?" share with a profile are few), each is asked for on its own, and lesser ones
while nothing is found (and the jobs, for a question about the first job or the one before another); the
pool is then re-ranked by what the question means, the owner's approved answers to it put first (the others
left out), and cut to `top_k`.
"""

from typing import Final

from twin.domain import faq
from twin.domain.chunks import ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.questions import Question
from twin.domain.ranking import asks_about_job_by_date, is_current, rerank
from twin.errors import BackendUnavailableError, RetrievalUnavailableError
from twin.ports import Telemetry, VectorIndex

DEFAULT_RETRY_AFTER_SECONDS = 5
POOL_SIZE: Final = 15
# Section types asked for on their own, at most; each is one more index round trip on a cloud index.
_MAX_SECTION_QUERIES: Final = 3
_PER_SECTION: Final = 3
# Section types this much preferred are asked for when missing, best first, until one gives passages.
_ROUTED_WEIGHT: Final = 0.5
# The embedded index files the ongoing job under these words too (adapters/lexical.py).
_NOW: Final = " current present now"


def retrieve(
    index: VectorIndex,
    telemetry: Telemetry,
    namespace: str,
    question: Question,
    *,
    top_k: int,
    section: SectionType | None = None,
) -> list[ScoredChunk]:
    try:
        with telemetry.timed("Retrieval"):
            pool = index.query(namespace, question.search_text, top_k=max(POOL_SIZE, top_k), section=section)
            if section is None:
                pool += _routed_sections(index, namespace, question, pool)
                if asks_about_job_by_date(question):  # the jobs, to find the first or the one before another
                    pool += index.query(
                        namespace,
                        f"{question.search_text} {SectionType.EXPERIENCE.value}",
                        top_k=POOL_SIZE,
                        section=SectionType.EXPERIENCE,
                    )
    except BackendUnavailableError as error:
        telemetry.count("RetrievalUnavailable")
        raise RetrievalUnavailableError(error.retry_after_seconds or DEFAULT_RETRY_AFTER_SECONDS) from error
    return faq.preferred(question, rerank(question, pool))[:top_k]


def _routed_sections(
    index: VectorIndex, namespace: str, question: Question, pool: list[ScoredChunk]
) -> list[ScoredChunk]:
    intent = question.intent
    if intent is None:
        return []
    present = {hit.chunk.type for hit in pool}
    ranked = sorted(intent.sections.items(), key=lambda item: -item[1])
    wanted = [kind for kind, weight in ranked if weight >= _ROUTED_WEIGHT and kind not in present]
    if question.current and not any(is_current(hit.chunk) for hit in pool) and SectionType.EXPERIENCE not in wanted:
        wanted.insert(0, SectionType.EXPERIENCE)
    found: list[ScoredChunk] = []
    for number, kind in enumerate(wanted):
        if number == _MAX_SECTION_QUERIES or (found and not intent.routes_to(kind)):
            break  # the section types the question is about, then lesser ones only while nothing is found
        # The section's own name is among the words the embedded index files each chunk of it under.
        text = f"{question.search_text} {intent.words} {kind.value}{_NOW if question.current else ''}"
        found += index.query(namespace, text, top_k=_PER_SECTION, section=kind)
    return found
