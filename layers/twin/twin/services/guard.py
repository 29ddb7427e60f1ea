"""Questions that try to make the twin talk about anything but the profile get a polite refusal.

The system prompt already keeps a model to the profile; this answers the obvious attempts without
spending a model call, and is the only defence the extractive answerer needs.
"""

import re
from typing import Final

REFUSAL: Final = (
    "I can only talk about my professional background: my experience, skills, projects, education "
    "and goals. I can't share anything about how I'm set up, any keys or credentials, or other people's data."
)

_OFF_LIMITS: Final = re.compile(
    r"""
    \b(system|hidden|initial|original|developer)\s+(prompt|message|instructions?)\b
    | \b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompt|previous|above)\b
    | \b(api|secret|access|private)[\s_-]*(key|token)s?\b
    | \bpasswords?\b | \bjwt\b | \benv(ironment)?\s+variables?\b
    | \b(other|another|all)\s+(users?|people'?s|visitors?)\b
    | \byour\s+(prompt|instructions|configuration)\b(?!\s+engineering)
    | \bjailbreak\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def refusal_for(question: str) -> str | None:
    return REFUSAL if _OFF_LIMITS.search(question) else None
