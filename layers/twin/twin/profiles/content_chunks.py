"""The workshop's flat format: `{"content_chunks": [{"id", "title", "type", "content", "metadata"}]}`.

Workshop keys beside the chunks (`personal`, `experience`...) are read as the workshop format reads them.
"""

import json
import re
from dataclasses import replace

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.errors import ProfileFormatError
from twin.profiles import workshop
from twin.profiles._sections import build_profile, infer_type
from twin.profiles.dates import find_dates, has_year, parse_date, parse_period, split_dates
from twin.profiles.fields import Fields
from twin.profiles.json_values import JsonObject, JsonValue, Number, child_path
from twin.profiles.keys import humanise, key_words, match_key
from twin.profiles.names import name_and_links, post_nominals
from twin.profiles.phrasing import join_sentences, short_title
from twin.profiles.rendering import place, render
from twin.profiles.tags import keyword_tags
from twin.profiles.wrapping import DEGREE

_ROOT_PERSON = ("metadata", "profile", "personal", "person", "basics")
_NAME = ("name", "full_name")
_HEADLINE = ("title", "headline", "label", "job_title", "role")
_LOCATION = ("location", "based_in")
_TAGS = ("tags", "keywords", "skills", "technologies")
_PERIOD = ("duration", "dates", "period", "date_range", "date", "year")
_CURRENT = ("current", "is_current", "ongoing")
_ROLE_TYPES = frozenset({SectionType.EXPERIENCE, SectionType.VOLUNTEER})
_ROLE = ("role", "position", "job_title")
_EMPLOYER = ("company", "organisation", "organization", "employer")
# Words that tie a passage to the one before ("Before that, …"), which its title leaves out.
_LINKING_OPENER = re.compile(r"(?:(?:before|after|prior to) that|then|previously|earlier|later),?\s+", re.IGNORECASE)
# Chunk types that are kinds of content rather than section names: stories told for interviews ("hard days"),
# a profession's word for its work ("casework"), what came before the career.
_CHUNK_TYPES = (
    {
        match_key(kind): SectionType.ACHIEVEMENT
        for kind in ("story", "stories", "star", "example", "examples", "people", "hard-days")
    }
    | {match_key(kind): SectionType.EXPERIENCE for kind in ("casework", "before")}
    | {SectionType.OTHER.value: SectionType.OTHER}
)
# Words of such chunk types: the story of a career change ("the-switch"), a weakness owned up to ("honest bit").
_CHUNK_TYPE_WORDS = {"switch": SectionType.OTHER, "honest": SectionType.INTERVIEW}
# A "languages" chunk is spoken languages unless it lists programming languages and says nothing
# only a speaker would (a level, "native", "speak").
_PROGRAMMING = re.compile(r"\b(?:Python|Java|JavaScript|TypeScript|Rust|Golang|Kotlin|Ruby|PHP|SQL|C\+\+|C#)(?!\w)")
_SPOKEN = re.compile(
    r"\b(?:speak|spoken|native|mother tongue|fluent|bilingual|conversational|[ABC][12])\b", re.IGNORECASE
)
# A passage's first line or sentence, without a bullet: "- 2017 to 2021", "line cook at a few places 2012-2017."
_OPENING = re.compile(r"\s*(?:[-*•]\s+)?([^\n]*?)(?:[.!?](?:\s|$)|\n|$)")
# Where the document describes its chunks or their author, not the person's own sections.
_DOCUMENT_KEYS = frozenset({"metadata", "meta", "contentchunks"})
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def load(root: JsonObject) -> Profile:
    chunks_key = next(key for key in root if match_key(key) == "contentchunks")
    chunks = root[chunks_key]
    path = child_path("$", chunks_key)
    if not isinstance(chunks, list):
        raise ProfileFormatError(path, "a list of chunk objects")
    sections: list[Section] = []
    metadata: list[JsonValue] = []
    used_paths: set[str] = set()
    for index, chunk in enumerate(chunks):
        if not isinstance(chunk, dict):
            raise ProfileFormatError(f"{path}[{index}]", "a JSON object")
        section, chunk_metadata = _section(chunk, path, index, used_paths)
        used_paths.add(section.path)
        sections.extend(_degrees_apart(section))
        if section.type is SectionType.SUMMARY:
            metadata.append(chunk_metadata)
    others = {key: value for key, value in root.items() if match_key(key) not in _DOCUMENT_KEYS}
    described, extra = workshop.read(others) if others else (None, [])
    texts = {" ".join(section.text.split()) for section in sections}
    sections += [section for section in extra if " ".join(section.text.split()) not in texts]
    person = Fields(
        pair
        for value in (*(root.get(key) for key in _person_keys(root)), *metadata)
        for pair in (value.items() if isinstance(value, dict) else ())
    )
    location = place(person.value(*_LOCATION))
    sections = _with_location(sections, location, path)
    summary = next((section.text for section in sections if section.type is SectionType.SUMMARY), "")
    raw_name = person.value(*_NAME) or Fields(root.items()).value(*_NAME)
    name = name_and_links(raw_name)[0]
    headline = " · ".join(part for part in (person.text(*_HEADLINE), post_nominals(raw_name), location) if part)
    if described is not None:
        name, headline = name or described.name, headline or described.headline
        summary = summary or described.summary
    return build_profile(ProfileFormat.CONTENT_CHUNKS, name, headline, summary, sections, path)


def _degrees_apart(section: Section) -> list[Section]:
    """A qualifications chunk as its registrations and awards, and its degrees as education of their own."""
    if section.type is not SectionType.CERTIFICATION:
        return [section]
    sentences = [found[0].strip() for found in _SENTENCE.finditer(section.text) if found[0].strip()]
    degrees = [sentence for sentence in sentences if DEGREE.search(sentence)]
    rest = [sentence for sentence in sentences if sentence not in degrees]
    if not degrees:
        return [section]
    if not rest:
        return [replace(section, type=SectionType.EDUCATION)]
    education = replace(section, path=child_path(section.path, "degrees"), type=SectionType.EDUCATION)
    return [replace(section, text=" ".join(rest)), replace(education, text=" ".join(degrees))]


def _with_location(sections: list[Section], location: str, path: str) -> list[Section]:
    """Where the person is based, as the document's metadata gives it, closes the summary (or becomes one) unless
    the summary says so already: metadata is not searched, and a town a job passage mentions is where the job
    was, not where the person lives."""
    summaries = [section for section in sections if section.type is SectionType.SUMMARY]
    if not location or any(location.casefold() in section.text.casefold() for section in summaries):
        return sections
    based = f"I am based in {location}."
    for index, section in enumerate(sections):
        if section.type is SectionType.SUMMARY:
            text = join_sentences(section.text, based)
            return [*sections[:index], replace(section, text=text), *sections[index + 1 :]]
    return [Section(child_path(path, "location"), SectionType.SUMMARY, "About me", based), *sections]


def _person_keys(root: JsonObject) -> list[str]:
    wanted = {match_key(key) for key in _ROOT_PERSON}
    return [key for key in root if match_key(key) in wanted]


def _section(chunk: JsonObject, path: str, index: int, used_paths: set[str]) -> tuple[Section, JsonValue]:
    fields = Fields(chunk.items())
    content = chunk.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ProfileFormatError(f"{path}[{index}].content", "a non-empty string")
    chunk_id = fields.value("id")
    id_text = render(chunk_id) if isinstance(chunk_id, str | Number) else ""
    section_path = f"{path}[{json.dumps(id_text, ensure_ascii=False)}]" if id_text else f"{path}[{index}]"
    if section_path in used_paths:
        section_path = f"{path}[{index}]"
    metadata = fields.value("metadata", "meta")
    details = Fields.of(metadata)
    kind = fields.text("type", "section", "category", "kind")
    named = fields.text("title", "heading", "name")
    section_type = _type(kind, named, id_text, content)
    start, end = parse_period(details.text(*_PERIOD))
    started = parse_date(details.text("start_date", "start"))
    start = started or start
    end = parse_date(details.text("end_date", "end")) or end
    if start is None and section_type in _ROLE_TYPES:
        start, end = _title_period(named) or _opening_period(content)
    current = details.value(*_CURRENT)
    # A role with a start date and no end date (or a null one) is still going on.
    if end is None and (current is True or (current is None and started and section_type in _ROLE_TYPES)):
        end = "present"
    section = Section(
        path=section_path,
        type=section_type,
        title=named or _untitled(section_type, details, id_text, content),
        text=content.strip(),
        start=start,
        end=end,
        tags=keyword_tags(details.value(*_TAGS)),
    )
    return section, metadata


def _untitled(section_type: SectionType, details: Fields, id_text: str, content: str) -> str:
    """An untitled chunk's title: a job's from its role and employer, else from its text, which names the job
    where its id ("job-london") names a place at best; another chunk's from its id, else from its text."""
    if section_type in _ROLE_TYPES:
        role = " at ".join(part for part in (details.text(*_ROLE), details.text(*_EMPLOYER)) if part)
        return role or _opening_title(content)
    return _id_title(id_text) or _opening_title(content)


def _opening_title(content: str) -> str:
    text = content.strip()
    linked = _LINKING_OPENER.match(text)
    title = short_title(text[linked.end() :] if linked else text)
    return title[:1].upper() + title[1:]


def _opening_period(content: str) -> tuple[str | None, str | None]:
    """The period a job's passage opens with, when its metadata gives none: a year alone ("In 2019 I …") is when
    something happened, not when the job was, unless it closes the sentence as a CV dates a job ("…, 2010.")."""
    opening = _OPENING.match(content)
    sentence = opening[1] if opening else ""
    dates = find_dates(sentence)
    if len(dates) > 1 and dates[0] <= dates[-1]:  # not "Since 2024 … the Act 2014", a year in a name
        return dates[0], dates[-1]
    return (dates[0], None) if dates and _closes_with_date(sentence) else (None, None)


def _title_period(title: str) -> tuple[str, str | None] | None:
    """The period a job's title gives ("Acme — Engineer (2019–2022)"), if it gives one with a year."""
    dates = find_dates(title)
    if not has_year(dates):
        return None
    return dates[0], dates[-1] if len(dates) > 1 else None


def _closes_with_date(sentence: str) -> bool:
    written = split_dates(sentence)[1]
    return bool(written) and sentence.endswith(written) and sentence[: -len(written)].rstrip().endswith(",")


def _type(kind: str, title: str, id_text: str, content: str) -> SectionType:
    """From the chunk's type, else from its title or id when the type names no section ("misc", or none)."""
    found = (
        _CHUNK_TYPES.get(match_key(kind))
        or next((_CHUNK_TYPE_WORDS[word] for word in key_words(kind) if word in _CHUNK_TYPE_WORDS), None)
        or infer_type(key_words(kind))
        or infer_type(key_words(title))
        or infer_type(key_words(id_text))
        or SectionType.OTHER
    )
    if found is SectionType.LANGUAGE and _PROGRAMMING.search(content) and not _SPOKEN.search(content):
        return SectionType.SKILLS
    return found


def _id_title(id_text: str) -> str:
    """ "exp_acme" reads "Exp acme"; a number or a code ("c4", "chunk-2") is no title."""
    words = key_words(id_text)
    return humanise(id_text) if words and all(word.isalpha() for word in words) else ""
