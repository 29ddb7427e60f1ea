"""The web pages the API serves itself: the public chat (one self-contained page, the one-tag embed script and the
page's privacy notice) and the owner's page (`admin`), which share one look (`theme.css`)."""

import json
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path

from twin.domain import limits

ASK_URL = "v1/public/ask"
"""Relative: on AWS the page lives under the stage path (`/dev/`), and so does the API."""
FIT_URL = "v1/public/fit"


@cache
def asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def chat_page(name: str, headline: str, *, questions_kept_days: int | None = None) -> str:
    """`questions_kept_days`: how long the question log keeps what visitors ask (None when it is off), which the page
    tells them."""
    notice = (
        f"I keep the questions asked here for {questions_kept_days} days, never who asked, to see what my profile "
        "is missing."
        if questions_kept_days is not None
        else ""
    )
    config = {
        "name": name,
        "headline": headline,
        "askUrl": ASK_URL,
        "maxQuestionChars": limits.PUBLIC_MAX_QUESTION_CHARS,
        "fitUrl": FIT_URL,
        "maxJobDescriptionChars": limits.MAX_JOB_DESCRIPTION_CHARS,
    }
    # `<` escaped too, so no value can close the <script> element the configuration sits in.
    safe_config = json.dumps(config).replace("<", "\\u003c")
    return (
        asset("chat.html")
        .replace("{{theme}}", asset("theme.css"))
        .replace("{{config}}", safe_config)
        .replace("{{name}}", escape(name))
        .replace("{{headline}}", escape(headline))
        .replace("{{notice}}", notice)
    )


def embed_script() -> str:
    return asset("embed.js")


@cache
def _owner_template(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _duration(seconds: int) -> str:
    for unit, length in (("day", 86_400), ("hour", 3600), ("minute", 60)):
        if seconds >= length and seconds % length == 0:
            count = seconds // length
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _contact(contact: str | None) -> str:
    """A link to the owner's address (the setting allows only an e-mail address or an HTTPS URL)."""
    if contact is None:
        return "the owner of the site that brought you here"
    href = contact if contact.startswith("https://") else f"mailto:{contact}"
    return f'<a href="{escape(href)}">{escape(contact)}</a>'


def _question_log_item(days: int | None) -> str:
    if days is None:
        return ""
    return (
        f"<li><strong>Your questions</strong> (without the answers, your address or your conversation) are kept for "
        f"{_duration(days * 86_400)} in the owner's question log, to see what the profile is missing. E-mail "
        "addresses and phone numbers typed into them are blanked out first.</li>"
    )


def privacy_notice(
    name: str,
    *,
    contact: str | None,
    session_ttl_seconds: int,
    cache_ttl_seconds: int,
    rate_limit_window_seconds: int,
    log_retention_days: int | None,
    questions_kept_days: int | None = None,
    template: Path | None = None,
) -> str:
    """The notice linked from the chat page: what is kept about a visitor, for how long, how to have it erased. The
    durations come from the settings in force, so the notice cannot drift from what the twin does.
    `questions_kept_days`: the question log's retention, None when it is off."""
    logs = f"{log_retention_days} day{'' if log_retention_days == 1 else 's'}" if log_retention_days else None
    values = {
        "question_log": _question_log_item(questions_kept_days),
        "name": escape(name),
        "contact": _contact(contact),
        "session_ttl": _duration(session_ttl_seconds),
        "cache_ttl": _duration(cache_ttl_seconds),
        "rate_limit_window": _duration(rate_limit_window_seconds),
        "log_retention": logs or "as long as the owner keeps the server's logs",
    }
    text = _owner_template(template) if template is not None else asset("privacy.html")
    for placeholder, value in values.items():
        text = text.replace(f"{{{{{placeholder}}}}}", value)
    return text
