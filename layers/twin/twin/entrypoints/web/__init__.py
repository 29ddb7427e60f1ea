"""The public web chat: one self-contained page and the one-tag embed script, served by the API itself."""

import json
from functools import cache
from html import escape
from importlib.resources import files

from twin.domain import limits

ASK_URL = "v1/public/ask"
"""Relative: on AWS the page lives under the stage path (`/dev/`), and so does the API."""


@cache
def _asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def chat_page(name: str, headline: str) -> str:
    config = {
        "name": name,
        "headline": headline,
        "askUrl": ASK_URL,
        "maxQuestionChars": limits.PUBLIC_MAX_QUESTION_CHARS,
    }
    # `<` escaped too, so no value can close the <script> element the configuration sits in.
    safe_config = json.dumps(config).replace("<", "\\u003c")
    return (
        _asset("chat.html")
        .replace("{{config}}", safe_config)
        .replace("{{name}}", escape(name))
        .replace("{{headline}}", escape(headline))
    )


def embed_script() -> str:
    return _asset("embed.js")
