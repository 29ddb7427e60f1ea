"""What the question log tells the owner: questions per day and channel, the most asked and the unanswered ones
(near-duplicates grouped), the sections answers cite most and those they never cite.

Days are UTC days. Everything here is a function of its inputs: the same log gives the same insights.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from twin.domain.chunks import Chunk
from twin.domain.question_log import Channel, LoggedQuestion
from twin.domain.text import stem, terms, words

TOP_QUESTIONS: Final = 20
MAX_UNANSWERED: Final = 100
SIMILARITY: Final = 0.75
"""Two wordings are one question when their sets of word stems (stopwords aside) overlap this much (Jaccard):
"Which languages do you code in?" and "What languages, then, do you code in?" are one; "Have you used AWS Lambda in
production?" and "Have you used AWS S3 in production?" are two, and so are two long questions a word apart."""


@dataclass(frozen=True, slots=True)
class DayTotal:
    day: date
    by_channel: Mapping[Channel, int]
    answered: int
    """Of the day's questions, how many the profile held an answer to."""

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass(frozen=True, slots=True)
class QuestionCount:
    question: str
    """The group's most asked wording."""
    count: int
    """How often it was asked, in any of the group's wordings."""


@dataclass(frozen=True, slots=True)
class CitedSection:
    section: Chunk
    count: int
    """How many answers cited it."""


@dataclass(frozen=True, slots=True)
class Insights:
    first_day: date
    by_day: tuple[DayTotal, ...]
    """Every day from `first_day` to the last, oldest first, days without questions included."""
    top_questions: tuple[QuestionCount, ...]
    unanswered: tuple[QuestionCount, ...]
    sections_cited: tuple[CitedSection, ...]
    """The current profile's sections that answers cited, the most cited first."""
    sections_never_cited: tuple[Chunk, ...]
    """The current profile's sections no answer cited, in the profile's order."""

    @property
    def total(self) -> int:
        return sum(day.total for day in self.by_day)

    @property
    def answered(self) -> int:
        return sum(day.answered for day in self.by_day)

    @property
    def by_channel(self) -> dict[Channel, int]:
        totals = Counter(dict.fromkeys(Channel, 0))
        for day in self.by_day:
            totals.update(day.by_channel)
        return dict(totals)


def utc_day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


def window_start(now: float, days: int) -> float:
    """The start (epoch seconds) of the window of `days` UTC days that ends with today's."""
    first = utc_day(now) - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()


def summarize(entries: Iterable[LoggedQuestion], sections: Sequence[Chunk], *, now: float, days: int) -> Insights:
    """The insights of the `days` UTC days that end with today's; entries outside them are left out."""
    first_day = utc_day(window_start(now, days))
    per_day: dict[date, Counter[Channel]] = {first_day + timedelta(days=offset): Counter() for offset in range(days)}
    answered_per_day: Counter[date] = Counter()
    asked: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    cited: Counter[str] = Counter()
    for entry in entries:
        asked_on = utc_day(entry.asked_at)
        day = per_day.get(asked_on)
        if day is None:
            continue
        day[entry.channel] += 1
        asked[entry.question] += 1
        if entry.answered:
            answered_per_day[asked_on] += 1
        else:
            unanswered[entry.question] += 1
        cited.update(dict.fromkeys(entry.sections, 1))  # an answer cites a section once, however often it quotes it
    uses = sorted(
        (CitedSection(section, cited[section.id]) for section in sections if cited[section.id]),
        key=lambda use: -use.count,  # stable: ties stay in the profile's order
    )
    return Insights(
        first_day=first_day,
        by_day=tuple(DayTotal(day, dict(channels), answered_per_day[day]) for day, channels in per_day.items()),
        top_questions=tuple(group_questions(asked)[:TOP_QUESTIONS]),
        unanswered=tuple(group_questions(unanswered)[:MAX_UNANSWERED]),
        sections_cited=tuple(uses),
        sections_never_cited=tuple(section for section in sections if not cited[section.id]),
    )


@dataclass(slots=True)
class _Group:
    name: str
    stems: frozenset[str]
    count: int


def group_questions(counts: Mapping[str, int]) -> list[QuestionCount]:
    """Wordings of one question counted together, the most asked first (ties by wording).

    Wordings that differ only in case, punctuation or spacing are one; the others join the group whose name
    (its most asked wording) shares the most of their word stems, at least `SIMILARITY` of them, or start one.
    The most asked are placed first, so a group is named by its most asked wording whatever the input's order.
    """
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for question, count in counts.items():
        forms[grouping_key(question)][question] += count
    # Each key named by its most asked wording (ties: the first in code point order); the most asked first.
    keyed = [(_most_asked(wordings), key, wordings.total()) for key, wordings in forms.items()]
    keyed.sort(key=lambda item: (-item[2], item[0]))
    groups: list[_Group] = []
    holding: dict[str, list[int]] = defaultdict(list)  # the groups whose name holds each stem
    for name, key, count in keyed:
        stems = _stems(key)
        chosen, best = None, 0.0
        for position in sorted({position for each in stems for position in holding[each]}):
            similarity = _jaccard(stems, groups[position].stems)
            if similarity >= SIMILARITY and similarity > best:
                chosen, best = position, similarity
        if chosen is not None:
            groups[chosen].count += count
            continue
        for each in stems:
            holding[each].append(len(groups))
        groups.append(_Group(name, stems, count))
    ranked = sorted(groups, key=lambda group: (-group.count, group.name))
    return [QuestionCount(group.name, group.count) for group in ranked]


def _most_asked(wordings: Counter[str]) -> str:
    return min(wordings, key=lambda wording: (-wordings[wording], wording))


def grouping_key(question: str) -> str:
    """Case, punctuation and spacing aside; "C++" and "C#" stay apart."""
    return " ".join(words(question))


def _stems(key: str) -> frozenset[str]:
    return frozenset(stem(word) for word in terms(key))


def _jaccard(one: frozenset[str], other: frozenset[str]) -> float:
    return len(one & other) / len(one | other)
