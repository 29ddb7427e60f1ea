"""The OAuth function invoked in-process with its `events/oauth_*.json`, its state in Redis (the real SDK, the
REST shim, a real redis-server): the whole sign-in under a stage path, then the authorizer deciding on the token."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.fakes.redis_shim import RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.functional.conftest import upstash_settings
from tests.lambda_handlers import API_URL, LambdaContext, event, lambda_environment, load_handler
from twin.composition import build_services
from twin.errors import ConfigurationError
from twin.profiles import sample_profile
from twin.services.invites import InviteService
from twin.settings import Settings

CONTEXT = LambdaContext()
CALLBACK = "https://client.example/callback"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # the events' code challenge is of this (RFC 7636 B)
MCP_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123defg/dev/POST/mcp"


@pytest.fixture
def functions(
    redis_shim: RedisShim, credentials_shim: RedisShim, fake_vector: FakeUpstashVector, tmp_path: Path
) -> Iterator[dict[str, ModuleType]]:
    """Each function with the Redis access the template gives it: the authorizer the credentials database's read-only
    token alone; the OAuth function its read-write token, and the main database's read-only token for the profile
    record (which an ingest put there)."""
    cloud = upstash_settings(fake_vector, redis_shim) | {"TWIN_STATE_DIR": str(tmp_path)}
    build_services(Settings.from_environment(cloud, env_file=None)).ingest.ingest(sample_profile())
    with lambda_environment(tmp_path), pytest.MonkeyPatch.context() as patch:
        patch.setenv("TWIN_UPSTASH_CREDENTIALS_REDIS_URL", credentials_shim.url)
        patch.setenv("TWIN_UPSTASH_CREDENTIALS_REDIS_READONLY_TOKEN", str(credentials_shim.readonly_token))
        authorizer = load_handler("authorizer", "authorizer_handler")
        patch.delenv("TWIN_UPSTASH_CREDENTIALS_REDIS_READONLY_TOKEN")
        patch.setenv("TWIN_UPSTASH_CREDENTIALS_REDIS_TOKEN", credentials_shim.token)
        patch.setenv("TWIN_UPSTASH_VECTOR_URL", fake_vector.url)
        patch.setenv("TWIN_UPSTASH_VECTOR_READONLY_TOKEN", fake_vector.token)
        patch.setenv("TWIN_UPSTASH_REDIS_URL", redis_shim.url)
        patch.setenv("TWIN_UPSTASH_REDIS_READONLY_TOKEN", str(redis_shim.readonly_token))
        yield {"oauth": load_handler("oauth", "oauth_handler"), "authorizer": authorizer}


@pytest.fixture
def invites(functions: dict[str, ModuleType]) -> InviteService:
    """What `twin invites` uses against the deployment: the credentials database, with its read-write token."""
    return build_services(Settings.from_environment(env_file=None)).invites


def call(functions: dict[str, ModuleType], request: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = functions["oauth"].handler(request, CONTEXT)
    assert response["statusCode"] < 500, response
    return response


def header(response: dict[str, Any], name: str) -> str:
    headers = {key.lower(): value for key, value in (response.get("headers") or {}).items()}
    multi = {key.lower(): values for key, values in (response.get("multiValueHeaders") or {}).items()}
    return str(headers.get(name) or multi[name][0])


def with_query(name: str, **query: str) -> dict[str, Any]:
    request = event(name)
    request["queryStringParameters"] = {**(request["queryStringParameters"] or {}), **query}
    request["multiValueQueryStringParameters"] = {
        key: [value] for key, value in request["queryStringParameters"].items()
    }
    return request


def with_form(name: str, cookie: str | None = None, **fields: str) -> dict[str, Any]:
    request = event(name)
    request["body"] = urlencode(fields)
    if cookie is not None:
        request["headers"]["Cookie"] = cookie
        request["multiValueHeaders"]["Cookie"] = [cookie]
    return request


def sign_in(functions: dict[str, ModuleType], invite_code: str) -> dict[str, Any]:
    registered = call(functions, event("oauth_register"))
    assert registered["statusCode"] == 201
    client_id = json.loads(registered["body"])["client_id"]
    to_consent = call(functions, with_query("oauth_authorize", client_id=client_id))
    assert to_consent["statusCode"] == 302
    consent_url = header(to_consent, "location")
    assert consent_url.startswith(f"{API_URL}/authorize/consent?request=")
    request_id = parse_qs(urlsplit(consent_url).query)["request"][0]
    page = call(functions, with_query("oauth_consent", request=request_id))
    assert page["statusCode"] == 200
    assert "Avery Quinn" in page["body"], "the profile record, read with the main database's read-only token"
    csrf = re.search(r'name="csrf" value="([^"]+)"', page["body"])
    assert csrf is not None
    cookie = header(page, "set-cookie")
    assert "Path=/dev/authorize/consent" in cookie
    assert "Secure" in cookie
    answer = call(
        functions,
        with_form(
            "oauth_consent_answer",
            cookie=cookie.split(";", 1)[0],
            request=request_id,
            csrf=csrf.group(1),
            invite_code=invite_code,
            decision="approve",
        ),
    )
    back = header(answer, "location")
    assert back.startswith(f"{CALLBACK}?")
    code = parse_qs(urlsplit(back).query)["code"][0]
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "client_id": client_id}
    tokens = call(functions, with_form("oauth_token", **fields, code_verifier=VERIFIER, resource=f"{API_URL}/mcp"))
    assert tokens["statusCode"] == 200, tokens["body"]
    issued: dict[str, Any] = json.loads(tokens["body"]) | {"client_id": client_id}
    return issued


def authorize(functions: dict[str, ModuleType], token: str) -> dict[str, Any]:
    request = event("authorizer")
    request["headers"] = {"Authorization": f"Bearer {token}"}
    request["methodArn"] = MCP_ARN
    response: dict[str, Any] = functions["authorizer"].handler(request, CONTEXT)
    return response


@pytest.mark.parametrize("name", ["oauth_metadata", "oauth_metadata_root"])
def test_the_metadata_names_the_issuer_and_endpoints_under_the_stage(
    functions: dict[str, ModuleType], name: str
) -> None:
    metadata = json.loads(call(functions, event(name))["body"])

    assert metadata["issuer"] == API_URL
    assert metadata["authorization_endpoint"] == f"{API_URL}/authorize"
    assert metadata["token_endpoint"] == f"{API_URL}/token"
    assert metadata["registration_endpoint"] == f"{API_URL}/register"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["client_id_metadata_document_supported"] is True


def test_a_client_signs_in_under_the_stage_and_the_authorizer_lets_its_token_reach_mcp_until_the_invite_is_revoked(
    functions: dict[str, ModuleType], invites: InviteService
) -> None:
    code, record = invites.create(name="Ada", scopes=["twin:read", "twin:ask"], actor="test")

    tokens = sign_in(functions, code)
    allowed = authorize(functions, tokens["access_token"])
    invites.revoke(record.invite_id, actor="test")
    refresh = call(
        functions,
        with_form(
            "oauth_token",
            grant_type="refresh_token",
            refresh_token=tokens["refresh_token"],
            client_id=tokens["client_id"],
        ),
    )

    assert allowed["principalId"] == f"invite:{record.invite_id}"
    assert allowed["context"]["auth_method"] == "oauth"
    assert allowed["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert all(arn.endswith("/mcp") for arn in allowed["policyDocument"]["Statement"][0]["Resource"])
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(functions, tokens["access_token"])
    assert refresh["statusCode"] == 400
    assert json.loads(refresh["body"])["error"] == "invalid_grant"


def test_a_public_clients_refresh_token_is_revoked_at_the_revocation_endpoint(
    functions: dict[str, ModuleType], invites: InviteService
) -> None:
    code, _ = invites.create(name="Ada", scopes=["twin:read", "twin:ask"], actor="test")
    tokens = sign_in(functions, code)

    revocation = {"token": tokens["refresh_token"], "client_id": tokens["client_id"]}  # a public client: no secret
    revoked = call(functions, with_form("oauth_revoke", **revocation))
    refresh = call(
        functions,
        with_form(
            "oauth_token",
            grant_type="refresh_token",
            refresh_token=tokens["refresh_token"],
            client_id=tokens["client_id"],
        ),
    )

    assert revoked["statusCode"] == 200, revoked["body"]
    assert json.loads(refresh["body"])["error"] == "invalid_grant"


def test_the_oauth_function_refuses_to_start_without_a_redis_database_for_its_state(tmp_path: Path) -> None:
    """Each container would otherwise keep clients, codes and grants of its own."""
    with lambda_environment(tmp_path), pytest.raises(ConfigurationError) as refused:
        load_handler("oauth", "oauth_handler")

    assert refused.value.setting == "TWIN_UPSTASH_CREDENTIALS_REDIS_URL"
