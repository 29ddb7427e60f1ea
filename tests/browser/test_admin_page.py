"""The owner's page (`/admin`) in a real browser (Debian's Chromium, driven by Playwright) against a real `twin serve`:
the owner signs in with the development token or an admin API key, sees what visitors asked day by day, answers an
unanswered question in place, and the twin gives that answer from then on. The credential stays in the tab's
session storage, and nowhere else."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.test_chat_page import browser, new_page, playwright
from tests.functional.conftest import RunningServer, running_twin

__all__ = ["browser", "new_page", "playwright"]  # the chat page's fixtures, shared

STORAGE_KEY = "twin-admin-credential"
UNANSWERED = "Do you have a driving licence?"
ANSWERED = ("Where do you work now?", "What languages do you know?")
APPROVED = "Yes, a full Australian driving licence, and I am happy to travel for work."


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the tests that do not count what was asked."""
    with running_twin(tmp_path_factory.mktemp("admin-page")) as running:
        yield running


@pytest.fixture
def fresh_twin(tmp_path: Path) -> Iterator[RunningServer]:
    """A server whose question log holds only what the test asks."""
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    with running_twin(state_dir) as running:
        yield running


@pytest.fixture
def admin(new_page: Callable[..., Page], twin: RunningServer) -> Iterator[Callable[..., Page]]:
    """The owner page in a fresh browser context, at the given width; a script error, or anything the page's
    Content-Security-Policy refuses, fails the test (a refused credential's 401 is no error of the page)."""
    errors: list[str] = []

    def logged(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def open_page(width: int = 1280, server: RunningServer = twin) -> Page:
        page = new_page(width=width)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", logged)
        page.goto(f"{server.base_url}/admin")
        return page

    yield open_page
    assert errors == []


def sign_in(page: Page, credential: str) -> None:
    page.get_by_label("Admin token or API key").fill(credential)
    page.get_by_role("button", name="Sign in").click()


def stored(page: Page) -> dict[str, object]:
    """Everything the page could have kept: both storages, the cookies and the address."""
    return {
        "session": page.evaluate("Object.fromEntries(Object.entries(sessionStorage))"),
        "local": page.evaluate("Object.fromEntries(Object.entries(localStorage))"),
        "cookies": page.context.cookies(),
        "url": page.url,
    }


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


def test_the_owner_sees_todays_questions_answers_the_unanswered_one_and_the_twin_then_gives_that_answer(
    admin: Callable[..., Page], fresh_twin: RunningServer, tmp_path: Path
) -> None:
    twin = fresh_twin
    with twin.http() as client:
        asked = [client.post("/v1/ask", json={"question": question}).json() for question in (*ANSWERED, UNANSWERED)]
    assert [answer["answered"] for answer in asked] == [True, True, False]
    page = admin(server=twin)

    sign_in(page, twin.token)
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    page.get_by_label("Period").select_option("7")

    bars = page.get_by_test_id("day-bar")
    expect(bars).to_have_count(7)
    today = bars.last
    expect(today).to_have_attribute("data-answered", "2")
    expect(today).to_have_attribute("data-unanswered", "1")
    expect(today.locator("rect")).to_have_count(2)  # stacked: answered below, not answered on top
    expect(bars.first.locator("rect")).to_have_count(0)
    expect(page.get_by_test_id("total")).to_have_text("3")
    expect(page.get_by_test_id("not-answered")).to_have_text("1")
    expect(page.locator("[data-channel=rest] .count")).to_have_text("3")
    page.get_by_label("Period").select_option("30")
    expect(bars).to_have_count(30)

    item = page.get_by_test_id("unanswered-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(UNANSWERED)
    item.get_by_role("button", name=f"Answer this: {UNANSWERED}").click()
    expect(item.get_by_label("Question")).to_have_value(UNANSWERED)
    item.get_by_label("Your answer, in the first person").fill(APPROVED)
    page.screenshot(path=tmp_path / "admin-answering-1280.png", full_page=True)
    with page.expect_response(lambda response: response.request.method == "POST") as saved:
        item.get_by_role("button", name="Save answer").click()
    assert saved.value.status == 201

    expect(item.get_by_test_id("answered-badge")).to_be_visible()
    expect(item.get_by_test_id("answer-this")).to_be_hidden()
    expect(item.locator("form")).to_have_count(0)
    approved = page.get_by_test_id("approved-item")
    expect(approved).to_have_count(1)
    expect(approved).to_contain_text(APPROVED)
    page.screenshot(path=tmp_path / "admin-answered-1280.png", full_page=True)
    with twin.http() as client:
        answer = client.post("/v1/ask", json={"question": UNANSWERED}).json()
    assert answer["answer"] == f"{APPROVED} [1]"
    assert answer["sources"][0]["section"] == "faq"

    page.reload()  # still signed in, and the question still shows as answered: its approved answer exists
    expect(item.get_by_test_id("answered-badge")).to_be_visible()

    # Withdrawn from the page, the question is open again.
    approved.get_by_role("button", name=f"Remove the answer to: {UNANSWERED}").click()
    expect(approved).to_have_count(0)
    expect(item.get_by_test_id("answer-this")).to_be_visible()
    with twin.http() as client:
        assert client.get("/v1/admin/answers").json()["answers"] == []


@pytest.mark.parametrize(
    ("credential", "says"),
    [
        ("not a credential", "neither a token"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "not accepted"),
        ("twk_nothing-like-a-real-key", "not accepted"),
        ("read-only token", "does not have the twin:admin scope"),
    ],
    ids=["not a credential", "forged token", "unknown key", "no admin scope"],
)
def test_a_wrong_credential_says_why_and_nothing_is_stored(
    admin: Callable[..., Page], twin: RunningServer, credential: str, says: str
) -> None:
    if credential == "read-only token":
        credential = twin.tokens().token(scope="twin:read twin:ask")
    page = admin()

    sign_in(page, credential)

    expect(page.get_by_test_id("sign-in-status")).to_contain_text(says)
    expect(page.get_by_test_id("dashboard")).to_be_hidden()
    expect(page.get_by_label("Admin token or API key")).to_be_focused()
    assert stored(page) == {"session": {}, "local": {}, "cookies": [], "url": f"{twin.base_url}/admin"}


@pytest.mark.parametrize("kind", ["development token", "admin API key"])
def test_the_credential_is_kept_in_the_tabs_session_storage_only_and_signing_out_forgets_it(
    admin: Callable[..., Page], twin: RunningServer, kind: str
) -> None:
    credential = twin.token if kind == "development token" else twin.api_key("owner-page", scopes="twin:admin")[0]
    page = admin()

    sign_in(page, credential)
    expect(page.get_by_test_id("dashboard")).to_be_visible()

    assert stored(page) == {
        "session": {STORAGE_KEY: credential},
        "local": {},
        "cookies": [],
        "url": f"{twin.base_url}/admin",
    }
    page.reload()
    expect(page.get_by_test_id("dashboard")).to_be_visible()  # the same tab keeps it
    other_tab = page.context.new_page()
    other_tab.goto(f"{twin.base_url}/admin")
    expect(other_tab.get_by_test_id("sign-in")).to_be_visible()  # another tab never sees it
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("sign-in")).to_be_visible()
    expect(page.get_by_test_id("dashboard")).to_be_hidden()
    assert stored(page)["session"] == {}


def test_a_credential_refused_later_returns_to_the_sign_in_with_the_reason_and_is_forgotten(
    admin: Callable[..., Page], twin: RunningServer
) -> None:
    page = admin()
    sign_in(page, twin.token)
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    page.route(
        "**/v1/admin/insights?*",
        lambda route: route.fulfill(
            status=401,
            content_type="application/json",
            body='{"error": {"code": "invalid_token", "message": "the credential is missing or invalid"}}',
        ),
    )

    page.get_by_label("Period").select_option("90")

    expect(page.get_by_test_id("sign-in")).to_be_visible()
    expect(page.get_by_test_id("sign-in-status")).to_contain_text("expired")
    assert stored(page)["session"] == {}


def test_at_360_px_the_owner_signs_in_and_answers_with_the_keyboard_alone_and_nothing_overflows(
    admin: Callable[..., Page], twin: RunningServer, tmp_path: Path
) -> None:
    with twin.http() as client:
        assert not client.post("/v1/public/ask", json={"question": UNANSWERED}).json()["answered"]
    page = admin(width=360)
    expect(page.get_by_label("Admin token or API key")).to_be_focused()
    page.screenshot(path=tmp_path / "admin-sign-in-360.png", full_page=True)

    page.keyboard.insert_text(twin.token)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    expect(page.get_by_label("Period")).to_be_focused()
    opener = page.get_by_test_id("answer-this").first
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("answer-text")).to_be_focused()
    page.keyboard.press("Escape")  # closes the form, and focus goes back to its button
    expect(page.get_by_test_id("answer-text")).to_have_count(0)
    expect(opener).to_be_focused()

    assert no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "admin-360.png", full_page=True)
