"""Fixtures for the profile loader tests: fixture files and the "nothing dropped" check."""

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from twin.domain.privacy import is_protected_key
from twin.domain.profile import Profile

FIXTURES = Path(__file__).parents[2] / "fixtures" / "profiles"

type ReadFixture = Callable[[str], bytes]
type MissingValues = Callable[[bytes | str, Profile], list[str]]


@pytest.fixture
def read_fixture() -> ReadFixture:
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture
def missing_values() -> MissingValues:
    """Every non-empty scalar of a JSON document that appears in no section text of its profile.

    Protected characteristics (age, pronouns...) must be dropped, so they are not looked for.
    """
    return _missing_values


def _missing_values(document: bytes | str, profile: Profile) -> list[str]:
    text = " ".join(" ".join(section.text for section in profile.sections).split())
    values = _leaves(json.loads(document, parse_int=str, parse_float=str))
    return [value for value in values if not re.search(rf"(?<!\w){re.escape(value)}", text)]


def _leaves(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if not is_protected_key(key):
                yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, bool):
        yield "yes" if value else "no"
    elif isinstance(value, str) and value.strip():
        yield " ".join(value.split())
