import re
import sys

from twin.domain import limits
from twin.domain.chunks import MAX_CHUNK_CHARS


def test_the_non_blank_pattern_matches_exactly_the_characters_str_strip_keeps() -> None:
    non_blank = re.compile(limits.NON_BLANK_PATTERN)

    kept = [code for code in range(sys.maxunicode + 1) if chr(code).strip()]
    matched = [code for code in range(sys.maxunicode + 1) if non_blank.fullmatch(chr(code))]

    assert matched == kept


def test_an_approved_answer_is_never_split_into_chunks_so_it_is_always_quoted_whole() -> None:
    assert limits.MAX_APPROVED_ANSWER_CHARS < MAX_CHUNK_CHARS
