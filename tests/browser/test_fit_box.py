"""The chat page's "Check my fit" box in a real browser (Debian's Chromium, driven by Playwright) against a real
`twin serve`: a visitor pastes a job description and sees each requirement with its strength and the profile's
own words as evidence."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_chat_page import browser, new_page, page, playwright, twin

__all__ = ["browser", "new_page", "page", "playwright", "twin"]  # the chat page's fixtures, shared

FIT_PATH = "/v1/public/fit"
JOB = """Senior Data Engineer

Requirements:
- 5+ years of experience with Python and SQL
- Hands-on experience with Apache Kafka and stream processing
- Experience with Kubernetes in production

Nice to have:
- AWS certification

Benefits
- 25 days annual leave
"""


def check_fit(page: Page, job_description: str) -> None:
    page.get_by_test_id("fit").locator("summary").click()
    page.get_by_test_id("job-description").fill(job_description)
    page.get_by_test_id("fit-check").click()


def test_a_pasted_job_description_comes_back_requirement_by_requirement_with_strengths_and_quotes(
    page: Page, tmp_path: Path
) -> None:
    with page.expect_response(lambda response: response.url.endswith(FIT_PATH)) as answered:
        check_fit(page, JOB)
    assert answered.value.status == 200

    requirements = page.get_by_test_id("fit-requirement")
    expect(requirements).to_have_count(4)  # the benefits are no requirement
    expect(requirements.nth(0)).to_contain_text("5+ years of experience with Python and SQL")
    expect(requirements.nth(0)).to_have_attribute("data-strength", "strong")
    expect(requirements.nth(0).locator(".fit-evidence li").first).to_contain_text("Python (expert, 9 years")
    kubernetes = requirements.nth(2)
    expect(kubernetes).to_have_attribute("data-strength", "none")
    expect(kubernetes.locator(".fit-evidence")).to_have_count(0)  # no evidence, never an invented match
    expect(requirements.nth(3)).to_contain_text("(nice to have)")
    expect(page.get_by_test_id("fit-result")).to_contain_text("My profile shows strong evidence for")
    expect(page.get_by_test_id("fit-check")).to_be_enabled()

    screenshot = tmp_path / "fit.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 0


def test_a_refused_check_says_why_and_shows_no_result(page: Page) -> None:
    page.route(
        f"**{FIT_PATH}",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"code": "retrieval_unavailable", "message": "down"}}',
        ),
    )

    check_fit(page, JOB)

    expect(page.get_by_test_id("fit-status")).to_contain_text("can't reach my profile")
    expect(page.get_by_test_id("fit-requirement")).to_have_count(0)
