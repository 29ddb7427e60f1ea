"""Lines that a PDF broke where its column ran out of room, read as the one line they were written as."""

import re

from twin.profiles.dates import find_dates, split_dates

_HYPHENATED = re.compile(r"[^\W\d_]-$")
_LINK_WORD = re.compile(r"[/@]|\w\.\w")
# A semicolon or a colon leaves the sentence open ("… with product owners;" / "availability of …").
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]?$")
# A line that stops after a comma, a hyphen or a word that needs another after it breaks off mid-phrase.
_MID_PHRASE = re.compile(
    r"(?:[,&/(+–—-]|\b(?:a|an|the|and|or|but|nor|of|for|to|with|without|in|into|on|onto|at|by|from|via|as|than"
    r"|that|which|who|whose|over|under|across|between|per|its|their|our|my|his|her))$",
    re.IGNORECASE,
)

# A degree's name, in its capitals: "BEng Electronic Engineering", "MA Social Work", "PGCE".
_DEGREE_WORDS = r"(?:[BM]\.?(?:Sc|A|Eng|Ed|Phil|Tech|Des)|PhD|DPhil|MBA|PGCE|Bachelor|Master|Doctor)\b"
DEGREE = re.compile(rf"\b{_DEGREE_WORDS}")
# The word a qualification's line opens with: a degree, "Diploma in", "Certificate".
_QUALIFICATION = re.compile(rf"(?:{_DEGREE_WORDS}|Diploma\b|Certificate\b)")


def continues(previous: str, line: str) -> bool:
    """Whether `line` wraps on from `previous`: `previous` ends no sentence, and `line` goes on in lower case or
    `previous` broke off mid-phrase."""
    if not previous or not line or _ENDS_SENTENCE.search(previous):
        return False
    return line[:1].islower() or _MID_PHRASE.search(previous) is not None


def starts_entry(previous: str, line: str) -> bool:
    """Whether `line` is the next entry of a list written as lines of one paragraph: `previous` does not break
    off mid-phrase, and `line` opens with a range of dates or a qualification, or goes on in capitals or figures
    after a date ("MSc, Delft, 2015" above "Exchange year, KAIST, 2013", "Engineer, 2020 – now" above
    "80-person practice; …")."""
    if _MID_PHRASE.search(previous):
        return False
    if _opens_with_range(line) or _QUALIFICATION.match(line):
        return True
    return _ends_with_date(previous) and not line[:1].islower()


def _opens_with_range(text: str) -> bool:
    """ "2013 – 2015 Teaching assistant"; a year alone may be a sentence's, wrapped ("… since" above "2015 …")."""
    dates = split_dates(text)[1]
    return text.startswith(dates) and len(find_dates(dates)) > 1


def _ends_with_date(text: str) -> bool:
    dates = split_dates(text)[1]
    return bool(dates) and text.rstrip(")]").endswith(dates)


def join_wrapped(text: str, following: str) -> str:
    """Wrapped lines as one; a word hyphenated at the break whole again, a link broken at its hyphen too."""
    if not _HYPHENATED.search(text) or not following[:1].islower():
        return f"{text} {following}"
    if _LINK_WORD.search(text.rsplit(" ", 1)[-1]):
        return text + following
    return text[:-1] + following
