"""JSON Resume (https://jsonresume.org/schema), tolerating the same messiness as the workshop file."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.profiles._sections import build_profile, generic_sections
from twin.profiles.dates import date_range, parse_date
from twin.profiles.fields import Every, Fields
from twin.profiles.items import phrases
from twin.profiles.json_resume import recognitions
from twin.profiles.json_values import JsonObject, JsonValue, as_list, child_path, entries
from twin.profiles.keys import match_key
from twin.profiles.names import name_and_links, post_nominals
from twin.profiles.phrasing import (
    education_sentence,
    join_lines,
    join_sentences,
    project_intro,
    role_sentence,
    sentence,
    short_title,
)
from twin.profiles.rendering import facts, place, render, render_pairs, with_label
from twin.profiles.tags import keyword_tags, tags

type Handler = Callable[[JsonValue, str], list[Section]]

# Document metadata, not facts about the person.
_IGNORED = frozenset({"schema", "meta"})
_TAG_KEYS = ("keywords", "technologies", "skills", "tags")
# "3.8", "3.85/4.0", "6.4 out of 7": a grade point average; "8.1/10" or "85%" is a mark.
_GPA = re.compile(r"\d(?:\.\d{1,2})?(?:\s*(?:/|out of)\s*\d(?:\.\d{1,2})?)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Basics:
    name: str = ""
    label: str = ""
    location: str = ""
    summary: str = ""
    credentials: str = ""

    @property
    def headline(self) -> str:
        return " · ".join(part for part in (self.label, self.credentials, self.location) if part)


def load(root: JsonObject) -> Profile:
    basics = _Basics()
    sections: list[Section] = []
    for key, value in root.items():
        normal = match_key(key)
        path = child_path("$", key)
        if normal in _IGNORED:
            continue
        if normal == "basics":
            basics, found = _basics(value, path)
            sections.extend(found)
        elif normal in _HANDLERS:
            sections.extend(_HANDLERS[normal](value, path))
        else:
            sections.extend(generic_sections(key, value, path))
    return build_profile(ProfileFormat.JSON_RESUME, basics.name, basics.headline, basics.summary, sections, "$")


# --- basics ----------------------------------------------------------------------------------

_CITY = ("city", "region", "country_code", "country")
_CONTACT_KEYS = ("email", "phone", "url", "website", "image", "picture")


def _basics(value: JsonValue, path: str) -> tuple[_Basics, list[Section]]:
    if not isinstance(value, dict):
        text = sentence(render(value))
        return _Basics(summary=text), [Section(path, SectionType.SUMMARY, "About me", text)] if text else []
    fields = Fields(
        value.items(),
        ("name",),
        ("label", "title", "headline"),
        ("location",),
        ("summary", "about"),
        Every(_CONTACT_KEYS),
        ("profiles",),
    )
    raw_name = fields.value("name")
    (name, links), label = name_and_links(raw_name), fields.text("label", "title", "headline")
    location = fields.value("location")
    location_fields = Fields.of(location, *((key,) for key in _CITY))
    city = ", ".join(text for text in (location_fields.text(key) for key in _CITY) if text)
    city = city if isinstance(location, dict) else place(location)
    basics = _Basics(name, label, city, fields.text("summary", "about"), post_nominals(raw_name))
    contact = [
        *fields.every(*_CONTACT_KEYS),
        *([("links", links)] if links else []),
        *location_fields.rest(),
    ]
    profiles = fields.value("profiles")
    about = join_sentences(_introduction(basics), basics.summary, facts(fields.rest()))
    sections = [Section(path, SectionType.SUMMARY, "About me", about)]
    contact_text = "; ".join(part for part in (render_pairs(contact), _profiles(profiles)) if part)
    if contact_text:
        text = sentence(f"How to reach me — {contact_text}")
        sections.append(Section(child_path(path, "contact"), SectionType.CONTACT, "Contact", text))
    return basics, sections


def _introduction(basics: _Basics) -> str:
    if basics.name:
        credentials = f" ({basics.credentials})" if basics.credentials else ""
        label = f", {basics.label}" if basics.label else ""
        location = f", based in {basics.location}" if basics.location else ""
        return f"I am {basics.name}{credentials}{label}{location}"
    return join_sentences(
        f"I work as {basics.label}" if basics.label else "",
        f"I am based in {basics.location}" if basics.location else "",
    )


def _profiles(value: JsonValue) -> str:
    """ "GitHub: https://github.com/avery (avery)"."""
    parts: list[str] = []
    for item in as_list(value):
        fields = Fields.of(item, ("network",), ("url",), ("username",))
        network, url, username = fields.text("network"), fields.text("url"), fields.text("username")
        account = f"{url} ({username})" if url and username else url or username
        text = f"{network}: {account}" if network and account else network or account
        extra = render_pairs(fields.rest(), ", ") if isinstance(item, dict) else render(item)
        parts.append(" ".join(part for part in (text, f"({extra})" if text and extra else extra) if part))
    return "; ".join(part for part in parts if part)


# --- work and volunteering -------------------------------------------------------------------


def _work(value: JsonValue, path: str) -> list[Section]:
    return [
        _role(item, item_path, SectionType.EXPERIENCE, ("name", "company"), "work")
        for item_path, item in entries(value, path)
    ]


def _volunteer(value: JsonValue, path: str) -> list[Section]:
    return [
        _role(item, item_path, SectionType.VOLUNTEER, ("organization", "organisation", "name"), "volunteer")
        for item_path, item in entries(value, path)
    ]


def _role(
    item: JsonValue, path: str, section_type: SectionType, organisation_keys: tuple[str, ...], verb: str
) -> Section:
    if not isinstance(item, dict):
        return Section(path, section_type, short_title(render(item)), sentence(render(item)))
    fields = Fields(
        item.items(),
        organisation_keys,
        ("position", "title", "role"),
        ("start_date",),
        ("end_date",),
        _TAG_KEYS,
        ("url", "website"),
        ("summary", "description"),
        ("highlights",),
    )
    organisation, position = fields.text(*organisation_keys), fields.text("position", "title", "role")
    start_raw, end_raw = fields.text("start_date"), fields.text("end_date")
    start, end = parse_date(start_raw), parse_date(end_raw)
    current = (end == "present" or not end_raw) if (start_raw or end_raw) else None
    end = "present" if current else end
    technologies = fields.value(*_TAG_KEYS)
    url = fields.text("url", "website")
    text = join_lines(
        join_sentences(
            role_sentence(position, organisation, date_range(start_raw, end_raw, current=bool(current)), current, verb),
            fields.text("summary", "description"),
        ),
        *_highlights(fields.value("highlights")),
        join_sentences(with_label("Technologies", technologies), fields.rest_text(), f"Website: {url}" if url else ""),
    )
    title = " at ".join(part for part in (position, organisation) if part) or short_title(text)
    return Section(path, section_type, title, text, start, end, keyword_tags(technologies))


def _highlights(value: JsonValue) -> list[str]:
    """Each highlight a line of its own, so an answer can quote the one asked about and a long job is split
    between highlights, not inside one; "Highlights: a; b; c" would be one long line."""
    items = [render(item) for item in as_list(value)] if isinstance(value, list) else []
    if items and all(items):
        return items
    return [with_label("Highlights", value)]


# --- education (awards, certificates and publications: recognitions.py) ------------------------


def _education(value: JsonValue, path: str) -> list[Section]:
    return [_study(item, item_path) for item_path, item in entries(value, path)]


def _study(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        return Section(path, SectionType.EDUCATION, short_title(render(item)), sentence(render(item)))
    fields = Fields(
        item.items(),
        ("institution",),
        ("area",),
        ("study_type",),
        ("start_date",),
        ("end_date",),
        ("score", "gpa"),
        ("courses",),
    )
    institution, area, study_type = fields.text("institution"), fields.text("area"), fields.text("study_type")
    start_raw, end_raw = fields.text("start_date"), fields.text("end_date")
    if start_raw:
        dates = f"({date_range(start_raw, end_raw, current=False)})"
    else:
        dates = f"graduating {end_raw}" if end_raw else ""
    text = join_sentences(
        education_sentence(study_type, area, institution, dates),
        _score(fields.text("score", "gpa")),
        with_label("Courses", fields.value("courses")),
        fields.rest_text(),
    )
    title = ", ".join(part for part in (" in ".join(p for p in (study_type, area) if p), institution) if part)
    return Section(
        path,
        SectionType.EDUCATION,
        title or short_title(text),
        text,
        parse_date(start_raw),
        parse_date(end_raw),
    )


def _score(score: str) -> str:
    """ "GPA: 3.8" for a grade point average ("3.8", "3.8/4.0"), which is what JSON Resume's score usually is;
    "Grade: 8.1/10" or "Grade: First-class honours" for any other."""
    if not score:
        return ""
    return f"{'GPA' if _GPA.fullmatch(score) else 'Grade'}: {score}"


# --- skills, languages, interests, references, projects --------------------------------------


def _skills(value: JsonValue, path: str) -> list[Section]:
    return [_skill(item, item_path) for item_path, item in entries(value, path)]


def _skill(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        return Section(
            path,
            SectionType.SKILLS,
            short_title(render(item)),
            sentence(f"My skills: {render(item)}"),
            tags=keyword_tags(item),
        )
    fields = Fields(item.items(), ("name",), ("level",), ("keywords",))
    name, level, keywords = fields.text("name"), fields.text("level"), fields.value("keywords")
    subject = f"My {name} skills" if name else "My skills"
    subject += f" ({level})" if level else ""
    text = join_sentences(f"{subject}: {render(keywords)}" if keywords else subject, fields.rest_text())
    return Section(path, SectionType.SKILLS, name or "Skills", text, tags=tags([name, *keyword_tags(keywords)]))


def _languages(value: JsonValue, path: str) -> list[Section]:
    text = sentence(f"Languages I speak: {phrases(value, ('language', 'name'), ('fluency', 'level'))}")
    found = keyword_tags(value, names=("language", "name"))
    return [Section(path, SectionType.LANGUAGE, "Languages", text, tags=found)]


def _interests(value: JsonValue, path: str) -> list[Section]:
    text = sentence(f"My interests: {phrases(value, ('name',), ('keywords',))}")
    found = keyword_tags(value, names=("name",))
    return [Section(path, SectionType.INTEREST, "Interests", text, tags=found)]


def _references(value: JsonValue, path: str) -> list[Section]:
    return [_reference(item, item_path) for item_path, item in entries(value, path)]


def _reference(item: JsonValue, path: str) -> Section:
    fields = Fields.of(item, ("name",), ("reference",))
    name = fields.text("name")
    body = fields.text("reference") if isinstance(item, dict) else render(item)
    lead = f"A reference from {name}" if name else "A reference"
    text = join_sentences(f"{lead}: {body}" if body else lead, fields.rest_text())
    return Section(path, SectionType.REFERENCE, f"Reference from {name}" if name else "Reference", text)


def _projects(value: JsonValue, path: str) -> list[Section]:
    return [_project(item, item_path) for item_path, item in entries(value, path)]


def _project(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        return Section(path, SectionType.PROJECT, short_title(render(item)), sentence(project_intro("", render(item))))
    fields = Fields(
        item.items(),
        ("name",),
        ("description", "summary"),
        ("start_date",),
        ("end_date",),
        ("keywords", "technologies"),
        ("url",),
        ("roles",),
        ("highlights",),
    )
    name, description = fields.text("name"), fields.text("description", "summary")
    start_raw, end_raw = fields.text("start_date"), fields.text("end_date")
    keywords, url = fields.value("keywords", "technologies"), fields.text("url")
    text = join_lines(
        join_sentences(project_intro(name, description), with_label("My roles", fields.value("roles"))),
        *_highlights(fields.value("highlights")),
        join_sentences(
            with_label("Technologies", keywords),
            with_label("When", date_range(start_raw, end_raw, current=not end_raw)),
            fields.rest_text(),
            f"Link: {url}" if url else "",
        ),
    )
    found = keyword_tags(keywords)
    return Section(
        path,
        SectionType.PROJECT,
        name or short_title(text),
        text,
        parse_date(start_raw),
        parse_date(end_raw),
        found,
    )


_HANDLERS: dict[str, Handler] = {
    "work": _work,
    "volunteer": _volunteer,
    "education": _education,
    "awards": recognitions.awards,
    "certificates": recognitions.certificates,
    "publications": recognitions.publications,
    "skills": _skills,
    "languages": _languages,
    "interests": _interests,
    "references": _references,
    "projects": _projects,
}
