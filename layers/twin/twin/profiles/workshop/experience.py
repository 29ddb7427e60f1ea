"""Jobs, their achievements (STAR stories) and the behavioural stories told inside a job."""

import re
from dataclasses import dataclass

from twin.domain.profile import Section, SectionType
from twin.profiles.dates import date_range, find_dates, parse_date, parse_period
from twin.profiles.fields import Every, Fields, Matching
from twin.profiles.json_values import JsonValue, as_list, child_path, entries, is_empty
from twin.profiles.keys import humanise, key_words, match_key
from twin.profiles.phrasing import (
    join_sentences,
    role_sentence,
    sentence,
    short_title,
)
from twin.profiles.rendering import render, render_pairs, with_label
from twin.profiles.tags import keyword_tags, tags

_COMPANY = ("company", "company_name", "organisation", "organization", "employer", "client", "firm")
_ROLE = ("title", "job_title", "role", "position", "job", "designation")
_PERIOD = ("duration", "dates", "period", "date_range", "tenure", "time_period")
_START = ("start_date", "start", "from", "started", "since")
_END = ("end_date", "end", "to", "until", "ended")
_CURRENT = ("current", "is_current", "currently_employed", "current_role")
_COMPANY_CONTEXT = ("company_context", "company_description", "about_company", "company_info")
_TEAM = ("team_structure", "team")
TECHNOLOGIES = ("technical_skills_used", "technologies", "tech_stack", "technologies_used", "tools", "stack")
_LEADERSHIP = ("leadership_examples", "leadership")
_ACHIEVEMENTS = ("achievements_star", "star_achievements", "achievements", "accomplishments")
_SITUATION = ("situation", "context", "background")
_TASK = ("task", "challenge", "goal")
_ACTION = ("action", "actions", "what_i_did")
_RESULT = ("result", "results", "outcome", "impact")
_ARTICLES = ("a ", "an ", "the ")
_ACHIEVEMENT_NAME = ("title", "name", "headline", "achievement")
# A result that opens with how the work went ("Completed in 9 weeks, …") names no story; its action does.
_HOW_IT_WENT = re.compile(
    r"(?:completed|finished|done|delivered|shipped|launched|landed)\s+(?:in|on|within|ahead|early|under)\b",
    re.IGNORECASE,
)
_ACHIEVEMENT_TECHNOLOGIES = ("technologies", "skills", "tools", "tech_stack")
# Behavioural stories told inside a job ("conflict_example", "failures_and_lessons"): each answers an
# interview question on its own, so it is a section of its own rather than a clause of the job's text.
_STORY_WORDS = frozenset({"failure", "lesson", "learned", "conflict", "challenge", "story", "stories", "mistake"})
_STORY_MIN_WORDS = 25
# Long fields that describe the job itself, which stay in the job's text however long they are.
_JOB_DESCRIPTION = frozenset(
    match_key(key) for key in ("description", "summary", "overview", "responsibilities", "duties", "role_description")
)
_STORY_TOLD = ("what_happened", "story", "situation", "context", "background", "description", "problem", "failure")
_STORY_PARTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("task", "goal"), "My task"),
    (("action", "actions", "what_i_did", "how_i_handled_it", "resolution"), "What I did"),
    (("result", "results", "outcome", "impact"), "The result"),
    (("lesson", "lessons", "lesson_learned", "lessons_learned", "what_i_learned", "learned", "takeaway"), "The lesson"),
)


@dataclass(frozen=True, slots=True)
class _Job:
    company: str
    role: str
    start: str | None
    end: str | None
    technologies: tuple[str, ...]

    @property
    def context(self) -> str:
        """ "At Northwind, as Senior Engineer": what every achievement of the job starts with."""
        if self.company and self.role:
            return f"At {self.company}, as {self.role}"
        return f"At {self.company}" if self.company else (f"As {self.role}" if self.role else "")


def experience(key: str, value: JsonValue, path: str) -> list[Section]:
    sections: list[Section] = []
    for entry_path, item in entries(value, path):
        sections.extend(_job(item, entry_path))
    return sections


def _job(item: JsonValue, path: str) -> list[Section]:
    if not isinstance(item, dict):
        text = sentence(f"My experience: {render(item)}")
        return [Section(path, SectionType.EXPERIENCE, short_title(render(item)), text)]
    fields = Fields(
        item.items(),
        _COMPANY,
        _ROLE,
        _PERIOD,
        _START,
        _END,
        _CURRENT,
        _COMPANY_CONTEXT,
        _TEAM,
        TECHNOLOGIES,
        _LEADERSHIP,
        _ACHIEVEMENTS,
        _STORIES,
    )
    company, role = fields.text(*_COMPANY), fields.text(*_ROLE)
    dates, start, end, current = _job_dates(fields, role_known=bool(role or company))
    context, team = fields.text(*_COMPANY_CONTEXT), fields.text(*_TEAM)
    technologies, leadership = fields.value(*TECHNOLOGIES), fields.value(*_LEADERSHIP)
    job = _Job(company, role, start, end, keyword_tags(technologies))
    achievements = _achievements(fields.entry(*_ACHIEVEMENTS), path, job)
    stories = _stories(fields, path, job)
    introduction = role_sentence(role, company, dates, current)
    if context and context.lower().startswith(_ARTICLES) and introduction:
        introduction, context = f"{introduction}, {context}", ""
    # One sentence per leadership item and achievement ("Mentored 3 engineers."), so each can be quoted alone.
    highlights = [section.title.removesuffix(f" — {company}") for section in achievements]
    text = join_sentences(
        introduction,
        f"About {company or 'the company'}: {context}" if context else "",
        f"My team: {team}" if team else "",
        with_label(f"Technologies I {'use' if current else 'used'} there", technologies),
        *_items(leadership),
        *highlights,
        fields.rest_text(),
    )
    title = " at ".join(part for part in (role, company) if part) or short_title(text)
    job_section = Section(path, SectionType.EXPERIENCE, title, text, start, end, job.technologies)
    return [job_section, *achievements, *stories]


def _items(value: JsonValue) -> list[str]:
    if isinstance(value, list):
        return [render(item) for item in value]
    return [render(value)] if value is not None else []


def _job_dates(fields: Fields, role_known: bool) -> tuple[str, str | None, str | None, bool | None]:
    """Display text, start, end and whether the job is current (None: unknown)."""
    period = fields.text(*_PERIOD)
    start_raw, end_raw = fields.text(*_START), fields.text(*_END)
    flag = fields.entry(*_CURRENT)
    start, end = parse_period(period) if period else (parse_date(start_raw), parse_date(end_raw))
    explicit = flag[1] if flag and isinstance(flag[1], bool) else None
    # A start date with no end date (or a null one) is a job the person still has.
    ongoing = end == "present" or (not period and not end_raw and bool(find_dates(start_raw)))
    current = explicit if explicit is not None else (ongoing if start or end else None)
    end = "present" if current and end is None else end
    shown = [period, date_range(start_raw, end_raw, current=bool(current))]
    if flag and (explicit is None or not role_known):  # the sentence's tense cannot tell it
        shown.append(render_pairs([flag]))
    return "; ".join(part for part in shown if part), start, end, current


def _achievements(entry: tuple[str, JsonValue] | None, job_path: str, job: _Job) -> list[Section]:
    if entry is None:
        return []
    key, value = entry
    path = child_path(job_path, key)
    if isinstance(value, list):
        items = [(f"{path}[{index}]", item) for index, item in enumerate(value) if not is_empty(item)]
    else:
        items = [(path, value)]
    return [_achievement(item, item_path, job) for item_path, item in items]


def _achievement(item: JsonValue, path: str, job: _Job) -> Section:
    fields = Fields.of(item, _ACHIEVEMENT_NAME, _SITUATION, _TASK, _ACTION, _RESULT, _ACHIEVEMENT_TECHNOLOGIES)
    named = fields.text(*_ACHIEVEMENT_NAME)
    situation, task = fields.text(*_SITUATION), fields.text(*_TASK)
    action, result = fields.text(*_ACTION), fields.text(*_RESULT)
    technologies = fields.value(*_ACHIEVEMENT_TECHNOLOGIES)
    body = join_sentences(
        named,
        situation,
        f"My task: {task}" if task else "",
        f"What I did: {action}" if action else "",
        f"The result: {result}" if result else "",
        with_label("Technologies", technologies),
        fields.rest_text() if isinstance(item, dict) else render(item),
    )
    headline = result if result and not _HOW_IT_WENT.match(result) else ""
    title = named or short_title(headline or action or result or situation or body)
    text = join_sentences(job.context, body)
    found = tags((*keyword_tags(technologies), *_mentioned_technologies(job, text)))
    return Section(path, SectionType.ACHIEVEMENT, _job_title(title, job), text, job.start, job.end, found)


def _job_title(title: str, job: _Job) -> str:
    return f"{title} — {job.company}" if job.company else title


def _mentioned_technologies(job: _Job, text: str) -> tuple[str, ...]:
    """The job's technologies that a story mentions: what it is about."""
    return tuple(tag for tag in job.technologies if re.search(rf"(?<!\w){re.escape(tag)}(?!\w)", text, re.I))


def _stories(fields: Fields, job_path: str, job: _Job) -> list[Section]:
    """The job's behavioural stories, taken out of its fields, as achievements of the job."""
    return [_story(key, value, child_path(job_path, key), job) for key, value in fields.matching(_is_story)]


def _is_story(key: str, value: JsonValue) -> bool:
    """Read after every other field of the job: a story is what is left that tells one."""
    words = key_words(key)
    if {*words, *(word.removesuffix("s") for word in words)} & _STORY_WORDS:
        return True
    if match_key(key) in _JOB_DESCRIPTION:
        return False
    items = as_list(value)
    return bool(items) and all(isinstance(item, str | dict) and _is_paragraph(render(item)) for item in items)


_STORIES = Matching(_is_story)


def _is_paragraph(text: str) -> bool:
    return len(text.split()) > _STORY_MIN_WORDS


def _story(key: str, value: JsonValue, path: str, job: _Job) -> Section:
    """ "At Acme, as Engineer. <what happened>. The lesson: <lesson>.", titled "Failures and lessons — Acme"."""
    text = join_sentences(job.context, *(_story_item(item) for item in as_list(value)))
    title = _job_title(humanise(key) or "Story", job)
    found = tags(_mentioned_technologies(job, text))
    return Section(path, SectionType.ACHIEVEMENT, title, text, job.start, job.end, found)


def _story_item(item: JsonValue) -> str:
    if not isinstance(item, dict):
        return render(item)
    fields = Fields(item.items(), Every(_STORY_TOLD), *(names for names, _ in _STORY_PARTS))
    told = [render(value) for _, value in fields.every(*_STORY_TOLD)]
    parts = [f"{label}: {text}" for names, label in _STORY_PARTS if (text := fields.text(*names))]
    return join_sentences(*told, *parts, fields.rest_text())
