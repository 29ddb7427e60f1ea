"""Keys and headings: matched whatever their case and separators, and turned into labels."""

import re

_MATCH_NOISE = re.compile(r"[\W_]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z][a-z0-9]*)+")
_LABEL_SEPARATORS = re.compile(r"[\s_\-]+")

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
