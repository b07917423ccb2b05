"""An operator's first hour in headless Chromium, against `agora serve` as in production: the
admin with its CSS, the favicon, the API docs rendering under their policy, the branded login
with its password reset, and the Flagged count moving live in the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from agora.demo import content
from tests.browser.test_widget import browser_page, call
from tests.servers import run_agora

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(stack) -> dict:
    run_agora(stack["env"], "demo", "--no-serve")
    password = (Path(stack["env"]["AGORA_DATA_DIR"]) / "demo-admin-password").read_text().strip()
    return {**stack, "password": password}


def log_in(page, demo: dict, path: str) -> None:
    page.goto(f"{demo['agora']}/accounts/login/?next={path}")
    page.get_by_label("Username or e-mail").fill("admin")
    page.get_by_label("Password").fill(demo["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{path}", timeout=20000)  # password hashing


def test_the_admin_has_its_styles_and_the_favicon(demo, browser, tmp_path):
    with browser_page(browser) as page:
        missing = []
        page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
        log_in(page, demo, "/admin/")
        page.get_by_role("link", name="Site roles").wait_for()
        header = page.evaluate("() => getComputedStyle(document.getElementById('header')).backgroundColor")
        assert header not in ("rgba(0, 0, 0, 0)", "transparent")  # the admin's CSS arrived
        assert missing == []
        icon = page.request.get(f"{demo['agora']}/favicon.ico")
        assert icon.ok and icon.headers["content-type"] == "image/svg+xml"
        page.screenshot(path=str(tmp_path / "admin.png"))


def test_the_api_docs_render_under_their_own_policy(demo, browser, tmp_path):
    with browser_page(browser) as page:
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        response = page.goto(f"{demo['agora']}/api/v1/docs")
        assert "cdn" not in response.headers["content-security-policy"]
        page.locator(".swagger-ui .info .title", has_text="Agora API").wait_for()
        page.locator(".opblock-summary-path", has_text="/api/v1/threads").first.wait_for()
        assert not [e for e in errors if "Content Security Policy" in e], errors
        page.screenshot(path=str(tmp_path / "api-docs.png"))


def test_the_login_is_branded_and_offers_a_password_reset(demo, browser):
    with browser_page(browser) as page:
        page.goto(f"{demo['agora']}/accounts/login/")
        assert page.get_by_role("heading", name="Log in to moderation").is_visible()
        assert page.locator(".brand img").evaluate("img => img.naturalWidth") > 0
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("E-mail address").fill("nobody@news.example")
        page.get_by_role("button", name="Send the link").click()
        page.get_by_text("a link to choose a new password is on its way").wait_for()


def test_the_flagged_count_moves_live(demo, browser, tmp_path):
    story = content.STORIES[0]
    with browser_page(browser, width=1200) as page:
        log_in(page, demo, "/moderate/queue/pending")
        flagged = page.locator('.tabs [data-queue="x-flagged"] .count')
        before = int(flagged.inner_text())
        page.wait_for_timeout(500)  # the moderators' stream is open; let its subscription settle
        # A comment of its own: the demo's comments may be in the Flagged queue already.
        author = call(demo, "POST", "/reader")["reader_token"]
        posted = call(demo, "POST", "/comments", {"site": "demo", "url": f"{demo['agora']}/news/{story.slug}",
                                                  "body": "The new timetable starts in May.",
                                                  "author_name": "Tomas"}, author)
        assert posted["result"] == "approved", posted
        target = posted["comment"]["id"]
        reader = call(demo, "POST", "/reader")["reader_token"]
        call(demo, "POST", f"/comments/{target}/flags", {"reason": "spam", "explanation": ""}, reader)
        page.wait_for_function("expected => document.querySelector('.tabs [data-queue=\"x-flagged\"] .count')"
                               ".textContent === expected", arg=str(before + 1))
        page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
