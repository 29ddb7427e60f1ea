"""Entry points: the ways in (REST, MCP, CLI, the local server). Each parses, calls a service, maps back."""
