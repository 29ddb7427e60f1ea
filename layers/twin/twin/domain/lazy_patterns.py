"""Regular expressions that are compiled only when a text could match them.

`questions.toml` holds a few hundred patterns and every question is searched with all of them. Compiling
them all would cost the first question of each cold start more than answering it, and most of them cannot
match a given question: a pattern's longest run of plain text (`how many ` in `\\bhow many (yrs|years)\\b`)
is in every text it matches, so a text without that run is refused before the pattern is ever compiled.
"""

import re
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

# The only characters besides A-Z that a case-insensitive pattern matches to an ASCII letter (found by trying
# every code point; tests/unit/domain/test_lazy_patterns.py checks it): they are read as that letter.
_ASCII_LOOKALIKES: Final = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_QUANTIFIER: Final = re.compile(r"(?:[?*+]|\{(\d*)(?:,\d*)?\})[?+]?")
# Groups whose text is part of the match, in the order written: (?:...), (?P<name>...), (?>...) and (...).
_MATCHING_GROUP: Final = re.compile(r"\((?:\?:|\?P<\w+>|\?>|(?!\?))")
_ZERO_WIDTH_OR_CLASS: Final = frozenset("bBAZdDsSwW")
# Characters that stand for themselves; a quantifier after a run applies to its last character only.
_PLAIN: Final = re.compile(r"[^\\()\[\].^$|?*+{]+")
# What the group and branch scanners step over whole: an escape, a character class, a run of anything else.
_TOKEN: Final = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|[()|]|[^\\\[()|]+", re.DOTALL)


@dataclass(frozen=True, slots=True)
class LazyPattern:
    source: str
    flags: re.RegexFlag = re.IGNORECASE
    shape: str | None = None
    """The pattern as the scanner should read it, when `source` is expanded from a template."""

    def search(self, text: str) -> re.Match[str] | None:
        pattern = self._compiled_for(text)
        return pattern.search(text) if pattern else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        pattern = self._compiled_for(text)
        return pattern.fullmatch(text) if pattern else None

    def _compiled_for(self, text: str) -> re.Pattern[str] | None:
        """The compiled pattern, or None when `text` lacks the plain text every match of it contains."""
        required = _required(self.shape or self.source, self.flags)
        if required:
            seen = folded(text) if self.flags & re.IGNORECASE else text
            if not any(run in seen for run in required):
                return None
        return _compiled(self.source, self.flags)


@cache
def _required(shape: str, flags: re.RegexFlag) -> tuple[str, ...]:
    """What `search` looks for before it compiles: read on first use, as a question needs few patterns' cues."""
    if flags & re.VERBOSE:
        return ()
    required = required_text(shape)
    return tuple(run.lower() for run in required) if flags & re.IGNORECASE else required


@lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """`text` as a case-insensitive pattern sees it: a run it matches is in here in lower case."""
    return text.translate(_ASCII_LOOKALIKES).lower()


@cache
def _compiled(source: str, flags: re.RegexFlag) -> re.Pattern[str]:
    return re.compile(source, flags)


def required_text(source: str) -> tuple[str, ...]:
    """Runs of ASCII text one of which every match of `source` contains: its longest plain run, or the
    runs of an alternation's branches; empty when none can be told without compiling it (inline flags,
    escapes such as `\\x41`, a branch with no plain text)."""
    try:
        return _Scanner(source).requirement(0, len(source))
    except _UnknownSyntaxError:
        return ()


class _UnknownSyntaxError(Exception):
    """Syntax the scanner does not read, or nothing required: the pattern is always compiled."""


class _Scanner:
    """Reads a pattern's sequence, and the groups it holds exactly once, as runs of plain text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.candidates: list[tuple[str, ...]] = []
        self.current = ""

    def requirement(self, start: int, end: int) -> tuple[str, ...]:
        branches = _branches(self.source, start, end)
        if len(branches) > 1:
            return tuple(text for first, last in branches for text in _branch_requirement(self.source, first, last))
        self.sequence(start, end)
        self._break()
        if not self.candidates:
            raise _UnknownSyntaxError
        return max(self.candidates, key=lambda texts: (min(map(len, texts)), -len(texts)))

    def sequence(self, start: int, end: int) -> None:
        source, index = self.source, start
        while index < end:
            plain = _PLAIN.match(source, index, end)
            if plain:
                index = self._plain(plain.group(0), plain.end())
                continue
            char = source[index]
            if char == "(":
                index = self._group(index)
                continue
            if char == "[":
                index = self._skip_quantifier(_class_end(source, index))
                self._break()
                continue
            if char in ".^$":
                index = self._skip_quantifier(index + 1)
                self._break()
                continue
            if char == "\\":
                escaped = source[index + 1 : index + 2]
                if escaped and escaped in _ZERO_WIDTH_OR_CLASS:
                    index = self._skip_quantifier(index + 2)
                    self._break()
                    continue
                if not escaped or escaped.isalnum() or not escaped.isascii():
                    raise _UnknownSyntaxError
                char, index = escaped, index + 2
            else:
                index += 1
            index = self._literal(char, index)

    def _plain(self, text: str, index: int) -> int:
        """A run of characters that stand for themselves; a quantifier after it applies to its last one."""
        if not text.isascii():
            for char in text[:-1]:
                self._literal(char, -1)
            return self._literal(text[-1], index)
        quantifier = _QUANTIFIER.match(self.source, index)
        if quantifier is None:
            self.current += text
            return index
        self.current += text if _at_least_once(quantifier) else text[:-1]
        self._break()
        return quantifier.end()

    def _literal(self, char: str, index: int) -> int:
        """One character standing for itself, at `index` - 1 (-1: inside a run, no quantifier follows)."""
        quantifier = _QUANTIFIER.match(self.source, index) if index >= 0 else None
        if not char.isascii():
            self._break()
        elif quantifier is None:
            self.current += char
        elif _at_least_once(quantifier):
            self.current += char
            self._break()
        else:
            self._break()
        return quantifier.end() if quantifier else index

    def _group(self, start: int) -> int:
        end, alternates = _group_end(self.source, start)
        quantifier = _QUANTIFIER.match(self.source, end)
        after = quantifier.end() if quantifier else end
        opening = _MATCHING_GROUP.match(self.source, start)
        if opening is None:
            if re.match(r"\(\?[aiLmsux-]", self.source[start:]):
                raise _UnknownSyntaxError
            self._break()  # a lookaround, a comment, a back reference or a conditional: it consumes nothing
            return after
        if alternates or quantifier:
            self._break()
        if quantifier and not _at_least_once(quantifier):
            return after
        if alternates:
            with suppress(_UnknownSyntaxError):
                self.candidates.append(_Scanner(self.source).requirement(opening.end(), end - 1))
            return after
        self.sequence(opening.end(), end - 1)
        if quantifier:
            self._break()
        return after

    def _skip_quantifier(self, index: int) -> int:
        quantifier = _QUANTIFIER.match(self.source, index)
        return quantifier.end() if quantifier else index

    def _break(self) -> None:
        if self.current:
            self.candidates.append((self.current,))
            self.current = ""


def _branch_requirement(source: str, start: int, end: int) -> tuple[str, ...]:
    plain = _PLAIN.fullmatch(source, start, end)
    if plain and plain.group(0).isascii():
        return (plain.group(0),)
    return _Scanner(source).requirement(start, end)


def _at_least_once(quantifier: re.Match[str]) -> bool:
    text = quantifier.group(0)
    return text[0] == "+" or (text[0] == "{" and int(quantifier.group(1) or 0) >= 1)


def _class_end(source: str, start: int) -> int:
    """The index after the character class opening at `start`."""
    token = _TOKEN.match(source, start)
    if token is None or not token.group(0).endswith("]"):
        raise _UnknownSyntaxError
    return token.end()


def _group_end(source: str, start: int) -> tuple[int, bool]:
    """The index after the group opening at `start`, and whether it holds an alternation of its own."""
    depth, alternates = 0, False
    for token in _TOKEN.finditer(source, start):
        text = token.group(0)
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
            if depth == 0:
                return token.end(), alternates
        elif text == "|" and depth == 1:
            alternates = True
    raise _UnknownSyntaxError


def _branches(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the alternation's branches between `start` and `end` (one span when there is none)."""
    spans, first, depth = [], start, 0
    for token in _TOKEN.finditer(source, start, end):
        text = token.group(0)
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "|" and depth == 0:
            spans.append((first, token.start()))
            first = token.end()
    return [*spans, (first, end)]
