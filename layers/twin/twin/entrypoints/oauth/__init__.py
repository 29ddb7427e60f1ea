"""The twin as its own OAuth 2.1 authorization server for the MCP endpoint, on the MCP SDK's building blocks."""
