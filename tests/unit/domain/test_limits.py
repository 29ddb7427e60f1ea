import re
import sys

from twin.domain import limits


def test_the_non_blank_pattern_matches_exactly_the_characters_str_strip_keeps() -> None:
    non_blank = re.compile(limits.NON_BLANK_PATTERN)

    kept = [code for code in range(sys.maxunicode + 1) if chr(code).strip()]
    matched = [code for code in range(sys.maxunicode + 1) if non_blank.fullmatch(chr(code))]

    assert matched == kept
