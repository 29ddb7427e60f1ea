import json
import random

import pytest

from twin.domain.profile import Profile
from twin.errors import ProfileFormatError
from twin.profiles import load_profile, sample_profile


def _error(document: bytes | str) -> ProfileFormatError:
    with pytest.raises(ProfileFormatError) as raised:
        load_profile(document)
    return raised.value


def _load_or_error(document: bytes | str) -> Profile | ProfileFormatError:
    """The only two acceptable outcomes for any input."""
    try:
        return load_profile(document)
    except ProfileFormatError as error:
        return error


def test_json_syntax_errors_give_line_column_and_the_parser_message() -> None:
    error = _error('{\n  "personal": {"name": "A"}\n  "experience": []\n}')

    assert error.location == "line 3, column 3"
    assert error.expected == "valid JSON (Expecting ',' delimiter)"
    assert str(error) == "line 3, column 3: expected valid JSON (Expecting ',' delimiter)"


@pytest.mark.parametrize("document", ['{"a": tru}', "[1, 2", "{", '  {"a": 1}}'])
def test_text_that_starts_like_json_is_never_read_as_markdown(document: str) -> None:
    assert _error(document).expected.startswith("valid JSON (")


@pytest.mark.parametrize("document", ["[1, 2]", '"a string"', "42", "null", "true"])
def test_a_json_value_that_is_not_an_object_is_an_error_at_the_root(document: str) -> None:
    error = _error(document)

    assert (error.location, error.expected) == ("$", "a JSON object")


def test_undecodable_bytes_are_reported_at_their_offset() -> None:
    error = _error('{"name": "Zo\xeb"}'.encode("latin-1"))

    assert (error.location, error.expected) == ("byte 12", "UTF-8 text")


def test_a_utf8_byte_order_mark_is_tolerated() -> None:
    plain = load_profile(sample_profile())

    assert load_profile(b"\xef\xbb\xbf" + sample_profile()) == plain
    assert load_profile("\ufeff" + sample_profile().decode()) == plain


def test_offsets_after_a_byte_order_mark_count_the_mark() -> None:
    assert _error(b"\xef\xbb\xbf# A\n\xff").location == "byte 7"


@pytest.mark.parametrize("document", ["", "   \n\t ", b"", b"\xef\xbb\xbf  \n"])
def test_an_empty_document_is_an_error(document: bytes | str) -> None:
    error = _error(document)

    assert (error.location, error.expected) == ("line 1", "a non-empty profile document")


def test_nesting_deeper_than_the_limit_names_the_path() -> None:
    value: object = "deep"
    for _ in range(40):
        value = {"x": value}
    error = _error(json.dumps({"personal": {"name": "A"}, "misc": value}))

    assert error.location == "$.misc" + ".x" * 31
    assert error.expected == "JSON nested at most 32 levels deep"


def test_nesting_too_deep_for_the_parser_is_still_a_profile_error() -> None:
    error = _error("[" * 100_000)

    assert error.location == "line 1, column 33"


def test_nul_bytes_are_an_error_at_their_position() -> None:
    error = _error(b"# Name\n\nSome\x00text\n")

    assert error.location == "line 3, column 5"
    assert error.expected.startswith("text without control characters")


def test_a_huge_single_line_loads_as_one_section() -> None:
    profile = load_profile("word " * 400_000)

    assert len(profile.sections) == 1
    assert profile.sections[0].text == "word " * 399_999 + "word."


@pytest.mark.parametrize(
    "document",
    [
        "*a " * 50_000,
        "[x](" * 50_000,
        "_" * 100_000,
        "<" * 100_000,
        "`" * 100_000,
        "# " + "#" * 100_000,
        "a" + " " * 100_000 + "#",
        '{"a": "' + "b" * 1_000_000 + '"}',
        '{"n": ' + "9" * 10_000 + "}",
    ],
)
def test_hostile_long_lines_load_or_fail_with_a_profile_error(document: str) -> None:
    assert isinstance(_load_or_error(document), Profile | ProfileFormatError)


def test_lone_surrogate_escapes_are_replaced_so_text_encodes() -> None:
    profile = load_profile('{"personal": {"name": "A\\ud800B"}}')

    assert profile.name.encode("utf-8") == b"A?B"


def test_random_bytes_raise_nothing_but_profile_errors() -> None:
    rng = random.Random(1234)
    for _ in range(300):
        document = rng.randbytes(rng.randint(0, 400))
        assert isinstance(_load_or_error(document), Profile | ProfileFormatError)


_MARKDOWN_PIECES = [
    "#", "## ", "---", "===", "```", "~~~", "*", "**", "_", "`", "[", "](", ")", "<", ">", "|", "- ",
    "1. ", "\n", "\n\n", "    ", "\\", "Avery", "2021", "Jan 2020 – present", "http://x.y", "é", "\t",
]  # fmt: skip


def test_random_markdown_raises_nothing_but_profile_errors() -> None:
    rng = random.Random(99)
    for _ in range(500):
        document = "".join(rng.choice(_MARKDOWN_PIECES) for _ in range(rng.randint(0, 60)))
        assert isinstance(_load_or_error(document), Profile | ProfileFormatError)


_KEYS = [
    "personal", "name", "Full Name", "title", "contact", "experience", "company", "achievements_star",
    "result", "skills", "technical", "programming_languages", "years", "education", "degree",
    "projects_portfolio", "technologies", "career_goals", "interview_prep", "common_questions",
    "weakness_mitigation", "professional_development", "duration", "basics", "work", "location",
    "profiles", "highlights", "keywords", "content", "metadata", "tags", "id", "type", "x y", "",
]  # fmt: skip


def _random_json(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        return rng.choice(
            [None, True, False, 0, -7, 3.25, 1e300, "", " ", "Jan 2021 - Present", "a, b; c", "x" * 50, "ü\n"]
        )
    if roll < 0.7:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(_KEYS): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))}


@pytest.mark.parametrize("root_keys", [_KEYS[:24], ["basics", "work", "skills", "education"], ["content_chunks"]])
def test_random_json_in_each_format_raises_nothing_but_profile_errors(root_keys: list[str]) -> None:
    rng = random.Random(len(root_keys))
    for _ in range(300):
        document = {key: _random_json(rng, 1) for key in rng.sample(root_keys, rng.randint(1, len(root_keys)))}
        assert isinstance(_load_or_error(json.dumps(document)), Profile | ProfileFormatError)


def test_a_location_naming_a_huge_key_is_capped() -> None:
    key = "k" * 60_000
    document = json.dumps({"misc": {key: json.loads("[" * 40 + "]" * 40)}}).encode()

    error = _error(document)

    assert error.location.startswith("$.misc.kkk")
    assert len(error.message) < 200
