"""The MCP endpoint: tools, resources and prompts over the same services as the REST API."""
