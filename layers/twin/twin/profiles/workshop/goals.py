"""Career goals and professional development: each key a section of its own."""

from collections.abc import Callable
from dataclasses import dataclass

from twin.domain.profile import Section, SectionType
from twin.profiles.items import phrases
from twin.profiles.json_values import JsonValue, children
from twin.profiles.keys import humanise, lower_label, match_key
from twin.profiles.phrasing import (
    sentence,
)
from twin.profiles.rendering import render
from twin.profiles.tags import keyword_tags


@dataclass(frozen=True, slots=True)
class SectionGroup:
    """A top-level section whose every key becomes a section of its own (`career_goals.short_term`)."""

    type: SectionType
    title: str
    lead: str
    labels: dict[str, tuple[str, str, SectionType]]
    tagged: frozenset[str]
    render: Callable[[JsonValue], str]

    def sections(self, key: str, value: JsonValue, path: str) -> list[Section]:
        if not isinstance(value, dict):
            return [Section(path, self.type, self.title, sentence(f"{self.lead}: {self.render(value)}"))]
        sections: list[Section] = []
        for name, item, item_path in children(value, path):
            label = humanise(name)
            default = (label, f"{self.lead} — {lower_label(label)}", self.type)
            title, lead, section_type = self.labels.get(match_key(name), default)
            found = keyword_tags(item) if match_key(name) in self.tagged else ()
            text = sentence(f"{lead}: {self.render(item)}")
            sections.append(Section(item_path, section_type, title, text, tags=found))
        return sections


GOALS = SectionGroup(
    type=SectionType.GOALS,
    title="Career goals",
    lead="My career goals",
    labels={
        key: (title, lead, SectionType.GOALS)
        for key, (title, lead) in {
            "shortterm": ("Short-term career goal", "My short-term career goal"),
            "shorttermgoals": ("Short-term career goals", "My short-term career goals"),
            "longterm": ("Long-term career goal", "My long-term career goal"),
            "longtermgoals": ("Long-term career goals", "My long-term career goals"),
            "learningfocus": ("Learning focus", "What I am focusing on learning"),
            "industriesinterested": ("Industries of interest", "Industries I am interested in"),
            "targetindustries": ("Industries of interest", "Industries I am interested in"),
            "targetroles": ("Target roles", "Roles I am looking for"),
        }.items()
    },
    tagged=frozenset({"learningfocus", "skillstodevelop"}),
    render=render,
)

_OPEN_SOURCE = ("Open-source contributions", "My open-source contributions", SectionType.DEVELOPMENT)
DEVELOPMENT = SectionGroup(
    type=SectionType.DEVELOPMENT,
    title="Professional development",
    lead="My professional development",
    labels={
        "recentlearning": ("Recent learning", "What I have been learning recently", SectionType.DEVELOPMENT),
        "conferencesattended": ("Conferences", "Conferences I have attended", SectionType.DEVELOPMENT),
        "conferences": ("Conferences", "Conferences I have attended", SectionType.DEVELOPMENT),
        "publications": ("Publications", "My publications", SectionType.PUBLICATION),
        "opensource": _OPEN_SOURCE,
        "opensourcecontributions": _OPEN_SOURCE,
        "certifications": ("Certifications", "My certifications", SectionType.CERTIFICATION),
        "courses": ("Courses", "Courses I have taken", SectionType.DEVELOPMENT),
    },
    tagged=frozenset({"recentlearning", "courses"}),
    render=phrases,
)
