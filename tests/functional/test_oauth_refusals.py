"""What the twin's authorization server refuses, each with the error code its RFC names and never a 5xx: PKCE,
codes, redirect URIs, resources, scopes, invites, Client ID Metadata Documents and the consent form itself."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.fakes.client_metadata import CALLBACK, MetadataDocumentServer, Pkce
from tests.functional.conftest import RunningServer, running_twin
from twin.adapters.sqlite_oauth_stores import SqliteInviteStore, SqliteOAuthDatabase
from twin.services.invites import InviteService

READ_ASK = "twin:read twin:ask"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MetadataDocumentServer]:
    with MetadataDocumentServer(tmp_path_factory.mktemp("documents")) as server:
        yield server


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, documents: MetadataDocumentServer) -> Iterator[RunningServer]:
    limits = {f"TWIN_RATE_LIMIT_{tier}": "100000" for tier in ("FREE", "PRO", "PARTNER", "PUBLIC")}
    settings = limits | {"TWIN_OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK": "true", "SSL_CERT_FILE": str(documents.ca_file)}
    with running_twin(tmp_path_factory.mktemp("oauth-state"), **settings) as running:
        yield running


@dataclass
class Flow:
    """One authorization, driven by hand as a client and a browser would."""

    twin: RunningServer
    client_id: str
    client_secret: str | None
    pkce: Pkce

    @classmethod
    def registered(cls, twin: RunningServer) -> "Flow":
        response = http(twin).post("/register", json={"redirect_uris": [CALLBACK], "client_name": "Refusal tests"})
        assert response.status_code == 201, response.text
        client = response.json()
        return cls(twin, client["client_id"], client["client_secret"], Pkce())

    def authorize(self, **overrides: str) -> httpx.Response:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": CALLBACK,
            "code_challenge": self.pkce.challenge,
            "code_challenge_method": "S256",
            "state": "state-1",
            "resource": self.twin.mcp_url,
            "scope": READ_ASK,
        } | overrides
        return checked(http(self.twin).get("/authorize", params={k: v for k, v in params.items() if v}))

    def consent(
        self, invite_code: str, *, decision: str = "approve", csrf: bool = True, cookie: bool = True, **authorize: str
    ) -> httpx.Response:
        """Opens the consent page the authorization sends the browser to, then answers it."""
        to_consent = self.authorize(**authorize)
        assert to_consent.status_code == 302, to_consent.text
        browser = http(self.twin)
        page = checked(browser.get(to_consent.headers["location"]))
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r'name="(request|csrf)" value="([^"]+)"', page.text))
        form = {"request": fields["request"], "invite_code": invite_code, "decision": decision}
        if csrf:
            form["csrf"] = fields["csrf"]
        if not cookie:
            browser.cookies.clear()
        return checked(browser.post("/authorize/consent", data=form))

    def code(self, invite_code: str) -> str:
        return back_at_the_client(self.consent(invite_code))["code"]

    def token(self, **fields: str) -> httpx.Response:
        form = {"client_id": self.client_id, "client_secret": self.client_secret or ""} | fields
        return checked(http(self.twin).post("/token", data={k: v for k, v in form.items() if v}))

    def exchange(self, code: str, **overrides: str) -> httpx.Response:
        fields = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": self.pkce.verifier,
            "resource": self.twin.mcp_url,
        }
        return self.token(**(fields | overrides))


def http(twin: RunningServer) -> httpx.Client:
    return httpx.Client(base_url=twin.base_url, timeout=20, follow_redirects=False)


def checked(response: httpx.Response) -> httpx.Response:
    assert response.status_code < 500, response.text
    return response


def back_at_the_client(response: httpx.Response) -> dict[str, str]:
    """The query the browser is sent back to the client with."""
    assert response.status_code in (302, 303), response.text
    location = response.headers["location"]
    assert location.startswith(f"{CALLBACK}?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def invite(twin: RunningServer, *arguments: str) -> dict[str, str]:
    created: dict[str, str] = json.loads(twin.cli("invites", "create", "--name", "Guest", "--json", *arguments))
    return created


def test_the_happy_path_of_these_tests_gets_tokens(twin: RunningServer) -> None:
    flow = Flow.registered(twin)

    response = flow.exchange(flow.code(invite(twin)["code"]))

    assert response.status_code == 200, response.text
    assert response.json()["scope"] == READ_ASK


def test_a_wrong_pkce_verifier_is_refused_with_invalid_grant(twin: RunningServer) -> None:
    flow = Flow.registered(twin)
    code = flow.code(invite(twin)["code"])

    response = flow.exchange(code, code_verifier=Pkce().verifier)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_code_is_exchanged_once_only(twin: RunningServer) -> None:
    flow = Flow.registered(twin)
    code = flow.code(invite(twin)["code"])

    first, second = flow.exchange(code), flow.exchange(code)

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"


def test_a_redirect_uri_other_than_the_authorized_one_is_refused_at_the_token_endpoint(twin: RunningServer) -> None:
    flow = Flow.registered(twin)
    code = flow.code(invite(twin)["code"])

    response = flow.exchange(code, redirect_uri="http://127.0.0.1:2/callback")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("redirect_uri", ["https://attacker.example/steal", f"{CALLBACK}/../../elsewhere"])
def test_an_unregistered_redirect_uri_gets_an_error_answer_never_a_redirect(
    twin: RunningServer, redirect_uri: str
) -> None:
    response = Flow.registered(twin).authorize(redirect_uri=redirect_uri)

    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "redirect_uri",
    ["javascript:alert(1)", "http://attacker.example/callback", "https://app.example/callback#fragment"],
)
def test_registration_refuses_redirect_uris_no_app_should_receive(twin: RunningServer, redirect_uri: str) -> None:
    response = checked(http(twin).post("/register", json={"redirect_uris": [redirect_uri]}))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"


def test_a_resource_other_than_the_mcp_endpoint_is_refused_with_invalid_target(twin: RunningServer) -> None:
    flow = Flow.registered(twin)

    at_authorize = back_at_the_client(flow.authorize(resource=f"{twin.base_url}/v1"))
    without = back_at_the_client(flow.authorize(resource=""))
    at_token = flow.exchange(flow.code(invite(twin)["code"]), resource="https://other.example/mcp")

    assert at_authorize["error"] == "invalid_target"
    assert at_authorize["state"] == "state-1"
    assert without["error"] == "invalid_request"
    assert at_token.status_code == 400
    assert at_token.json()["error"] == "invalid_target"


def test_scopes_beyond_the_invite_are_refused_with_invalid_scope(twin: RunningServer) -> None:
    flow = Flow.registered(twin)

    refused = back_at_the_client(flow.consent(invite(twin, "--scope", "twin:read")["code"]))

    assert refused["error"] == "invalid_scope"
    assert refused["state"] == "state-1"
    assert "code" not in refused


def test_a_scope_the_server_never_grants_is_refused_before_consent(twin: RunningServer) -> None:
    refused = back_at_the_client(Flow.registered(twin).authorize(scope="twin:read twin:admin"))

    assert refused["error"] == "invalid_scope"


def expired_invite(twin: RunningServer) -> str:
    invites = InviteService(
        invites=SqliteInviteStore(SqliteOAuthDatabase(str(twin.state_dir / "oauth.db"))),
        clock=lambda: datetime.now(UTC) - timedelta(days=2),
    )
    code, _ = invites.create(name="Late guest", scopes=READ_ASK.split(), expires_in=timedelta(days=1), actor="test")
    return code


def used_up_invite(twin: RunningServer) -> str:
    code = invite(twin, "--uses", "1")["code"]
    flow = Flow.registered(twin)
    flow.exchange(flow.code(code))
    return code


def revoked_invite(twin: RunningServer) -> str:
    created = invite(twin)
    twin.cli("invites", "revoke", created["id"])
    return created["code"]


@pytest.mark.parametrize(
    "invite_code",
    [expired_invite, used_up_invite, revoked_invite, lambda _: "twi_not-a-code", lambda _: ""],
    ids=["expired", "used-up", "revoked", "wrong", "empty"],
)
def test_an_invite_that_lets_nobody_in_is_refused_with_access_denied(twin: RunningServer, invite_code: object) -> None:
    assert callable(invite_code)

    refused = back_at_the_client(Flow.registered(twin).consent(invite_code(twin)))

    assert refused["error"] == "access_denied"
    assert refused["state"] == "state-1"
    assert refused["iss"] == twin.base_url
    assert "code" not in refused


def test_deny_sends_the_browser_back_with_access_denied(twin: RunningServer) -> None:
    refused = back_at_the_client(Flow.registered(twin).consent(invite(twin)["code"], decision="deny"))

    assert refused["error"] == "access_denied"


@pytest.mark.parametrize(("csrf", "cookie"), [(False, True), (True, False)], ids=["no-token", "no-cookie"])
def test_a_consent_without_its_csrf_token_and_cookie_is_refused(twin: RunningServer, csrf: bool, cookie: bool) -> None:
    response = Flow.registered(twin).consent(invite(twin)["code"], csrf=csrf, cookie=cookie)

    assert response.status_code == 403
    assert "location" not in response.headers
    assert "not sent from this page" in response.text


def test_the_consent_page_cannot_be_framed_or_cached_and_runs_no_script(twin: RunningServer) -> None:
    flow = Flow.registered(twin)
    page = http(twin).get(flow.authorize().headers["location"])

    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none' covers scripts
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text


def test_an_unknown_consent_request_is_a_page_saying_so(twin: RunningServer) -> None:
    page = checked(http(twin).get("/authorize/consent", params={"request": "no-such-request"}))

    assert page.status_code == 400
    assert "expired" in page.text


def document_flow(twin: RunningServer, client_id: str) -> httpx.Response:
    return Flow(twin, client_id, None, Pkce()).authorize()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/big.json", "too_large"), ("/slow.json", "timed_out"), ("/elsewhere.json", None)],
    ids=["too-large", "slow", "other-redirect-uri"],
)
def test_a_metadata_document_that_cannot_be_trusted_is_refused(
    twin: RunningServer, documents: MetadataDocumentServer, path: str, reason: str | None
) -> None:
    response = document_flow(twin, documents.url(path))

    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.json()["error"] == "invalid_request"
    if reason is not None:
        assert f'"reason": "{reason}"' in twin.log


@pytest.mark.parametrize(
    ("client_id", "reason"),
    [
        ("https://10.0.0.1/client.json", "private_address"),
        ("https://169.254.169.254/latest/meta-data", "private_address"),
        ("https://[::ffff:192.168.0.1]/client.json", "private_address"),
        ("https://twin-test.invalid/client.json", "unresolvable_host"),
    ],
    ids=["private", "link-local", "mapped-private", "unresolvable"],
)
def test_a_metadata_document_at_a_private_address_is_never_fetched(
    twin: RunningServer, client_id: str, reason: str
) -> None:
    response = document_flow(twin, client_id)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    host = urlsplit(client_id).hostname
    assert f'"resource": "{host}", "outcome": "denied", "reason": "{reason}"' in twin.log
