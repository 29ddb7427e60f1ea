"""Conditional responses of the public page and its assets: the ETag follows the bytes, If-None-Match decides."""

import pytest
from starlette.requests import Request

from twin.entrypoints.http.revalidation import cacheable, entity_tag
from twin.entrypoints.web import privacy_notice


def _request(if_none_match: str | None = None) -> Request:
    headers = [] if if_none_match is None else [(b"if-none-match", if_none_match.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


def _response(body: str, if_none_match: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    response = cacheable(_request(if_none_match), body, media_type="text/html", cache_control="public, max-age=60")
    return response.status_code, bytes(response.body), dict(response.headers)


def test_the_same_bytes_get_the_same_strong_tag_and_any_change_another() -> None:
    assert entity_tag(b"<p>Avery</p>") == entity_tag(b"<p>Avery</p>")
    assert entity_tag(b"<p>Avery</p>") != entity_tag(b"<p>Avery.</p>")
    assert not entity_tag(b"x").startswith("W/")


@pytest.mark.parametrize(
    "if_none_match",
    ["{tag}", "W/{tag}", '"other", {tag}', '"other",{tag} ', "*"],
)
def test_a_request_naming_the_current_tag_gets_a_304_with_the_tag_and_no_body(if_none_match: str) -> None:
    _, _, first = _response("<p>Avery</p>")

    status, body, headers = _response("<p>Avery</p>", if_none_match.format(tag=first["etag"]))

    assert status == 304
    assert body == b""
    assert headers["etag"] == first["etag"]
    assert headers["cache-control"] == "public, max-age=60"
    assert "content-type" not in headers


@pytest.mark.parametrize("if_none_match", [None, "", '"0123"', 'W/"0123"'])
def test_a_request_without_the_current_tag_gets_the_whole_body(if_none_match: str | None) -> None:
    status, body, headers = _response("<p>Avery</p>", if_none_match)

    assert status == 200
    assert body == b"<p>Avery</p>"
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_the_privacy_notice_states_durations_in_words_and_escapes_the_owners_name() -> None:
    notice = privacy_notice(
        "Ada <Lovelace>",
        contact=None,
        session_ttl_seconds=5400,
        cache_ttl_seconds=86_400,
        rate_limit_window_seconds=90,
        log_retention_days=1,
    )
    notice = " ".join(notice.split())

    assert "Ada &lt;Lovelace&gt;" in notice
    assert "kept for 90 minutes after your last question" in notice
    assert "cached for 1 day" in notice
    assert "at most 90 seconds" in notice
    assert "keeps it for 1 day." in notice
    assert "{{" not in notice


def test_the_privacy_notice_names_the_question_log_and_its_retention_only_when_it_is_on() -> None:
    def notice(questions_kept_days: int | None) -> str:
        return privacy_notice(
            "Ada",
            contact=None,
            session_ttl_seconds=1800,
            cache_ttl_seconds=3600,
            rate_limit_window_seconds=60,
            log_retention_days=None,
            questions_kept_days=questions_kept_days,
        )

    on, off = notice(30), notice(None)

    assert "are kept for 30 days in the owner's question log" in " ".join(on.split())
    assert "question log" not in off
    assert "{{" not in off
