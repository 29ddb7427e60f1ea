"""POST /v1/public/mcp: the read-only MCP server for visitors, no authorizer (404 unless enabled; GET answers 405)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.mcp import public_mcp_handler

    handler = public_mcp_handler()
