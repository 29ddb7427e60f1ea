"""Responses a browser or a CDN may keep: a strong ETag of the exact bytes, and 304 for a copy still current.

The public page and its embed script load on every page view of every site that embeds the widget; with these,
a repeat view costs a 304 without a body, and a CDN in front of the stage (the template's optional CloudFront
distribution) serves them without reaching the function for `s-maxage` seconds.
"""

import hashlib
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

PAGE_CACHE_CONTROL = "public, max-age=60, s-maxage=300"
"""The chat page and the privacy notice, which name the profile's owner (an ingest can change that), and the owner's
page (the same for everyone: what it shows, it fetches with the owner's credential)."""
SCRIPT_CACHE_CONTROL = "public, max-age=300, s-maxage=3600"
"""`embed.js`, which changes only with a deploy."""


def entity_tag(body: bytes) -> str:
    """A strong validator: the same bytes, the same tag, whichever process or container served them."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(if_none_match: str, tag: str) -> bool:
    """RFC 9110 13.1.2: `*`, or any listed tag equal to ours under the weak comparison If-None-Match uses."""
    listed = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
    return "*" in listed or tag in listed


def cacheable(
    request: Request, body: str, *, media_type: str, cache_control: str, headers: Mapping[str, str] | None = None
) -> Response:
    """`body` with its ETag, `cache_control` and any other `headers`; a 304 with no body when the request names that
    ETag."""
    content = body.encode()
    sent = {**(headers or {}), "ETag": entity_tag(content), "Cache-Control": cache_control}
    if _matches(request.headers.get("if-none-match", ""), sent["ETag"]):
        return Response(status_code=304, headers=sent)
    return Response(content, media_type=media_type, headers=sent)
