"""The MCP Inspector CLI (a client written by others, in another language) against `twin serve`."""

import json
import shutil
import subprocess

import pytest

from tests.functional.conftest import RunningServer

INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"  # newer releases need Node.js 22


@pytest.mark.skipif(shutil.which("npx") is None, reason="the MCP Inspector needs Node.js (npx)")
def test_the_inspector_cli_lists_the_tools(server: RunningServer) -> None:
    completed = subprocess.run(
        [
            *("npx", "-y", INSPECTOR, "--cli", server.mcp_url, "--transport", "http"),
            *("--method", "tools/list", "--header", f"Authorization: Bearer {server.token}"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    tools = json.loads(completed.stdout)["tools"]
    assert {tool["name"] for tool in tools} == {
        "ask_twin",
        "search_profile",
        "list_profile_sections",
        "get_profile_section",
    }
