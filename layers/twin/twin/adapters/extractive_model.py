"""The embedded `ChatModel`: answers with the profile's own sentences, so it needs no model at all.

Every sentence of the best passages is a candidate (a Markdown bullet counts as one), scored by how
much of the question it covers, whether it reads like an answer to what is asked (the intent's cues),
whether it names the question's subject, and how well its passage ranks. The best ones, up to about 90
words (150 when the question asks for a list: every short passage of the kind asked about, then one
sentence from each passage), are put back in profile order, each run marked with the number of the
source it came from. When the best passage is the thing asked about (the job the question names, the
current job, an achievement's story), it answers alone. When the passages do not hold what the question
asks about, it says so instead (`answered=False`): see `_has_evidence`. An answer the owner approved for the
question (retrieval puts it first when it matches) is quoted whole, as the owner wrote it.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from twin.domain.answers import Reply
from twin.domain.chunks import ONGOING, ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.prompt import ABSTENTION, Prompt
from twin.domain.questions import Evidence, Intent, Question, understand
from twin.domain.ranking import (
    asks_about_job_by_date,
    asks_before_named,
    coverage,
    is_current,
    mentions_qualifiers,
    mentions_subject,
    names_all,
)
from twin.domain.text import sentences, stem, stems, terms, word_count

MODEL_NAME: Final = "extractive"
WORD_BUDGET: Final = 90
LIST_WORD_BUDGET: Final = 150
MAX_PASSAGES: Final = 5


@dataclass(frozen=True, slots=True)
class Tuning:
    """The weights of a sentence's score and the cut-offs, tuned on the bench's tuning split."""

    coverage: float = 1.0
    cue: float = 0.6
    subject: float = 0.8
    passage: float = 0.9
    opening: float = 0.1
    keep_ratio: float = 0.7
    list_keep_ratio: float = 0.4
    passage_floor: float = 0.5
    list_passage_floor: float = 0.35
    redundancy: float = 0.6
    subject_evidence: float = 0.5
    word_evidence: float = 0.34


TUNING: Final = Tuning()

# Passages whose opening sentence says where a fact comes from ("At Acme, as Lead Engineer.").
_CONTEXTUAL: Final = frozenset(
    {SectionType.EXPERIENCE, SectionType.ACHIEVEMENT, SectionType.PROJECT, SectionType.EDUCATION}
)
_ACTION_SECTIONS: Final = _CONTEXTUAL | {SectionType.VOLUNTEER, SectionType.OTHER}
_MAX_CONTEXT_WORDS: Final = 30
_MAX_CONTEXT_ONLY_WORDS: Final = 10
_TITLE_MATCH: Final = 0.5
_MAX_LIST_ITEM_WORDS: Final = 40
_WHOLE: Final = frozenset({SectionType.ACHIEVEMENT, SectionType.PROJECT})
# Evidence for an intent counts only in the best passages, not in whatever else shares a word.
_EVIDENCE_PASSAGES: Final = 3
_PAST_VERB: Final = re.compile(
    r"^(?:(?!(?:Un|Non|Self|Well)|(?:Advanced|Experienced|Certified|Skilled|Dedicated|Detailed|Motivated|Based|Seasoned|Talented|"
    r"Speciali[sz]ed|Interested|Need|Seed|Red|Bed|United|Limited|Related|Selected|Featured|Used)\b)[A-Z][a-z]+ed|"
    r"Built|Led|Ran|Wrote|Taught|Made|Grew|Won|Drove|Set|Took|Brought|Cut|Spoke|Gave|Held|Kept|Sold|Began|Became|"
    r"Rebuilt|Oversaw|Shipped|Co-founded|Co-led|Co-authored)\b"
)
_ENDS_SENTENCE: Final = re.compile(r"[.!?…:;)\]”\"']$")
# A sentence that opens like this says little without the one before it.
_REFERS_BACK: Final = re.compile(
    r"^(?:It|This|That|These|Those|They|He|She|Instead|So|Then|But|Which|As a result|I disagreed|We disagreed)\b"
)
_ANTECEDENT_SLACK: Final = 1.2
# "How did you lift the pass rate?" asks for what was done, which a story tells after the problem it matched.
_ASKS_HOW: Final = re.compile(r"^how (did|do|have|would|could|were) (you|your team|we)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Candidate:
    passage: int
    position: int
    text: str
    score: float
    on_topic: bool
    """It shares a word with the question, reads like an answer to it, or is from a section it asks about."""


class ExtractiveModel:
    def __init__(self, tuning: Tuning = TUNING) -> None:
        self._tuning = tuning

    def answer(self, prompt: Prompt) -> Reply:
        if prompt.passages and prompt.passages[0].chunk.type is SectionType.FAQ:
            return Reply(text=f"{prompt.passages[0].chunk.text.strip()} [1]", model=MODEL_NAME)
        question = understand(prompt.question, prompt.history[-1].question if prompt.history else None)
        # A list, or the evidence after a summary ("Why should we hire you?"), is gathered from further down.
        gathers = question.wants_list or (
            question.intent is not None and question.intent.leads_with_summary and bool(question.intent.cues)
        )
        floor = self._tuning.list_passage_floor if gathers else self._tuning.passage_floor
        passages = _quotable(prompt.passages, floor)
        if question.intent is not None and question.intent.latest_first:  # "Walk me through your career"
            passages.sort(key=lambda hit: hit.chunk.start or "", reverse=True)
        candidates = _candidates(question, passages, self._tuning)
        if not candidates or not _has_evidence(question, prompt.passages, passages, candidates, self._tuning):
            return Reply(text=ABSTENTION, model=MODEL_NAME, answered=False)
        chosen = _select(question, passages, candidates, self._tuning)
        return Reply(text=_render(chosen), model=MODEL_NAME)


def _quotable(passages: tuple[ScoredChunk, ...], floor: float) -> list[ScoredChunk]:
    if not passages:
        return []
    best = passages[0].score or 1.0
    return [hit for hit in passages[:MAX_PASSAGES] if hit.score >= best * floor]


def _candidates(question: Question, passages: list[ScoredChunk], tuning: Tuning) -> list[_Candidate]:
    best = passages[0].score if passages else 1.0
    asks_for_questions = question.intent is not None and question.intent.asks_for_questions
    # "What did you do before Harbourmark?", "Where did you start?": the job ranked first is the answer, though it
    # never names Harbourmark nor says it was the start.
    by_date = asks_about_job_by_date(question)
    found = []
    for rank, hit in enumerate(passages):
        prior = hit.score / best if best else 0.0
        for position, sentence in enumerate(sentences(hit.chunk.text)):
            if (sentence.endswith("?") and not asks_for_questions) or word_count(sentence) < 2:
                continue  # an interview question the profile lists states nothing about the person
            # A sentence is read with its passage's title: under "Engineer at Acme" every sentence is about Acme.
            in_context = f"{hit.chunk.title}\n{sentence}"
            covered, cued = coverage(question, in_context), question.cue_strength(sentence)
            named = mentions_subject(question, in_context) if question.subject else 0.0
            if by_date:
                covered = named = float(rank == 0)
            score = tuning.coverage * covered + tuning.cue * cued + tuning.subject * named
            score += tuning.passage * prior + (tuning.opening if position == 0 else 0.0)
            routed = question.intent is not None and question.intent.routes_to(hit.chunk.type)
            on_topic = bool(question.topic & stems(in_context)) or bool(cued or named or routed)
            found.append(_Candidate(rank, position, _readable(sentence, hit.chunk.type), score, on_topic))
    return found


def _has_evidence(
    question: Question,
    retrieved: Sequence[ScoredChunk],
    passages: list[ScoredChunk],
    candidates: list[_Candidate],
    tuning: Tuning,
) -> bool:
    """Whether the passages hold what the question asks about, rather than merely sharing words with it."""
    if question.previous:  # "before your current role": ranked first, the job that ended last before it began
        return passages[0].chunk.type is SectionType.EXPERIENCE and passages[0].chunk.end not in (None, ONGOING)
    if question.first:  # "Where did you start your career?": ranked first, the job that began first
        return passages[0].chunk.type is SectionType.EXPERIENCE
    if asks_before_named(question):  # "before Harbourmark": a job that never names it, beside one that does
        return (
            passages[0].chunk.type is SectionType.EXPERIENCE
            and not names_all(question, passages[0].chunk)
            and any(names_all(question, hit.chunk) for hit in retrieved)
        )
    quoted = "\n".join(f"{hit.chunk.title}\n{hit.chunk.text}" for hit in passages)
    intent = question.intent
    named = mentions_subject(question, quoted, named_only=True) if question.needs_named_things else 1.0
    # Without an intent, one of the question's subject words must be there: asking for most of them refused
    # answerable questions phrased unlike the profile (measured on the bench).
    if named < tuning.subject_evidence or (intent is None and not mentions_subject(question, quoted)):
        return False
    if (
        question.qualifiers
        and intent is not None
        and not question.qualifiers <= stems(quoted)
        and not any(
            mentions_qualifiers(question, f"{hit.chunk.title}\n{hit.chunk.text}")
            for rank, hit in enumerate(passages)
            if rank == 0 or intent.routes_to(hit.chunk.type)
        )
    ):
        return False  # "Do you have a teaching qualification?" is not answered by a degree in biology
    if intent is None:
        return bool(question.subject) or max(coverage(question, c.text) for c in candidates) >= tuning.word_evidence
    if _found_for(intent, passages, candidates):
        return True
    # "Where are you based, and would you relocate?": a second specific intent that is answered will do.
    return any(
        other.requires is not Evidence.NONE and _found_for(other, passages, candidates)
        for other in question.intents[1:]
    )


def _found_for(intent: Intent, passages: list[ScoredChunk], candidates: list[_Candidate]) -> bool:
    """Whether the best passages hold what `intent` needs before it is answered (nothing, for most)."""
    if intent.requires is Evidence.NONE:
        return True
    best = [
        *(hit.chunk.title for hit in passages[:_EVIDENCE_PASSAGES]),
        *(c.text for c in candidates if c.passage < _EVIDENCE_PASSAGES),
    ]
    cued = any(cue.search(text) for cue in intent.cues for text in best)
    if intent.requires is Evidence.CUE:
        return cued
    return cued or any(intent.routes_to(hit.chunk.type) for hit in passages[:_EVIDENCE_PASSAGES])


def _select(
    question: Question, passages: list[ScoredChunk], candidates: list[_Candidate], tuning: Tuning
) -> list[_Candidate]:
    ranked = sorted(candidates, key=lambda c: -c.score)
    wants_list = question.wants_list
    budget = LIST_WORD_BUDGET if wants_list else WORD_BUDGET
    floor = ranked[0].score * (tuning.list_keep_ratio if wants_list else tuning.keep_ratio)
    whole, alone = _whole_passage(question, passages, candidates, budget)
    if alone and not wants_list:
        return _with_context(whole, candidates, passages, budget)
    chosen = _list_items(question, passages, candidates, budget) or whole
    used = sum(word_count(c.text) for c in chosen)
    if whole and question.intent is not None and question.intent.cues:
        # The summary opened ("Why should we hire you?"): what follows is the evidence, wherever it ranks.
        ranked = [c for c in ranked if c.passage > 0 and question.cue_strength(c.text)] or ranked
        floor = 0.0
    for candidate in ranked:
        if chosen and (candidate.score < floor or used + word_count(candidate.text) > budget):
            continue
        if (
            candidate in chosen
            or (chosen and not candidate.on_topic)
            or _is_context(candidate, passages)
            or any(_redundant(candidate.text, c.text, tuning.redundancy) for c in chosen)
        ):
            continue
        chosen.append(candidate)
        used += word_count(candidate.text)
    if _ASKS_HOW.match(question.text) or (question.intent is not None and question.intent.tells_story):
        chosen = _with_sequels(chosen, candidates, passages, budget)
    return _with_context(_with_antecedents(chosen, candidates, budget), candidates, passages, budget)


def _with_sequels(
    chosen: list[_Candidate], candidates: list[_Candidate], passages: list[ScoredChunk], budget: int
) -> list[_Candidate]:
    """The sentence after each chosen one of a story or job, so that what was done follows the problem."""
    return _with_neighbours(
        chosen, candidates, budget, 1, lambda _, after: passages[after.passage].chunk.type in _CONTEXTUAL
    )


def _with_antecedents(chosen: list[_Candidate], candidates: list[_Candidate], budget: int) -> list[_Candidate]:
    """The sentence before each chosen one that opens by referring back to it ("It showed…", "Instead, …"), so
    no sentence is quoted without what it refers to."""
    return _with_neighbours(
        chosen, candidates, budget, -1, lambda candidate, _: bool(_REFERS_BACK.match(candidate.text))
    )


def _with_neighbours(
    chosen: list[_Candidate],
    candidates: list[_Candidate],
    budget: int,
    step: int,
    wanted: Callable[[_Candidate, _Candidate], bool],
) -> list[_Candidate]:
    """`chosen`, and the sentence `step` places from each in its passage when `wanted(chosen one, it)`, while the
    answer stays within a little more than `budget`."""
    by_place = {(c.passage, c.position): c for c in candidates}
    used = sum(word_count(c.text) for c in chosen)
    extra: list[_Candidate] = []
    for candidate in chosen:
        neighbour = by_place.get((candidate.passage, candidate.position + step))
        if neighbour is None or neighbour in chosen or neighbour in extra or not wanted(candidate, neighbour):
            continue
        if used + word_count(neighbour.text) <= budget * _ANTECEDENT_SLACK:
            extra.append(neighbour)
            used += word_count(neighbour.text)
    return [*chosen, *extra]


def _with_context(
    chosen: list[_Candidate], candidates: list[_Candidate], passages: list[ScoredChunk], budget: int
) -> list[_Candidate]:
    """Each quoted passage's opening sentence too, when it says where the quoted facts come from; and the job's
    title before it, when the passage of a job never names the job ("Since May 2020, …")."""
    used = sum(word_count(c.text) for c in chosen)
    openings = {c.passage: c for c in candidates if c.position == 0}
    extra: list[_Candidate] = []
    for passage in sorted({c.passage for c in chosen}):
        chunk = passages[passage].chunk
        if chunk.type not in _CONTEXTUAL:
            continue
        heads = [openings[passage]] if passage in openings else []
        title = chunk.section_title
        if chunk.type is SectionType.EXPERIENCE and not _says_title(chunk.text, title):
            heads.insert(0, _Candidate(passage, -1, _readable(title, chunk.type), 0.0, True))
        for head in heads:
            if head in chosen or any(head.text == other.text for other in (*chosen, *extra)):
                continue
            words = word_count(head.text)
            if words <= _MAX_CONTEXT_WORDS and used + words <= budget * 1.3:
                extra.append(head)
                used += words
    return sorted([*chosen, *extra], key=lambda c: (c.passage, c.position))


def _says_title(text: str, title: str) -> bool:
    """Whether a passage says its title itself, or the opening clause a title ending in "…" was cut from."""
    return title.removesuffix("…").strip().casefold() in text.casefold()


def _list_items(
    question: Question, passages: list[ScoredChunk], candidates: list[_Candidate], budget: int
) -> list[_Candidate]:
    """For a list question, every passage of a section type it asks about, in rank order: a short one whole
    ("What certifications do you hold?" over one passage per certificate), a long one by its best sentence."""
    intent = question.intent
    if intent is None or not intent.wants_list:
        return []
    taken: list[_Candidate] = []
    used = 0
    for rank, hit in enumerate(passages):
        if not intent.routes_to(hit.chunk.type):
            continue
        item = [c for c in candidates if c.passage == rank]
        if word_count(hit.chunk.text) > _MAX_LIST_ITEM_WORDS:
            item = sorted(item, key=lambda c: -c.score)[:1]
        words = sum(word_count(c.text) for c in item)
        if used + words <= budget:
            taken += item
            used += words
    return taken


def _whole_passage(
    question: Question, passages: list[ScoredChunk], candidates: list[_Candidate], budget: int
) -> tuple[list[_Candidate], bool]:
    """The best passage's best sentences (all of them when it fits) when that passage is what the question
    asks about as a whole, and whether it answers alone: the job or project the question names ("What did
    you do at Acme?"), an achievement's whole story, the current job for "what do you do?" (alone); the
    summary for "tell me about yourself" (with more)."""
    best = passages[0].chunk
    intent = question.intent
    alone = (
        (
            question.names_something
            and (intent is None or not intent.cues)  # else the sentence that reads like the answer decides
            and mentions_subject(question, best.title, named_only=True) >= _TITLE_MATCH
        )
        or (best.type in _WHOLE and mentions_subject(question, best.text, named_only=True) >= _TITLE_MATCH)
        or (question.current and is_current(best))
        or (intent is not None and intent.asks_for_questions)
    )
    leads = intent is not None and intent.leads_with_summary and best.type is SectionType.SUMMARY
    if not (alone or leads):
        return [], False
    if leads and not alone and intent is not None and intent.cues:
        budget //= 2  # the summary opens; the rest is left for the evidence the intent's cues look for
    taken: list[_Candidate] = []
    used = 0
    for candidate in sorted((c for c in candidates if c.passage == 0), key=lambda c: -c.score):
        if used + word_count(candidate.text) <= budget or not taken:
            taken.append(candidate)
            used += word_count(candidate.text)
    return taken, alone


def _is_context(candidate: _Candidate, passages: list[ScoredChunk]) -> bool:
    """A passage's short opening ("At Acme, as Lead Engineer.") only says where the facts after it come from."""
    return (
        candidate.position == 0
        and passages[candidate.passage].chunk.type in _CONTEXTUAL
        and word_count(candidate.text) <= _MAX_CONTEXT_ONLY_WORDS
        and len(sentences(passages[candidate.passage].chunk.text)) > 1
    )


def _redundant(text: str, other: str, threshold: float) -> bool:
    mine, theirs = {stem(word) for word in terms(text)}, {stem(word) for word in terms(other)}
    return len(mine & theirs) / max(1, min(len(mine), len(theirs))) > threshold


def _readable(sentence: str, section: SectionType) -> str:
    """A bullet's verb-first fragment ("Built an API") as a first-person sentence, ending in a full stop."""
    if section in _ACTION_SECTIONS and _PAST_VERB.match(sentence):
        sentence = f"I {sentence[0].lower()}{sentence[1:]}"
    return sentence if _ENDS_SENTENCE.search(sentence) else f"{sentence}."


def _render(chosen: list[_Candidate]) -> str:
    """The sentences in order; each run from one passage ends with its number, which is its place among the
    answer's sources (the quoted passages are the best-ranked ones, so their order is the prompt's)."""
    parts: list[str] = []
    for index, candidate in enumerate(chosen):
        parts.append(candidate.text)
        following = chosen[index + 1] if index + 1 < len(chosen) else None
        if following is None or following.passage != candidate.passage:
            parts.append(f"[{candidate.passage + 1}]")
    return " ".join(parts)
