"""The public MCP endpoint against `twin serve`: the MCP SDK's own client with no credential, as Claude and ChatGPT
connect to an authless connector; read-only, with the public chat's limits."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import TextContent

from tests.functional.conftest import RunningServer, running_twin
from twin.domain import limits

ERAS = ["legacy", "2026-07-28"]
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
MCP_HEADERS = {"accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25"}


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_twin(tmp_path_factory.mktemp("public-mcp"), TWIN_RATE_LIMIT_PUBLIC_MCP="3") as running:
        yield running


@pytest.mark.parametrize("mode", ERAS)
async def test_a_client_without_a_credential_gets_the_read_only_tools_resources_and_prompts(
    server: RunningServer, mode: str
) -> None:
    async with server.public_mcp(mode) as client:
        tools = (await client.list_tools()).tools
        resources = (await client.list_resources()).resources
        prompts = (await client.list_prompts()).prompts
        profile = await client.read_resource("twin://profile")

    assert {tool.name for tool in tools} == {
        "ask_twin",
        "evaluate_fit",
        "search_profile",
        "list_profile_sections",
        "get_profile_section",
    }
    for tool in tools:
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
    assert "twin://profile" in {str(resource.uri) for resource in resources}
    assert {prompt.name for prompt in prompts} == {"star_answer", "elevator_pitch", "role_fit"}
    assert profile.contents


@pytest.mark.parametrize("mode", ERAS)
async def test_a_visitor_asks_and_follows_up_in_their_session(server: RunningServer, mode: str) -> None:
    async with server.public_mcp(mode) as client:
        first = await client.call_tool("ask_twin", {"question": "Where do you work now?"})
        assert first.structured_content is not None
        session_id = first.structured_content["session_id"]
        follow_up = await client.call_tool(
            "ask_twin", {"question": "What did you achieve there?", "session_id": session_id}
        )

    assert not first.is_error
    assert first.structured_content["sources"]
    assert follow_up.structured_content is not None
    assert follow_up.structured_content["session_id"] == session_id


async def test_a_visitor_cannot_continue_another_visitors_session(server: RunningServer) -> None:
    follow_up = {"question": "What did you achieve there?"}
    async with server.public_mcp(address="127.0.0.1") as alice:
        first = await alice.call_tool("ask_twin", {"question": "Where do you work now?"})
        assert first.structured_content is not None
        session_id = first.structured_content["session_id"]
        by_alice = await alice.call_tool("ask_twin", {**follow_up, "session_id": session_id})
    async with server.public_mcp(address="127.0.0.2") as bob:
        by_bob = await bob.call_tool("ask_twin", {**follow_up, "session_id": session_id})
        bob_afresh = await bob.call_tool("ask_twin", follow_up)

    assert by_alice.structured_content is not None
    assert by_bob.structured_content is not None
    assert bob_afresh.structured_content is not None
    # Bob, naming Alice's session, starts a conversation of his own: he gets what a first question gets.
    assert by_bob.structured_content["answer"] == bob_afresh.structured_content["answer"]
    assert by_bob.structured_content["answer"] != by_alice.structured_content["answer"]


async def test_questions_have_the_public_chats_limits(server: RunningServer) -> None:
    async with server.public_mcp() as client:
        ask = next(tool for tool in (await client.list_tools()).tools if tool.name == "ask_twin")
        too_long = await client.call_tool("ask_twin", {"question": "x" * (limits.PUBLIC_MAX_QUESTION_CHARS + 1)})

    assert ask.input_schema["properties"]["question"]["maxLength"] == limits.PUBLIC_MAX_QUESTION_CHARS
    assert set(ask.input_schema["properties"]) == {"question", "session_id"}
    assert too_long.is_error


async def test_nothing_that_writes_can_be_called(server: RunningServer) -> None:
    async with server.public_mcp() as client:
        ingest = await client.call_tool("ingest_profile", {"document": "{}"})

    assert ingest.is_error
    assert isinstance(ingest.content[0], TextContent)
    assert ingest.content[0].text.startswith("unknown_tool:")


def test_no_credential_is_asked_for_or_checked_and_no_oauth_metadata_names_it(server: RunningServer) -> None:
    without = httpx.post(server.public_mcp_url, json=PING, headers=MCP_HEADERS, timeout=10)
    with_a_bad_one = httpx.post(
        server.public_mcp_url, json=PING, headers={**MCP_HEADERS, "authorization": "Bearer not-a-token"}, timeout=10
    )

    metadata = httpx.get(f"{server.base_url}/.well-known/oauth-protected-resource/v1/public/mcp", timeout=10)

    assert (without.status_code, with_a_bad_one.status_code) == (200, 200)
    assert "www-authenticate" not in without.headers
    assert "www-authenticate" not in with_a_bad_one.headers
    assert metadata.status_code == 404


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_anything_but_post_is_a_405(server: RunningServer, method: str) -> None:
    response = httpx.request(method, server.public_mcp_url, headers={"accept": "text/event-stream"}, timeout=10)

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "www-authenticate" not in response.headers


def test_over_its_allowance_an_address_gets_429_with_a_json_rpc_error(limited_server: RunningServer) -> None:
    with httpx.Client(timeout=10) as client:
        responses = [client.post(limited_server.public_mcp_url, json=PING, headers=MCP_HEADERS) for _ in range(4)]
        chat = client.post(f"{limited_server.base_url}/v1/public/ask", json={"question": "Where do you work?"})

    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    refused = responses[3]
    assert int(refused.headers["retry-after"]) > 0
    assert refused.headers["ratelimit-limit"] == "3"
    error = refused.json()
    assert error["jsonrpc"] == "2.0"
    assert error["id"] is None
    assert error["error"]["data"] == {"code": "rate_limited"}
    assert error["error"]["message"].startswith("too many requests")
    # The public chat counts in a bucket of its own.
    assert chat.status_code == 200


async def test_an_mcp_client_over_its_allowance_sees_the_rate_limit_message(limited_server: RunningServer) -> None:
    async with limited_server.public_mcp(address="127.0.0.3") as client:
        with pytest.raises(MCPError, match="too many requests; try again in"):
            await list_sections_over_and_over(client)


async def list_sections_over_and_over(client: Client) -> None:
    for _ in range(5):
        await client.call_tool("list_profile_sections", {})


def test_with_the_public_chat_off_the_public_mcp_endpoint_is_a_404(tmp_path: Path) -> None:
    with running_twin(tmp_path, TWIN_PUBLIC_CHAT="false") as off:
        response = httpx.post(off.public_mcp_url, json=PING, headers=MCP_HEADERS, timeout=10)
        banner = off.banner

    assert response.status_code == 404
    assert "Public MCP   off" in banner


def test_its_own_switch_turns_it_off_with_the_public_chat_on(tmp_path: Path) -> None:
    with running_twin(tmp_path, TWIN_PUBLIC_MCP="false") as off, httpx.Client(timeout=10) as client:
        mcp = client.post(off.public_mcp_url, json=PING, headers=MCP_HEADERS)
        chat = client.post(f"{off.base_url}/v1/public/ask", json={"question": "Where do you work?"})

    assert (mcp.status_code, chat.status_code) == (404, 200)


def test_the_banner_names_the_public_mcp_url(server: RunningServer) -> None:
    assert f"Public MCP   {server.public_mcp_url}" in server.banner


async def test_a_visitor_evaluates_a_fit_with_the_same_tool_and_shape(server: RunningServer) -> None:
    async with server.public_mcp() as client:
        result = await client.call_tool(
            "evaluate_fit", {"job_description": "- Experience with Apache Kafka\n- Experience with Kubernetes"}
        )

    assert not result.is_error
    assert result.structured_content is not None
    assert [r["strength"] for r in result.structured_content["requirements"]] == ["strong", "none"]
