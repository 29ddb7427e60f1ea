"""The public chat page and its embed script in a real browser: Debian's headless Chromium, driven by Playwright,
against a real `twin serve` (public chat on, four questions a minute per address).

Every test gets its own server, so each starts with the whole allowance."""

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.functional.conftest import RunningServer, running_twin

CHROMIUM = Path("/usr/bin/chromium")
# What a sandbox-less root needs, and nothing that reaches out to the network on its own.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000
PUBLIC_LIMIT = 4
ASK_PATH = "/v1/public/ask"
PRIVACY_CONTACT = "privacy@averyquinn.example"

expect.set_options(timeout=TIMEOUT_MS)


# Module scope: Playwright's sync API keeps an event loop running in this thread until it stops, which
# would break every later test that runs a loop of its own (Mangum, the MCP client).
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium (scripts/dev test does)"
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def twin(tmp_path: Path) -> Iterator[RunningServer]:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    settings = {
        "TWIN_PUBLIC_CHAT": "true",
        "TWIN_RATE_LIMIT_PUBLIC": str(PUBLIC_LIMIT),
        "TWIN_RATE_LIMIT_WINDOW_SECONDS": "60",
        "TWIN_PRIVACY_CONTACT": PRIVACY_CONTACT,
    }
    with running_twin(state_dir, **settings) as running:
        yield running


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A page in a fresh browser context (no shared storage) of the given viewport."""
    contexts: list[BrowserContext] = []

    def new_page(width: int = 1280, height: int = 860) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page], twin: RunningServer) -> Page:
    """The chat page, at a desktop size."""
    page = new_page()
    page.goto(f"{twin.base_url}/")
    return page


def ask_by_typing(page: Page, question: str) -> None:
    page.get_by_test_id("question").fill(question)
    page.get_by_test_id("send").click()


def is_ask(method: str, url: str) -> bool:
    return method == "POST" and url.endswith(ASK_PATH)


def test_the_page_shows_the_persons_name_and_headline_and_suggested_questions(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Avery Quinn")
    expect(page.get_by_text("Senior Data Engineer", exact=False).first).to_be_visible()
    expect(page).to_have_title(re.compile("Avery Quinn"))
    expect(page.get_by_test_id("suggestion")).to_have_count(4)
    expect(page.get_by_label("Your question")).to_be_visible()
    expect(page.get_by_test_id("send")).to_be_enabled()


def test_the_page_tells_a_visitor_that_their_questions_are_kept_for_the_owner_but_not_who_asked(
    page: Page, tmp_path: Path
) -> None:
    notice = page.get_by_test_id("notice")

    expect(notice).to_be_visible()
    expect(notice).to_have_text(
        "I keep the questions asked here for 30 days, never who asked, to see what my profile is missing."
    )
    page.screenshot(path=tmp_path / "chat-notice.png", full_page=True)


def test_loading_the_page_asks_for_nothing_the_server_does_not_serve(
    new_page: Callable[..., Page], twin: RunningServer
) -> None:
    page = new_page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)

    page.goto(f"{twin.base_url}/", wait_until="networkidle")

    assert failed == []
    # Its own icon, inline: a browser that would ask for /favicon.ico has no reason to.
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", re.compile(r"^data:image/svg\+xml,"))


def test_clicking_a_suggested_question_shows_an_answer_with_its_sources(page: Page, tmp_path: Path) -> None:
    page.get_by_test_id("suggestion").first.click()

    answer = page.get_by_test_id("answer")
    expect(answer).to_have_count(1)
    expect(answer).not_to_be_empty()
    expect(page.get_by_test_id("question")).to_be_focused()
    sources = answer.get_by_test_id("sources")
    sources.locator("summary").click()
    expect(sources.locator("li").first).to_be_visible()
    expect(page.get_by_test_id("conversation")).to_have_attribute("data-session-id", re.compile(r"\S"))

    screenshot = tmp_path / "chat.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 0


def test_the_page_links_a_privacy_notice_that_says_what_is_kept_how_long_and_whom_to_ask_for_erasure(
    page: Page, tmp_path: Path
) -> None:
    link = page.get_by_test_id("privacy")
    expect(link).to_be_visible()
    expect(link).to_be_in_viewport()

    with page.context.expect_page() as opened:
        link.click()
    notice = opened.value  # a tab of its own: the conversation in the chat stays where it was
    notice.wait_for_load_state()

    expect(notice.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(notice).to_have_title(re.compile("Avery Quinn"))
    expect(notice.locator("main")).to_contain_text("kept for 30 minutes after your last question")
    expect(notice.locator("main")).to_contain_text("cached for 1 hour")
    expect(notice.get_by_role("link", name=PRIVACY_CONTACT)).to_have_attribute("href", f"mailto:{PRIVACY_CONTACT}")
    assert "{{" not in notice.content()
    screenshot = tmp_path / "privacy.png"
    notice.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 0


def test_a_follow_up_keeps_the_session_and_a_new_conversation_drops_it(page: Page) -> None:
    conversation = page.get_by_test_id("conversation")
    with page.expect_request(lambda request: is_ask(request.method, request.url)) as first:
        page.get_by_test_id("suggestion").first.click()
    expect(page.get_by_test_id("answer")).to_have_count(1)
    session_id = conversation.get_attribute("data-session-id")
    assert session_id
    assert first.value.post_data_json == {"question": "What do you do now?"}

    with page.expect_request(lambda request: is_ask(request.method, request.url)) as follow_up:
        ask_by_typing(page, "What did you achieve there?")
    expect(page.get_by_test_id("answer")).to_have_count(2)
    assert follow_up.value.post_data_json == {"question": "What did you achieve there?", "session_id": session_id}
    expect(conversation).to_have_attribute("data-session-id", session_id)

    page.get_by_role("button", name="New conversation").click()
    expect(page.get_by_test_id("answer")).to_have_count(0)
    expect(conversation).not_to_have_attribute("data-session-id", re.compile(".*"))
    with page.expect_request(lambda request: is_ask(request.method, request.url)) as fresh:
        ask_by_typing(page, "Where did you study?")
    expect(page.get_by_test_id("answer")).to_have_count(1)
    assert fresh.value.post_data_json == {"question": "Where did you study?"}


def test_over_the_rate_limit_the_page_says_when_to_ask_again_and_stops_sending(page: Page) -> None:
    questions = ["Where do you work?", "What languages do you use?", "Where did you study?", "What are your goals?"]
    for asked, question in enumerate(questions[:PUBLIC_LIMIT], start=1):
        ask_by_typing(page, question)
        expect(page.get_by_test_id("answer")).to_have_count(asked)

    with page.expect_response(lambda response: is_ask(response.request.method, response.url)) as refused:
        ask_by_typing(page, "And what about Kafka?")
    assert refused.value.status == 429
    retry_after = int(refused.value.headers["retry-after"])

    expect(page.get_by_test_id("error")).to_have_text(
        f"You're asking faster than I can answer — try again in {retry_after} seconds."
    )
    expect(page.get_by_test_id("send")).to_be_disabled()
    # The refused question is given back, ready to send when the wait is over.
    expect(page.get_by_test_id("question")).to_have_value("And what about Kafka?")
    expect(page.get_by_test_id("answer")).to_have_count(PUBLIC_LIMIT)


def test_when_the_profile_is_unreachable_or_the_network_fails_the_page_says_so(page: Page) -> None:
    unavailable = {"error": {"code": "retrieval_unavailable", "message": "The index is unavailable."}}
    page.route(
        f"**{ASK_PATH}",
        lambda route: route.fulfill(status=503, headers={"Retry-After": "5"}, json=unavailable),
    )
    ask_by_typing(page, "Where do you work?")
    expect(page.get_by_test_id("error")).to_have_text(
        "I can't reach my profile right now — please try again in a moment."
    )
    expect(page.get_by_test_id("send")).to_be_enabled()

    page.unroute(f"**{ASK_PATH}")
    page.route(f"**{ASK_PATH}", lambda route: route.abort("internetdisconnected"))
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("error")).to_have_count(2)
    expect(page.get_by_test_id("error").last).to_contain_text("couldn't reach the server")
    expect(page.get_by_test_id("question")).to_have_value("Where do you work?")
    expect(page.get_by_test_id("question")).to_be_focused()


def test_on_a_360_pixel_phone_the_page_fits_without_horizontal_scrolling(
    new_page: Callable[..., Page], twin: RunningServer, tmp_path: Path
) -> None:
    page = new_page(width=360, height=740)
    page.goto(f"{twin.base_url}/")
    page.get_by_test_id("suggestion").nth(2).click()
    answer = page.get_by_test_id("answer")
    expect(answer).to_have_count(1)
    answer.get_by_test_id("sources").locator("summary").click()
    expect(answer.get_by_test_id("sources").locator("li").first).to_be_visible()

    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    expect(page.get_by_test_id("send")).to_be_in_viewport()
    expect(page.get_by_test_id("question")).to_be_in_viewport()
    screenshot = tmp_path / "chat-360.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 0


def test_with_the_keyboard_alone_a_visitor_asks_and_focus_comes_back_to_the_input(page: Page) -> None:
    question = page.get_by_test_id("question")
    for _ in range(12):
        page.keyboard.press("Tab")
        if question.evaluate("element => element === document.activeElement"):
            break
    expect(question).to_be_focused()

    page.keyboard.type("What are your strongest skills?")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("In one sentence.")
    expect(question).to_have_value("What are your strongest skills?\nIn one sentence.")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("answer")).to_have_count(1)
    expect(page.get_by_test_id("answer").get_by_test_id("sources")).to_have_count(1)
    expect(question).to_be_focused()
    expect(question).to_have_value("")


@pytest.fixture
def owner_site(twin: RunningServer) -> Iterator[str]:
    """The owner's own site on another loopback origin: a page whose only link to the twin is the script tag."""
    page = (
        "<!doctype html><html lang='en'><title>Owner</title>"
        # Host styles that would restyle the launcher if the embed's CSS were not sealed off.
        "<style>button{background:red!important;font-size:40px!important}</style>"
        f"<h1>My site</h1><script src='{twin.base_url}/embed.js' data-label='Chat with my twin' async></script>"
    ).encode()

    class OwnerSite(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), OwnerSite) as site:
        thread = threading.Thread(target=site.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{site.server_address[1]}/"
        site.shutdown()
        thread.join()


def test_the_embed_script_opens_the_chat_in_a_panel_that_escape_closes(
    new_page: Callable[..., Page], owner_site: str
) -> None:
    page = new_page()
    page.goto(owner_site)

    launcher = page.get_by_role("button", name="Chat with my twin")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).not_to_have_css("background-color", "rgb(255, 0, 0)")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")

    frame = page.frame_locator("iframe[title='Chat with my twin']")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Avery Quinn")
    expect(frame.locator("html")).to_have_class(re.compile(r"\bembed\b"))
    expect(frame.get_by_test_id("question")).to_be_focused()

    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.locator("iframe")).to_be_hidden()
    expect(launcher).to_be_focused()
