"""The scope matrix, as the security issue specifies it: what each scope lets a caller do.

Written out here on its own, not derived from `twin.security.policy`, so the tests check the policy
against the specification rather than against itself.
"""

from itertools import combinations

SCOPES = ("twin:read", "twin:ask", "twin:admin")
SCOPE_SETS = [frozenset(chosen) for size in range(len(SCOPES) + 1) for chosen in combinations(SCOPES, size)]

SECTION_ID = "0" * 24
SESSION_ID = "session-0001"
ANSWER_ID = "ans_000000000000"

# (method, path, path template) → the scopes, any one of which allows it.
ROUTES: dict[tuple[str, str, str], frozenset[str]] = {
    ("POST", "/v1/ask", "/v1/ask"): frozenset({"twin:ask"}),
    ("POST", "/v1/fit", "/v1/fit"): frozenset({"twin:ask"}),
    ("DELETE", f"/v1/sessions/{SESSION_ID}", "/v1/sessions/{session_id}"): frozenset({"twin:ask"}),
    ("POST", "/v1/search", "/v1/search"): frozenset({"twin:read"}),
    ("GET", "/v1/profile", "/v1/profile"): frozenset({"twin:read"}),
    ("GET", f"/v1/profile/sections/{SECTION_ID}", "/v1/profile/sections/{section_id}"): frozenset({"twin:read"}),
    ("POST", "/v1/admin/ingest", "/v1/admin/ingest"): frozenset({"twin:admin"}),
    ("GET", "/v1/admin/insights", "/v1/admin/insights"): frozenset({"twin:admin"}),
    ("POST", "/v1/admin/answers", "/v1/admin/answers"): frozenset({"twin:admin"}),
    ("GET", "/v1/admin/answers", "/v1/admin/answers"): frozenset({"twin:admin"}),
    ("DELETE", f"/v1/admin/answers/{ANSWER_ID}", "/v1/admin/answers/{answer_id}"): frozenset({"twin:admin"}),
    ("POST", "/mcp", "/mcp"): frozenset({"twin:read", "twin:ask"}),
}

MCP_TOOLS: dict[str, tuple[dict[str, object], str]] = {
    "ask_twin": ({"question": "What do you do?"}, "twin:ask"),
    "evaluate_fit": ({"job_description": "- Experience with Python"}, "twin:ask"),
    "search_profile": ({"query": "python"}, "twin:read"),
    "list_profile_sections": ({}, "twin:read"),
    "get_profile_section": ({"section_id": SECTION_ID}, "twin:read"),
}


def allowed(scopes: frozenset[str], needed: frozenset[str]) -> bool:
    return bool(scopes & needed)


def scope_set_id(scopes: frozenset[str]) -> str:
    return "+".join(sorted(scopes)) or "no-scopes"
