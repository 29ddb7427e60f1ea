"""Projects, with their technologies, impact and links."""

from twin.domain.profile import Section, SectionType
from twin.profiles.dates import parse_period
from twin.profiles.fields import Fields, Matching
from twin.profiles.json_values import JsonValue, entries
from twin.profiles.keys import match_key
from twin.profiles.phrasing import join_sentences, project_intro, sentence, short_title
from twin.profiles.rendering import render, with_label
from twin.profiles.tags import keyword_tags
from twin.profiles.workshop.experience import TECHNOLOGIES

_PROJECT_NAME = ("name", "title", "project", "project_name")
_PROJECT_DESCRIPTION = ("description", "summary", "overview", "about")
_PROJECT_TECHNOLOGIES = (*TECHNOLOGIES, "tech", "languages", "skills", "frameworks", "keywords")
_PROJECT_ROLE = ("role", "my_role", "roles")
_PROJECT_PERIOD = ("duration", "dates", "period", "timeline", "year", "date")
_PROJECT_IMPACT = ("impact", "results", "result", "outcome", "outcomes", "metrics")
_LINK_KEYS = frozenset({"github", "repo", "repository", "website", "homepage", "demo", "link", "links", "url", "urls"})


def projects(key: str, value: JsonValue, path: str) -> list[Section]:
    return [_project(item, item_path) for item_path, item in entries(value, path)]


def _project(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        text = sentence(project_intro("", render(item)))
        return Section(path, SectionType.PROJECT, short_title(render(item)), text, tags=keyword_tags(item))
    fields = Fields(
        item.items(),
        _PROJECT_NAME,
        _PROJECT_DESCRIPTION,
        _PROJECT_ROLE,
        _PROJECT_TECHNOLOGIES,
        _PROJECT_IMPACT,
        _PROJECT_PERIOD,
        _LINKS,
    )
    name, description = fields.text(*_PROJECT_NAME), fields.text(*_PROJECT_DESCRIPTION)
    role = fields.text(*_PROJECT_ROLE)
    technologies = fields.value(*_PROJECT_TECHNOLOGIES)
    impact = fields.text(*_PROJECT_IMPACT)
    period = fields.text(*_PROJECT_PERIOD)
    links = fields.matching(_is_link)
    text = join_sentences(
        project_intro(name, description),
        f"My role: {role}" if role else "",
        with_label("Technologies", technologies),
        f"Impact: {impact}" if impact else "",
        f"When: {period}" if period else "",
        fields.rest_text(),
        f"Links: {', '.join(render(link) for _, link in links)}" if links else "",
    )
    start, end = parse_period(period)
    title = name or short_title(description or text)
    return Section(path, SectionType.PROJECT, title, text, start, end, keyword_tags(technologies))


def _is_link(key: str, _value: JsonValue) -> bool:
    normal = match_key(key)
    return normal in _LINK_KEYS or normal.endswith(("url", "link", "links"))


_LINKS = Matching(_is_link)
