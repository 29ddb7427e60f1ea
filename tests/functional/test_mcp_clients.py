"""Real MCP clients against `twin serve`: the SDK's own client in both protocol eras, and GET /mcp."""

import json

import pytest
from mcp.shared.exceptions import MCPError
from mcp_types import TextContent, TextResourceContents

from tests.functional.conftest import RunningServer

ERAS = ["legacy", "2026-07-28"]
TOOLS = {"ask_twin", "search_profile", "list_profile_sections", "get_profile_section"}


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
            client.get_prompt("star_answer", {"question": ECHO}),
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
