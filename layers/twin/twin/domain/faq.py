"""Approved answers: the owner's own answer to a question, kept apart from the profile document and published as a
`faq` section of every profile version, and when a question asks what one answers.

A question matches an approved one when both mean the same (the same intents, the same topic words, the thesaurus
bridging the two) and neither names a thing the other does not ("Would you move to Berlin?" is not "Would you move
to London?"). The likeness is a weighted Dice coefficient over what each question is about: its intents, then the
stems of its topic words that are not its intents' own vocabulary.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from twin.domain.chunks import ScoredChunk
from twin.domain.profile import Section, SectionType
from twin.domain.questions import Question, understand
from twin.domain.text import stem, stems

PATH_PREFIX: Final = "faq/"
MATCH_THRESHOLD: Final = 0.6
"""How alike two questions must be, in [0, 1], for the approved answer to one to answer the other."""
_INTENT: Final = 2.0
_SECONDARY_INTENT: Final = 1.0
_THESAURUS_MATCH: Final = 0.75
_TOP_SCORE: Final = 0.999
"""Scores stay below 1 (a relevance in [0, 1))."""


@dataclass(frozen=True, slots=True)
class ApprovedAnswer:
    id: str
    question: str
    answer: str
    created_at: str


def faq_section(approved: ApprovedAnswer) -> Section:
    """The profile section an approved answer becomes: titled with its question, its text the owner's answer."""
    return Section(
        path=f"{PATH_PREFIX}{approved.id}", type=SectionType.FAQ, title=approved.question, text=approved.answer
    )


def preferred(question: Question, ranked: Sequence[ScoredChunk]) -> list[ScoredChunk]:
    """`ranked` with the approved answers that answer `question` first, the likest first, and the others left out:
    an approved answer answers its own question, not whatever shares a word with it."""
    approved = [hit for hit in ranked if hit.chunk.type is SectionType.FAQ]
    if not approved:
        return list(ranked)
    rest = [hit for hit in ranked if hit.chunk.type is not SectionType.FAQ]
    alike = [(likeness(question, understand(hit.chunk.title)), hit) for hit in approved]
    matching = sorted(((score, hit) for score, hit in alike if score >= MATCH_THRESHOLD), key=lambda pair: -pair[0])
    floor = rest[0].score if rest else 0.0
    return [ScoredChunk(hit.chunk, max(floor, score * _TOP_SCORE)) for score, hit in matching] + rest


def likeness(asked: Question, approved: Question) -> float:
    """How alike two questions are, in [0, 1]: 0 when one names a thing the other never mentions."""
    if not (_mentions_named(asked, approved.text) and _mentions_named(approved, asked.text)):
        return 0.0
    # An intent counts only when both questions have one: "Can you drive?" matches none, yet asks what "Do you have
    # a driving licence?" does (certifications).
    with_intents = bool(asked.intents and approved.intents)
    # What they name is not counted again: both must name the same things to match at all.
    named = _named_stems(asked) | _named_stems(approved)
    mine, theirs = _about(asked, with_intents, named), _about(approved, with_intents, named)
    total = sum(mine.values()) + sum(theirs.values())
    if not total:  # both ask only about the things they name, and they name the same: "Have you used Kafka?"
        return 1.0 if asked.names_something else 0.0
    shared = sum(min(weight, theirs[key]) for key, weight in mine.items() if key in theirs)
    # A topic word of one that the other says in other words (the thesaurus's) counts in part.
    shared += sum(
        _THESAURUS_MATCH * min(weight, _bridged(key, asked.subject, theirs))
        for key, weight in mine.items()
        if key not in theirs
    )
    return min(1.0, 2 * shared / total)


def _mentions_named(question: Question, text: str) -> bool:
    """Whether `text` mentions every thing `question` names, or its thesaurus's word for it ("k8s", "Kubernetes");
    a name of several words by any of its words."""
    found = stems(text)
    names = [
        {named, *(word for entry in question.subject.get(named, ()) for word in stems(entry))}
        for named in question.named
    ]
    names += [set(stems(name)) for name in question.named_phrases]
    return all(not found.isdisjoint(name) for name in names)


def _about(question: Question, with_intents: bool, named: set[str]) -> dict[str, float]:
    """What a question is about, weighted: its intents (the main one counts most) and its topic stems but those
    its intents' words stand for; or, `with_intents` false, its topic stems alone."""
    about: dict[str, float] = {}
    vocabulary: set[str] = set()
    for rank, intent in enumerate(question.intents[:2] if with_intents else ()):
        about[f"@{intent.name}"] = _INTENT if rank == 0 else _SECONDARY_INTENT
        vocabulary |= {stem(word) for word in intent.words.split()}
    for topic in question.topic - vocabulary - named:
        about[topic] = 1.0
    return about


def _named_stems(question: Question) -> set[str]:
    return set(question.named) | {word for name in question.named_phrases for word in stems(name)}


def _bridged(key: str, subject: Mapping[str, tuple[str, ...]], theirs: Mapping[str, float]) -> float:
    """The weight of the other question's topic word that `key`'s thesaurus entries name, if any."""
    related = {found for entry in subject.get(key, ()) for found in stems(entry)}
    return max((weight for other, weight in theirs.items() if other in related), default=0.0)
