"""Helpers every loader shares: JSON values, key matching, labels, rendering, dates and phrasing."""

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from twin.domain.privacy import is_protected_key


@dataclass(frozen=True, slots=True)
class Number:
    """A JSON number exactly as written: "3.50" stays "3.50" and a 5,000-digit one cannot overflow."""

    text: str

    def __str__(self) -> str:
        return self.text


type JsonValue = dict[str, JsonValue] | list[JsonValue] | str | Number | bool | None
type JsonObject = dict[str, JsonValue]
type Pairs = Iterable[tuple[str, JsonValue]]


# --- keys and labels -------------------------------------------------------------------------

_MATCH_NOISE = re.compile(r"[\W_]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z][a-z0-9]*)+")
_LABEL_SEPARATORS = re.compile(r"[\s_\-]+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARENTHESES = re.compile(r"\([^()]*\)")

_SPECIAL_WORDS = {
    "ai": "AI",
    "api": "API",
    "apis": "APIs",
    "aws": "AWS",
    "cd": "CD",
    "ci": "CI",
    "cv": "CV",
    "devops": "DevOps",
    "gcp": "GCP",
    "github": "GitHub",
    "gitlab": "GitLab",
    "gpa": "GPA",
    "hr": "HR",
    "id": "ID",
    "linkedin": "LinkedIn",
    "ml": "ML",
    "mlops": "MLOps",
    "nosql": "NoSQL",
    "phd": "PhD",
    "sql": "SQL",
    "star": "STAR",
    "ui": "UI",
    "url": "URL",
    "urls": "URLs",
    "ux": "UX",
}
_SPECIAL_PAIRS = {
    ("ai", "ml"): "AI/ML",
    ("ci", "cd"): "CI/CD",
    ("ui", "ux"): "UI/UX",
    ("short", "term"): "short-term",
    ("long", "term"): "long-term",
    ("open", "source"): "open-source",
}


def match_key(key: str) -> str:
    """The form keys are compared in: "Full Name", "full_name" and "fullName" all give "fullname"."""
    return _MATCH_NOISE.sub("", key.casefold())


def key_words(key: str) -> list[str]:
    """Lower-case words of a key or heading: "workStyle" and "Work style" give ["work", "style"]."""
    return [word for word in _MATCH_NOISE.split(_CAMEL_BOUNDARY.sub(" ", key).casefold()) if word]


def humanise(key: str) -> str:
    """A label for a key: "salary_expectations" -> "Salary expectations", "Full Name" -> "Full name"."""
    source = _CAMEL_BOUNDARY.sub(" ", key) if _CAMEL_CASE.fullmatch(key) else key
    words = [word for word in _LABEL_SEPARATORS.split(source) if word]
    out: list[str] = []
    index = 0
    while index < len(words):
        pair = (words[index].lower(), words[index + 1].lower()) if index + 1 < len(words) else None
        if pair in _SPECIAL_PAIRS:
            out.append(_SPECIAL_PAIRS[pair])
            index += 2
        else:
            out.append(_label_word(words[index]))
            index += 1
    label = " ".join(out)
    return label[:1].upper() + label[1:]


def _label_word(word: str) -> str:
    lower = word.lower()
    if lower in _SPECIAL_WORDS:
        return _SPECIAL_WORDS[lower]
    if any(char.isupper() for char in word[1:]):
        return word  # an acronym or a name such as JavaScript
    return lower


def lower_label(label: str) -> str:
    """A label to use mid-sentence: "Soft skills" -> "soft skills", but "AI/ML" stays."""
    first = label.split(" ", 1)[0]
    if any(char.isupper() for char in first[1:]):
        return label
    return label[:1].lower() + label[1:]


def child_path(path: str, key: str) -> str:
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


# --- values ----------------------------------------------------------------------------------


def clean(text: str) -> str:
    return " ".join(text.split())


def is_empty(value: JsonValue) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(item) for item in value)
    if isinstance(value, dict):
        return all(is_empty(item) for item in value.values())
    return False


def as_list(value: JsonValue) -> list[JsonValue]:
    """The non-empty items of a list; any other non-empty value as a list of one."""
    if isinstance(value, list):
        return [item for item in value if not is_empty(item)]
    return [] if is_empty(value) else [value]


def entries(value: JsonValue, path: str) -> list[tuple[str, JsonValue]]:
    """The entries of a section with their paths: list items, or the values of an object of objects."""
    if isinstance(value, list):
        return [(f"{path}[{index}]", item) for index, item in enumerate(value) if not is_empty(item)]
    if isinstance(value, dict) and len(value) > 1 and all(isinstance(item, dict) for item in value.values()):
        return [(child_path(path, key), item) for key, item in value.items() if not is_empty(item)]
    return [] if is_empty(value) else [(path, value)]


def render(value: JsonValue) -> str:
    """Any JSON value as readable text: "Label: value; Label: value", lists comma-separated."""
    if isinstance(value, dict):
        return render_pairs(value.items())
    if isinstance(value, list):
        parts = [render_pairs(item.items(), ", ") if isinstance(item, dict) else render_inner(item) for item in value]
        return _join_items([part for part in parts if part], structured=_has_structure(value))
    return _render_scalar(value)


def render_pairs(pairs: Pairs, separator: str = "; ") -> str:
    parts = (labelled(key, render_inner(value)) for key, value in pairs)
    return separator.join(part for part in parts if part)


def facts(pairs: Pairs) -> str:
    """Fields as first-person sentences: "My notice period is 4 weeks. Remote OK: yes."."""
    return join_sentences(*(fact(key, value) for key, value in pairs))


def fact(key: str, value: JsonValue) -> str:
    """One field as a sentence: "My currency is GBP", "My favourite numbers: 7, 3.50"; "" when empty."""
    text = render_inner(value) if not isinstance(value, dict) else render_pairs(value.items(), ", ")
    label = humanise(key)
    if not text or not label:
        return text
    if isinstance(value, bool):
        return f"{label}: {text}"
    if isinstance(value, dict | list):
        return f"My {lower_label(label)}: {text}"
    verb = "are" if label.endswith("s") and not label.endswith("ss") else "is"
    return f"My {lower_label(label)} {verb} {text}"


def with_label(label: str, value: JsonValue) -> str:
    """ "Label: value", or "" when the value renders to nothing."""
    text = render(value)
    return f"{label}: {text}" if text else ""


def labelled(key: str, text: str) -> str:
    if not text:
        return ""
    label = humanise(key)
    return f"{label}: {text}" if label else text


def render_inner(value: JsonValue) -> str:
    """A value inside a larger text: an object of several fields in brackets."""
    if isinstance(value, dict):
        text = render_pairs(value.items(), ", ")
        return f"({text})" if ", " in text else text
    if isinstance(value, list):
        parts = [render_inner(item) for item in value]
        return _join_items([part for part in parts if part], structured=_has_structure(value))
    return _render_scalar(value)


def _render_scalar(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Number):
        return value.text
    if isinstance(value, str):
        return clean(value)
    return ""


def _has_structure(items: list[JsonValue]) -> bool:
    return any(isinstance(item, dict | list) for item in items)


def _join_items(parts: list[str], *, structured: bool) -> str:
    """Short items joined by commas; sentences by spaces; long items or ones with commas by semicolons."""
    if parts and all(part.endswith((".", "!", "?")) for part in parts):
        return " ".join(parts)
    wordy = any(", " in part or len(part.split()) > 4 for part in parts)
    return ("; " if structured or wordy else ", ").join(parts)


def place(value: JsonValue) -> str:
    """A location as "City, Country", whether it is a string, a list or an object of parts."""
    if isinstance(value, dict):
        return ", ".join(text for text in (render_inner(item) for item in value.values()) if text)
    return render(value)


def without_protected_keys(data: JsonObject) -> JsonObject:
    """The object without fields that hold protected characteristics (age, gender...), at any depth."""
    return {key: _without_protected(value) for key, value in data.items() if not is_protected_key(key)}


def _without_protected(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return without_protected_keys(value)
    if isinstance(value, list):
        return [_without_protected(item) for item in value]
    return value


# --- fields of an object ---------------------------------------------------------------------


class Fields:
    """The non-empty entries of a JSON object: known ones are taken by name, the rest rendered.

    Keys match after normalising, so "Job Title" is taken as "job_title"; a second key that
    normalises the same way ("Name" and "name") stays in the rest, so its value is not lost.
    """

    def __init__(self, pairs: Pairs) -> None:
        self._entries = [(key, value) for key, value in pairs if not is_empty(value)]
        self._taken = [False] * len(self._entries)
        self._index: dict[str, list[int]] = {}
        for index, (key, _) in enumerate(self._entries):
            self._index.setdefault(match_key(key), []).append(index)

    @classmethod
    def of(cls, value: JsonValue) -> "Fields":
        return cls(value.items() if isinstance(value, dict) else ())

    def take_entry(self, *names: str) -> tuple[str, JsonValue] | None:
        for name in names:
            for index in self._index.get(match_key(name), ()):
                if not self._taken[index]:
                    self._taken[index] = True
                    return self._entries[index]
        return None

    def take(self, *names: str) -> JsonValue:
        entry = self.take_entry(*names)
        return None if entry is None else entry[1]

    def text(self, *names: str) -> str:
        return render(self.take(*names))

    def take_all(self, *names: str) -> list[tuple[str, JsonValue]]:
        wanted = {match_key(name) for name in names}
        return self.take_where(lambda key: match_key(key) in wanted)

    def take_where(self, predicate: Callable[[str], bool]) -> list[tuple[str, JsonValue]]:
        found: list[tuple[str, JsonValue]] = []
        for index, (key, value) in enumerate(self._entries):
            if not self._taken[index] and predicate(key):
                self._taken[index] = True
                found.append((key, value))
        return found

    def rest(self) -> list[tuple[str, JsonValue]]:
        return [entry for index, entry in enumerate(self._entries) if not self._taken[index]]

    def rest_text(self) -> str:
        """Every field not taken, as "Label: value." sentences."""
        return join_sentences(*(render_pairs([entry]) for entry in self.rest()))


NAME_KEYS = (
    "name",
    "title",
    "language",
    "skill",
    "technology",
    "tool",
    "platform",
    "database",
    "framework",
    "certification",
    "organization",
    "organisation",
    "company",
    "institution",
    "event",
    "conference",
    "project",
    "network",
)


# How a detail of an item reads after its name: "PyCon AU 2024 in Melbourne, as speaker".
_DETAIL_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("location", "city", "place", "where", "venue", "publisher"), "in {}"),
    (("role", "position"), "as {}"),
    (("url", "link", "website"), "at {}"),
)
_DATE_DETAILS = ("year", "date", "when")


def item_phrase(item: JsonValue, names: Sequence[str] = NAME_KEYS, plain: Sequence[str] = ()) -> str:
    """An object as "Name (plain, values) in Place, as Role, label: value"; anything else as it is."""
    if not isinstance(item, dict):
        return render(item)
    fields = Fields(item.items())
    name = fields.text(*names)
    qualifiers = ", ".join(text for text in (fields.text(key) for key in (*plain, *_DATE_DETAILS)) if text)
    details = [template.format(text) for keys, template in _DETAIL_PHRASES if (text := fields.text(*keys))]
    details += [f"{lower_label(humanise(key))}: {render_inner(value)}" for key, value in fields.rest()]
    if not name:
        return ", ".join(part for part in (qualifiers, *details) if part)
    head = f"{name} ({qualifiers})" if qualifiers else name
    return " ".join((head, ", ".join(details))) if details else head


def phrases(value: JsonValue, names: Sequence[str] = NAME_KEYS, plain: Sequence[str] = ()) -> str:
    """A list of items (objects or not) as readable text."""
    if not isinstance(value, list):
        return item_phrase(value, names, plain) if isinstance(value, dict) else render(value)
    parts = [item_phrase(item, names, plain) for item in as_list(value)]
    return _join_items([part for part in parts if part], structured=False)


# --- names ---------------------------------------------------------------------------------

_URL_OR_EMAIL = re.compile(r"\(?(?:https?://|www\.)\S+\)?|\S+@\S+\.\w+|\(\s*\)")
_LINK = re.compile(r"(?:https?://|www\.)[^\s()]+|[^\s()<>|,;]+@[^\s()<>|,;]+\.\w+")
_NAME_SEPARATOR = re.compile(r"\s[|·•—–-]\s|[|·•]")
_MAX_CREDENTIAL_CHARS = 12


def name_and_links(value: JsonValue) -> tuple[str, str]:
    """A name field's name and the links or emails written with it (for the contact section).

    Text after a separator is cut off only when it is links: "Jane Doe | Senior Engineer" is kept whole.
    """
    if not isinstance(value, str):
        return render(value), ""
    first, *rest = name_pieces(value)
    links = ", ".join(_LINK.findall(value))
    if all(_LINK.search(piece) for piece in rest):
        return first, links
    return person_name(value), links


def name_pieces(text: str) -> list[str]:
    """A name line split at its separators, the name first: "Jane Doe 🚀 | jane@x.com" -> two pieces."""
    pieces = [clean(piece) for piece in _NAME_SEPARATOR.split(text)]
    return [person_name(pieces[0]), *(piece for piece in pieces[1:] if piece)]


def person_name(text: str) -> str:
    """The text without links, emails, emoji and credentials: "Jane Doe, PhD 🚀 (https://jane.dev)"
    gives "Jane Doe"."""
    return _name_and_credentials(text)[0]


def post_nominals(value: JsonValue) -> str:
    """The credentials written after a name: "Kwame Asante, P.Eng., PMP" gives "P.Eng., PMP"."""
    if not isinstance(value, str):
        return ""
    return _name_and_credentials(_NAME_SEPARATOR.split(value)[0])[1]


def _name_and_credentials(text: str) -> tuple[str, str]:
    name = clean("".join(char for char in _URL_OR_EMAIL.sub(" ", text) if not _is_symbol(char))).strip(" ,;:")
    first, *others = name.split(", ")
    if others and not _NAME_SEPARATOR.search(name) and all(_is_credential(other) for other in others):
        return first.strip(" ,;:"), ", ".join(others)
    return name, ""


def _is_credential(word: str) -> bool:
    """A post-nominal after a name's comma ("PhD", "P.Eng.", "PMP"); a place like "Calgary" is not one."""
    capitals = sum(char.isupper() for char in word)
    return (
        len(word) <= _MAX_CREDENTIAL_CHARS
        and word[:1].isupper()
        and not any(char.isspace() for char in word)
        and (capitals >= 2 or "." in word)
    )


def _is_symbol(char: str) -> bool:
    """Emoji and other pictographs, with the joiners and selectors that build them."""
    return unicodedata.category(char) in {"So", "Sk", "Cf"} or "\ufe00" <= char <= "\ufe0f"


# --- tags ------------------------------------------------------------------------------------

_LIST_SEPARATORS = re.compile(r"[,;\n•|]")
_MAX_TAG_CHARS = 40
_MAX_TAG_WORDS = 4


def split_items(value: JsonValue) -> list[JsonValue]:
    """List items; a string such as "Python, Go; SQL" becomes its parts (commas in brackets kept)."""
    items: list[JsonValue] = []
    for item in as_list(value):
        items.extend(split_text(item) if isinstance(item, str) else [item])
    return items


def split_text(text: str) -> list[str]:
    if "(" not in text:
        return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth <= 0 and _LIST_SEPARATORS.fullmatch(char):
            parts.append("".join(current))
            current = []
            depth = 0
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def tags(words: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, deduplicated, order kept; long phrases are not tags."""
    found: dict[str, None] = {}
    for word in words:
        tag = clean(_PARENTHESES.sub(" ", word)).lower()
        if any(char.isalpha() for char in tag) and len(tag) <= _MAX_TAG_CHARS and len(tag.split()) <= _MAX_TAG_WORDS:
            found[tag] = None
    return tuple(found)


def keyword_tags(*values: JsonValue, names: Sequence[str] = NAME_KEYS) -> tuple[str, ...]:
    """Tags from keyword-like values: list items, comma-separated strings, names of objects."""
    words: list[str] = []
    for value in values:
        for item in split_items(value):
            words.append(Fields.of(item).text(*names) if isinstance(item, dict) else render(item))
    return tags(words)


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_DATE = re.compile(
    r"""
    (?<!\d)(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>0[1-9]|1[0-2])(?:-(?P<iso_day>[0-3]\d))?(?!\d)
    | (?<!\d)(?P<num_month>0?[1-9]|1[0-2])[/.](?P<num_year>(?:19|20)\d\d)(?!\d)
    | \b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?
        |sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?\s+(?P<month_year>(?:19|20)\d\d)\b
    | \b(?P<season>spring|summer|autumn|fall|winter)\s+(?P<season_year>(?:19|20)\d\d)\b
    | (?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)
    | \b(?P<present>present|current|currently|now|today|ongoing|to\ date)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def find_dates(text: str) -> list[str]:
    """Normalised dates in order: "Jan 2021 - Present (3.5 years)" -> ["2021-01", "present"].

    Dates in brackets count only when there are none outside them ("Engineer (2019 – 2021)").
    """
    outside = [_normal_date(match) for match in _DATE.finditer(_PARENTHESES.sub(" ", text))]
    return outside or [_normal_date(match) for match in _DATE.finditer(text)]


def _normal_date(match: re.Match[str]) -> str:
    if match["iso_year"]:
        day = f"-{match['iso_day']}" if match["iso_day"] else ""
        return f"{match['iso_year']}-{match['iso_month']}{day}"
    if match["num_year"]:
        return f"{match['num_year']}-{int(match['num_month']):02d}"
    if match["month"]:
        return f"{match['month_year']}-{_MONTHS[match['month'][:3].lower()]:02d}"
    if match["season"]:
        return match["season_year"]
    if match["year"]:
        return match["year"]
    return "present"


_SURROUNDING_SEPARATORS = " \t|,;:·•@–—-"


def split_dates(text: str) -> tuple[str, str]:
    """The text without its dates, and the dates as written: "Engineer | Acme | 2021 – Present"
    gives ("Engineer | Acme", "2021 – Present"); no dates with a year gives (text, "")."""
    found = list(_DATE.finditer(text))
    if all(match["present"] for match in found):
        return clean(text), ""
    start, end = found[0].start(), found[-1].end()
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if before.endswith("(") and after.startswith(")"):
        before, after = before[:-1], after[1:]
    rest = clean(f"{before.rstrip(_SURROUNDING_SEPARATORS)} {after.lstrip(_SURROUNDING_SEPARATORS)}")
    return rest.strip(_SURROUNDING_SEPARATORS), text[start:end]


def parse_period(raw: str) -> tuple[str | None, str | None]:
    """(start, end) of a date or a duration; an unreadable one is kept raw as the start."""
    text = clean(raw)
    if not text:
        return None, None
    dates = find_dates(text)
    if not dates:
        return text, None
    return dates[0], dates[1] if len(dates) > 1 else None


def parse_date(raw: str) -> str | None:
    return parse_period(raw)[0]


def date_range(start: str, end: str, *, current: bool) -> str:
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"{start} – present" if current else f"from {start}"
    return f"until {end}" if end else ""


# --- phrasing --------------------------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[.!?:;…]$|https?://\S+$|\S@\S+$")
_CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)|,\s|\s[—–-]\s")
_TITLE_BREAKS = re.compile(r"\s(?:and|while|which|for|with|so|after|before|saving|by)\s")
_DEFAULT_TITLE_WORDS = 10
_MIN_TITLE_WORDS = 3


def sentence(text: str) -> str:
    """The text with a full stop, unless it already ends a sentence or ends with a link."""
    text = text.strip()
    if not text or _ENDS_SENTENCE.search(text):
        return text
    return f"{text}."


def join_sentences(*parts: str) -> str:
    return " ".join(sentence(part) for part in parts if part.strip())


def short_title(text: str, max_words: int = _DEFAULT_TITLE_WORDS) -> str:
    """A title from a sentence: its first clause, cut at a connective word if that is still too long."""
    text = clean(_PARENTHESES.sub(" ", text)) or clean(text)
    match = _CLAUSE_END.search(text)
    words = (text[: match.start()] if match and match.start() > 0 else text).split()
    if len(words) <= max_words:
        return " ".join(words)
    head = " ".join(words[: max_words + 1]) + " "
    cuts = [
        head[: found.start()]
        for found in _TITLE_BREAKS.finditer(head)
        if _MIN_TITLE_WORDS <= len(head[: found.start()].split()) <= max_words
    ]
    return cuts[-1] if cuts else " ".join(words[:max_words]) + "…"


def role_sentence(role: str, organisation: str, dates: str, current: bool | None, verb: str = "work") -> str:
    """ "I work as X at Y (dates)": present tense when current, past when ended, perfect when unknown."""
    subject = {True: f"I {verb}", False: f"I {_past(verb)}", None: f"I have {_past(verb)}"}[current]
    if role and organisation:
        core = f"{subject} as {role} at {organisation}"
    elif role or organisation:
        core = f"{subject} as {role}" if role else f"{subject} at {organisation}"
    else:
        return f"When: {dates}" if dates else ""
    return core + _dates_suffix(dates)


def _past(verb: str) -> str:
    return f"{verb}d" if verb.endswith("e") else f"{verb}ed"


def education_sentence(degree: str, field: str, institution: str, dates: str) -> str:
    """ "I studied Bachelor of Science in Physics at X, graduating 2019"."""
    subject = degree
    if field and field.casefold() not in degree.casefold():
        subject = f"{degree} in {field}" if degree else field
    if subject and institution:
        core = f"I studied {subject} at {institution}"
    elif subject or institution:
        core = f"I studied {subject}" if subject else f"I studied at {institution}"
    else:
        return f"When: {dates}" if dates else ""
    return core + _dates_suffix(dates)


def _dates_suffix(dates: str) -> str:
    if not dates:
        return ""
    if dates.startswith("("):
        return f" {dates}"
    if dates.startswith("graduating") or "(" in dates:
        return f", {dates}"
    return f" ({dates})"


def project_intro(name: str, description: str) -> str:
    if name and description:
        return f"Project: {name} — {description}"
    return f"Project: {name or description}" if name or description else ""
