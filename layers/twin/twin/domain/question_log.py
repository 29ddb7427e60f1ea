"""The question log: what was asked, when, on which channel, whether the profile held an answer and which sections
the answer cited, for the twin's owner to see where it falls short.

Never who asked: no address, credential, principal or session, and nothing else of the conversation. What a
visitor types about themselves (an email address, a phone number) or pastes by mistake (a token, a key) is
blanked out of the question before it is kept.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from twin.domain.answers import Answer

DAY_SECONDS: Final = 24 * 3600


class Channel(StrEnum):
    """Where a question came in."""

    PUBLIC_CHAT = "public_chat"
    PUBLIC_MCP = "public_mcp"
    REST = "rest"
    MCP = "mcp"


# Applied in turn (a credential before the long runs of digits it may hold), each only to a question holding what
# it needs: most questions hold none of it, and cost no regular expression at all.
_DIGIT: Final = re.compile(r"\d")
_REDACTIONS: Final = (
    (re.compile("eyJ"), re.compile(r"\b(?i:Bearer\s+)?eyJ[\w-]*\.[\w-]*(?:\.[\w-]*)?"), "[credential]"),
    (re.compile("_"), re.compile(r"\b(?:twk|twi|gsk|sk)_[\w-]+"), "[credential]"),
    (_DIGIT, re.compile(r"\b(?=[\w-]*\d)[\w-]{32,}"), "[credential]"),  # a long run with a digit: a key, a hash
    (re.compile("@"), re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # Nine digits or more, however they are grouped: a phone number, not a year range such as 2019-2023.
    (_DIGIT, re.compile(r"\+?\d(?:[\s().-]*\d){8,}"), "[phone]"),
)


def loggable(question: str) -> str:
    """The question as the log keeps it: one line, spaces collapsed, personal details and credentials blanked."""
    text = " ".join(question.split())
    for needs, pattern, replacement in _REDACTIONS:
        if needs.search(text):
            text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    question: str
    asked_at: float
    """Epoch seconds."""
    channel: Channel
    answered: bool
    sections: tuple[str, ...]
    """The ids of the profile sections the answer cited, in its order."""


@dataclass(frozen=True, slots=True)
class Asked:
    """A question on its way to the log, before its answer is known."""

    question: str
    asked_at: float
    channel: Channel

    @classmethod
    def of(cls, question: str, channel: Channel, asked_at: float) -> "Asked":
        return cls(loggable(question), asked_at, channel)

    def answered_by(self, answer: Answer) -> LoggedQuestion:
        sections = tuple(source.id for source in answer.sources)
        return LoggedQuestion(self.question, self.asked_at, self.channel, answer.answered, sections)


@dataclass(frozen=True, slots=True)
class Retention:
    """How long the log keeps a question, and how many it keeps at most (the oldest go first)."""

    days: int
    max_entries: int

    def cutoff(self, now: float) -> float:
        """Questions asked before this (epoch seconds) are past keeping."""
        return now - self.days * DAY_SECONDS
