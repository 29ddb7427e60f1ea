"""What a requirement asks for, part by part, and how much of each part a sentence of the profile says.

A part is a topic word of the requirement (as question understanding finds them), less the words job descriptions
ask with ("proven ability", "related field", `fit.toml`) and numbers. Alternatives are one part ("Snowflake,
BigQuery or Redshift", "MLflow or a similar tool"), and so are an abbreviation and the words it stands for
("retrieval-augmented generation (RAG)"). A word the thesaurus gives for another one is part of that one
("Mentor junior engineers": mentoring takes in juniors), unless it names a thing: "frameworks such as PyTorch"
asks for PyTorch. A named thing (a technology, a degree, a place) is said only in its own words.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from twin.domain.questions import is_name, related, understand
from twin.domain.requirements import filler_words
from twin.domain.text import stem, stems, terms, words

IN_OTHER_WORDS: Final = 0.5
"""What a sentence says of a part in the thesaurus's words, or only in its passage's title, next to its own."""
# A capitalised word after the first names something ("Create dashboards in Looker").
_CAPITALISED: Final = re.compile(r"(?<=[\w,;:(] )[A-Z][\w.+#-]*")
_ABBREVIATED: Final = re.compile(r"((?:\w+[\s-]+){1,6})\(([A-Z][A-Za-z]{1,7})s?\)")
# "a, b or c", "x or a similar y z": the words of the alternatives (the rest of the clause after "similar").
_YEARS: Final = re.compile(
    r"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?(?:years?|yrs)\b(?! ago)", re.IGNORECASE
)
# Where what a named thing says about itself ends: "Python (expert, 9 years), SQL (4 years)".
_CLAUSE: Final = re.compile(r"[);]|,\s*(?=[^\d\s])")
_ALTERNATIVES: Final = re.compile(
    r"((?:[\w.+#-]+,\s*)*[\w.+#-]+),?\s+or\s+(?:(?:an?|another|other|any)\s+)*"
    r"(?:(?:similar|equivalent|comparable|related)\s+([^,;.]*)|([\w.+#-]+))"
)


@dataclass(frozen=True, slots=True)
class Part:
    words: frozenset[str]
    """Saying any one of these says the part: stems, the lower-cased words of named things, phrases of several."""
    related: tuple[str, ...]
    """The thesaurus's words for them."""
    named: bool


def parts(requirement: str) -> tuple[Part, ...]:
    question = understand(requirement)
    filler = {stem(word) for word in filler_words()} | _abbreviated(requirement)
    named_words = {word.lower() for word in _CAPITALISED.findall(requirement)}
    found: dict[str, Part] = {phrase: Part(frozenset({phrase}), (), True) for phrase in question.named_phrases}
    in_phrases = {word for phrase in question.named_phrases for word in phrase.split()}
    for word in terms(requirement.lower()):
        stemmed = stem(word)
        named = stemmed in question.named or word in named_words or is_name(word)
        if word in in_phrases or stemmed in filler or word.rstrip("+").isdigit():
            continue
        if not named and (stemmed not in question.topic or any(_relates(word, part) for part in found.values())):
            continue
        key = word if named else stemmed
        found.setdefault(key, Part(frozenset({key}), related(word), named))
    return _merged(found, _alternatives(requirement))


def said(part: Part, quote: str, title: str) -> float:
    """How much of `part` a quote says, read with its passage's title (which says where it comes from)."""
    return max(_says(part, quote), IN_OTHER_WORDS * _says(part, title))


def years(text: str) -> float:
    """The most years `text` states ("5+ years", "2.5 years", "3-5 yrs": 3), 0 when it states none."""
    return max((float(found) for found in _YEARS.findall(text)), default=0.0)


def years_of(asked: Sequence[Part], quote: str) -> float:
    """The years a quote states for what the requirement names: those right after a named thing ("Go (2 years)")
    when it says any there, else any it states ("2.5 years building assistants in Python")."""
    lowered = quote.lower()
    stated = [
        years(_CLAUSE.split(lowered[found.start() :], 1)[0])
        for part in asked
        if part.named
        for word in part.words
        for found in _mentions(word, lowered)
    ]
    return max(stated) if any(stated) else years(quote)


def _mentions(word: str, text: str) -> Iterator[re.Match[str]]:
    return re.finditer(rf"(?<![\w.+#-]){re.escape(word)}(?![\w+#])", text)


def _says(part: Part, text: str) -> float:
    lowered = text.lower()
    tokens = set(words(text)) if part.named else stems(text)
    if any(word in lowered if " " in word else word in tokens for word in part.words):
        return 1.0
    vocabulary = stems(text)
    if any(entry in lowered if " " in entry else stem(entry) in vocabulary for entry in part.related):
        return IN_OTHER_WORDS
    return 0.0


def _relates(word: str, part: Part) -> bool:
    """Whether the thesaurus relates `word` and the part, either way."""
    stemmed = stem(word)
    return any(stemmed in stems(entry) for entry in part.related) or any(
        key in stems(entry) for entry in related(word) for key in part.words
    )


def _abbreviated(requirement: str) -> set[str]:
    """The stems of words an abbreviation after them stands for ("retrieval-augmented generation (RAG)")."""
    found: set[str] = set()
    for spelled_out, abbreviation in _ABBREVIATED.findall(requirement):
        spelled = re.split(r"[\s-]+", spelled_out.strip())[-len(abbreviation) :]
        if "".join(word[0] for word in spelled).lower() == abbreviation.lower():
            found |= {stem(word.lower()) for word in spelled}
    return found


def _alternatives(requirement: str) -> list[set[str]]:
    """Each run of alternatives, as the stems and words of its members."""
    runs = []
    for listed, similar, single in _ALTERNATIVES.findall(requirement.lower()):
        members = [*re.split(r",\s*", listed), *(similar or single).split()]
        runs.append({form for member in members for word in words(member) for form in (word, stem(word))})
    return runs


def _merged(found: dict[str, Part], runs: list[set[str]]) -> tuple[Part, ...]:
    """The parts, each run of alternatives among them made one part (named when every member is)."""
    merged: list[Part] = []
    taken: set[str] = set()
    for run in runs:
        members = [part for key, part in found.items() if not run.isdisjoint(key.split()) and key not in taken]
        if len(members) > 1:
            taken |= {word for part in members for word in part.words}
            merged.append(
                Part(
                    frozenset(word for part in members for word in part.words),
                    tuple(entry for part in members for entry in part.related),
                    all(part.named for part in members),
                )
            )
    return (*merged, *(part for key, part in found.items() if key not in taken))
