import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.credentials import TokenFactory
from tests.fakes.redis_shim import RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector

TWIN = Path(sys.executable).with_name("twin")
NODE_TOOLS = Path(__file__).resolve().parents[2] / ".twin" / "node" / "node_modules" / ".bin"
"""Node.js 22, the MCP conformance suite and the MCP Inspector, as `scripts/dev test` installs them."""
ALLOWED_ORIGIN = "https://allowed.example"


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    banner: str
    state_dir: Path
    token: str
    """The development token `twin serve` printed: every scope."""

    @property
    def mcp_url(self) -> str:
        return f"{self.base_url}/mcp"

    @property
    def public_mcp_url(self) -> str:
        return f"{self.base_url}/v1/public/mcp"

    def http(self, token: str | None = None) -> httpx.Client:
        """An HTTP client that sends `token` (the development token unless given; "" for none)."""
        credential = self.token if token is None else token
        headers = {"Authorization": f"Bearer {credential}"} if credential else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=10)

    def tokens(self) -> TokenFactory:
        """Forge tokens as the server's own HS256 secret signs them."""
        secret = (self.state_dir / "jwt-secret").read_text().strip()
        return TokenFactory(secret=secret, audience=[self.base_url, self.mcp_url])

    def cli(self, *arguments: str) -> str:
        """What `twin ARGUMENTS…` prints, run against this server's state directory."""
        return subprocess.run(
            [str(TWIN), *arguments],
            env=twin_environment(self.state_dir),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout

    def api_key(self, client: str, tier: str = "free", scopes: str = "twin:read twin:ask") -> tuple[str, str]:
        """A new API key made with the CLI, and its id."""
        created = self.cli("keys", "create", "--client", client, "--tier", tier, "--scope", *scopes.split())
        return created.strip().splitlines()[-1], created.split()[1]

    @property
    def log(self) -> str:
        return (self.state_dir / "server.log").read_text()

    def mcp(self, mode: str = "auto", token: str | None = None) -> Client:
        """The MCP SDK's own client, over Streamable HTTP, with a bearer token."""
        credential = self.token if token is None else token
        headers = {"Authorization": f"Bearer {credential}"} if credential else {}
        return Client(streamable_http_client(self.mcp_url, http_client=httpx2.AsyncClient(headers=headers)), mode=mode)

    def public_mcp(self, mode: str = "auto", address: str = "127.0.0.1") -> Client:
        """The MCP SDK's own client on the public endpoint, with no credential, as a visitor at `address` (any
        loopback address: the server sees the one the connection comes from)."""
        transport = httpx2.AsyncHTTPTransport(local_address=address)
        http_client = httpx2.AsyncClient(transport=transport)
        return Client(streamable_http_client(self.public_mcp_url, http_client=http_client), mode=mode)


def upstash_settings(vector: FakeUpstashVector, redis: RedisShim, timeout_seconds: int = 3) -> dict[str, str]:
    """The `TWIN_*` settings that put the index and the stores on the loopback fakes of Upstash."""
    return {
        "TWIN_UPSTASH_VECTOR_URL": vector.url,
        "TWIN_UPSTASH_VECTOR_TOKEN": vector.token,
        "TWIN_UPSTASH_REDIS_URL": redis.url,
        "TWIN_UPSTASH_REDIS_TOKEN": redis.token,
        "TWIN_UPSTASH_TIMEOUT_SECONDS": str(timeout_seconds),
    }


CREDENTIAL_KEYS = ("twin:local:apikey", "twin:local:invite", "twin:local:oauth:")
"""Where API keys, invites and the OAuth server's records are in Redis (the environment `local`)."""


def credentials_settings(credentials: RedisShim) -> dict[str, str]:
    """The `TWIN_*` settings that put the credential records in a database of their own."""
    return {
        "TWIN_UPSTASH_CREDENTIALS_REDIS_URL": credentials.url,
        "TWIN_UPSTASH_CREDENTIALS_REDIS_TOKEN": credentials.token,
    }


def twin_environment(state_dir: Path, **extra: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TWIN_")}
    return environment | {"TWIN_STATE_DIR": str(state_dir)} | extra


@contextmanager
def running_twin(state_dir: Path, **settings: str) -> Iterator[RunningServer]:
    """`twin serve` on a free loopback port; a fresh state directory makes it seed the sample."""
    log = (state_dir / "server.log").open("w")
    process = subprocess.Popen(
        [str(TWIN), "serve", "--port", "0"],
        env=twin_environment(state_dir, **settings),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("Digital Twin is running at "), first_line + (state_dir / "server.log").read_text()
        base_url = first_line.removeprefix("Digital Twin is running at ").strip()
        banner = first_line + "".join(iter(process.stdout.readline, "Press Ctrl+C to stop.\n"))
        token = banner.split("Development token", 1)[1].splitlines()[1].strip()
        _wait_until_healthy(base_url)
        yield RunningServer(base_url=base_url, banner=banner, state_dir=state_dir, token=token)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # The tests share this server from one address; a limit they never reach keeps them independent.
    limits = {f"TWIN_RATE_LIMIT_{tier}": "100000" for tier in ("FREE", "PRO", "PARTNER", "PUBLIC", "PUBLIC_MCP")}
    settings = limits | {"TWIN_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN])}
    with running_twin(tmp_path_factory.mktemp("serve-state"), **settings) as running:
        yield running
        # Everything the shared server logged during the suite: audit lines, never a secret or a question.
        assert_no_secrets_in(running.log, running.token)


@pytest.fixture(scope="session")
def node_tools() -> dict[str, str]:
    """An environment whose PATH starts with the Node.js 22 tools. Never skipped: `scripts/dev test` installs them."""
    if not (NODE_TOOLS / "node").exists():
        raise FileNotFoundError(f"{NODE_TOOLS} has no Node.js 22: run scripts/dev test, which installs it")
    return os.environ | {"PATH": f"{NODE_TOOLS}{os.pathsep}{os.environ['PATH']}"}


def assert_no_secrets_in(log: str, *secrets: str) -> None:
    assert "eyJ" not in log, "a JWT reached the log"
    assert "twk_" not in log, "an API key reached the log"
    assert "twi_" not in log, "an invite code reached the log"
    assert "?" not in log, "a question reached the log"
    for secret in secrets:
        assert secret not in log


def _wait_until_healthy(base_url: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{base_url}/health", timeout=1).raise_for_status()
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
