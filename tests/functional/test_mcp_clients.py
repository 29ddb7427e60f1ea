"""Real MCP clients against `twin serve`: the SDK's own client in both protocol eras, GET /mcp, and the protocol's
error codes, logging level and completions."""

import json

import pytest
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, PromptReference, ResourceTemplateReference, TextContent, TextResourceContents

from tests.functional.conftest import RunningServer

ERAS = ["legacy", "2026-07-28"]
TOOLS = {"ask_twin", "evaluate_fit", "search_profile", "list_profile_sections", "get_profile_section"}


@pytest.mark.parametrize("mode", ERAS)
async def test_the_sdk_client_lists_the_read_only_tools(server: RunningServer, mode: str) -> None:
    async with server.mcp(mode) as client:
        tools = (await client.list_tools()).tools

    assert {tool.name for tool in tools} == TOOLS
    for tool in tools:
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint
        assert tool.description
    ask = next(tool for tool in tools if tool.name == "ask_twin")
    assert ask.input_schema["properties"]["question"]["description"]
    assert ask.input_schema["required"] == ["question"]
    assert ask.output_schema is not None
    assert ask.output_schema["properties"]["answered"]["type"] == "boolean"
    assert "answered" in ask.output_schema["required"]


@pytest.mark.parametrize("mode", ERAS)
async def test_ask_twin_answers_with_sources(server: RunningServer, mode: str) -> None:
    async with server.mcp(mode) as client:
        assert client.protocol_version == ("2025-11-25" if mode == "legacy" else mode)
        result = await client.call_tool(
            "ask_twin", {"question": "What programming languages are you most comfortable with?"}
        )

    assert not result.is_error
    assert result.structured_content is not None
    answer = result.structured_content
    assert answer["model"] == "extractive"
    assert answer["answered"] is True
    assert answer["sources"][0]["section"] == "skills"
    assert isinstance(result.content[0], TextContent)
    assert json.loads(result.content[0].text)["answer"] == answer["answer"]


@pytest.mark.parametrize("mode", ERAS)
async def test_the_profile_and_each_section_are_resources(server: RunningServer, mode: str) -> None:
    async with server.mcp(mode) as client:
        resources = (await client.list_resources()).resources
        profile = await client.read_resource("twin://profile")
        section_uri = next(str(r.uri) for r in resources if str(r.uri).startswith("twin://profile/sections/"))
        section = await client.read_resource(section_uri)

    assert "twin://profile" in {str(resource.uri) for resource in resources}
    profile_text = profile.contents[0]
    assert isinstance(profile_text, TextResourceContents)
    assert profile_text.text.startswith("# ")
    assert section_uri in profile_text.text
    section_text = section.contents[0]
    assert isinstance(section_text, TextResourceContents)
    assert section_text.text.startswith("# ")


@pytest.mark.parametrize("mode", ERAS)
async def test_interview_prompts_carry_profile_passages(server: RunningServer, mode: str) -> None:
    async with server.mcp(mode) as client:
        names = {prompt.name for prompt in (await client.list_prompts()).prompts}
        star = await client.get_prompt("star_answer", {"question": "Tell me about a time you cut costs"})

    assert names == {"star_answer", "elevator_pitch", "role_fit"}
    message = star.messages[0].content
    assert isinstance(message, TextContent)
    assert "STAR" in message.text
    assert "[1]" in message.text


async def test_a_tool_error_is_reported_to_the_client_not_raised(server: RunningServer) -> None:
    async with server.mcp() as client:
        result = await client.call_tool("get_profile_section", {"section_id": "0" * 24})

    assert result.is_error
    assert isinstance(result.content[0], TextContent)
    assert "section_not_found: no profile section" in result.content[0].text


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT"])
def test_anything_but_post_on_the_mcp_endpoint_is_a_405(server: RunningServer, method: str) -> None:
    with server.http() as client:
        response = client.request(method, "/mcp", headers={"accept": "text/event-stream"})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_foreign_host_header_is_refused(server: RunningServer) -> None:
    with server.http() as client:
        response = client.post(
            "/mcp",
            headers={"host": "evil.example", "content-type": "application/json", "accept": "application/json"},
            content=b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}',
        )

    assert response.status_code == 421


@pytest.mark.parametrize("top_k", ["5", 5.0, True])
async def test_a_tool_refuses_a_top_k_that_is_not_a_json_integer(server: RunningServer, top_k: object) -> None:
    async with server.mcp() as client:
        result = await client.call_tool("search_profile", {"query": "python", "top_k": top_k})

    assert result.is_error
    assert isinstance(result.content[0], TextContent)
    assert "invalid_request: top_k: Input should be a valid integer" in result.content[0].text


ECHO = "echo-" + "z" * 3_000


async def test_no_mcp_error_echoes_what_the_caller_sent(server: RunningServer) -> None:
    async with server.mcp() as client:
        refusals = [
            await client.call_tool(ECHO, {}),
            await client.call_tool("get_profile_section", {"section_id": ECHO}),
            await client.call_tool("search_profile", {"query": ECHO}),
            await client.call_tool("search_profile", {"query": "python", "top_k": ECHO}),
        ]
        errors = []
        for read in (
            client.read_resource(f"twin://{ECHO}"),
            client.read_resource(f"twin://profile/sections/{ECHO}"),
            client.get_prompt(ECHO, {}),
        ):
            with pytest.raises(MCPError) as raised:
                await read
            errors.append(raised.value)

    for refusal in refusals:
        assert refusal.is_error
        assert isinstance(refusal.content[0], TextContent)
        assert "zzzzzzzzzz" not in refusal.content[0].text
    for error in errors:
        assert "zzzzzzzzzz" not in error.error.model_dump_json()
        assert ":" in error.error.message  # the error code, then what is wrong


UNPARSEABLE = {
    "nested 2,000 deep": (b"[" * 2_000 + b"]" * 2_000, -32700),
    "an integer of 5,000 digits": (b'{"jsonrpc": "2.0", "id": ' + b"7" * 5_000 + b', "method": "ping"}', -32700),
    "not JSON-RPC": (json.dumps({"echo": ECHO}).encode(), -32600),
    "an unknown method as long as a body": (
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": ECHO}).encode(),
        -32600,
    ),
}


@pytest.mark.parametrize(("body", "code"), UNPARSEABLE.values(), ids=UNPARSEABLE.keys())
def test_a_body_that_is_not_one_json_rpc_message_is_a_400_json_rpc_error(
    server: RunningServer, body: bytes, code: int
) -> None:
    headers = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
    with server.http() as client:
        response = client.post("/mcp", content=body, headers=headers)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert "zzzzzzzzzz" not in response.text


@pytest.mark.parametrize(
    ("name", "arguments"),
    [("no_such_prompt", {}), ("star_answer", {}), ("role_fit", {"question": "the wrong argument"})],
)
async def test_an_unknown_prompt_or_a_missing_argument_is_invalid_params_and_logs_no_traceback(
    server: RunningServer, name: str, arguments: dict[str, str]
) -> None:
    async with server.mcp("legacy") as client:
        with pytest.raises(MCPError) as raised:
            await client.get_prompt(name, arguments)

    assert raised.value.error.code == INVALID_PARAMS
    assert "Traceback" not in server.log


@pytest.mark.parametrize("uri", ["twin://no-such-resource", f"twin://profile/sections/{'0' * 24}"])
async def test_an_unknown_resource_or_section_is_invalid_params(server: RunningServer, uri: str) -> None:
    async with server.mcp("legacy") as client:
        with pytest.raises(MCPError) as raised:
            await client.read_resource(uri)

    assert raised.value.error.code == INVALID_PARAMS
    assert "Traceback" not in server.log


@pytest.mark.filterwarnings("ignore:The logging capability is deprecated")
async def test_the_server_declares_logging_and_accepts_any_level(server: RunningServer) -> None:
    async with server.mcp("legacy") as client:
        assert client.server_capabilities.logging is not None
        for level in ("debug", "warning", "emergency"):
            await client.set_logging_level(level)


@pytest.mark.parametrize("mode", ERAS)
async def test_completion_offers_the_section_ids_of_the_resource_template(server: RunningServer, mode: str) -> None:
    template = ResourceTemplateReference(uri="twin://profile/sections/{section_id}")
    async with server.mcp(mode) as client:
        everything = (await client.complete(template, {"name": "section_id", "value": ""})).completion
        skills = (await client.complete(template, {"name": "section_id", "value": "skill"})).completion
        listed = (await client.call_tool("list_profile_sections", {})).structured_content
        by_id_prefix = await client.complete(template, {"name": "section_id", "value": skills.values[0][:6]})

    assert listed is not None
    section_ids = [section["id"] for section in listed["sections"]]
    assert everything.values == section_ids[: len(everything.values)]
    assert everything.total == len(section_ids)
    skill_ids = {section["id"] for section in listed["sections"] if section["section"] == "skills"}
    assert skill_ids
    assert skill_ids <= set(skills.values)
    assert skills.values[0] in by_id_prefix.completion.values


async def test_completion_offers_prompt_arguments_and_refuses_unknown_ones(server: RunningServer) -> None:
    async with server.mcp("legacy") as client:
        assert client.server_capabilities.completions is not None
        audiences = await client.complete(PromptReference(name="elevator_pitch"), {"name": "audience", "value": "a r"})
        with pytest.raises(MCPError) as unknown:
            await client.complete(PromptReference(name="no_such_prompt"), {"name": "x", "value": ""})

    assert audiences.completion.values == ["a recruiter"]
    assert unknown.value.error.code == INVALID_PARAMS


FIT_JOB = "Requirements:\n- 5+ years of experience with Python and SQL\n- Experience with Kubernetes\n\nBenefits\n- Gym"


@pytest.mark.parametrize("mode", ERAS)
async def test_evaluate_fit_returns_structured_requirements_and_a_readable_table(
    server: RunningServer, mode: str
) -> None:
    async with server.mcp(mode) as client:
        tool = next(tool for tool in (await client.list_tools()).tools if tool.name == "evaluate_fit")
        result = await client.call_tool("evaluate_fit", {"job_description": FIT_JOB})

    assert tool.output_schema is not None
    assert set(tool.output_schema["required"]) >= {"requirements", "summary"}
    assert tool.input_schema["properties"]["job_description"]["maxLength"] == 10_000
    assert not result.is_error
    assert result.structured_content is not None
    strengths = [(r["requirement"], r["strength"]) for r in result.structured_content["requirements"]]
    assert strengths == [
        ("5+ years of experience with Python and SQL", "strong"),
        ("Experience with Kubernetes", "none"),
    ]
    table = result.content[0]
    assert isinstance(table, TextContent)
    assert table.text.startswith("| # | Requirement | Fit | Evidence |")
    assert "| 2 | Experience with Kubernetes | ❌ none | — |" in table.text
    assert table.text.endswith(result.structured_content["summary"])


async def test_evaluate_fit_refuses_a_job_description_over_the_limit(server: RunningServer) -> None:
    async with server.mcp() as client:
        result = await client.call_tool("evaluate_fit", {"job_description": "x" * 10_001})

    assert result.is_error
    assert isinstance(result.content[0], TextContent)
    assert "invalid_request: job_description" in result.content[0].text


async def test_the_role_fit_prompt_lists_each_requirement_with_the_passages_found_for_it(server: RunningServer) -> None:
    async with server.mcp() as client:
        prompt = await client.get_prompt("role_fit", {"job_description": FIT_JOB})
        unreadable = await client.get_prompt("role_fit", {"job_description": "Python developer"})

    message = prompt.messages[0].content
    assert isinstance(message, TextContent)
    _, _, requirements = message.text.partition("\n\nRequirements:\n")
    requirements, _, passages = requirements.partition("\n\nPassages:\n")
    assert requirements.splitlines()[0].startswith(
        "1. (required) 5+ years of experience with Python and SQL (passages: [1]"
    )
    assert requirements.splitlines()[1].startswith("2. (required) Experience with Kubernetes (passages: ")
    assert "Gym" not in requirements
    cited = {number for line in requirements.splitlines() for number in line.split("(passages: ")[1].split(", ")}
    numbered = [block.split("\n", 1)[0].split(" ", 1)[0] for block in passages.split("\n\n[")]
    assert len(numbered) == len(cited)  # every passage once, and only those cited
    assert "python" in passages.lower()
    unreadable_text = unreadable.messages[0].content
    assert isinstance(unreadable_text, TextContent)
    assert unreadable_text.text.startswith("No requirement could be read from this role's text.")
