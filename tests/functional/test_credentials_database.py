"""The credential records (API keys, invites, OAuth clients and grants) in a database of their own: two Upstash Redis
databases, each a REST shim over its own redis-server database, with read-write and read-only tokens."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.fakes.fixtures import CREDENTIALS_DATABASE
from tests.fakes.redis_shim import RedisServer, RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.functional.conftest import (
    CREDENTIAL_KEYS,
    TWIN,
    credentials_settings,
    running_twin,
    twin_environment,
    upstash_settings,
)
from tests.lambda_handlers import LambdaContext, event, lambda_environment, load_handler
from twin.composition import build_services
from twin.errors import BackendUnavailableError
from twin.settings import Settings


def cli(state_dir: Path, settings: dict[str, str], *arguments: str) -> str:
    completed = subprocess.run(
        [str(TWIN), *arguments],
        env=twin_environment(state_dir, **settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_with_a_credentials_database_the_credential_records_live_there_and_nothing_else_does(
    redis_server: RedisServer,
    redis_shim: RedisShim,
    credentials_shim: RedisShim,
    fake_vector: FakeUpstashVector,
    tmp_path: Path,
) -> None:
    settings = upstash_settings(fake_vector, redis_shim) | credentials_settings(credentials_shim)
    (tmp_path / "cv.md").write_text(MARKDOWN_PROFILE)
    cli(tmp_path, settings, "ingest", str(tmp_path / "cv.md"))
    key = cli(tmp_path, settings, "keys", "create", "--client", "acme").split()[-1]
    cli(tmp_path, settings, "invites", "create", "--name", "Ada", "--json")

    with running_twin(tmp_path, **settings) as server:
        with server.http(key) as client:
            asked = client.post("/v1/ask", json={"question": "Where do you work?"})
        with server.http("") as client:
            registered = client.post("/register", json={"redirect_uris": ["https://client.example/callback"]})

    assert asked.status_code == 200, asked.text
    assert registered.status_code == 201, registered.text
    credentials, main = redis_server.key_names(CREDENTIALS_DATABASE), redis_server.key_names()
    assert all(name.startswith(CREDENTIAL_KEYS) for name in credentials), credentials
    assert {prefix for prefix in CREDENTIAL_KEYS if any(name.startswith(prefix) for name in credentials)} == set(
        CREDENTIAL_KEYS
    ), credentials
    assert not any(name.startswith(CREDENTIAL_KEYS) for name in main), main
    twin = "twin:local:default:"
    for prefix in (f"{twin}profile", f"{twin}cache:", f"{twin}session:", f"{twin}questions", "twin:local:ratelimit:"):
        assert any(name.startswith(prefix) for name in main), (prefix, main)


def test_the_authorizer_finds_keys_with_the_credentials_read_only_token_alone_which_cannot_write_one(
    credentials_shim: RedisShim, tmp_path: Path
) -> None:
    writing = credentials_settings(credentials_shim) | {"TWIN_STATE_DIR": str(tmp_path)}
    key, record = build_services(Settings.from_environment(writing, env_file=None)).keys.create(
        client_id="acme", tier="pro", scopes=["twin:read"], actor="test"
    )
    reading = {
        "TWIN_UPSTASH_CREDENTIALS_REDIS_URL": credentials_shim.url,
        "TWIN_UPSTASH_CREDENTIALS_REDIS_READONLY_TOKEN": str(credentials_shim.readonly_token),
    }

    with lambda_environment(tmp_path), pytest.MonkeyPatch.context() as patch:
        for name, value in reading.items():
            patch.setenv(name, value)
        authorizer = load_handler("authorizer", "authorizer_handler")
        request = event("authorizer") | {"headers": {"Authorization": f"Bearer {key}"}}
        response = authorizer.handler(request, LambdaContext())
    read_only = build_services(Settings.from_environment(reading | {"TWIN_STATE_DIR": str(tmp_path)}, env_file=None))

    assert response["principalId"] == f"api_key:{record.key_id}"
    assert response["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    with pytest.raises(BackendUnavailableError, match="no permissions"):
        read_only.credentials.key_store.revoke(record.key_id, "2030-01-01T00:00:00Z")
    assert read_only.credentials.key_store.find(record.key_hash) == record


def test_without_a_credentials_database_the_credential_records_are_in_the_main_one(
    redis_server: RedisServer, redis_shim: RedisShim, tmp_path: Path
) -> None:
    """`twin serve` and the CLI with one database, as before there were two."""
    settings = {"TWIN_UPSTASH_REDIS_URL": redis_shim.url, "TWIN_UPSTASH_REDIS_TOKEN": redis_shim.token}
    services = build_services(Settings.from_environment(settings | {"TWIN_STATE_DIR": str(tmp_path)}, env_file=None))

    _, record = services.keys.create(client_id="acme", tier="free", scopes=["twin:read"], actor="test")
    services.invites.create(name="Ada", scopes=["twin:read"], actor="test")

    assert f"twin:local:apikey:{record.key_hash}" in redis_server.key_names()
    assert any(name.startswith("twin:local:invite") for name in redis_server.key_names())
    assert redis_server.key_names(CREDENTIALS_DATABASE) == set()
