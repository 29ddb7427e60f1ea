"""`GET /admin` over real HTTP: the owner's page loads without a credential, runs only its own script and style,
cannot be framed, and is revalidated like the chat page; what it shows still needs `twin:admin`."""

import base64
import hashlib
import re
from pathlib import Path

import httpx

from tests.functional.conftest import RunningServer, running_twin


def anonymous(server: RunningServer) -> httpx.Client:
    return server.http(token="")


def policy(response: httpx.Response) -> dict[str, str]:
    directives = (part.strip().partition(" ") for part in response.headers["content-security-policy"].split(";"))
    return {name: value for name, _, value in directives}


def digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_page_loads_without_a_credential_and_its_data_needs_the_admin_scope(server: RunningServer) -> None:
    reader = server.tokens().token(scope="twin:read twin:ask")
    with anonymous(server) as client:
        page = client.get("/admin")
        insights = client.get("/v1/admin/insights")
        not_admin = client.get("/v1/admin/answers", headers={"Authorization": f"Bearer {reader}"})

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Owner page" in page.text
    assert "{{" not in page.text
    assert insights.status_code == 401
    assert not_admin.status_code == 403


def test_the_policy_allows_only_the_pages_own_inline_script_and_style_and_no_framing(server: RunningServer) -> None:
    with anonymous(server) as client:
        page = client.get("/admin")

    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", page.text, re.DOTALL)
    assert len(scripts) == len(styles) == 1
    assert "src=" not in page.text.replace('rel="icon" href="data:', "")  # nothing loaded from anywhere
    assert policy(page) == {
        "default-src": "'none'",
        "script-src": digest(scripts[0]),
        "style-src": digest(styles[0]),
        "img-src": "data:",
        "connect-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
    }
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_a_repeat_view_is_a_304_without_a_body_that_keeps_the_policy(server: RunningServer) -> None:
    with anonymous(server) as client:
        first = client.get("/admin")
        repeat = client.get("/admin", headers={"If-None-Match": first.headers["etag"]})

    assert re.fullmatch(r'"[0-9a-f]{32}"', first.headers["etag"])
    assert first.headers["cache-control"].startswith("public, ")
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat.headers["content-security-policy"] == first.headers["content-security-policy"]


def test_the_page_is_served_with_the_public_chat_off_and_the_banner_names_it(tmp_path: Path) -> None:
    with running_twin(tmp_path, TWIN_PUBLIC_CHAT="false") as twin, anonymous(twin) as client:
        page = client.get("/admin")
        chat = client.get("/")

    assert page.status_code == 200
    assert chat.status_code == 404
    assert f"Owner page   {twin.base_url}/admin" in twin.banner
