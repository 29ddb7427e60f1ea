"""The twin as an MCP server: tools for asking and searching, the profile as resources, interview prompts."""

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Annotated, Any

from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver import Context, MCPServer, UserMessage
from mcp.server.mcpserver.exceptions import (
    ResourceError,
    ResourceNotFoundError,
    ToolError,
    UnexpectedResourceError,
    UnexpectedToolError,
)
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    CallToolResult,
    CompleteRequestParams,
    CompleteResult,
    Completion,
    CompletionArgument,
    EmptyResult,
    GetPromptResult,
    InputRequiredResult,
    PromptReference,
    Resource,
    ResourceTemplateReference,
    SetLevelRequestParams,
    ToolAnnotations,
)
from pydantic import AnyUrl, Field, ValidationError

from twin import __version__
from twin.composition import Services
from twin.domain import limits
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.fit import FitCase
from twin.domain.profile import SectionType
from twin.domain.question_log import Channel
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.auth import current_caller
from twin.entrypoints.mcp.trace_context import ClientTraceContext
from twin.entrypoints.problems import summary, validation_problems
from twin.entrypoints.schemas import (
    NON_BLANK,
    AskResponse,
    ProfileResponse,
    SearchResponse,
    SectionResponse,
    TopK,
)
from twin.errors import InvalidRequestError, SectionNotFoundError, TwinError
from twin.services.ask import ANONYMOUS
from twin.services.profile import ProfileOverview

logger = logging.getLogger(__name__)

PROFILE_URI = "twin://profile"
SECTION_URI = "twin://profile/sections/{section_id}"

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
MAX_COMPLETIONS = 100
"""The protocol's cap on the values of one completion."""
PROMPT_SUGGESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "star_answer": {
        "question": (
            "Tell me about a time you led a project under a tight deadline",
            "Tell me about a time you disagreed with a colleague",
            "Tell me about a time you failed and what you learned",
            "Tell me about a time you improved a process",
        )
    },
    "elevator_pitch": {
        "audience": ("a recruiter", "a hiring manager", "an engineering team", "a startup founder", "a conference"),
    },
    "role_fit": {"job_description": ()},
}
"""What completion offers for each prompt argument (nothing for a job description, which is pasted)."""

INSTRUCTIONS = """\
This server is a digital twin: it answers questions about one person's professional profile \
(experience, skills, projects, education, goals) in their own voice, and cites the profile sections \
each answer came from. Use `ask_twin` for questions, `evaluate_fit` to check a job description against the \
profile, `search_profile` to find passages, `list_profile_sections` and `get_profile_section` (or the \
`twin://profile` resources) to read the profile."""

QUESTION_HELP = "A question about the person, e.g. 'Which programming languages do you know best?'"
Question = Annotated[
    str, NON_BLANK, Field(min_length=1, max_length=limits.MAX_QUESTION_CHARS, description=QUESTION_HELP)
]
SessionId = Annotated[
    str | None,
    Field(
        pattern=limits.SESSION_ID_PATTERN,
        description="To ask a follow-up, the session_id returned by an earlier ask_twin call.",
    ),
]


type Handler[**P, R] = Callable[P, Awaitable[R]]


def _reported_as[**P, R](failure: Callable[[TwinError], Exception]) -> Callable[[Handler[P, R]], Handler[P, R]]:
    """The SDK shows callers the text of a ToolError, ResourceError or MCPError only, and hides anything else.

    The handlers are `async`: the SDK runs a plain function in its thread pool, and `run_sync` puts a service
    call there only when it can wait on the network (`Services.offloads`).
    """

    def decorate(function: Handler[P, R]) -> Handler[P, R]:
        @functools.wraps(function)
        async def reported(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await function(*args, **kwargs)
            except TwinError as error:
                raise failure(error) from error

        return reported

    return decorate


def _resource_failure(error: TwinError) -> ResourceError:
    """A section that does not exist is the caller's mistake: the SDK answers ResourceNotFoundError with -32602."""
    not_found = isinstance(error, SectionNotFoundError | InvalidRequestError)
    return (ResourceNotFoundError if not_found else ResourceError)(f"{error.code}: {error.message}")


def _request_failure(error: TwinError) -> MCPError:
    """The SDK reports any other failure of a prompt or a completion as error code 0, with a traceback in the log."""
    return MCPError(INVALID_PARAMS if isinstance(error, InvalidRequestError) else INTERNAL_ERROR, str(error))


tool_errors = _reported_as(lambda error: ToolError(f"{error.code}: {error.message}"))
_resource_errors = _reported_as(_resource_failure)
_request_errors = _reported_as(_request_failure)


Completer = Callable[[PromptReference | ResourceTemplateReference, CompletionArgument], Awaitable[Completion]]


class TwinMCPServer(MCPServer):
    """Lists one resource per profile section, read from the index at the time of the request; answers
    `logging/setLevel`, completes arguments, and reports an unknown prompt or resource as the caller's mistake.

    The SDK's own errors quote the caller (an unknown tool, prompt or URI; arguments that fail validation,
    with their values): those are replaced by errors that name the problem only.
    """

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
        # MCPServer has no decorator for it; the low-level server declares the capability once a handler exists.
        self._lowlevel_server.add_request_handler("logging/setLevel", SetLevelRequestParams, _accept_log_level)

    def complete_with(self, completer: Completer) -> None:
        """`completion/complete`: MCPServer's own decorator for it is untyped."""

        async def handle(_: ServerRequestContext[Any], params: CompleteRequestParams) -> CompleteResult:
            return CompleteResult(completion=await completer(params.ref, params.argument))

        self._lowlevel_server.add_request_handler("completion/complete", CompleteRequestParams, handle)

    async def list_resources(self) -> list[Resource]:
        static = await super().list_resources()
        overview = await run_sync(self.services.offloads, self.services.profile.overview)
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

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        if self._tool_manager.get_tool(name) is None:  # list_tools() would build every tool's description
            raise ToolError("unknown_tool: no tool has that name")
        try:
            return await super().call_tool(name, arguments, context)
        except UnexpectedToolError:
            raise
        except ToolError as error:
            if isinstance(error.__cause__, ValidationError):
                raise ToolError(f"Error executing tool {name}: {_invalid_arguments(error.__cause__)}") from error
            raise

    async def read_resource(
        self, uri: AnyUrl | str, context: Context[Any, Any] | None = None
    ) -> Iterable[ReadResourceContents] | InputRequiredResult:
        # Raised as MCPError: the SDK would add the URI to the error's data.
        try:
            return await super().read_resource(uri, context)
        except ResourceNotFoundError:
            raise MCPError(INVALID_PARAMS, "resource_not_found: no resource has that URI") from None
        except UnexpectedResourceError:
            logger.exception("reading an MCP resource failed")
            raise MCPError(INTERNAL_ERROR, "internal_error: the resource could not be read") from None
        except ResourceError as error:
            code = INVALID_PARAMS if isinstance(error.__cause__, SectionNotFoundError) else INTERNAL_ERROR
            raise MCPError(code, str(error)) from error

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context[Any, Any] | None = None
    ) -> GetPromptResult | InputRequiredResult:
        """An unknown prompt or a missing argument is invalid params (-32602), which the SDK would report as code 0."""
        prompt = next((prompt for prompt in await self.list_prompts() if prompt.name == name), None)
        if prompt is None:
            raise MCPError(INVALID_PARAMS, "unknown_prompt: no prompt has that name; prompts/list names them")
        missing = sorted(
            arg.name for arg in prompt.arguments or () if arg.required and arg.name not in (arguments or {})
        )
        if missing:
            raise MCPError(INVALID_PARAMS, f"invalid_request: this prompt needs the arguments: {', '.join(missing)}")
        try:
            return await super().get_prompt(name, arguments, context)
        except ValueError as error:
            rendering = error.__cause__  # the SDK wraps what rendering raised in a ValueError of the same text
            cause = rendering.__cause__ if rendering else None
            if isinstance(cause, TwinError):
                code = INVALID_PARAMS if isinstance(cause, InvalidRequestError) else INTERNAL_ERROR
                raise MCPError(code, f"{cause.code}: {cause.message}") from error
            if rendering is not None and cause is None:  # the SDK's own refusal: it names missing arguments
                raise MCPError(INVALID_PARAMS, str(error)) from error
            raise


def _invalid_arguments(error: ValidationError) -> str:
    problems = validation_problems(error.errors(), whole="arguments")
    return f"{InvalidRequestError.code}: {summary(problems)}"


async def _accept_log_level(_: ServerRequestContext[Any], __: SetLevelRequestParams) -> EmptyResult:
    """Any level is honoured: this server sends no log notifications, and a stateless one keeps no per-client level."""
    return EmptyResult()


def build_mcp_server(services: Services) -> TwinMCPServer:
    """The MCP server behind `/mcp`: its callers have a token or key, and their sessions are theirs."""
    server = TwinMCPServer(services)

    @server.tool(title="Ask the twin", annotations=READ_ONLY)
    @tool_errors
    async def ask_twin(
        question: Question, session_id: SessionId = None, top_k: TopK = limits.DEFAULT_TOP_K
    ) -> AskResponse:
        """Ask the person a question; they answer in the first person and cite the profile sections used."""
        caller = current_caller()
        owner = caller.principal if caller else ANONYMOUS
        offload, ask = services.offloads, services.ask.ask
        answer = await run_sync(
            offload, ask, question, session_id=session_id, top_k=top_k, owner=owner, channel=Channel.MCP
        )
        return AskResponse.of(answer)

    from twin.entrypoints.mcp.fit_tool import add_fit_tool  # which builds on this module

    add_fit_tool(server, services)
    add_profile_reading(server, services, max_query_chars=limits.MAX_QUERY_CHARS)
    return server


def add_profile_reading(server: TwinMCPServer, services: Services, *, max_query_chars: int) -> None:
    """Everything but asking, which both MCP servers share: the read tools, the profile resources, the prompts and
    the completion of their arguments."""
    offload = services.offloads

    @server.tool(title="Search the profile", annotations=READ_ONLY)
    @tool_errors
    async def search_profile(
        query: Annotated[
            str, NON_BLANK, Field(min_length=1, max_length=max_query_chars, description="What to look for.")
        ],
        top_k: TopK = limits.DEFAULT_TOP_K,
        section: Annotated[SectionType | None, Field(description="Only search this kind of section.")] = None,
    ) -> SearchResponse:
        """Find the profile passages that best match a query, best first, with their section ids."""
        kind = section.value if section else None
        return SearchResponse.of(await run_sync(offload, services.search.find, query, top_k=top_k, section=kind))

    @server.tool(title="List profile sections", annotations=READ_ONLY)
    @tool_errors
    async def list_profile_sections() -> ProfileResponse:
        """The person's name, headline and summary, and every section of their profile with its id."""
        return ProfileResponse.of(await run_sync(offload, services.profile.overview))

    @server.tool(title="Read a profile section", annotations=READ_ONLY)
    @tool_errors
    async def get_profile_section(
        section_id: Annotated[str, Field(description="A section id from list_profile_sections or a search.")],
    ) -> SectionResponse:
        """One profile section in full."""
        return SectionResponse.of(await run_sync(offload, services.profile.section, section_id))

    @server.resource(PROFILE_URI, name="profile", title="Profile", mime_type="text/markdown")
    @_resource_errors
    async def profile_resource() -> str:
        """The person's profile: summary and the list of sections."""
        overview = await run_sync(offload, services.profile.overview)
        card = overview.profile
        intro = [f"# {card.name or 'Profile'}", card.headline, card.summary, "## Sections"]
        sections = [
            f"- [{chunk.title}]({SECTION_URI.format(section_id=chunk.id)}) ({chunk.type.value})"
            for chunk in overview.sections
        ]
        return "\n\n".join(part for part in intro if part) + "\n\n" + "\n".join(sections) + "\n"

    @server.resource(SECTION_URI, name="profile-section", title="Profile section", mime_type="text/markdown")
    @_resource_errors
    async def section_resource(section_id: str) -> str:
        """One section of the profile."""
        return _section_markdown(await run_sync(offload, services.profile.section, section_id))

    @server.prompt(title="Answer an interview question (STAR)")
    @_request_errors
    async def star_answer(question: str) -> list[UserMessage]:
        """Draft an answer to a behavioural interview question in STAR form, from the person's own record."""
        passages = await run_sync(offload, services.search.search, question[:max_query_chars], top_k=4)
        return [
            UserMessage(
                "Answer this interview question as the person below, in the first person, in STAR form "
                "(Situation, Task, Action, Result), using only these profile passages.\n\n"
                f"Question: {question}\n\n{_passages(passages)}"
            )
        ]

    @server.prompt(title="Elevator pitch")
    @_request_errors
    async def elevator_pitch(audience: str = "a recruiter") -> list[UserMessage]:
        """A 30-second pitch of the person, tailored to an audience."""
        overview = await run_sync(offload, services.profile.overview)
        summary = [hit for hit in overview.sections if hit.type is SectionType.SUMMARY]
        return [
            UserMessage(
                f"Write a 30-second elevator pitch, in the first person, for {audience}, "
                "from these profile passages.\n\n" + _passages([ScoredChunk(chunk, 1.0) for chunk in summary])
            )
        ]

    @server.prompt(title="Fit for a role")
    @_request_errors
    async def role_fit(job_description: str) -> list[UserMessage]:
        """How well the person fits a job description, requirement by requirement, from the passages found for each."""
        cases = await run_sync(offload, services.fit.evidence, job_description)
        return [UserMessage(_role_fit_request(job_description, cases))]

    @_request_errors
    async def overview() -> ProfileOverview:
        return await run_sync(offload, services.profile.overview)

    async def complete(ref: PromptReference | ResourceTemplateReference, argument: CompletionArgument) -> Completion:
        if isinstance(ref, ResourceTemplateReference):
            if ref.uri != SECTION_URI or argument.name != "section_id":
                raise MCPError(INVALID_PARAMS, "this server completes only section_id of " + SECTION_URI)
            sections = (await overview()).sections
            return _completion(_section_ids_matching(sections, argument.value))
        suggestions = PROMPT_SUGGESTIONS.get(ref.name)
        if suggestions is None or argument.name not in suggestions:
            raise MCPError(INVALID_PARAMS, "no such prompt argument; prompts/list names them")
        typed = argument.value.casefold()
        return _completion([value for value in suggestions[argument.name] if value.casefold().startswith(typed)])

    server.complete_with(complete)


def _role_fit_request(job_description: str, cases: Sequence[FitCase]) -> str:
    """The role, its requirements each pointing at the passages found for it, and those passages, numbered once."""
    numbers: dict[str, int] = {}
    passages: list[ScoredChunk] = []
    requirements = []
    for index, case in enumerate(cases, start=1):
        for hit in case.passages:
            if hit.chunk.id not in numbers:
                passages.append(hit)
                numbers[hit.chunk.id] = len(passages)
        found = ", ".join(f"[{numbers[hit.chunk.id]}]" for hit in case.passages) or "none found"
        requirement = case.requirement
        requirements.append(f"{index}. ({requirement.importance.value}) {requirement.text} (passages: {found})")
    if not requirements:
        return (
            "No requirement could be read from this role's text. Ask for the role's requirements as a list, "
            f"one per line.\n\nRole:\n{job_description}"
        )
    listed = "\n".join(requirements)
    return (
        "Assess how well the person fits this role, one requirement at a time: say whether the passages show it "
        "strongly, partly or not at all, citing the passage numbers, then list the gaps and give a one-line "
        "verdict. Judge only from the passages.\n\n"
        f"Role:\n{job_description}\n\nRequirements:\n{listed}\n\nPassages:\n{_passages(passages)}"
    )


def _passages(hits: list[ScoredChunk]) -> str:
    return "\n\n".join(f"[{number}] {hit.chunk.title}\n{hit.chunk.text}" for number, hit in enumerate(hits, start=1))


def _section_markdown(chunk: Chunk) -> str:
    dates = " – ".join(part for part in (chunk.start, chunk.end) if part)
    heading = f"# {chunk.title}\n\n*{chunk.type.value}{f', {dates}' if dates else ''}*"
    return f"{heading}\n\n{chunk.text}\n"


def _section_ids_matching(sections: Sequence[Chunk], typed: str) -> list[str]:
    """Ids that start with what was typed, or of sections whose title or kind contains it: nobody types a hash."""
    typed = typed.casefold()
    return [
        chunk.id
        for chunk in sections
        if chunk.id.startswith(typed) or typed in chunk.title.casefold() or typed in chunk.type.value
    ]


def _completion(values: list[str]) -> Completion:
    shown = values[:MAX_COMPLETIONS]
    return Completion(values=shown, total=len(values), has_more=len(values) > len(shown))
