"""Skills: groups of skills, each a section; certifications and languages kept as such."""

from twin.domain.profile import Section, SectionType
from twin.profiles._sections import type_for_key
from twin.profiles.fields import Fields
from twin.profiles.items import phrases
from twin.profiles.json_values import JsonValue, Number, as_list, children
from twin.profiles.keys import humanise, lower_label, match_key
from twin.profiles.phrasing import sentence
from twin.profiles.rendering import render, render_pairs
from twin.profiles.tags import keyword_tags, tags

_TECHNICAL = frozenset({"technical", "technicalskills", "hardskills", "technology", "technologies"})
_SKILL_NAME = (
    "language",
    "name",
    "skill",
    "technology",
    "tool",
    "database",
    "platform",
    "framework",
    "title",
)
_SKILL_LEVEL = ("proficiency", "level", "expertise", "skill_level")
_SKILL_YEARS = ("years", "years_experience", "years_of_experience", "experience", "yrs")
_SKILL_EXTRAS = ("frameworks", "libraries", "tools", "services", "keywords", "ecosystem")
_SKILL_LABELS = {"technical": "Technical skills", "soft": "Soft skills", "hard": "Hard skills"}
_CERTIFICATE_PLAIN = (
    "issuer",
    "issued_by",
    "authority",
    "provider",
    "organization",
    "date",
    "year",
    "obtained",
)
_SKILL_SECTION_TYPES = frozenset({SectionType.CERTIFICATION, SectionType.LANGUAGE, SectionType.INTEREST})


def skills(key: str, value: JsonValue, path: str) -> list[Section]:
    if not isinstance(value, dict):
        return [skill_group(key, value, path)]
    sections: list[Section] = []
    for group, items, group_path in children(value, path):
        if match_key(group) in _TECHNICAL and isinstance(items, dict):
            sections.extend(skill_group(*entry) for entry in children(items, group_path))
        else:
            sections.append(skill_group(group, items, group_path))
    return sections


def skill_group(key: str, value: JsonValue, path: str) -> Section:
    label = _SKILL_LABELS.get(match_key(key)) or humanise(key) or "Skills"
    if not any(char.islower() for char in label):
        label = f"{label} skills"
    section_type = type_for_key(key, SectionType.SKILLS)
    section_type = section_type if section_type in _SKILL_SECTION_TYPES else SectionType.SKILLS
    if section_type is SectionType.CERTIFICATION:
        body = phrases(value, plain=_CERTIFICATE_PLAIN)
    elif isinstance(value, list):
        body = ", ".join(_skill_phrase(item) for item in as_list(value))
    else:
        body = render(value)
    tags_found = keyword_tags(value, names=_SKILL_NAME) + keyword_tags(
        *(Fields.of(item).value(*_SKILL_EXTRAS) for item in as_list(value))
    )
    text = sentence(f"My {lower_label(label)}: {body}")
    return Section(path, section_type, label, text, tags=tags(tags_found))


def _skill_phrase(item: JsonValue) -> str:
    """ "Python (expert, 8 years; Django, FastAPI)"."""
    if not isinstance(item, dict):
        return render(item)
    fields = Fields(item.items(), _SKILL_NAME, _SKILL_LEVEL, _SKILL_YEARS, _SKILL_EXTRAS)
    name = fields.text(*_SKILL_NAME)
    qualifiers = ", ".join(part for part in (fields.text(*_SKILL_LEVEL), _years(fields.value(*_SKILL_YEARS))) if part)
    extras = render(fields.value(*_SKILL_EXTRAS))
    inner = "; ".join(part for part in (qualifiers, extras, render_pairs(fields.rest(), ", ")) if part)
    if not name:
        return inner
    return f"{name} ({inner})" if inner else name


def _years(value: JsonValue) -> str:
    text = render(value)
    number = text.removesuffix("+")
    if isinstance(value, Number) or number.replace(".", "", 1).isdigit():
        return f"{text} year" if text == "1" else f"{text} years"
    return text
