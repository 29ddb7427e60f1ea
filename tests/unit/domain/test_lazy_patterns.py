import re
import sys
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.answers import labelled_questions
from twin.domain import lazy_patterns, requirements
from twin.domain.lazy_patterns import LazyPattern, folded, required_text
from twin.profiles import load_profile, sample_profile
from twin.services.guard import _guard

QUESTIONS_TABLE = tomllib.loads(files("twin.domain").joinpath("questions.toml").read_text(encoding="utf-8"))
INTENT_PATTERNS = sorted(
    {pattern for intent in QUESTIONS_TABLE["intents"].values() for pattern in intent.get("patterns", [])}
)
CUES = sorted({cue for intent in QUESTIONS_TABLE["intents"].values() for cue in intent.get("cues", [])})
GUARD_PATTERNS = [
    pattern for family in _guard().families for pattern in (*family.words, *family.marks, *family.squashed)
]
_FIT_TABLE = requirements._table()
FIT_PATTERNS = [
    pattern
    for group in (
        _FIT_TABLE.boilerplate_headings,
        _FIT_TABLE.preferred_headings,
        _FIT_TABLE.requirement_headings,
        _FIT_TABLE.plain_headings,
        _FIT_TABLE.boilerplate_lines,
        _FIT_TABLE.cues,
        _FIT_TABLE.preferred_lines,
    )
    for pattern in group
]
PREBUILT = {pattern.source: pattern for pattern in (*GUARD_PATTERNS, *FIT_PATTERNS)}
EVERY_PATTERN = [*INTENT_PATTERNS, *CUES, *PREBUILT]
# Only the `tune` split: the held-out questions stay unseen.
QUESTIONS = sorted({question.question for question in labelled_questions("tune")})
SENTENCES = sorted(
    {
        sentence
        for section in load_profile(sample_profile()).sections
        for sentence in re.split(r"(?<=[.!?;])\s+", section.text)
    }
)
JOBS = Path(__file__).parents[2] / "fixtures" / "fit" / "jobs.toml"
JOB_DESCRIPTION_LINES = sorted(
    {
        text
        for job in tomllib.loads(JOBS.read_text(encoding="utf-8"))["jobs"]
        for line in job["text"].splitlines()
        for text in (line.strip().lower(), line.strip(" #*-:").lower())
    }
)


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"\bhow many (yrs|years)\b", ("how many ",)),
        (r"colou?r", ("colo",)),
        (r"(?:senior )?engineer", ("engineer",)),
        (r"a(?:bc)d", ("abcd",)),
        (r"q(?P<name>rs)t", ("qrst",)),
        (r"ab{2}c", ("ab",)),
        (r"a{,3}bcd", ("bcd",)),
        (r"(?!not )word", ("word",)),
        (r"[]a]bc", ("bc",)),
        (r"\(ab\)", ("(ab)",)),
        (r"x|yyy", ("x", "yyy")),
        (r"\b(python|java|c\+\+|r)\b", ("python", "java", "c++", "r")),
        (r"\b(your )?(background|bio|elevator pitch)\b", ("background", "bio", "elevator pitch")),
        (r"(ab|cd)+x", ("ab", "cd")),
        (r"(a|)bc", ("bc",)),
        ("caf\u00e9 bar", (" bar",)),
    ],
)
def test_the_required_text_is_what_every_match_must_contain(pattern: str, required: tuple[str, ...]) -> None:
    assert required_text(pattern) == required


@pytest.mark.parametrize(
    "pattern",
    [r"(?i:abc)", r"(?x) a b c", r"\x41bc", r"\d+", r"a|", r"(?:a|b.)*", r"[abc]", r"\N{BULLET} item"],
)
def test_a_pattern_whose_required_text_cannot_be_told_is_always_searched(pattern: str) -> None:
    assert required_text(pattern) == ()
    text = "a b c ABC 1 • item"
    assert _span(LazyPattern(pattern).search(text)) == _span(re.search(pattern, text, re.IGNORECASE))


def test_a_text_without_the_required_text_is_refused_without_compiling_the_pattern() -> None:
    pattern = LazyPattern(r"\bhow many (yrs|years) of (?:rare )?cobol\b")
    compiled = lazy_patterns._compiled.cache_info().currsize

    assert pattern.search("What programming languages are you most comfortable with?") is None
    assert lazy_patterns._compiled.cache_info().currsize == compiled
    match = pattern.search("So, HOW MANY years of COBOL?")
    assert match is not None
    assert match.group(0) == "HOW MANY years of COBOL"


def test_understanding_a_first_question_compiles_few_of_the_question_table_s_patterns() -> None:
    from twin.domain import questions

    lazy_patterns._compiled.cache_clear()
    questions._understand.cache_clear()
    questions.understand("What programming languages are you most comfortable with?")

    assert lazy_patterns._compiled.cache_info().currsize < len(INTENT_PATTERNS) / 5


def test_the_only_non_ascii_characters_a_case_insensitive_pattern_reads_as_ascii_letters_are_folded() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    look_alikes = {chr(code) for code in range(0x80, sys.maxunicode + 1) if letter.fullmatch(chr(code))}

    assert {char: folded(char) for char in look_alikes} == {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


@pytest.mark.parametrize("pattern", INTENT_PATTERNS)
def test_an_intent_pattern_finds_in_every_bench_question_what_the_compiled_pattern_finds(pattern: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    lazy = LazyPattern(pattern)
    for question in QUESTIONS:
        for text in (question, question.lower(), question.upper()):
            assert _span(lazy.search(text)) == _span(compiled.search(text)), text


@pytest.mark.parametrize("cue", CUES)
def test_a_cue_finds_in_every_sentence_of_the_sample_what_the_compiled_cue_finds(cue: str) -> None:
    compiled = re.compile(cue, re.IGNORECASE)
    lazy = LazyPattern(cue)
    for sentence in SENTENCES:
        assert _span(lazy.search(sentence)) == _span(compiled.search(sentence)), sentence


@pytest.mark.parametrize("pattern", EVERY_PATTERN, ids=[f"pattern-{i}" for i in range(len(EVERY_PATTERN))])
@settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_text_a_pattern_matches_holds_its_required_text(pattern: str, data: st.DataObject) -> None:
    lazy = PREBUILT.get(pattern, LazyPattern(pattern))
    required = lazy_patterns._required(lazy.shape or lazy.source, lazy.flags)
    if not required:
        return
    text = data.draw(st.from_regex(re.compile(pattern, lazy.flags)))

    seen = folded(text) if lazy.flags & re.IGNORECASE else text
    assert any(run in seen for run in required)


@pytest.mark.parametrize("pattern", FIT_PATTERNS, ids=[f"fit-{i}" for i in range(len(FIT_PATTERNS))])
def test_a_job_description_pattern_finds_and_fully_matches_in_every_fixture_line_what_the_compiled_one_does(
    pattern: LazyPattern,
) -> None:
    compiled = re.compile(pattern.source, pattern.flags)
    for line in JOB_DESCRIPTION_LINES:
        assert _span(pattern.search(line)) == _span(compiled.search(line)), line
        assert _span(pattern.fullmatch(line)) == _span(compiled.fullmatch(line)), line


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match else None
