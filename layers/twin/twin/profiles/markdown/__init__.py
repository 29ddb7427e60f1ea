"""A Markdown CV: the first H1 is the name, every heading with body text is a section.

Section text reads as first-person prose: "### Engineer | Acme | 2021 – Present" becomes "I work as
Engineer at Acme (2021 – Present).", a section's lines become sentences under "My skills:".
"""

import re

from twin.domain.profile import Profile, ProfileFormat, Section
from twin.profiles._sections import build_profile
from twin.profiles.markdown.front_matter import front_matter
from twin.profiles.markdown.header import Header
from twin.profiles.markdown.sections import is_summary, section_of, summary_line
from twin.profiles.markdown.splitting import is_dates_line, split_parts
from twin.profiles.markdown.syntax import FENCE

__all__ = ["is_dates_line", "load"]


# A whole CV pasted inside one code fence, as chat assistants often return it.
_WRAPPING_FENCE = re.compile(
    r"\A\s*(`{3,}|~{3,})[ \t]*(markdown|md)?[ \t]*\n(.*)\n[ \t]*\1[ \t]*\s*\Z", re.DOTALL | re.IGNORECASE
)


def load(text: str) -> Profile:
    wrapped = _WRAPPING_FENCE.match(text)
    if wrapped and (wrapped[2] or not FENCE.search(wrapped[3])):
        text = wrapped[3]
    lines = text.splitlines()
    metadata, start = front_matter(lines)
    parts = split_parts(lines[start:])
    name_part = next((part for part in parts if part.is_name), None)
    header = Header.of(metadata, name_part)
    sections: list[Section] = []
    for part in parts:
        if part.is_name:
            sections.extend(header.sections())
        elif (section := section_of(part)) is not None:
            sections.append(section)
    summary = header.summary or next((summary_line(found) for found in sections if is_summary(found)), "")
    return build_profile(
        ProfileFormat.MARKDOWN, header.name, header.headline, summary, header.introduce(sections), "line 1"
    )
