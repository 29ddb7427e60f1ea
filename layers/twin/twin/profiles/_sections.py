"""Section types from words, sections for unknown content, and the finished profile."""

from collections.abc import Iterable

from twin.domain.privacy import without_protected
from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.errors import ProfileFormatError
from twin.profiles.dates import parse_period
from twin.profiles.fields import Fields
from twin.profiles.json_values import JsonValue, is_empty
from twin.profiles.keys import humanise, key_words, lower_label
from twin.profiles.phrasing import join_sentences, sentence
from twin.profiles.rendering import labelled, render, render_inner
from twin.profiles.tags import keyword_tags

# Headings that are phrases rather than nouns ("What I'm looking for"), matched as whole word runs.
_PHRASE_RULES: tuple[tuple[SectionType, tuple[tuple[str, ...], ...]], ...] = (
    (
        SectionType.GOALS,
        (
            ("looking", "for"),
            ("want", "next"),
            ("next", "role"),
            ("next", "step"),
            ("next", "steps"),
            ("ideal", "role"),
            ("i", "m", "after"),
        ),
    ),
    # An introduction in the first person, which names no section.
    (SectionType.SUMMARY, (("who", "i", "am"),)),
    # The licence to practise a profession (admitted as a solicitor, chartered), which "qualification" must
    # not make a degree.
    (
        SectionType.CERTIFICATION,
        (("professional", "qualification"), ("professional", "qualifications"), ("professional", "registration")),
    ),
    # Work shared in public, which no word of "open source" names on its own.
    (SectionType.PROJECT, (("open", "source"),)),
    # A way of working, which the word "work" must not make a job.
    (SectionType.OTHER, (("how", "i", "work"), ("way", "i", "work"), ("ways", "of", "working"))),
    # Life outside the job, which the word "work" must not make a job.
    (
        SectionType.INTEREST,
        (
            ("outside", "work"),
            ("outside", "of", "work"),
            ("beyond", "work"),
            ("off", "the", "clock"),
            ("spare", "time"),
            ("free", "time"),
        ),
    ),
    # Weaknesses by their polite names, which "development" and "improvement" must not make training.
    (
        SectionType.INTERVIEW,
        (
            ("development", "areas"),
            ("areas", "of", "development"),
            ("areas", "for", "development"),
            ("areas", "for", "improvement"),
            ("areas", "of", "improvement"),
            ("areas", "to", "improve"),
            ("improvement", "areas"),
        ),
    ),
)

# First match wins, so specific words ("volunteer experience", "programming languages") come first.
_TYPE_RULES: tuple[tuple[SectionType, frozenset[str]], ...] = (
    (SectionType.OTHER, frozenset({"style", "values", "culture", "ethic", "personality"})),
    (SectionType.INTERVIEW, frozenset({"interview", "question", "weakness", "weaknesses", "weak"})),
    (SectionType.GOALS, frozenset({"goal", "objective", "aspiration", "ambition", "seeking"})),
    # Before volunteering, so that "hobbies and volunteering" stays a list of pastimes.
    (SectionType.INTEREST, frozenset({"hobby", "hobbies"})),
    (SectionType.VOLUNTEER, frozenset({"volunteer", "volunteering", "community", "charity", "nonprofit"})),
    (
        SectionType.CERTIFICATION,
        frozenset(
            {"certification", "certificate", "cert", "license", "licence", "credential", "cred", "qual", "ticket"}
        ),
    ),
    (
        SectionType.PUBLICATION,
        frozenset({"publication", "paper", "talk", "article", "writing", "speaking", "presentation", "blog"}),
    ),
    (SectionType.AWARD, frozenset({"award", "honor", "honour", "prize", "recognition", "scholarship", "kudos"})),
    # "Key matters" and "Selected transactions" are how lawyers and bankers head theirs.
    (
        SectionType.ACHIEVEMENT,
        frozenset(
            {
                "achievement",
                "accomplishment",
                "proud",
                "star",
                "story",
                "highlight",
                "win",
                "impact",
                "matter",
                "transaction",
            }
        ),
    ),
    (SectionType.PROJECT, frozenset({"project", "portfolio"})),
    (
        SectionType.COMPENSATION,
        frozenset(
            {
                "salary",
                "compensation",
                "pay",
                "rate",
                "relocation",
                "location",
                "availability",
                "notice",
                "practicalities",
                "logistics",
                "money",
            }
        ),
    ),
    (
        SectionType.SKILLS,
        frozenset(
            {
                "skill",
                "programming",
                "technology",
                "tech",
                "stack",
                "tool",
                "toolbox",
                "toolkit",
                "kit",
                "competency",
                "competencies",
                "competence",
                "expertise",
            }
        ),
    ),
    # Behavioural stories, after skills so that "leadership skills" stays a list of skills.
    (
        SectionType.ACHIEVEMENT,
        frozenset(
            {
                "leadership",
                "mentoring",
                "mentorship",
                "teamwork",
                "conflict",
                "disagreement",
                "lesson",
                "failure",
                "challenge",
                "mistake",
                "stories",
            }
        ),
    ),
    (SectionType.LANGUAGE, frozenset({"language", "lang", "spoken"})),
    (SectionType.INTEREST, frozenset({"interest", "passion"})),
    (SectionType.REFERENCE, frozenset({"reference", "referee", "testimonial", "recommendation"})),
    (SectionType.EDUCATION, frozenset({"education", "edu", "degree", "university", "academic", "qualification"})),
    (
        SectionType.DEVELOPMENT,
        frozenset({"development", "learning", "training", "course", "conference", "growth"}),
    ),
    (
        SectionType.EXPERIENCE,
        frozenset({"experience", "work", "employment", "job", "gig", "career", "position", "secondment"}),
    ),
    (SectionType.CONTACT, frozenset({"contact", "email", "reach"})),
    # A greeting ("Hello 👋") heads the introduction.
    (
        SectionType.SUMMARY,
        frozenset(
            {
                "about",
                "summary",
                "profile",
                "bio",
                "biography",
                "overview",
                "introduction",
                "intro",
                "personal",
                "hello",
                "hi",
                "hey",
                "welcome",
            }
        ),
    ),
)


# Headings that name a type only when they are the whole heading: "Software", not "Software Engineer".
_WHOLE_HEADINGS: dict[tuple[str, ...], SectionType] = {("software",): SectionType.SKILLS}


def infer_type(words: Iterable[str]) -> SectionType | None:
    """The section type that words of a key, heading or chunk type name, if any."""
    words = list(words)
    if (whole := _WHOLE_HEADINGS.get(tuple(words))) is not None:
        return whole
    for section_type, phrases in _PHRASE_RULES:
        if any(_contains_run(words, phrase) for phrase in phrases):
            return section_type
    found = set(words)
    found |= {word.removesuffix("s") for word in found}
    for section_type, rule_words in _TYPE_RULES:
        if found & rule_words:
            return section_type
    return None


def _contains_run(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[index : index + size]) == phrase for index in range(len(words) - size + 1))


def type_for_key(key: str, default: SectionType = SectionType.OTHER) -> SectionType:
    words = key_words(key)
    if not words:
        return default
    return infer_type(words) or default


_DATE_KEYS = ("duration", "dates", "date", "period", "year", "years", "when", "start_date", "start")
_END_KEYS = ("end_date", "end")
_TAG_KEYS = ("keywords", "technologies", "tech_stack", "skills", "tags", "tools")
_TITLE_KEYS = (
    "name",
    "title",
    "organization",
    "organisation",
    "company",
    "institution",
    "event",
    "language",
    "role",
    "position",
)


def generic_sections(key: str, value: JsonValue, path: str) -> list[Section]:
    """Sections for content no loader knows: one per object of a list of objects, else one."""
    label = humanise(key) or "Other"
    section_type = type_for_key(key)
    items = value if isinstance(value, list) else []
    objects = [item for item in items if not is_empty(item)]
    if objects and all(isinstance(item, dict) for item in objects):
        return [
            _item_section(label, section_type, item, f"{path}[{index}]", index)
            for index, item in enumerate(items)
            if isinstance(item, dict) and not is_empty(item)
        ]
    if isinstance(value, dict):
        text = _labelled_sentences(f"My {lower_label(label)} — ", value.items())
    else:
        text = sentence(f"My {lower_label(label)}: {render(value)}")
    return [Section(path, section_type, label, text, tags=_list_tags(value, section_type))]


def _item_section(label: str, section_type: SectionType, item: dict[str, JsonValue], path: str, index: int) -> Section:
    peek = Fields(item.items())
    title = peek.text(*_TITLE_KEYS) or f"{label} {index + 1}"
    start, end = parse_period(peek.text(*_DATE_KEYS))
    end = parse_period(peek.text(*_END_KEYS))[0] or end
    fields = Fields(item.items(), _TITLE_KEYS)
    named = fields.text(*_TITLE_KEYS)
    lead = f"{label} — {named}" if named else label
    text = join_sentences(lead, _labelled_sentences("", fields.rest()))
    return Section(path, section_type, title, text, start, end, keyword_tags(peek.value(*_TAG_KEYS)))


def _labelled_sentences(lead: str, pairs: Iterable[tuple[str, JsonValue]]) -> str:
    """ "Lead label: value. Label: value.": one sentence per field, so each splits off well."""
    parts = [labelled(key, text) for key, value in pairs if (text := render_inner(value))]
    if parts and lead:
        parts[0] = lead + lower_label(parts[0])
    return join_sentences(*parts)


def _list_tags(value: JsonValue, section_type: SectionType) -> tuple[str, ...]:
    if section_type in {SectionType.SKILLS, SectionType.LANGUAGE, SectionType.INTEREST}:
        return keyword_tags(value)
    return ()


def build_profile(
    source_format: ProfileFormat,
    name: str,
    headline: str,
    summary: str,
    sections: Iterable[Section],
    empty_location: str,
) -> Profile:
    """The finished profile: paths made unique, text made safe to encode; no sections is an error."""
    finished = _unique_paths(_safe_section(section) for section in sections if section.text.strip())
    if not finished:
        raise ProfileFormatError(empty_location, "a profile with at least one non-empty section")
    return Profile(
        name=safe_text(name),
        headline=safe_text(without_protected(headline)),
        summary=safe_text(without_protected(summary)),
        sections=tuple(finished),
        source_format=source_format,
    )


def _unique_paths(sections: Iterable[Section]) -> list[Section]:
    """Sections whose path is taken already get "~2", "~3", ... (Markdown may repeat a heading)."""
    seen: set[str] = set()
    last_number: dict[str, int] = {}
    unique: list[Section] = []
    for section in sections:
        path = section.path
        while path in seen:
            last_number[section.path] = last_number.get(section.path, 1) + 1
            path = f"{section.path}~{last_number[section.path]}"
        seen.add(path)
        unique.append(section if path == section.path else _with_path(section, path))
    return unique


def _with_path(section: Section, path: str) -> Section:
    return Section(path, section.type, section.title, section.text, section.start, section.end, section.tags)


def _safe_section(section: Section) -> Section:
    return Section(
        path=safe_text(section.path),
        type=section.type,
        title=safe_text(section.title) or "Untitled",
        text=safe_text(section.text),
        start=None if section.start is None else safe_text(section.start),
        end=None if section.end is None else safe_text(section.end),
        tags=tuple(safe_text(tag) for tag in section.tags),
    )


def safe_text(text: str) -> str:
    """Lone surrogates (from JSON escapes like "\\ud800") replaced, so the text encodes as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
