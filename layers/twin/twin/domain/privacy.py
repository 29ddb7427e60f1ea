"""Protected characteristics: a profile may mention them, but no chunk may carry them.

Age, date of birth, gender, pronouns, marital status, children, religion, health and ethnicity
must not reach the index, the answers or the model prompt. Nationality, citizenship and work
authorisation are not protected here: they answer "can you work here?".
"""

import re

# Words that make a JSON key protected wherever they appear in it ("maritalStatus", "date_of_birth").
_PROTECTED_KEY_WORDS = frozenset(
    {
        "age",
        "dob",
        "birthday",
        "birthdate",
        "gender",
        "sex",
        "pronoun",
        "pronouns",
        "marital",
        "religion",
        "religious",
        "faith",
        "ethnicity",
        "ethnic",
    }
)
# Whole keys that are protected although their words alone are not ("Kids taught" is a fact).
_PROTECTED_KEYS = frozenset(
    {
        "dateofbirth",
        "birthdate",
        "birthplace",
        "placeofbirth",
        "relationshipstatus",
        "familystatus",
        "sexualorientation",
        "children",
        "numberofchildren",
        "kids",
        "dependants",
        "dependents",
        "spouse",
        # Words that also name work ("health informatics", "medical devices", "race results") protect
        # only a key that is about the person.
        "race",
        "raceethnicity",
        "health",
        "healthstatus",
        "healthconditions",
        "medical",
        "medicalconditions",
        "medicalhistory",
        "disability",
        "disabilities",
        "disabilitystatus",
    }
)
_KEY_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_protected_key(key: str) -> bool:
    """Whether a field named `key` holds a protected characteristic ("Age", "maritalStatus", "dob")."""
    words = [word.casefold() for word in _KEY_WORD.findall(key)]
    return "".join(words) in _PROTECTED_KEYS or any(word in _PROTECTED_KEY_WORDS for word in words)


_LABELS = (
    r"age|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|place\s+of\s+birth|gender|sex|pronouns?"
    r"|marital\s+status|relationship\s+status|family\s+status|civil\s+status|children|kids|dependants|dependents"
    r"|religion|faith|ethnicity|race|health|health\s+conditions?|medical(?:\s+conditions?)?|disability|disabilities"
    r"|sexual\s+orientation"
)
# "Date of birth: 1990-01-01" up to the next separator, or the next "Label:" after a comma.
_LABELLED = re.compile(
    rf"(?<![\w-])(?:\*\*|__)?(?:{_LABELS})(?:\*\*|__)?\s*:(?:\*\*|__)?[^|;•·\n]*?"
    r"(?=\s*(?:[|;•·\n]|,\s*[A-Z][\w ]{0,30}:|\.(?:\s|$)|$))",
    re.IGNORECASE,
)
_STATEMENTS = re.compile(
    r"""
    \bI(?:'m|\s+am)\s+(?:now\s+)?\d{1,2}\b(?!\s*(?:%|percent|people|engineers|years?\s+of|years?\s+in))
    | \b\d{1,2}[-\s]years?[-\s]old\b
    | \baged\s+\d{1,2}\b
    | \bborn\s+(?:on\s+|in\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d)
    | \bI(?:'m|\s+am)\s+(?:happily\s+)?(?:married|divorced|widowed|separated|engaged|single)\b
    | \bmarried\s+with\b
    | \b(?:mother|father|mum|mom|dad|parent)\s+(?:of|to)\s+(?:one|two|three|four|\d|a)\b
    | \b(?:one|two|three|four|five|\d)\s+(?:young\s+)?(?:kids|children|sons|daughters)\b
    | \bmy\s+(?:wife|husband|spouse|kids|children|son|daughter|pronouns|religion|faith|disability|diagnosis)\b
    | \bI(?:'m|\s+am)\s+(?:a\s+)?(?:devout\s+|practi[cs]ing\s+)?
        (?:christian|muslim|jewish|hindu|buddhist|sikh|catholic|protestant|atheist|agnostic)\b
    | \bI(?:'m|\s+am)\s+(?:a\s+)?(?:male|female|man|woman|non-?binary|transgender|trans\s+(?:man|woman))\s*[.,!]
    | \b(?:diagnosed\s+with|I\s+live\s+with|I\s+suffer\s+from|I\s+have)\s+(?:a\s+)?
        (?:adhd|autism|dyslexia|diabetes|epilepsy|depression|anxiety|cancer|disability|chronic\s+\w+|ms\b)
    | \bwheelchair\s+user\b | \bregistered\s+(?:blind|disabled)\b
    | \bI(?:'m|\s+am)\s+(?:deaf|blind|partially\s+sighted|disabled|neurodivergent|autistic|dyslexic)\b
    | \bpronouns\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_SHORT_SENTENCE_WORDS = 25
_CLAUSE = re.compile(r"[^,]+(?:,|$)")
_LEFTOVER_SEPARATORS = re.compile(r"^[\s|;•·,:\-–—]+|[\s|;•·,:\-–—]+$")
_REPEATED_SEPARATORS = re.compile(r"\s*([|;•·])(?:\s*[|;•·])+\s*")
_SEPARATOR_BEFORE_STOP = re.compile(r"[\s|;•·,:\-–—]+(?=[.!?]$)")
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,!?])")
_PROTECTED_TERMS = re.compile(
    rf"^(?:{_LABELS}|married|divorced|widowed|male|female|non-?binary"
    r"|christian|muslim|jewish|hindu|buddhist|sikh|catholic)$",
    re.IGNORECASE,
)


def without_protected(text: str) -> str:
    """The text without "Label: value" pairs and short sentences that state a protected characteristic.

    A long sentence loses only the clause that states it, so ordinary text is not over-deleted.
    """
    lines = (_clean_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line is not None)


def is_protected_term(tag: str) -> bool:
    """Whether a tag is itself a protected label or value ("gender", "married")."""
    return bool(_PROTECTED_TERMS.match(tag.strip()))


def _clean_line(line: str) -> str | None:
    """The line without protected content; None when nothing of it is left."""
    cleaned = _LABELLED.sub("", line)
    if _STATEMENTS.search(cleaned):
        cleaned = "".join(_clean_sentence(found[0]) for found in _SENTENCE.finditer(cleaned))
    if cleaned == line:
        return line
    cleaned = _REPEATED_SEPARATORS.sub(r" \1 ", cleaned)
    cleaned = _SEPARATOR_BEFORE_STOP.sub("", _LEFTOVER_SEPARATORS.sub("", cleaned))
    cleaned = _SPACE_BEFORE_STOP.sub(r"\1", cleaned)
    indent = line[: len(line) - len(line.lstrip())]
    return indent + cleaned if any(char.isalnum() for char in cleaned) else None


def _clean_sentence(sentence: str) -> str:
    if not _STATEMENTS.search(sentence):
        return sentence
    if len(sentence.split()) <= _SHORT_SENTENCE_WORDS:
        return ""
    clauses = (clause[0] for clause in _CLAUSE.finditer(sentence))
    return "".join(clause for clause in clauses if not _STATEMENTS.search(clause))
