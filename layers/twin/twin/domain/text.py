"""Words, stems and sentences: the small amount of language the twin needs to match a question to a profile."""

import re
from functools import lru_cache
from typing import Final

STOPWORDS: Final = frozenset(
    """
    a about above after again all also am an and any are as at be been being before both but by can
    could did do does doing done during each either else ever few for from further get gets give got
    had has have having he her here hers him his how i if in into is it its just kind know let like
    likely me might mine more most much must my myself no nor not of off often on once only or
    other ought our ours out over own please quite rather really said say says she should so some
    such tell than that the their theirs them then there these they thing things this those through
    to too under until up us very was we were what whatever when whenever which while whom whose why
    will with would yes yet you your yours describe explain share talk walk give mention
    ve re ll don didn doesn isn wasn weren aren haven hasn hadn couldn wouldn shouldn
    """.split()
)

# Programming languages named by one letter: kept, though every other one-letter word is dropped.
_LETTER_NAMES: Final = frozenset({"c", "r"})
_WORD: Final = re.compile(r"[^\W_]+(?:[.+#&][^\W_]+|[+#]+)*", re.UNICODE)
# Applied in turn, each at most once, keeping at least three letters: "managements" → "management" → "manage".
_PLURAL: Final = (("sses", "ss"), ("ies", "y"), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", ""))
_INFLECTION: Final = (("ingly", ""), ("edly", ""), ("ing", ""), ("ied", "y"), ("ed", ""))
_DERIVATION: Final = (
    ("ational", "ate"), ("ation", "ate"), ("ator", "ate"), ("ments", ""), ("ment", ""), ("ship", ""), ("ness", ""),
    ("fully", "ful"), ("ally", "al"), ("ly", ""), ("ers", ""), ("er", ""), ("ist", ""),
)  # fmt: skip
_IRREGULAR: Final = {
    "led": "lead", "built": "build", "ran": "run", "taught": "teach", "wrote": "writ", "written": "writ",
    "spoke": "speak", "spoken": "speak", "gave": "giv", "grew": "grow", "won": "win", "drove": "driv",
    "brought": "bring", "made": "mak", "began": "begin", "held": "hold", "thought": "think", "sold": "sell",
    "men": "man", "women": "woman", "people": "person", "children": "child",
    "based": "based",  # where someone is based, not a base salary or a code base
}  # fmt: skip

# "- item", "* item", "1. item" and "• item" start a sentence of their own.
_BULLET: Final = re.compile(r"^\s*(?:[-*•‣▪◦]|\d{1,2}[.)])\s+")
_MAX_LEAD_IN_WORDS: Final = 6
# A full stop ends a sentence unless it ends a title or an abbreviation ("St. James's", "Acme Ltd. in 2020").
_ABBREVIATION: Final = "".join(
    rf"(?<!\b{word}\.)"
    for word in ("St", "Dr", "Mr", "Ms", "Mrs", "Prof", "Inc", "Ltd", "Co", "No", "vs", "Jr", "Sr", "Mt")
)
# A capital letter alone before a full stop is an initial ("Dr K. Hollis"), not a sentence's end.
_INITIAL: Final = r"(?<!\b[A-Z]\.)"
_SENTENCE_END: Final = re.compile(_ABBREVIATION + _INITIAL + r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def words(text: str) -> list[str]:
    """Every word of `text`, lower-cased, in order; "c++", "c#", "node.js", "m&a" and "3.5" stay whole."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude, consistent stem: "mentored", "mentoring" and "mentors" all become "mentor"."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if not word.isalpha() or len(word) <= 3:
        return word
    for rules in (_PLURAL, _INFLECTION, _DERIVATION):
        word = _strip(word, rules)
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "planned" → "plann" → "plan"
    if len(word) > 3 and word[-1] in "ey":
        word = word[:-1] if word[-1] == "e" else f"{word[:-1]}i"  # "manage"/"manag(ing)", "technology"/"-ies"
    return word


def _strip(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    for suffix, replacement in rules:
        if word.endswith(suffix):
            stemmed = word[: -len(suffix)] + replacement
            return stemmed if len(stemmed) >= 3 else word
    return word


def terms(text: str) -> list[str]:
    """The words of a query worth matching, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit() or word in _LETTER_NAMES):
            seen.setdefault(word, None)
    return list(seen)


# Passages come back request after request: their vocabularies and sentences are worth remembering.
@lru_cache(maxsize=4096)
def stems(text: str) -> frozenset[str]:
    """The stems of every word in `text`, stopwords included (a passage's vocabulary)."""
    return frozenset(stem(word) for word in words(text))


@lru_cache(maxsize=1024)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a passage: lines, Markdown bullets and sentence ends all split, bullets unmarked."""
    found: list[str] = []
    lead_in = ""  # "My certifications:" on a line of its own introduces the line after it
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        if line.endswith(":") and len(line.split()) <= _MAX_LEAD_IN_WORDS:
            lead_in = f"{lead_in} {line}".strip()
            continue
        parts = _without_one_word_parts([part.strip() for part in _SENTENCE_END.split(line) if part.strip()])
        if lead_in:
            parts[0] = f"{lead_in} {parts[0]}"
            lead_in = ""
        found.extend(parts)
    return (*found, lead_in) if lead_in else tuple(found)


def _without_one_word_parts(parts: list[str]) -> list[str]:
    """A line's sentences with a one-word one ("… Supervisor certificate. RSA.") run into the one before it (the first
    into the one after): a word alone is a note that belongs to its neighbour, and no answer quotes a word alone."""
    joined: list[str] = []
    for part in parts:
        if joined and (len(part.split()) == 1 or len(joined[-1].split()) == 1):
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


def word_count(text: str) -> int:
    return len(text.split())
