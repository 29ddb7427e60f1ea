"""The `evaluate_fit` tool both MCP servers offer: how well the person fits a pasted job description."""

from typing import Annotated

from mcp_types import CallToolResult, TextContent

from twin.composition import Services
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.fit_schemas import FitResponse, JobDescription
from twin.entrypoints.mcp.server import READ_ONLY, TwinMCPServer, tool_errors

_STRENGTH_MARKS = {"strong": "✅ strong", "partial": "🟡 partial", "none": "❌ none"}


def add_fit_tool(server: TwinMCPServer, services: Services) -> None:
    @server.tool(title="Evaluate fit for a role", annotations=READ_ONLY)
    @tool_errors
    async def evaluate_fit(job_description: JobDescription) -> Annotated[CallToolResult, FitResponse]:
        """Split a job description into its requirements and judge each against the person's profile: `strong`,
        `partial` or `none`, with the profile's own words as evidence (none means no evidence was found)."""
        fit = FitResponse.of(await run_sync(services.offloads, services.fit.evaluate, job_description))
        return CallToolResult(content=[TextContent(text=table(fit))], structured_content=fit.model_dump(mode="json"))


def table(fit: FitResponse) -> str:
    """The fit as a Markdown table a person reads: each requirement, its strength and its first evidence."""
    rows = ["| # | Requirement | Fit | Evidence |", "|---|---|---|---|"]
    for number, requirement in enumerate(fit.requirements, start=1):
        evidence = requirement.evidence[0] if requirement.evidence else None
        shown = f"“{evidence.quote}” ({evidence.title})" if evidence else "—"
        nice = " (nice to have)" if requirement.importance == "preferred" else ""
        rows.append(
            f"| {number} | {_cell(requirement.requirement)}{nice} | {_STRENGTH_MARKS[requirement.strength]} "
            f"| {_cell(shown)} |"
        )
    return "\n".join([*rows, "", fit.summary])


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
