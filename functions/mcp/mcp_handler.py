"""POST /mcp (GET and DELETE answer 405)."""

from twin.entrypoints.aws.mcp import mcp_handler

handler = mcp_handler()
