"""Input limits shared by every entry point (REST, MCP, CLI)."""

from typing import Final

MAX_QUESTION_CHARS: Final = 2_000
MAX_QUERY_CHARS: Final = 2_000
MAX_BODY_BYTES: Final = 256 * 1024
MIN_TOP_K: Final = 1
MAX_TOP_K: Final = 20
DEFAULT_TOP_K: Final = 5
SESSION_ID_PATTERN: Final = r"^[A-Za-z0-9_-]{8,128}$"
SECTION_ID_PATTERN: Final = r"^[a-f0-9]{24}$"

# The public chat takes questions from anyone: shorter ones, in smaller bodies.
PUBLIC_MAX_QUESTION_CHARS: Final = 500
PUBLIC_MAX_BODY_BYTES: Final = 4 * 1024
# A JSON-RPC request carries the client's capabilities and metadata besides its arguments, and `role_fit` takes a
# pasted job description.
PUBLIC_MCP_MAX_BODY_BYTES: Final = 16 * 1024
