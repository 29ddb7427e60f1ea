"""The MCP Inspector CLI (a client written by others, in another language, on Node.js 22) against `twin serve`."""

import json
import subprocess

from tests.functional.conftest import RunningServer

TOOLS = {"ask_twin", "evaluate_fit", "search_profile", "list_profile_sections", "get_profile_section"}


def inspect(url: str, node_tools: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["mcp-inspector", "--cli", url, "--transport", "http", "--method", "tools/list", *options],
        env=node_tools,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_inspector_cli_lists_the_tools(server: RunningServer, node_tools: dict[str, str]) -> None:
    completed = inspect(server.mcp_url, node_tools, "--header", f"Authorization: Bearer {server.token}")

    assert completed.returncode == 0, completed.stderr
    assert {tool["name"] for tool in json.loads(completed.stdout)["tools"]} == TOOLS


def test_the_inspector_cli_lists_the_tools_of_the_public_endpoint_without_a_credential(
    server: RunningServer, node_tools: dict[str, str]
) -> None:
    completed = inspect(server.public_mcp_url, node_tools)

    assert completed.returncode == 0, completed.stderr
    assert {tool["name"] for tool in json.loads(completed.stdout)["tools"]} == TOOLS
