import pytest

from twin.domain.profile import ProfileFormat
from twin.profiles import load_profile


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('{"content_chunks": [{"content": "Hi."}], "personal": {"name": "A"}}', ProfileFormat.CONTENT_CHUNKS),
        ('{"basics": {"name": "A"}, "experience": [{"company": "B"}]}', ProfileFormat.JSON_RESUME),
        ('{"work": [{"name": "B"}]}', ProfileFormat.JSON_RESUME),
        ('{"work": [{"name": "B"}], "experience": [{"company": "B"}]}', ProfileFormat.WORKSHOP),
        ('{"personal": {"name": "A"}}', ProfileFormat.WORKSHOP),
        ('{"hobbies": "chess"}', ProfileFormat.WORKSHOP),
        ("# A\n\nHello.", ProfileFormat.MARKDOWN),
        ("Just some text about me.", ProfileFormat.MARKDOWN),
        ("2024 was a good year for me.", ProfileFormat.MARKDOWN),
        (b'  \n {"personal": {"name": "A"}}', ProfileFormat.WORKSHOP),
    ],
)
def test_the_format_is_detected_from_the_content(document: bytes | str, expected: ProfileFormat) -> None:
    assert load_profile(document).source_format is expected


def test_a_file_name_extension_in_the_text_does_not_matter() -> None:
    assert load_profile("profile.json\n\nI am a Markdown CV.").source_format is ProfileFormat.MARKDOWN
