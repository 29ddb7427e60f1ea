"""The workshop's `digitaltwin.json`: known sections by (normalised) key, every other value kept.

Each module reads one kind of section; `read` sends each top-level key to its reader.
"""

from collections.abc import Callable

from twin.domain.profile import Profile, ProfileFormat, Section
from twin.profiles._sections import build_profile, generic_sections
from twin.profiles.json_values import JsonObject, JsonValue, child_path, is_empty
from twin.profiles.keys import match_key
from twin.profiles.workshop.compensation import compensation
from twin.profiles.workshop.education import education
from twin.profiles.workshop.experience import experience
from twin.profiles.workshop.goals import DEVELOPMENT, GOALS
from twin.profiles.workshop.interview import interview, weaknesses
from twin.profiles.workshop.personal import PERSONAL_FIELDS, PERSONAL_SECTIONS, Person, personal
from twin.profiles.workshop.projects import projects
from twin.profiles.workshop.skills import skills

type Handler = Callable[[str, JsonValue, str], list[Section]]


def load(root: JsonObject) -> Profile:
    person, sections = read(root)
    return build_profile(ProfileFormat.WORKSHOP, person.name, person.headline, person.summary, sections, "$")


def read(root: JsonObject) -> tuple[Person, list[Section]]:
    """The person and the sections of a workshop document, before they make a profile."""
    personal_pairs: list[tuple[str, JsonValue]] = []
    personal_path = "$"
    others: list[tuple[str, JsonValue]] = []
    for key, value in root.items():
        if is_empty(value):
            continue
        if match_key(key) in PERSONAL_SECTIONS and isinstance(value, dict) and personal_path == "$":
            personal_path = child_path("$", key)
            personal_pairs[:0] = list(value.items())
        elif match_key(key) in PERSONAL_SECTIONS:
            personal_pairs.append(("summary", value))
        elif match_key(key) in PERSONAL_FIELDS:
            personal_pairs.append((key, value))
        else:
            others.append((key, value))
    person, sections = personal(personal_pairs, personal_path)
    for key, value in others:
        handler = _HANDLERS.get(match_key(key), generic_sections)
        sections.extend(handler(key, value, child_path("$", key)))
    return person, sections


def _keys(*names: str) -> list[str]:
    return [match_key(name) for name in names]


_HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(_keys("salary_location", "salary", "compensation", "salary_and_location"), compensation),
    **dict.fromkeys(
        _keys("experience", "work_experience", "professional_experience", "employment", "work_history"),
        experience,
    ),
    **dict.fromkeys(_keys("skills", "skill_set", "technical_skills"), skills),
    **dict.fromkeys(_keys("education", "academic_background", "qualifications"), education),
    **dict.fromkeys(_keys("projects_portfolio", "projects", "portfolio", "side_projects"), projects),
    **dict.fromkeys(_keys("career_goals", "goals", "career_objectives"), GOALS.sections),
    **dict.fromkeys(_keys("interview_prep", "interview_preparation", "interview"), interview),
    **dict.fromkeys(
        _keys("weaknesses", "weakness", "development_areas", "areas_for_improvement", "areas_to_improve"),
        weaknesses,
    ),
    **dict.fromkeys(_keys("professional_development", "development", "learning"), DEVELOPMENT.sections),
}
