"""The twin as an MCP server: tools for asking and searching, the profile as resources, interview prompts."""

import functools
from collections.abc import Callable
from typing import Annotated

import anyio.to_thread
from mcp.server.mcpserver import MCPServer, UserMessage
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import Resource, ToolAnnotations
from pydantic import Field

from twin import __version__
from twin.composition import Services
from twin.domain import limits
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.entrypoints.http.auth import current_caller
from twin.entrypoints.mcp.trace_context import ClientTraceContext
from twin.entrypoints.schemas import AskResponse, ProfileResponse, SearchResponse, SectionResponse
from twin.errors import TwinError
from twin.services.ask import ANONYMOUS

PROFILE_URI = "twin://profile"
SECTION_URI = "twin://profile/sections/{section_id}"

_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)

INSTRUCTIONS = """\
This server is a digital twin: it answers questions about one person's professional profile \
(experience, skills, projects, education, goals) in their own voice, and cites the profile sections \
each answer came from. Use `ask_twin` for questions, `search_profile` to find passages, \
`list_profile_sections` and `get_profile_section` (or the `twin://profile` resources) to read the profile."""

Question = Annotated[
    str,
    Field(
        min_length=1,
        max_length=limits.MAX_QUESTION_CHARS,
        description="A question about the person, e.g. 'Which programming languages do you know best?'",
    ),
]
SessionId = Annotated[
    str | None,
    Field(
        pattern=limits.SESSION_ID_PATTERN,
        description="To ask a follow-up, the session_id returned by an earlier ask_twin call.",
    ),
]
TopK = Annotated[int, Field(ge=limits.MIN_TOP_K, le=limits.MAX_TOP_K, description="How many passages to retrieve.")]


def _reported_as[**P, R](
    failure: type[ToolError | ResourceError],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The SDK shows callers the text of a ToolError or ResourceError only, and hides anything else."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def reported(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except TwinError as error:
                raise failure(f"{error.code}: {error.message}") from error

        return reported

    return decorate


_tool_errors = _reported_as(ToolError)
_resource_errors = _reported_as(ResourceError)


class TwinMCPServer(MCPServer):
    """Lists one resource per profile section, read from the index at the time of the request."""

    def __init__(self, services: Services) -> None:
        super().__init__(
            name="digital-twin",
            title="Digital Twin",
            version=__version__,
            instructions=INSTRUCTIONS,
            log_level="WARNING",
            middleware=[ClientTraceContext(services.telemetry)],
        )
        self.services = services

    async def list_resources(self) -> list[Resource]:
        static = await super().list_resources()
        overview = await anyio.to_thread.run_sync(self.services.profile.overview)
        return static + [
            Resource(
                uri=SECTION_URI.format(section_id=chunk.id),
                name=chunk.id,
                title=chunk.title,
                description=f"{chunk.type.value.capitalize()} section of the profile",
                mime_type="text/markdown",
            )
            for chunk in overview.sections
        ]


def build_mcp_server(services: Services) -> TwinMCPServer:
    server = TwinMCPServer(services)

    @server.tool(title="Ask the twin", annotations=_READ_ONLY)
    @_tool_errors
    def ask_twin(question: Question, session_id: SessionId = None, top_k: TopK = limits.DEFAULT_TOP_K) -> AskResponse:
        """Ask the person a question; they answer in the first person and cite the profile sections used."""
        caller = current_caller()
        owner = caller.principal if caller else ANONYMOUS
        return AskResponse.of(services.ask.ask(question, session_id=session_id, top_k=top_k, owner=owner))

    @server.tool(title="Search the profile", annotations=_READ_ONLY)
    @_tool_errors
    def search_profile(
        query: Annotated[str, Field(min_length=1, max_length=limits.MAX_QUERY_CHARS, description="What to look for.")],
        top_k: TopK = limits.DEFAULT_TOP_K,
        section: Annotated[SectionType | None, Field(description="Only search this kind of section.")] = None,
    ) -> SearchResponse:
        """Find the profile passages that best match a query, best first, with their section ids."""
        hits = services.search.search(query, top_k=top_k, section=section.value if section else None)
        return SearchResponse.of(hits, query)

    @server.tool(title="List profile sections", annotations=_READ_ONLY)
    @_tool_errors
    def list_profile_sections() -> ProfileResponse:
        """The person's name, headline and summary, and every section of their profile with its id."""
        return ProfileResponse.of(services.profile.overview())

    @server.tool(title="Read a profile section", annotations=_READ_ONLY)
    @_tool_errors
    def get_profile_section(
        section_id: Annotated[str, Field(description="A section id from list_profile_sections or a search.")],
    ) -> SectionResponse:
        """One profile section in full."""
        return SectionResponse.of(services.profile.section(section_id))

    @server.resource(PROFILE_URI, name="profile", title="Profile", mime_type="text/markdown")
    @_resource_errors
    def profile_resource() -> str:
        """The person's profile: summary and the list of sections."""
        overview = services.profile.overview()
        card = overview.profile
        intro = [f"# {card.name or 'Profile'}", card.headline, card.summary, "## Sections"]
        sections = [
            f"- [{chunk.title}]({SECTION_URI.format(section_id=chunk.id)}) ({chunk.type.value})"
            for chunk in overview.sections
        ]
        return "\n\n".join(part for part in intro if part) + "\n\n" + "\n".join(sections) + "\n"

    @server.resource(SECTION_URI, name="profile-section", title="Profile section", mime_type="text/markdown")
    @_resource_errors
    def section_resource(section_id: str) -> str:
        """One section of the profile."""
        return _section_markdown(services.profile.section(section_id))

    @server.prompt(title="Answer an interview question (STAR)")
    def star_answer(question: str) -> list[UserMessage]:
        """Draft an answer to a behavioural interview question in STAR form, from the person's own record."""
        passages = services.search.search(question, top_k=4)
        return [
            UserMessage(
                "Answer this interview question as the person below, in the first person, in STAR form "
                "(Situation, Task, Action, Result), using only these profile passages.\n\n"
                f"Question: {question}\n\n{_passages(passages)}"
            )
        ]

    @server.prompt(title="Elevator pitch")
    def elevator_pitch(audience: str = "a recruiter") -> list[UserMessage]:
        """A 30-second pitch of the person, tailored to an audience."""
        overview = services.profile.overview()
        summary = [hit for hit in overview.sections if hit.type is SectionType.SUMMARY]
        return [
            UserMessage(
                f"Write a 30-second elevator pitch, in the first person, for {audience}, "
                "from these profile passages.\n\n" + _passages([ScoredChunk(chunk, 1.0) for chunk in summary])
            )
        ]

    @server.prompt(title="Fit for a role")
    def role_fit(job_description: str) -> list[UserMessage]:
        """How well the person fits a job description: matching evidence and gaps."""
        passages = services.search.search(job_description[: limits.MAX_QUERY_CHARS], top_k=8)
        return [
            UserMessage(
                "Assess how well the person below fits this role. List the matching evidence with the "
                "passage numbers, then the gaps, then a one-line verdict.\n\n"
                f"Role:\n{job_description}\n\n{_passages(passages)}"
            )
        ]

    return server


def _passages(hits: list[ScoredChunk]) -> str:
    return "\n\n".join(f"[{number}] {hit.chunk.title}\n{hit.chunk.text}" for number, hit in enumerate(hits, start=1))


def _section_markdown(chunk: Chunk) -> str:
    dates = " – ".join(part for part in (chunk.start, chunk.end) if part)
    heading = f"# {chunk.title}\n\n*{chunk.type.value}{f', {dates}' if dates else ''}*"
    return f"{heading}\n\n{chunk.text}\n"
