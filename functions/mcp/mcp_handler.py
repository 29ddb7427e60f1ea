"""POST /mcp (GET and DELETE answer 405)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.mcp import mcp_handler

    handler = mcp_handler()
