"""Signing in to the MCP endpoint with OAuth, end to end over loopback: the MCP SDK's own OAuth client against
`twin serve` as its authorization server, the consent page filled in Debian's Chromium, then the tools with the
issued token; the refresh; and the invite's revocation, which ends it all.

Both ways a client introduces itself: dynamic registration, and a Client ID Metadata Document served over HTTPS
from this machine (the twin told, for this test only, that it may fetch from loopback)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata
from playwright.async_api import Browser, Page, Route, async_playwright, expect
from pydantic import AnyUrl

from tests.browser.test_chat_page import CHROMIUM, CHROMIUM_FLAGS, TIMEOUT_MS
from tests.fakes.client_metadata import CALLBACK, MemoryTokenStorage, MetadataDocumentServer
from tests.functional.conftest import RunningServer, assert_no_secrets_in, running_twin

QUESTION = "What programming languages are you most comfortable with?"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MetadataDocumentServer]:
    with MetadataDocumentServer(tmp_path_factory.mktemp("documents")) as server:
        yield server


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, documents: MetadataDocumentServer) -> Iterator[RunningServer]:
    limits = {f"TWIN_RATE_LIMIT_{tier}": "100000" for tier in ("FREE", "PRO", "PARTNER", "PUBLIC")}
    settings = limits | {
        "TWIN_OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK": "true",
        "SSL_CERT_FILE": str(documents.ca_file),  # the CA of the document server, for the twin's fetches
    }
    with running_twin(tmp_path_factory.mktemp("oauth-state"), **settings) as running:
        yield running
        assert_no_secrets_in(running.log, running.token)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


class BrowserSignIn:
    """The person at the browser: opens the authorization URL, reads the consent page, types the invite code
    and approves; the redirect back to the client is caught before it leaves the browser."""

    def __init__(self, page: Page, invite_code: str, screenshot: Path | None = None) -> None:
        self.page = page
        self.invite_code = invite_code
        self.screenshot = screenshot
        self.authorization_url = ""
        self.consent_text = ""

    async def redirect(self, authorization_url: str) -> None:
        self.authorization_url = authorization_url

    async def callback(self) -> AuthorizationCodeResult:
        returned: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        async def back_at_the_client(route: Route) -> None:
            returned.set_result(route.request.url)
            await route.fulfill(status=200, content_type="text/plain", body="Signed in; you can close this tab.")

        await self.page.route(f"{CALLBACK}**", back_at_the_client)
        await self.page.goto(self.authorization_url)
        await expect(self.page.get_by_role("button", name="Approve")).to_be_visible()
        self.consent_text = await self.page.locator("main").inner_text()
        await self.page.get_by_label("Invite code").fill(self.invite_code)
        if self.screenshot is not None:
            await self.page.screenshot(path=str(self.screenshot), full_page=True)
        await self.page.get_by_role("button", name="Approve").click()
        query = parse_qs(urlsplit(await asyncio.wait_for(returned, TIMEOUT_MS / 1000)).query)
        return AuthorizationCodeResult(code=query["code"][0], state=query["state"][0], iss=query["iss"][0])


def invite(twin: RunningServer, *scopes: str) -> dict[str, str]:
    created: dict[str, str] = json.loads(twin.cli("invites", "create", "--name", "Ada", "--scope", *scopes, "--json"))
    return created


def oauth_client(
    twin: RunningServer, storage: MemoryTokenStorage, sign_in: BrowserSignIn, metadata_url: str | None = None
) -> tuple[Client, OAuthClientProvider]:
    metadata = OAuthClientMetadata(
        redirect_uris=[AnyUrl(CALLBACK)], client_name="SDK test client", token_endpoint_auth_method="none"
    )
    provider = OAuthClientProvider(
        twin.mcp_url,
        metadata,
        storage,
        redirect_handler=sign_in.redirect,
        callback_handler=sign_in.callback,
        client_metadata_url=metadata_url,
    )
    http = httpx2.AsyncClient(auth=provider, timeout=30)
    return Client(streamable_http_client(twin.mcp_url, http_client=http)), provider


def mcp_status(twin: RunningServer, access_token: str) -> int:
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25"}
    response = httpx.post(
        twin.mcp_url,
        headers=headers | {"Authorization": f"Bearer {access_token}"},
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        timeout=10,
    )
    return response.status_code


async def test_a_registered_client_signs_in_with_an_invite_then_uses_refreshes_and_loses_its_tokens(
    twin: RunningServer, tmp_path: Path
) -> None:
    code = invite(twin, "twin:read", "twin:ask")["code"]
    storage = MemoryTokenStorage()
    async with chromium() as browser:
        sign_in = BrowserSignIn(await browser.new_page(), code, screenshot=tmp_path / "consent.png")
        client, provider = oauth_client(twin, storage, sign_in)
        async with client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            answer = await client.call_tool("ask_twin", {"question": QUESTION})

            assert storage.client_info is not None
            assert storage.tokens is not None
            first = storage.tokens
            provider.context.token_expiry_time = time.time() - 1  # as an hour passing would
            again = await client.call_tool("search_profile", {"query": "python"})
            refreshed = storage.tokens

    assert "SDK test client asks to use" in sign_in.consent_text
    assert "Ask" in sign_in.consent_text
    assert "Read and search" in sign_in.consent_text
    assert "127.0.0.1" in sign_in.consent_text  # where the browser goes back to
    assert (tmp_path / "consent.png").stat().st_size > 0
    assert {"ask_twin", "search_profile"} <= tools
    assert answer.structured_content is not None
    assert answer.structured_content["answered"] is True
    assert not again.is_error
    assert refreshed.access_token != first.access_token
    assert refreshed.refresh_token not in (None, first.refresh_token)
    assert mcp_status(twin, refreshed.access_token) == 200

    [listed] = [entry for entry in json.loads(twin.cli("invites", "list", "--json")) if entry["uses"] == 1]
    twin.cli("invites", "revoke", listed["id"])

    assert mcp_status(twin, refreshed.access_token) == 401
    refresh = httpx.post(
        f"{twin.base_url}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refreshed.refresh_token,
            "client_id": storage.client_info.client_id,
        },
        timeout=10,
    )
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"


async def test_a_client_known_by_its_metadata_document_signs_in_and_calls_the_tools(
    twin: RunningServer, documents: MetadataDocumentServer
) -> None:
    code = invite(twin, "twin:read", "twin:ask")["code"]
    storage = MemoryTokenStorage()
    document_url = documents.url("/clients/document.json")
    async with chromium() as browser:
        sign_in = BrowserSignIn(await browser.new_page(), code)
        client, _ = oauth_client(twin, storage, sign_in, metadata_url=document_url)
        async with client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            answer = await client.call_tool("ask_twin", {"question": QUESTION})

    assert storage.client_info is not None
    assert storage.client_info.client_id == document_url
    assert "Document client (127.0.0.1) asks to use" in sign_in.consent_text
    assert "ask_twin" in tools
    assert not answer.is_error
    assert '"client_metadata"' in twin.log
    assert '"outcome": "fetched"' in twin.log
