"""A Markdown CV: the first H1 is the name, every heading with body text is a section.

markdown-it-py reads the document (CommonMark with tables), PyYAML its front matter; the headings a CV
pasted from a word processor uses instead of Markdown's own are found in the lines the parser gives.

Section text reads as first-person prose: "### Engineer | Acme | 2021 – Present" becomes "I work as
Engineer at Acme (2021 – Present).", a section's lines become sentences under "My skills:".
"""

from twin.domain.profile import Profile, ProfileFormat, Section
from twin.profiles._sections import build_profile
from twin.profiles.markdown.document import document_lines, unwrapped
from twin.profiles.markdown.front_matter import front_matter
from twin.profiles.markdown.header import Header
from twin.profiles.markdown.sections import is_summary, section_of, summary_line
from twin.profiles.markdown.splitting import is_dates_line, split_parts

__all__ = ["is_dates_line", "load"]


def load(text: str) -> Profile:
    # A whole CV pasted inside one code fence, as chat assistants return it, is read as the CV inside.
    metadata, body = front_matter(unwrapped(text).splitlines())
    parts = split_parts(document_lines("\n".join(body)))
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
