"""First-person sentences: a role, a degree, a project; titles cut from sentences."""

import re

PARENTHESES = re.compile(r"\([^()]*\)")
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


def join_lines(*parts: str) -> str:
    return "\n".join(sentence(part) for part in parts if part.strip())


def short_title(text: str, max_words: int = _DEFAULT_TITLE_WORDS) -> str:
    """A title from a sentence: its first clause, cut at a connective word if that is still too long."""
    text = clean(PARENTHESES.sub(" ", text)) or clean(text)
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


def clean(text: str) -> str:
    return " ".join(text.split())
