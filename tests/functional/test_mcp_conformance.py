"""The official MCP conformance suite (`@modelcontextprotocol/conformance`, on Node.js 22) against the public MCP
endpoint of `twin serve`: it has no option for credentials, and the public endpoint needs none.

Many of its scenarios exercise the reference server's own test tools, resources and prompts: those cannot apply
to this server (docs/mcp.md gives each reason). Every scenario that can apply must pass, and a scenario the suite
adds must be sorted into one list or the other.
"""

import json
import re
import subprocess
from pathlib import Path

from tests.functional.conftest import RunningServer

APPLICABLE = {
    "server-initialize",
    "ping",
    "logging-set-level",
    "tools-list",
    "tools-call-error",
    "resources-list",
    "prompts-list",
    "dns-rebinding-protection",
}
NOT_APPLICABLE = {
    # The suite's own test tools, and what they do: content other than JSON text, logs, progress, sampling and
    # elicitation requests. (tools-call-simple-text passes anyway: any text result satisfies it.)
    "tools-call-simple-text",
    "tools-call-image",
    "tools-call-audio",
    "tools-call-embedded-resource",
    "tools-call-mixed-content",
    "tools-call-with-logging",
    "tools-call-with-progress",
    "tools-call-sampling",
    "tools-call-elicitation",
    "elicitation-sep1034-defaults",
    "elicitation-sep1330-enums",
    # The suite's own test:// resources and test prompts; subscriptions, which a stateless server does not offer.
    "resources-read-text",
    "resources-read-binary",
    "resources-templates-read",
    "resources-subscribe",
    "resources-unsubscribe",
    "prompts-get-simple",
    "prompts-get-with-args",
    "prompts-get-embedded-resource",
    "prompts-get-with-image",
    # Completes an argument of the suite's prompt, which this server rightly answers with -32602.
    "completion-complete",
    # SSE streams of a session: this server is stateless and answers JSON.
    "server-sse-multiple-streams",
}
_RESULT_DIRECTORY = re.compile(r"server-(?P<scenario>.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z")


def test_every_conformance_scenario_that_can_apply_passes(
    server: RunningServer, node_tools: dict[str, str], tmp_path: Path
) -> None:
    subprocess.run(
        ["conformance", "server", "--url", server.public_mcp_url, "--output-dir", str(tmp_path)],
        env=node_tools,
        capture_output=True,
        timeout=180,
        check=False,  # it exits non-zero when any scenario fails, and most cannot apply
    )

    statuses: dict[str, set[str]] = {}
    for directory in tmp_path.iterdir():
        match = _RESULT_DIRECTORY.fullmatch(directory.name)
        assert match, directory.name
        checks = json.loads((directory / "checks.json").read_text())
        statuses[match["scenario"]] = {check["status"] for check in checks}
    assert set(statuses) == APPLICABLE | NOT_APPLICABLE
    applicable = {scenario: status for scenario, status in statuses.items() if scenario in APPLICABLE}
    assert applicable == {scenario: {"SUCCESS"} for scenario in APPLICABLE}
    assert "Traceback" not in server.log
