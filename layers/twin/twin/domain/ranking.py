"""Re-ranking what the index found by what the question means.

The index ranks by shared words (SQLite) or by embedding similarity (Upstash); neither knows that
"What is your current role?" wants the job whose dates run to now, that a skills list is not an answer
to "What did you build in Java?", or that a list of interview questions answers nothing. The final score
mixes the index's own (relative to its best hit), the section types the question's intents prefer, how
much of the question the passage covers, whether it holds a sentence that reads like the answer (one of
the intent's cues: a measured result for "your proudest achievement"), and the current job for questions
about now (or, for "What did you do before Harbourmark?" and "What was your previous job?", the job that ended
last before that one, or the current one, began; for "Where did you start your career?", the job that began first).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from twin.domain.chunks import ONGOING, Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.questions import Intent, Question
from twin.domain.text import sentences, stems


@dataclass(frozen=True, slots=True)
class Weights:
    index: float = 1.0
    section: float = 0.9
    coverage: float = 0.9
    current: float = 0.8
    named: float = 0.6
    questions_list: float = 0.8
    cued: float = 0.6


WEIGHTS: Final = Weights()
# "What did you do before Harbourmark?": the job that ended last before the named one began answers it.
_BEFORE: Final = re.compile(r"\b(?:before|prior to)\b", re.IGNORECASE)
# A passage with this many sentences that read like the answer gets the whole `cued` weight.
_MAX_CUED: Final = 2


def rerank(question: Question, hits: Sequence[ScoredChunk], weights: Weights = WEIGHTS) -> list[ScoredChunk]:
    """`hits` in the order that best answers `question`, each scored in [0, 1)."""
    unique = list({hit.chunk.id: hit for hit in hits}.values())
    if not unique:
        return []
    best = max(hit.score for hit in unique) or 1.0
    latest = _latest_job(unique) if question.current else None
    earlier, named = _job_by_date(question, unique) if asks_about_job_by_date(question) else (None, frozenset())
    ceiling = weights.index + weights.section + weights.coverage + weights.current + weights.named + weights.cued
    scored = []
    for hit in unique:
        chunk = hit.chunk
        score = weights.index * hit.score / best
        score += weights.section * question.section_weight(chunk.type)
        text = f"{chunk.title}\n{chunk.text}"
        # The job before the named one is what the question's words point to, though it shares none of them.
        score += weights.coverage * (1.0 if chunk.id == earlier else coverage(question, text))
        if question.names_something and earlier is None:  # what it asks about the time before is no subject
            score += weights.named * mentions_subject(question, text, named_only=True)
        if latest is not None and chunk.id == latest:
            score += weights.current
        elif earlier is not None and chunk.id == earlier:
            score += weights.current + weights.named  # the subject, in place of what the question names
        elif chunk.id in named:
            score -= weights.current  # the job the question asks about the time before
        elif question.current and chunk.end == ONGOING:
            score += weights.current / 2  # an achievement or project of the job that runs to now
        if question.intent and question.intent.cues:
            score += weights.cued * _cued_sentences(question.intent, text) / _MAX_CUED
            if _reads_contrary(question.intent, chunk):  # "What's your biggest achievement?" is no failure story
                score -= weights.cued
        if _is_question_list(chunk) and not (question.intent and question.intent.asks_for_questions):
            score -= weights.questions_list
        scored.append(ScoredChunk(chunk, max(score, 0.0) / (ceiling + 0.01)))
    return sorted(scored, key=lambda hit: -hit.score)


def _cued_sentences(intent: Intent, text: str) -> int:
    """How many sentences of `text` read like an answer to `intent`, up to `_MAX_CUED` (one, for a question the
    summary answers first: a story with two results must not push the summary down)."""
    most = 1 if intent.leads_with_summary else _MAX_CUED
    return min(most, sum(any(cue.search(sentence) for cue in intent.cues) for sentence in sentences(text)))


def _reads_contrary(intent: Intent, chunk: Chunk) -> bool:
    """Whether `chunk` is titled like, or tells as much as anything else, the answer to an intent that is no
    answer to `intent` (a failure story, its result measured, for "your biggest achievement")."""
    if not intent.contrary:
        return False
    if intent.reads_contrary(chunk.title):
        return True
    found = sentences(chunk.text)
    contrary = sum(intent.reads_contrary(sentence) for sentence in found)
    return contrary > 0 and contrary >= sum(any(cue.search(sentence) for cue in intent.cues) for sentence in found)


def coverage(question: Question, text: str) -> float:
    """The share of the question's weighted words that `text` mentions (thesaurus words count in part)."""
    total = sum(weight for weight in question.weights.values() if weight > 0.5)
    if not total:
        return 0.0
    found = stems(text)
    matched = expanded = 0.0
    for stem, weight in question.weights.items():
        if stem in found:
            if weight > 0.5:
                matched += weight
            else:
                expanded += weight
    if question.phrases:
        lowered = text.lower()
        expanded += sum(weight for phrase, weight in question.phrases.items() if phrase in lowered)
    return min(1.0, (matched + min(expanded, total / 4)) / total)


def mentions_subject(question: Question, text: str, *, named_only: bool = False) -> float:
    """The share of the question's subject words (or only of the things it names) that `text` mentions,
    directly or through the thesaurus; 1 when there are none."""
    subject = {stem: related for stem, related in question.subject.items() if not named_only or stem in question.named}
    phrases = question.named_phrases
    if not subject and not phrases:
        return 1.0
    found = stems(text)
    lowered = text.lower()
    mentioned = sum(
        (_spelled(question.cased[stem], text) if stem in question.cased else stem in found)
        or _mentions_any(related, found, lowered)
        for stem, related in subject.items()
    )
    mentioned += sum(phrase in lowered for phrase in phrases)
    return mentioned / (len(subject) + len(phrases))


def mentions_qualifiers(question: Question, text: str) -> bool:
    """Whether `text` mentions every word that qualifies what the question asks for ("teaching" in "a teaching
    qualification"), directly or through the thesaurus."""
    found = stems(text)
    lowered = text.lower()
    return all(stem in found or _mentions_any(question.subject[stem], found, lowered) for stem in question.qualifiers)


def _mentions_any(related: tuple[str, ...], found: frozenset[str], lowered: str) -> bool:
    """Whether a text (its stems `found`, and itself `lowered`) mentions one of the thesaurus's `related` words."""
    # A related phrase or compound ("start-up", "c-suite") is found as written, not by any one of its words.
    return any(not found.isdisjoint(stems(entry)) if entry.isalnum() else entry in lowered for entry in related)


def names_all(question: Question, chunk: Chunk) -> bool:
    """Whether `chunk` (its title or text) mentions everything `question` names."""
    return mentions_subject(question, f"{chunk.title}\n{chunk.text}", named_only=True) == 1


def _spelled(name: str, text: str) -> bool:
    """Whether `text` has `name` as a word spelled exactly so ("Go" in "Go and Python", not in "go down")."""
    return _spelling(name).search(text) is not None


@lru_cache(maxsize=256)
def _spelling(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.+#&-]){re.escape(name)}(?![\w+#&])")


def is_current(chunk: Chunk) -> bool:
    return chunk.type is SectionType.EXPERIENCE and chunk.end == ONGOING


def _latest_job(hits: Sequence[ScoredChunk]) -> str | None:
    """The id of the ongoing job among `hits`, or else of the job that ended last."""
    jobs = [hit.chunk for hit in hits if hit.chunk.type is SectionType.EXPERIENCE]
    if not jobs:
        return None
    ongoing = [job for job in jobs if job.end == ONGOING]
    if ongoing:  # the latest start; of a job split in parts, its first part (max keeps the first it meets)
        return max(sorted(ongoing, key=lambda job: job.path), key=lambda job: job.start or "").id
    dated = [job for job in jobs if job.end]
    return max(dated, key=lambda job: job.end or "").id if dated else None


def asks_before_named(question: Question) -> bool:
    """Whether `question` asks about the time before something it names ("before Harbourmark")."""
    return question.names_something and _BEFORE.search(question.text) is not None


def asks_about_job_by_date(question: Question) -> bool:
    """Whether a job answers `question` for when it was: the first one, or the one before another (one the
    question names, or the current one)."""
    return question.previous or question.first or asks_before_named(question)


def _job_by_date(question: Question, hits: Sequence[ScoredChunk]) -> tuple[str | None, frozenset[str]]:
    """The id of the job among `hits` that began first, for a question about the first job; else of the one that
    ended last before the job the question names (or the current one) began, and the ids of that later job's
    passages."""
    jobs = [hit.chunk for hit in hits if hit.chunk.type is SectionType.EXPERIENCE and hit.chunk.start]
    if question.first:
        if not jobs:
            return None, frozenset()
        # Of a job split in parts, its first part (min keeps the first it meets).
        return min(sorted(jobs, key=lambda job: job.path), key=lambda job: job.start or "").id, frozenset()
    if question.previous:
        ongoing = [job for job in jobs if job.end == ONGOING]
        named = [job for job in ongoing if job.start == max(other.start or "" for other in ongoing)]
    else:
        named = [job for job in jobs if names_all(question, job)]
    if not named:
        return None, frozenset()
    began = min(job.start or "" for job in named)
    earlier = [job for job in jobs if job.end and job.end != ONGOING and job.end <= began and job not in named]
    latest = max(earlier, key=lambda job: job.end or "").id if earlier else None
    return latest, frozenset(job.id for job in named) if latest else frozenset()


def _is_question_list(chunk: Chunk) -> bool:
    """A passage that is mostly questions (an interview-preparation list) states no fact about the person."""
    return _is_list_of_questions(chunk.title, chunk.text)


@lru_cache(maxsize=4096)  # passages come back request after request
def _is_list_of_questions(title: str, text: str) -> bool:
    found = sentences(text)
    asked = sum(sentence.rstrip().endswith("?") for sentence in found)
    return (asked >= 2 and asked * 2 >= len(found)) or ("questions" in title.lower() and asked >= 1)
