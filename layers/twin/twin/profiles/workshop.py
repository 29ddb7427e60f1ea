"""The workshop's `digitaltwin.json`: known sections by (normalised) key, every other value kept."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.profiles._sections import build_profile, generic_sections, type_for_key
from twin.profiles.dates import date_range, find_dates, parse_date, parse_period
from twin.profiles.fields import Fields
from twin.profiles.items import phrases
from twin.profiles.json_values import JsonObject, JsonValue, Number, as_list, child_path, entries, is_empty
from twin.profiles.keys import humanise, key_words, lower_label, match_key
from twin.profiles.names import name_and_links, post_nominals
from twin.profiles.phrasing import (
    education_sentence,
    join_sentences,
    project_intro,
    role_sentence,
    sentence,
    short_title,
)
from twin.profiles.rendering import facts, place, render, render_pairs, with_label
from twin.profiles.tags import keyword_tags, tags

type Handler = Callable[[str, JsonValue, str], list[Section]]

_NAME = ("full_name", "fullname", "name", "preferred_name")
_FIRST_NAME = ("first_name", "given_name")
_LAST_NAME = ("last_name", "surname", "family_name")
_TITLE = ("title", "job_title", "role", "position", "headline", "current_title", "current_role", "profession")
_LOCATION = ("location", "based_in", "current_location", "city", "residence")
_SUMMARY = (
    "summary",
    "professional_summary",
    "bio",
    "about",
    "about_me",
    "overview",
    "profile",
    "description",
)
_PITCH = ("elevator_pitch", "pitch", "elevator")
_CONTACT = ("contact", "contact_info", "contact_information", "contact_details", "contacts")
_CONTACT_FIELDS = (
    "email",
    "email_address",
    "phone",
    "phone_number",
    "mobile",
    "linkedin",
    "linkedin_url",
    "github",
    "github_url",
    "website",
    "personal_website",
    "portfolio_url",
    "twitter",
    "blog",
)
_PERSONAL_EXTRAS = ("nationality", "citizenship", "visa_status")
# Names of the block about the person; "about", "profile" and "bio" holding text are the summary instead.
_PERSONAL_SECTIONS = frozenset(
    match_key(key)
    for key in (
        "personal",
        "personal_info",
        "personal_information",
        "personal_details",
        "about_me",
        "about",
        "profile",
        "basics",
        "me",
        "bio",
    )
)
_PERSONAL_FIELDS = frozenset(
    match_key(key)
    for key in (
        *_NAME,
        *_FIRST_NAME,
        *_LAST_NAME,
        *_TITLE,
        *_LOCATION,
        *_SUMMARY,
        *_PITCH,
        *_CONTACT,
        *_CONTACT_FIELDS,
        *_PERSONAL_EXTRAS,
    )
)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str
    location: str
    summary: str
    credentials: str = ""

    @property
    def headline(self) -> str:
        return " · ".join(part for part in (self.title, self.credentials, self.location) if part)


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
        if match_key(key) in _PERSONAL_SECTIONS and isinstance(value, dict) and personal_path == "$":
            personal_path = child_path("$", key)
            personal_pairs[:0] = list(value.items())
        elif match_key(key) in _PERSONAL_SECTIONS:
            personal_pairs.append(("summary", value))
        elif match_key(key) in _PERSONAL_FIELDS:
            personal_pairs.append((key, value))
        else:
            others.append((key, value))
    person, sections = _personal(personal_pairs, personal_path)
    for key, value in others:
        handler = _HANDLERS.get(match_key(key), generic_sections)
        sections.extend(handler(key, value, child_path("$", key)))
    return person, sections


# --- personal --------------------------------------------------------------------------------


def _personal(pairs: list[tuple[str, JsonValue]], path: str) -> tuple[Person, list[Section]]:
    fields = Fields(pairs)
    raw_name = fields.take(*_NAME)
    name, links = name_and_links(raw_name)
    name = name or " ".join(part for part in (fields.text(*_FIRST_NAME), fields.text(*_LAST_NAME)) if part)
    title, location = fields.text(*_TITLE), place(fields.take(*_LOCATION))
    person = Person(name, title, location, fields.text(*_SUMMARY), post_nominals(raw_name))
    pitch = fields.take_entry(*_PITCH)
    contact = _contact(fields, links, path)
    # Other personal details join "About me": on their own they would be a tiny section that
    # outranks the real introduction for "tell me about yourself".
    about = join_sentences(_introduction(person), person.summary, facts(fields.rest()))
    sections = [Section(path, SectionType.SUMMARY, "About me", about)] if about else []
    if pitch:
        text = sentence(f"My elevator pitch: {render(pitch[1])}")
        sections.append(Section(child_path(path, pitch[0]), SectionType.SUMMARY, "Elevator pitch", text))
    return person, [*sections, *contact]


def _introduction(person: Person) -> str:
    if person.name:
        credentials = f" ({person.credentials})" if person.credentials else ""
        title = f", {person.title}" if person.title else ""
        location = f", based in {person.location}" if person.location else ""
        return f"I am {person.name}{credentials}{title}{location}"
    title = f"My title is {person.title}" if person.title else ""
    location = f"I am based in {person.location}" if person.location else ""
    return join_sentences(title, location)


def _contact(fields: Fields, links: str, path: str) -> list[Section]:
    contact = fields.take_entry(*_CONTACT)
    pairs = [*fields.take_all(*_CONTACT_FIELDS), *([("links", links)] if links else [])]
    if contact:
        pairs[:0] = list(contact[1].items()) if isinstance(contact[1], dict) else [("", contact[1])]
    text = render_pairs(pairs)
    if not text:
        return []
    contact_path = child_path(path, contact[0] if contact else "contact")
    return [Section(contact_path, SectionType.CONTACT, "Contact", sentence(f"How to reach me — {text}"))]


# --- salary and location ---------------------------------------------------------------------

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


def _compensation(key: str, value: JsonValue, path: str) -> list[Section]:
    if not isinstance(value, dict):
        text = sentence(f"Salary and location: {render(value)}")
        return [Section(path, SectionType.COMPENSATION, "Salary and location", text)]
    fields = Fields(value.items())
    parts = [template.format(text) for names, template in _COMPENSATION_PHRASES if (text := fields.text(*names))]
    text = join_sentences(*parts, _relocation(fields.take(*_RELOCATION)), facts(fields.rest()))
    return [Section(path, SectionType.COMPENSATION, "Salary and location", text)]


def _relocation(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "Yes, I am open to relocating" if value else "No, I am not open to relocating"
    text = render(value)
    return f"I am open to relocating: {text}" if text else ""


# --- experience and achievements -------------------------------------------------------------

_COMPANY = ("company", "company_name", "organisation", "organization", "employer", "client", "firm")
_ROLE = ("title", "job_title", "role", "position", "job", "designation")
_PERIOD = ("duration", "dates", "period", "date_range", "tenure", "time_period")
_START = ("start_date", "start", "from", "started", "since")
_END = ("end_date", "end", "to", "until", "ended")
_CURRENT = ("current", "is_current", "currently_employed", "current_role")
_COMPANY_CONTEXT = ("company_context", "company_description", "about_company", "company_info")
_TEAM = ("team_structure", "team")
_TECHNOLOGIES = ("technical_skills_used", "technologies", "tech_stack", "technologies_used", "tools", "stack")
_LEADERSHIP = ("leadership_examples", "leadership")
_ACHIEVEMENTS = ("achievements_star", "star_achievements", "achievements", "accomplishments")
_SITUATION = ("situation", "context", "background")
_TASK = ("task", "challenge", "goal")
_ACTION = ("action", "actions", "what_i_did")
_RESULT = ("result", "results", "outcome", "impact")
_ARTICLES = ("a ", "an ", "the ")
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


def _experience(key: str, value: JsonValue, path: str) -> list[Section]:
    sections: list[Section] = []
    for entry_path, item in entries(value, path):
        sections.extend(_job(item, entry_path))
    return sections


def _job(item: JsonValue, path: str) -> list[Section]:
    if not isinstance(item, dict):
        text = sentence(f"My experience: {render(item)}")
        return [Section(path, SectionType.EXPERIENCE, short_title(render(item)), text)]
    fields = Fields(item.items())
    company, role = fields.text(*_COMPANY), fields.text(*_ROLE)
    dates, start, end, current = _job_dates(fields, role_known=bool(role or company))
    context, team = fields.text(*_COMPANY_CONTEXT), fields.text(*_TEAM)
    technologies, leadership = fields.take(*_TECHNOLOGIES), fields.take(*_LEADERSHIP)
    job = _Job(company, role, start, end, keyword_tags(technologies))
    achievements = _achievements(fields.take_entry(*_ACHIEVEMENTS), path, job)
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
    flag = fields.take_entry(*_CURRENT)
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
    fields = Fields.of(item)
    named = fields.text("title", "name", "headline", "achievement")
    situation, task = fields.text(*_SITUATION), fields.text(*_TASK)
    action, result = fields.text(*_ACTION), fields.text(*_RESULT)
    technologies = fields.take("technologies", "skills", "tools", "tech_stack")
    body = join_sentences(
        named,
        situation,
        f"My task: {task}" if task else "",
        f"What I did: {action}" if action else "",
        f"The result: {result}" if result else "",
        with_label("Technologies", technologies),
        fields.rest_text() if isinstance(item, dict) else render(item),
    )
    title = named or short_title(result or action or situation or body)
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
    story_keys = {key for key, value in fields.rest() if _is_story(key, value)}
    taken = fields.take_where(story_keys.__contains__)
    return [_story(key, value, child_path(job_path, key), job) for key, value in taken]


def _is_story(key: str, value: JsonValue) -> bool:
    words = key_words(key)
    if {*words, *(word.removesuffix("s") for word in words)} & _STORY_WORDS:
        return True
    if match_key(key) in _JOB_DESCRIPTION:
        return False
    items = as_list(value)
    return bool(items) and all(isinstance(item, str | dict) and _is_paragraph(render(item)) for item in items)


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
    fields = Fields(item.items())
    told = [render(value) for _, value in fields.take_all(*_STORY_TOLD)]
    parts = [f"{label}: {text}" for names, label in _STORY_PARTS if (text := fields.text(*names))]
    return join_sentences(*told, *parts, fields.rest_text())


# --- skills ----------------------------------------------------------------------------------

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


def _skills(key: str, value: JsonValue, path: str) -> list[Section]:
    if not isinstance(value, dict):
        return [_skill_group(key, value, path)]
    sections: list[Section] = []
    for group, items in value.items():
        group_path = child_path(path, group)
        if is_empty(items):
            continue
        if match_key(group) in _TECHNICAL and isinstance(items, dict):
            sections.extend(
                _skill_group(name, sub, child_path(group_path, name))
                for name, sub in items.items()
                if not is_empty(sub)
            )
        else:
            sections.append(_skill_group(group, items, group_path))
    return sections


def _skill_group(key: str, value: JsonValue, path: str) -> Section:
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
        *(Fields.of(item).take(*_SKILL_EXTRAS) for item in as_list(value))
    )
    text = sentence(f"My {lower_label(label)}: {body}")
    return Section(path, section_type, label, text, tags=tags(tags_found))


def _skill_phrase(item: JsonValue) -> str:
    """ "Python (expert, 8 years; Django, FastAPI)"."""
    if not isinstance(item, dict):
        return render(item)
    fields = Fields(item.items())
    name = fields.text(*_SKILL_NAME)
    qualifiers = ", ".join(part for part in (fields.text(*_SKILL_LEVEL), _years(fields.take(*_SKILL_YEARS))) if part)
    extras = render(fields.take(*_SKILL_EXTRAS))
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


# --- education -------------------------------------------------------------------------------

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
_STUDY_PERIOD = ("duration", "dates", "period", "years")


def _education(key: str, value: JsonValue, path: str) -> list[Section]:
    """Degrees; an object of lists (`degrees`, `certifications`) gives each list its own sections."""
    if isinstance(value, dict) and all(isinstance(item, list) for item in value.values() if not is_empty(item)):
        return [
            section
            for group, items in value.items()
            if not is_empty(items)
            for section in _education_group(group, items, child_path(path, group))
        ]
    return [_degree(item, item_path) for item_path, item in entries(value, path)]


def _education_group(key: str, value: JsonValue, path: str) -> list[Section]:
    if type_for_key(key, SectionType.EDUCATION) is SectionType.CERTIFICATION:
        return [_skill_group(key, value, path)]
    return [_degree(item, item_path) for item_path, item in entries(value, path)]


def _degree(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        text = sentence(f"My education: {render(item)}")
        return Section(path, SectionType.EDUCATION, short_title(render(item)), text)
    fields = Fields(item.items())
    degree, field = fields.text(*_DEGREE), fields.text(*_FIELD)
    institution = fields.text(*_INSTITUTION)
    period, start_raw = fields.text(*_STUDY_PERIOD), fields.text("start_date", "start")
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


# --- projects --------------------------------------------------------------------------------

_PROJECT_NAME = ("name", "title", "project", "project_name")
_PROJECT_DESCRIPTION = ("description", "summary", "overview", "about")
_PROJECT_TECHNOLOGIES = (*_TECHNOLOGIES, "tech", "languages", "skills", "frameworks", "keywords")
_PROJECT_IMPACT = ("impact", "results", "result", "outcome", "outcomes", "metrics")
_LINK_KEYS = frozenset({"github", "repo", "repository", "website", "homepage", "demo", "link", "links", "url", "urls"})


def _projects(key: str, value: JsonValue, path: str) -> list[Section]:
    return [_project(item, item_path) for item_path, item in entries(value, path)]


def _project(item: JsonValue, path: str) -> Section:
    if not isinstance(item, dict):
        text = sentence(project_intro("", render(item)))
        return Section(path, SectionType.PROJECT, short_title(render(item)), text, tags=keyword_tags(item))
    fields = Fields(item.items())
    name, description = fields.text(*_PROJECT_NAME), fields.text(*_PROJECT_DESCRIPTION)
    role = fields.text("role", "my_role", "roles")
    technologies = fields.take(*_PROJECT_TECHNOLOGIES)
    impact = fields.text(*_PROJECT_IMPACT)
    period = fields.text("duration", "dates", "period", "timeline", "year", "date")
    links = fields.take_where(_is_link_key)
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


def _is_link_key(key: str) -> bool:
    normal = match_key(key)
    return normal in _LINK_KEYS or normal.endswith(("url", "link", "links"))


# --- interview preparation -------------------------------------------------------------------

_QUESTIONS = frozenset({"commonquestions", "questions", "practicequestions", "interviewquestions"})
_WEAKNESSES = frozenset({"weaknessmitigation", "weaknesses", "weakness"})


def _interview(key: str, value: JsonValue, path: str) -> list[Section]:
    if not isinstance(value, dict):
        text = sentence(f"Interview preparation: {render(value)}")
        return [Section(path, SectionType.INTERVIEW, "Interview preparation", text)]
    sections: list[Section] = []
    for name, item in value.items():
        item_path = child_path(path, name)
        if is_empty(item):
            continue
        if match_key(name) in _QUESTIONS and isinstance(item, dict):
            sections.extend(
                _questions(group, questions, child_path(item_path, group))
                for group, questions in item.items()
                if not is_empty(questions)
            )
        elif match_key(name) in _QUESTIONS:
            sections.append(_questions("", item, item_path))
        elif match_key(name) in _WEAKNESSES:
            sections.extend(_weakness(entry, entry_path) for entry_path, entry in entries(item, item_path))
        else:
            text = sentence(f"Interview preparation — {lower_label(humanise(name))}: {render(item)}")
            sections.append(Section(item_path, SectionType.INTERVIEW, humanise(name), text))
    return sections


def _questions(group: str, questions: JsonValue, path: str) -> Section:
    label = lower_label(humanise(group))
    has_word = "question" in " ".join(key_words(group))
    kind = label if has_word else " ".join(part for part in (label, "questions") if part)
    title = humanise(group) if has_word else " ".join(part for part in (humanise(group), "interview questions") if part)
    text = sentence(f"Interview preparation — {kind} I have prepared for: {render(questions)}")
    return Section(path, SectionType.INTERVIEW, title[:1].upper() + title[1:], text)


def _weaknesses(key: str, value: JsonValue, path: str) -> list[Section]:
    return [_weakness(entry, entry_path) for entry_path, entry in entries(value, path)]


def _weakness(item: JsonValue, path: str) -> Section:
    fields = Fields.of(item)
    weakness = fields.text("weakness", "area", "challenge")
    mitigation = fields.text("mitigation", "how_i_handle_it", "how_i_mitigate", "improvement", "plan", "strategy")
    text = join_sentences(
        f"A weakness and how I handle it: {weakness}" if weakness else "A weakness and how I handle it",
        f"Mitigation: {mitigation}" if mitigation else "",
        fields.rest_text() if isinstance(item, dict) else render(item),
    )
    title = f"Weakness: {short_title(weakness, 6)}" if weakness else "Weakness and how I handle it"
    return Section(path, SectionType.INTERVIEW, title, text)


# --- career goals and professional development --------------------------------------------


@dataclass(frozen=True, slots=True)
class _Group:
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
        for name, item in value.items():
            if is_empty(item):
                continue
            label = humanise(name)
            default = (label, f"{self.lead} — {lower_label(label)}", self.type)
            title, lead, section_type = self.labels.get(match_key(name), default)
            found = keyword_tags(item) if match_key(name) in self.tagged else ()
            text = sentence(f"{lead}: {self.render(item)}")
            sections.append(Section(child_path(path, name), section_type, title, text, tags=found))
        return sections


_GOALS = _Group(
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
_DEVELOPMENT = _Group(
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


def _keys(*names: str) -> list[str]:
    return [match_key(name) for name in names]


_HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(_keys("salary_location", "salary", "compensation", "salary_and_location"), _compensation),
    **dict.fromkeys(
        _keys("experience", "work_experience", "professional_experience", "employment", "work_history"),
        _experience,
    ),
    **dict.fromkeys(_keys("skills", "skill_set", "technical_skills"), _skills),
    **dict.fromkeys(_keys("education", "academic_background", "qualifications"), _education),
    **dict.fromkeys(_keys("projects_portfolio", "projects", "portfolio", "side_projects"), _projects),
    **dict.fromkeys(_keys("career_goals", "goals", "career_objectives"), _GOALS.sections),
    **dict.fromkeys(_keys("interview_prep", "interview_preparation", "interview"), _interview),
    **dict.fromkeys(
        _keys("weaknesses", "weakness", "development_areas", "areas_for_improvement", "areas_to_improve"),
        _weaknesses,
    ),
    **dict.fromkeys(_keys("professional_development", "development", "learning"), _DEVELOPMENT.sections),
}
