"""Input limits shared by every entry point (REST, MCP, CLI)."""

from typing import Final

MAX_QUESTION_CHARS: Final = 2_000
MAX_QUERY_CHARS: Final = 2_000
MAX_BODY_BYTES: Final = 256 * 1024
# A PDF, Word or LinkedIn export ZIP sent to ingest. Lambda takes at most 6 MB of request, and API Gateway
# sends a binary body base64-encoded (4 bytes for every 3), so 4 MiB is as much as fits with the headers.
MAX_DOCUMENT_BYTES: Final = 4 * 1024 * 1024
MAX_DOCUMENT_PAGES: Final = 20
MIN_TOP_K: Final = 1
MAX_TOP_K: Final = 20
DEFAULT_TOP_K: Final = 5
SESSION_ID_PATTERN: Final = r"^[A-Za-z0-9_-]{8,128}$"
SECTION_ID_PATTERN: Final = r"^[a-f0-9]{24}$"
# A question or query needs one character that is not whitespace as `str.strip()` sees it, which counts the
# separators U+001C-U+001F (ECMAScript's `\s`, which JSON Schema patterns use, does not): the schemas
# document the rule with this pattern.
NON_BLANK_PATTERN: Final = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

# `twin insights` and `GET /v1/admin/insights`: how many days back, counting today.
MIN_INSIGHT_DAYS: Final = 1
MAX_INSIGHT_DAYS: Final = 365
DEFAULT_INSIGHT_DAYS: Final = 30

# The public chat takes questions from anyone: shorter ones, in smaller bodies.
PUBLIC_MAX_QUESTION_CHARS: Final = 500
PUBLIC_MAX_BODY_BYTES: Final = 4 * 1024
# A JSON-RPC request carries the client's capabilities and metadata besides its arguments, and `role_fit` takes a
# pasted job description.
PUBLIC_MCP_MAX_BODY_BYTES: Final = 16 * 1024

# The owner's approved answers (`twin answers add`): each is published with every profile version, as one chunk
# (shorter than `chunks.MAX_CHUNK_CHARS`, so that it is never split and always quoted whole).
MAX_APPROVED_QUESTION_CHARS: Final = 500
MAX_APPROVED_ANSWER_CHARS: Final = 1_000
MAX_APPROVED_ANSWERS: Final = 200
# A job description pasted to evaluate the fit (`POST /v1/fit`, `evaluate_fit`), and the public chat's body for one:
# room for 10,000 characters sent as UTF-8 (up to 3 bytes each), less if the client escapes them as `\uXXXX`.
MAX_JOB_DESCRIPTION_CHARS: Final = 10_000
PUBLIC_FIT_MAX_BODY_BYTES: Final = 32 * 1024
