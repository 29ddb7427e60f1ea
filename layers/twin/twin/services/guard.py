"""Questions that try to make the twin talk about anything but its owner's profile get a polite refusal.

The system prompt already keeps a model to the profile; this answers the obvious attempts without
spending a model call, and is the only defence the extractive answerer needs. What it refuses is the
table in `guard.toml`; this module reads a question the way that table expects, so that disguises
(look-alike letters, spaced-out or invisible characters, rot13, reversed text, letters written as digits,
setting names with underscores) do not hide what a question asks.
"""

import base64
import codecs
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from twin.domain.lazy_patterns import LazyPattern
from twin.domain.tables import load_table

REFUSAL: Final = (
    "I can only talk about my professional background: my experience, skills, projects, education "
    "and goals. I can't share anything about how I'm set up, any keys or credentials, or other people's data."
)

# Unicode "tag" characters are invisible but spell ASCII (U+E0041 is a hidden "A"): read them as that text.
_TAGS: Final = {code: chr(code - 0xE0000) for code in range(0xE0020, 0xE007F)}
_APOSTROPHES: Final = str.maketrans(dict.fromkeys("\u2018\u2019\u02bc\u02bb\uff07\u2032", "'"))
# Letters spelled out one by one with a single mark between them ("s y s t e m", "S.Y.S.T.E.M"); in a
# stretch spelled out whole, a wider gap is the one between words ("w h a t  i s").
_SPELLED_OUT: Final = re.compile(r"(?<![^\W_])[^\W_](?:[ ._*·•|/\\+~-][^\W_]){2,}(?![^\W_])")
_SPELLED_WORD: Final = re.compile(r"[^\W_](?:[ ._*·•|/\\+~-][^\W_])+")
_SPELLING_MARKS: Final = re.compile(r"[ ._*·•|/\\+~-]")
_WIDE_GAP: Final = re.compile(r"(\s{2,})")
_WORD: Final = re.compile(r"[^\W_]+")
_LEET_WORD: Final = re.compile(r"[\w@$]+")
_LETTER: Final = re.compile(r"[a-z]")
_NOT_ALPHANUMERIC: Final = re.compile(r"[\W_]+")
_FRAGMENT: Final = re.compile(r"\{([a-z_]+)\}")
# Runs long enough to carry a sentence in base64 (standard or URL-safe) or in hex, and what a decoded run
# must hold to be text: a stretch of words, which the bytes of a mere identifier or hash hardly ever make.
_BASE64_RUN: Final = re.compile(r"[A-Za-z0-9+/_-]{16,}")
_HEX_RUN: Final = re.compile(r"[0-9a-fA-F]{24,}")
_TEXT: Final = re.compile(rb"[A-Za-z][A-Za-z ,.'?!:;-]{9,}")


@lru_cache(maxsize=4096)  # a question asked again (a cached answer's) is read once
def refusal_for(question: str, owner: str | None = None) -> str | None:
    """The refusal for a question the twin must not answer, else None; `owner` is the profile's name."""
    guard = _guard()
    forms = _Forms.of(question, guard)
    owner_names = frozenset(_words(_latin(owner or "", guard.confusables).casefold()).split())
    refused = (
        any(family.refuses(forms) for family in guard.families)
        or _carries_encoded_text(forms.visible)
        or guard.people.about_someone_else(forms, owner_names)
    )
    return REFUSAL if refused else None


@dataclass(frozen=True, slots=True)
class _Forms:
    """One question, read the ways `guard.toml` describes."""

    visible: str
    """As typed after NFKC, with hidden tag text revealed and invisible formatting characters removed."""
    cased: str
    """`visible` with combining marks dropped and look-alike letters made Latin, its case kept."""
    words: tuple[str, ...]
    marks: tuple[str, ...]
    squashed: str
    anchored: str
    """Every form above in lower case, where anchors are looked for."""

    @classmethod
    def of(cls, question: str, guard: "_Guard") -> "_Forms":
        visible = _visible(question)
        cased = _latin(visible, guard.confusables)
        folded = _undo_leet(cased.casefold(), guard.leet)
        words = tuple(
            _words(text) for text in (visible.casefold(), folded, codecs.encode(folded, "rot13"), folded[::-1])
        )
        squashed = _NOT_ALPHANUMERIC.sub("", _joined_spelling(folded))
        return cls(
            visible=visible,
            cased=cased,
            words=words,
            marks=(visible, folded),
            squashed=squashed,
            anchored="\n".join((*words, visible.casefold(), folded, squashed)),
        )


@dataclass(frozen=True, slots=True)
class _Family:
    """The patterns of one kind of attempt, by the form they are searched in; compiled when first needed."""

    anchors: tuple[str, ...]
    words: tuple[LazyPattern, ...]
    marks: tuple[LazyPattern, ...]
    squashed: tuple[LazyPattern, ...]

    def refuses(self, forms: _Forms) -> bool:
        if not any(anchor in forms.anchored for anchor in self.anchors):
            return False
        return (
            _found(self.words, forms.words)
            or _found(self.marks, forms.marks)
            or _found(self.squashed, (forms.squashed,))
        )


@dataclass(frozen=True, slots=True)
class _People:
    anchors: tuple[str, ...]
    patterns: tuple[str, ...]
    not_names: frozenset[str]

    def about_someone_else(self, forms: _Forms, owner_names: frozenset[str]) -> bool:
        if not any(anchor in forms.cased.casefold() for anchor in self.anchors):
            return False
        for pattern in self.patterns:
            for match in _regex(pattern, re.NOFLAG).finditer(forms.cased):
                named = set(match["name"].casefold().split())
                if not named & owner_names and not named <= self.not_names:
                    return True
        return False


@dataclass(frozen=True, slots=True)
class _Guard:
    families: tuple[_Family, ...]
    people: _People
    confusables: Mapping[int, str]
    leet: Mapping[int, str]


def _found(patterns: tuple[LazyPattern, ...], texts: Iterable[str]) -> bool:
    return any(pattern.search(text) for text in texts for pattern in patterns)


@cache
def _regex(pattern: str, flags: re.RegexFlag) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _visible(question: str) -> str:
    text = unicodedata.normalize("NFKC", question).translate(_TAGS).translate(_APOSTROPHES)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _latin(text: str, confusables: Mapping[int, str]) -> str:
    bare = "".join(char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) != "Mn")
    return unicodedata.normalize("NFC", bare).translate(confusables)


def _undo_leet(text: str, leet: Mapping[int, str]) -> str:
    """Digits and signs read as letters inside words that have letters ("pr0mp7"); numbers stay numbers."""
    return _LEET_WORD.sub(lambda word: word[0].translate(leet) if _LETTER.search(word[0]) else word[0], text)


def _joined_spelling(text: str) -> str:
    pieces = _WIDE_GAP.split(text)
    return "".join(
        _SPELLING_MARKS.sub("", piece)
        if _SPELLED_WORD.fullmatch(piece)
        else _SPELLED_OUT.sub(lambda run: _SPELLING_MARKS.sub("", run[0]), piece)
        for piece in pieces
    )


def _words(text: str) -> str:
    return " ".join(_WORD.findall(_joined_spelling(text.replace("'", ""))))


def _carries_encoded_text(text: str) -> bool:
    """Whether the question holds text in base64 or hex: no recruiter writes that way. Every alignment is
    tried, so letters put in front of the encoded text do not hide it."""
    for run in _BASE64_RUN.findall(text):
        letters = run.replace("+", "-").replace("/", "_")
        for start in range(4):
            aligned = letters[start:][: (len(letters) - start) // 4 * 4]
            if _TEXT.search(base64.urlsafe_b64decode(aligned)):
                return True
    for run in _HEX_RUN.findall(text):
        for start in range(2):
            if _TEXT.search(bytes.fromhex(run[start:][: (len(run) - start) // 2 * 2])):
                return True
    return False


@cache
def _guard() -> _Guard:
    table = load_table("twin.services", "guard")
    fragments: dict[str, str] = table["fragments"]

    def expanded(patterns: Iterable[str], flags: re.RegexFlag = re.NOFLAG) -> tuple[LazyPattern, ...]:
        # A fragment is read as one character the scanner cannot see through: what it matches is never required.
        return tuple(
            LazyPattern(_FRAGMENT.sub(lambda name: fragments[name[1]], pattern), flags, _FRAGMENT.sub(".", pattern))
            for pattern in patterns
        )

    people = table["people"]
    return _Guard(
        families=tuple(
            _Family(
                anchors=tuple(family["anchors"]),
                words=expanded(family.get("words", [])),
                marks=expanded(family.get("marks", []), re.IGNORECASE),
                squashed=expanded(family.get("squashed", [])),
            )
            for family in table["families"].values()
        ),
        people=_People(
            anchors=tuple(people["anchors"]),
            patterns=tuple(people["patterns"]),
            not_names=frozenset(people["not_names"].split()),
        ),
        confusables=str.maketrans(
            {look_alike: letter for letter, look_alikes in table["confusables"].items() for look_alike in look_alikes}
        ),
        leet=str.maketrans(table["leet"]),
    )
