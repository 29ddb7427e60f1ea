"""Lexical retrieval helpers for the embedded index: question phrasing in, an FTS5 query out.

BM25 ranks by shared words, so two things bridge the gap between how people ask and how profiles
are written: question filler ("what", "are", "you") is dropped (`twin.domain.text.terms`), and every
chunk is indexed with the words people use when they ask about its kind of section ("salary", "pay"
for compensation). Question understanding (`twin.domain.questions`) adds the rest, for every index.
"""

from typing import Final

from twin.domain.chunks import ONGOING, Chunk
from twin.domain.profile import SectionType
from twin.domain.questions import understand
from twin.domain.text import terms

SECTION_VOCABULARY: Final[dict[SectionType, str]] = {
    SectionType.SUMMARY: "summary about background who yourself introduce introduction overview bio pitch "
    "elevator headline title profile personal",
    SectionType.CONTACT: "contact email reach phone linkedin github website portfolio connect",
    SectionType.EXPERIENCE: "experience work worked job role employer company position career employment "
    "responsibilities team",
    SectionType.ACHIEVEMENT: "achievement accomplishment proud impact result results example time challenge "
    "situation task action star success delivered",
    SectionType.PROJECT: "project projects built build side portfolio open source demo",
    SectionType.SKILLS: "skills skill technologies technology tech stack tools languages proficient "
    "expertise expert strengths frameworks",
    SectionType.EDUCATION: "education degree study studied university college school graduated "
    "qualification academic major thesis coursework",
    SectionType.CERTIFICATION: "certification certifications certified certificate credential",
    SectionType.GOALS: "goals goal future aspirations ambitions plans next five years long term short "
    "looking aim motivation",
    SectionType.COMPENSATION: "salary compensation pay expectations expect rate location based live "
    "relocate relocation remote hybrid onsite visa authorization notice availability",
    SectionType.INTERVIEW: "interview weakness weaknesses questions prepared",
    SectionType.DEVELOPMENT: "learning development growth conferences courses reading currently learn",
    SectionType.PUBLICATION: "publications published writing articles blog papers talks",
    SectionType.AWARD: "awards award recognition honours honors prize",
    SectionType.LANGUAGE: "languages speak spoken fluent fluency",
    SectionType.INTEREST: "interests hobbies free time outside passions",
    SectionType.REFERENCE: "references referees recommendation",
    SectionType.VOLUNTEER: "volunteer volunteering community nonprofit",
    SectionType.FAQ: "",
    SectionType.OTHER: "",
}

# What people ask about whatever is ongoing ("where do you work now?").
CURRENT_VOCABULARY: Final = "current currently now present today"


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression that ranks by any shared word, or None when nothing is left to match."""
    words = terms(text)
    if not words:
        return None
    return " OR ".join(f'"{word}"' for word in words)


def keywords(chunk: Chunk) -> str:
    """The words a chunk is found by besides its title and text."""
    # Only the ongoing job itself: its achievements share its dates but are not what "now" asks about.
    ongoing = CURRENT_VOCABULARY if chunk.end == ONGOING and chunk.type is SectionType.EXPERIENCE else ""
    return " ".join(word for word in (SECTION_VOCABULARY[chunk.type], ongoing, _asked_as(chunk), *chunk.tags) if word)


def _asked_as(chunk: Chunk) -> str:
    """An approved answer is found by the words of what its question means ("when could you start?" shares none
    with "What is your notice period?", but both ask about availability)."""
    if chunk.type is not SectionType.FAQ:
        return ""
    return " ".join(intent.words for intent in understand(chunk.title).intents[:2])
