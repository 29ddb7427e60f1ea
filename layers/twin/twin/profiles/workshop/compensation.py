"""Salary expectations, location and relocation."""

from twin.domain.profile import Section, SectionType
from twin.profiles.fields import Fields
from twin.profiles.json_values import JsonValue
from twin.profiles.phrasing import join_sentences, sentence
from twin.profiles.rendering import facts, render

_COMPENSATION_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("salary_expectations", "salary_expectation", "salary", "expected_salary", "salary_range"),
        "My salary expectation is {}",
    ),
    (("current_location", "location", "based_in", "city"), "I am based in {}"),
    (("location_preferences", "location_preference", "preferred_locations"), "My location preferences: {}"),
    (("remote", "remote_work", "remote_preference", "work_arrangement"), "Remote work: {}"),
)
_RELOCATION = ("relocation", "willing_to_relocate", "open_to_relocation")


def compensation(key: str, value: JsonValue, path: str) -> list[Section]:
    if not isinstance(value, dict):
        text = sentence(f"Salary and location: {render(value)}")
        return [Section(path, SectionType.COMPENSATION, "Salary and location", text)]
    fields = Fields(value.items(), *(names for names, _ in _COMPENSATION_PHRASES), _RELOCATION)
    parts = [template.format(text) for names, template in _COMPENSATION_PHRASES if (text := fields.text(*names))]
    text = join_sentences(*parts, _relocation(fields.value(*_RELOCATION)), facts(fields.rest()))
    return [Section(path, SectionType.COMPENSATION, "Salary and location", text)]


def _relocation(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "Yes, I am open to relocating" if value else "No, I am not open to relocating"
    text = render(value)
    return f"I am open to relocating: {text}" if text else ""
