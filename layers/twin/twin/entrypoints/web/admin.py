"""The owner's page (`/admin`): what visitors ask, what the twin could not answer, and a form to answer it.

The page itself is the same for everyone and holds nothing secret; everything it shows it fetches from the admin
routes with the credential the owner types, which it keeps in the tab's session storage only. Its script and
style are inline and named by their hashes in a Content-Security-Policy that allows nothing else: no other script,
no other origin, no framing, no form submission (a form sent without the script would put the credential in a URL).
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache

from twin.domain import limits
from twin.entrypoints.web import asset

INSIGHTS_URL = "v1/admin/insights"
"""Relative, as the chat page's: on AWS the page and the API both live under the stage path (`/dev/`)."""
ANSWERS_URL = "v1/admin/answers"


@dataclass(frozen=True, slots=True)
class AdminPage:
    html: str
    headers: dict[str, str]
    """The security headers that go with it: the policy naming its script and style."""


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def admin_page() -> AdminPage:
    config = {
        "insightsUrl": INSIGHTS_URL,
        "answersUrl": ANSWERS_URL,
        "maxQuestionChars": limits.MAX_APPROVED_QUESTION_CHARS,
        "maxAnswerChars": limits.MAX_APPROVED_ANSWER_CHARS,
    }
    style = asset("theme.css") + asset("admin.css")
    script = asset("admin.js")
    html = (
        asset("admin.html")
        .replace("{{config}}", json.dumps(config).replace("<", "\\u003c"))
        .replace("{{style}}", style)
        .replace("{{script}}", script)
    )
    policy = (
        f"default-src 'none'; script-src {_digest(script)}; style-src {_digest(style)}; img-src data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    return AdminPage(html, headers)
