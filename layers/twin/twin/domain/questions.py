"""Question understanding: what a recruiter's question is about, read with the table in `questions.toml`.

A question gets its intents (the most specific match first), the section types that answer it, the words
to search with (its own, the intents' and the thesaurus's), and its subject: the words that name what it
asks about ("Kubernetes" in "Have you worked with Kubernetes?"), which an answer must mention.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, lru_cache
from typing import Final

from twin.domain.lazy_patterns import LazyPattern
from twin.domain.profile import SectionType
from twin.domain.tables import load_table
from twin.domain.text import STOPWORDS, stem, stems, terms, words

# Follow-ups such as "what did you achieve there?" name nothing to search for on their own.
_REFERS_BACK: Final = re.compile(r"\b(there|that|this|it|they|them|those|these|then|he|she)\b", re.IGNORECASE)
# How much a word found through the thesaurus counts, next to a word the question itself uses.
EXPANSION_WEIGHT: Final = 0.5
_SECONDARY_INTENT_WEIGHT: Final = 0.5
# How much an intent must prefer jobs for "now" in its question to mean the current job.
_WORK_WEIGHT: Final = 0.5
# A capitalised word after the first one ("Have you used Terraform?") names something; a run of them is one
# name ("React Native", "Power BI"), which a passage must mention whole.
_NAME: Final = re.compile(r"(?<=[\w,;:] )[A-Z][\w.+#-]*(?: [A-Z][\w.+#-]*)*")


class Evidence(StrEnum):
    """What must be found before a question of an intent is answered at all."""

    NONE = "none"
    EVIDENCE = "evidence"
    """A passage of a section type the intent routes to, or a sentence matching one of its cues."""
    CUE = "cue"
    """A sentence matching one of its cues (its section types also answer other intents)."""


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    patterns: tuple[LazyPattern, ...]
    sections: Mapping[SectionType, float]
    avoid: Mapping[SectionType, float]
    words: str
    cues: tuple[LazyPattern, ...]
    wants_list: bool
    tells_story: bool
    """The answer is a story (a conflict, a failure): what happened, then what was done about it."""
    latest_first: bool
    """The answer lists dated passages (jobs) from the latest to the earliest, whatever their rank."""
    current: bool
    requires: Evidence
    leads_with_summary: bool
    priority: int
    names_subject: bool
    """A thing the question names (a technology, a degree) is what it asks about, not a parameter of it."""
    qualified: bool
    """The word just before what asks for it qualifies it ("a *teaching* qualification", "a *first aid*
    certificate") and must be found: any qualification answers only "what qualifications do you have?"."""
    asks_for_questions: bool
    """The answer is the questions the person would ask (otherwise a question in a profile answers nothing)."""
    contrary: tuple[LazyPattern, ...] = ()
    """The cues of the intents whose answers are no answer to this one: a failure, however measured, is no
    achievement."""

    def specificity(self, question: str) -> tuple[int, int]:
        """How specifically `question` asks for this intent: (priority, longest match); (0, 0) when it does not."""
        longest = max((len(match.group(0)) for p in self.patterns if (match := p.search(question))), default=0)
        return (self.priority, longest) if longest else (0, 0)

    def reads_contrary(self, text: str) -> bool:
        """Whether `text` reads like the answer to an intent that is no answer to this one."""
        return any(cue.search(text) for cue in self.contrary)

    def routes_to(self, section: SectionType) -> bool:
        return self.sections.get(section, 0.0) >= 0.8


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    intents: tuple[Intent, ...]
    """Most specific first; empty when the question matches no known intent."""
    weights: Mapping[str, float]
    """Stem → how much a passage or sentence sharing it counts."""
    phrases: Mapping[str, float]
    """Multi-word thesaurus entries, matched as text, and their weight."""
    subject: Mapping[str, tuple[str, ...]]
    """Each subject stem → the words or phrases that also count as mentioning it."""
    named: frozenset[str]
    """The subject stems that name a thing (a technology, a degree, a place): a profile that never mentions one
    cannot answer, whatever else matches."""
    named_phrases: tuple[str, ...]
    """Names of several words ("react native"), lower-cased; each counts as one named subject."""
    search_text: str
    """What to ask the index: the question as asked, then its intents' words and the thesaurus's."""
    topic: frozenset[str] = frozenset()
    """The stems of the words that say what the question is about: all but its generic words ("use", "day")."""
    cased: Mapping[str, str] = field(default_factory=dict)
    """Named stems that are everyday words too ("Go", "Swift") → the name as the question writes it: only that
    spelling, capital and all, mentions the thing ("go down a rabbit hole" is no Go)."""
    now: bool = False
    """It asks about the present ("your biggest win in your current job") and about work, so the job whose dates
    run to now answers it, whatever its intent."""
    previous: bool = False
    """It asks about the job before the one that runs to now ("What did you do before your current role?")."""
    qualifiers: frozenset[str] = frozenset()
    """Subject stems that qualify what the main intent asks for ("teach" in "a teaching qualification")."""
    first: bool = False
    """It asks about the job the career began with ("Where did you start your career?")."""

    @property
    def intent(self) -> Intent | None:
        return self.intents[0] if self.intents else None

    @property
    def names_something(self) -> bool:
        return bool(self.named or self.named_phrases)

    @property
    def needs_named_things(self) -> bool:
        """Whether a passage must mention what the question names before it can answer: always without an
        intent; with one, only when the named things are its subject ("Have you used Kubernetes?", not
        "Would you move to London?")."""
        return self.names_something and (self.intent is None or self.intent.names_subject)

    @property
    def current(self) -> bool:
        # Only the main intent's: "Why are you leaving your current job?" asks for goals, not for that job.
        main_is_current = self.intent is not None and self.intent.current
        return not (self.previous or self.first) and (self.now or main_is_current)

    @property
    def wants_list(self) -> bool:
        return self.intent is not None and self.intent.wants_list

    def section_weight(self, section: SectionType) -> float:
        shares = [(1.0 if rank == 0 else _SECONDARY_INTENT_WEIGHT, intent) for rank, intent in enumerate(self.intents)]
        preferred = max((share * intent.sections.get(section, 0.0) for share, intent in shares), default=0.0)
        avoided = max((share * intent.avoid.get(section, 0.0) for share, intent in shares), default=0.0)
        return preferred - avoided

    def match_strength(self, text: str) -> float:
        """How strongly `text` answers: the weight of the question's words it shares, and its intents' cues."""
        return self.word_strength(stems(text)) + 2 * self.cue_strength(text)

    def word_strength(self, found: frozenset[str]) -> float:
        """The weight of the question's words among the stems `found`."""
        return sum(weight for stem, weight in self.weights.items() if stem in found)

    def cue_strength(self, sentence: str) -> float:
        """1 when a sentence reads like an answer to the main intent, a half for a secondary one, else 0."""
        for rank, intent in enumerate(self.intents):
            if any(cue.search(sentence) for cue in intent.cues):
                return 1.0 if rank == 0 else _SECONDARY_INTENT_WEIGHT
        return 0.0


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    intents: tuple[Intent, ...]
    generic: frozenset[str]
    names: frozenset[str]
    ordinary: frozenset[str]
    thesaurus: Mapping[str, tuple[str, ...]]
    now: tuple[LazyPattern, ...]
    previous: tuple[LazyPattern, ...]
    first: tuple[LazyPattern, ...]


def understand(question: str, previous: str | None = None) -> Question:
    """What `question` asks; a follow-up that refers back ("what did you do there?") is read with the
    `previous` question of its conversation."""
    if previous and _REFERS_BACK.search(question):
        question = f"{question} {previous}"
    return _understand(" ".join(question.split()))


def is_name(word: str) -> bool:
    """Whether `word` (lower-cased) names a thing whatever its case ("python", "kubernetes", "mba")."""
    return word in _vocabulary().names


def related(word: str) -> tuple[str, ...]:
    """The thesaurus's words for `word` (a lower-cased word, or its stem), if it has any."""
    thesaurus = _vocabulary().thesaurus
    return thesaurus.get(word, ()) or thesaurus.get(stem(word), ())


@lru_cache(maxsize=1024)
def _understand(asked: str) -> Question:
    vocabulary = _vocabulary()
    question = asked.lower()
    names = [name.lower() for name in _NAME.findall(asked)]
    phrases_named = tuple(name for name in names if " " in name)
    capitalised = {name for name in names if " " not in name}
    in_phrases = {word for phrase in phrases_named for word in phrase.split()}
    matched = sorted(
        ((intent.specificity(question), intent) for intent in vocabulary.intents),
        key=lambda pair: pair[0],
        reverse=True,
    )
    intents = tuple(intent for specificity, intent in matched if specificity > (0, 0))
    own = terms(question)
    weights: dict[str, float] = {}
    phrases: dict[str, float] = {}
    not_subject = set(vocabulary.generic)
    for intent in intents:
        not_subject.update(stem(word) for word in intent.words.split())
    subject: dict[str, tuple[str, ...]] = {}
    named: set[str] = set()
    cased: dict[str, str] = {}
    for word in own:
        stemmed = stem(word)
        related = vocabulary.thesaurus.get(word, ()) or vocabulary.thesaurus.get(stemmed, ())
        is_subject = stemmed not in not_subject and word not in not_subject
        weights[stemmed] = max(weights.get(stemmed, 0.0), 1.5 if is_subject else 1.0)
        for entry in related:
            if " " in entry:
                phrases.setdefault(entry, EXPANSION_WEIGHT)
            else:
                weights.setdefault(stem(entry), EXPANSION_WEIGHT)
        if is_subject:
            subject[stemmed] = related
            if word not in in_phrases and (word in capitalised or word in vocabulary.names or not word.isalpha()):
                named.add(stemmed)
                if word in vocabulary.ordinary and word in capitalised:
                    cased[stemmed] = next(name for name in _NAME.findall(asked) if name.lower() == word)
    # The question as asked comes first (an embedding index reads it as a sentence), then the words that widen it.
    extra = [word for intent in intents[:2] for word in intent.words.split()]
    extra += [entry for word in own for entry in vocabulary.thesaurus.get(word, ())]
    return Question(
        text=question,
        intents=intents,
        weights=weights,
        phrases=phrases,
        subject=subject,
        named=frozenset(named),
        named_phrases=phrases_named,
        cased=cased,
        search_text=" ".join([asked, *dict.fromkeys(word for word in extra if word not in own)]),
        topic=frozenset(
            stem(word) for word in own if word not in vocabulary.generic and stem(word) not in vocabulary.generic
        ),
        now=_about_work(intents) and any(pattern.search(question) for pattern in vocabulary.now),
        # "before Harbourmark" asks about the job before the named one, not the current one.
        previous=not (named or phrases_named) and any(pattern.search(question) for pattern in vocabulary.previous),
        first=any(pattern.search(question) for pattern in vocabulary.first),
        qualifiers=_qualifiers(question, intents, subject),
    )


def _qualifiers(question: str, intents: tuple[Intent, ...], subject: Mapping[str, object]) -> frozenset[str]:
    """The subject word just before each match of the main intent's patterns, when that intent is qualified."""
    if not intents or not intents[0].qualified:
        return frozenset()
    before = (words(question[: match.start()])[-1:] for p in intents[0].patterns if (match := p.search(question)))
    return frozenset(stem(word) for found in before for word in found if stem(word) in subject)


def _about_work(intents: tuple[Intent, ...]) -> bool:
    """Whether jobs answer a question of these intents (a question with none may be about anything)."""
    return not intents or intents[0].sections.get(SectionType.EXPERIENCE, 0.0) >= _WORK_WEIGHT


@cache
def _vocabulary() -> _Vocabulary:
    table = load_table("twin.domain", "questions")
    intents = {name: _intent(name, fields) for name, fields in table["intents"].items()}
    return _Vocabulary(
        intents=tuple(
            replace(
                intent,
                contrary=tuple(cue for other in _strings(fields.get("contrary", [])) for cue in intents[other].cues),
            )
            for intent, fields in zip(intents.values(), table["intents"].values(), strict=True)
        ),
        generic=frozenset(stem(word) for word in words(table["generic"]["words"])) | STOPWORDS,
        names=frozenset(words(table["names"]["words"])),
        ordinary=frozenset(words(table["names"]["ordinary"])),
        thesaurus={key: tuple(value) for key, value in table["thesaurus"].items()},
        now=tuple(LazyPattern(pattern) for pattern in _strings(table["now"]["patterns"])),
        previous=tuple(LazyPattern(pattern) for pattern in _strings(table["previous"]["patterns"])),
        first=tuple(LazyPattern(pattern) for pattern in _strings(table["first"]["patterns"])),
    )


def _intent(name: str, fields: dict[str, object]) -> Intent:
    def patterns(key: str) -> tuple[LazyPattern, ...]:
        return tuple(LazyPattern(pattern) for pattern in _strings(fields.get(key, [])))

    def weights(key: str) -> dict[SectionType, float]:
        table = fields.get(key, {})
        if not isinstance(table, dict):
            raise TypeError(f"questions.toml: {name}.{key} must be a table")
        return {SectionType(section): float(weight) for section, weight in table.items()}

    return Intent(
        name=name,
        patterns=patterns("patterns"),
        sections=weights("sections"),
        avoid=weights("avoid"),
        words=str(fields.get("words", "")),
        cues=patterns("cues"),
        wants_list=bool(fields.get("list", False)),
        tells_story=bool(fields.get("story", False)),
        latest_first=fields.get("order") == "latest first",
        current=bool(fields.get("current", False)),
        requires=Evidence(str(fields.get("requires", Evidence.NONE))),
        leads_with_summary=bool(fields.get("lead", False)),
        priority=int(str(fields.get("priority", 1))),
        names_subject=fields.get("names") == "subject",
        qualified=bool(fields.get("qualified", False)),
        asks_for_questions=bool(fields.get("asks_for_questions", False)),
    )


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("questions.toml: patterns and cues must be lists of strings")
    return value
