"""The consent page: names the client and what it asks for, takes the invite code, and answers Approve or Deny.

No script runs on it. The form carries a CSRF token that must also come back in a cookie only this page set
(SameSite=Strict), and both must equal the one the pending request holds: a form posted from another site, or
without the token, is refused. The page cannot be framed.
"""

import hmac
from collections.abc import Callable
from functools import cache
from html import escape
from importlib.resources import files
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from twin.entrypoints.oauth.provider import CONSENT_PATH, PendingConsent, TwinOAuthProvider
from twin.security.audit import audit

MAX_CODE_CHARS: Final = 200
SCOPE_TEXT: Final = {
    "twin:read": "Read and search {twin}'s profile",
    "twin:ask": "Ask {twin}'s twin questions and get answers with sources",
}
_HEADERS: Final = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class ConsentPage:
    def __init__(self, provider: TwinOAuthProvider, *, twin_name: Callable[[], str]) -> None:
        self._provider = provider
        self._twin_name = twin_name
        issuer = urlsplit(provider.issuer)
        self._cookie_path = issuer.path + CONSENT_PATH
        self._secure_cookie = issuer.scheme == "https"

    async def handle(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._answer(request)
        pending = await self._provider.pending_consent(request.query_params.get("request", ""))
        if pending is None:
            return self._expired()
        response = self._page("Connect an app", self._form(pending), status=200)
        response.set_cookie(
            _cookie_name(pending.request_id),
            pending.csrf,
            max_age=600,
            path=self._cookie_path,
            secure=self._secure_cookie,
            httponly=True,
            samesite="strict",
        )
        return response

    async def _answer(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        request_id, csrf, code = (_field(form.get(name)) for name in ("request", "csrf", "invite_code"))
        pending = await self._provider.pending_consent(request_id)
        if pending is None:
            return self._expired()
        cookie = request.cookies.get(_cookie_name(pending.request_id), "")
        if not (_same(csrf, pending.csrf) and _same(cookie, pending.csrf)):
            audit("consent", actor="anonymous", resource=pending.client_id, outcome="denied", reason="csrf")
            return self._problem("Request refused", "This form was not sent from this page.", status=403)
        if await self._provider.pending_consent(request_id, take=True) is None:
            return self._expired()  # answered already, in another tab
        if _field(form.get("decision")) == "approve":
            location = await self._provider.approve(pending, code[:MAX_CODE_CHARS])
        else:
            location = self._provider.deny(pending)
        response = RedirectResponse(location, status_code=303, headers=_HEADERS)
        response.delete_cookie(_cookie_name(pending.request_id), path=self._cookie_path)
        return response

    def _form(self, pending: PendingConsent) -> str:
        twin = self._twin_name()
        scopes = "\n".join(
            f'        <li><span class="scope-badge">{escape(scope)}</span>'
            f"<span>{escape(SCOPE_TEXT.get(scope, scope).format(twin=twin))}</span></li>"
            for scope in pending.params.scopes or []
        )
        client = escape(pending.client_label)
        return f"""    <h2><span class="client">{client}</span> asks to use {escape(twin)}'s twin</h2>
    <div>
      <p>It will be able to:</p>
      <ul class="scopes">
{scopes}
      </ul>
    </div>
    <p class="note">After you answer, you go back to <strong>{escape(pending.redirect_host)}</strong>.</p>
    <form method="post" action="{escape(self._cookie_path)}">
      <input type="hidden" name="request" value="{escape(pending.request_id)}">
      <input type="hidden" name="csrf" value="{escape(pending.csrf)}">
      <label for="invite-code">Invite code</label>
      <input type="password" id="invite-code" name="invite_code" autocomplete="off" spellcheck="false"
        maxlength="{MAX_CODE_CHARS}" placeholder="twi_…" required>
      <p class="note">The owner of this twin gave you the code. Approve only if you started this from your app.</p>
      <div class="actions">
        <button type="submit" class="approve" name="decision" value="approve">Approve</button>
        <button type="submit" class="deny" name="decision" value="deny" formnovalidate>Deny</button>
      </div>
    </form>"""

    def _expired(self) -> Response:
        return self._problem("Request expired", "This request has expired or was already answered.", status=400)

    def _problem(self, title: str, problem: str, *, status: int) -> Response:
        body = f'    <p class="problem" role="alert">{escape(problem)} Start again from your app.</p>'
        return self._page(title, body, status=status)

    def _page(self, title: str, body: str, *, status: int) -> HTMLResponse:
        twin = self._twin_name()
        html = (
            _template()
            .replace("{{title}}", escape(title))
            .replace("{{twin}}", escape(twin))
            .replace("{{initials}}", escape(_initials(twin)))
            .replace("{{body}}", body)
        )
        return HTMLResponse(html, status_code=status, headers=_HEADERS)


@cache
def _template() -> str:
    return files("twin.entrypoints.web").joinpath("consent.html").read_text(encoding="utf-8")


def _cookie_name(request_id: str) -> str:
    return f"twin_consent_{request_id}"


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""


def _same(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:2]).upper() or "DT"
