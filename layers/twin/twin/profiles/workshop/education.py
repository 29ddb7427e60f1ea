"""Degrees, and lists of certifications kept beside them."""

from twin.domain.profile import Section, SectionType
from twin.profiles._sections import type_for_key
from twin.profiles.dates import parse_date, parse_period
from twin.profiles.fields import Fields
from twin.profiles.json_values import JsonValue, children, entries, is_empty
from twin.profiles.phrasing import education_sentence, join_sentences, sentence, short_title
from twin.profiles.rendering import render
from twin.profiles.workshop.skills import skill_group

_DEGREE = ("degree", "qualification", "program", "programme", "study_type", "course")
_FIELD = ("field", "field_of_study", "major", "area", "subject", "specialization", "specialisation")
_INSTITUTION = ("institution", "university", "school", "college", "institute")
_GRADUATION = (
    "graduation",
    "graduation_year",
    "graduation_date",
    "graduated",
    "year",
    "end_date",
    "completed",
)
_START = ("start_date", "start")
_STUDY_PERIOD = ("duration", "dates", "period", "years")


def education(key: str, value: JsonValue, path: str) -> list[Section]:
    """Degrees; an object of lists (`degrees`, `certifications`) gives each list its own sections."""
    if isinstance(value, dict) and all(isinstance(item, list) for item in value.values() if not is_empty(item)):
        return [section for group in children(value, path) for section in _education_group(*group)]
    return [_degree(item, item_path) for item_path, item in entries(value, path)]


def _education_group(key: str, value: JsonValue, path: str) -> list[Section]:
    if type_for_key(key, SectionType.EDUCATION) is SectionType.CERTIFICATION:
        return [skill_group(key, value, path)]
    return [_degree(item, item_path) for item_path, item in entries(value, path)]


def _degree(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        text = sentence(f"My education: {render(item)}")
        return Section(path, SectionType.EDUCATION, short_title(render(item)), text)
    fields = Fields(item.items(), _DEGREE, _FIELD, _INSTITUTION, _STUDY_PERIOD, _START, _GRADUATION)
    degree, field = fields.text(*_DEGREE), fields.text(*_FIELD)
    institution = fields.text(*_INSTITUTION)
    period, start_raw = fields.text(*_STUDY_PERIOD), fields.text(*_START)
    graduation = fields.text(*_GRADUATION)
    dates = _study_dates(period, start_raw, graduation)
    start, end = parse_period(period) if period else (parse_date(start_raw), None)
    end = parse_date(graduation) or end
    text = join_sentences(education_sentence(degree, field, institution, dates), fields.rest_text())
    title = ", ".join(part for part in (degree or field, institution) if part) or short_title(text)
    return Section(path, SectionType.EDUCATION, title, text, start, end)


def _study_dates(period: str, start: str, graduation: str) -> str:
    """ "(2015 – 2019)", "(from 2015)" and/or "graduating 2019"."""
    span = ", ".join(part for part in (period, f"from {start}" if start else "") if part)
    graduating = f"graduating {graduation}" if graduation else ""
    return ", ".join(part for part in (f"({span})" if span else "", graduating) if part)
