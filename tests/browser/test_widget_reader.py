"""What readers see and do in the widget, in headless Chromium: votes that can be taken back,
the nudge in plain words, relative times, avatars, "new since your last visit", reply toggles,
live counts on the host page, languages, a refused origin, and the layout (screenshots in a
temporary folder, light, dark and 360 px wide)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.test_widget import browser_page, comment, host_pages, seed

pytestmark = pytest.mark.browser


def test_votes_are_taken_back_and_switched(stack, browser):
    seed(stack, "/votes", "Tolls pay for the bridge.", "Ada")
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/votes")
        ada = comment(page, "Ada")
        ada.get_by_role("button", name="Upvote (0)").click()
        up = ada.get_by_role("button", name="Upvote (1)")
        assert up.get_attribute("aria-pressed") == "true"
        up.click()  # again: taken back, never "already voted"
        ada.get_by_role("button", name="Upvote (0)").wait_for()
        assert ada.get_by_role("button", name="Upvote (0)").get_attribute("aria-pressed") == "false"
        page.get_by_role("status").filter(has_text="Vote removed.").wait_for()  # once the server answered
        ada.get_by_role("button", name="Downvote (0)").click()
        ada.get_by_role("button", name="Downvote (1)").wait_for()
        ada.get_by_role("button", name="Upvote (0)").click()  # switched
        ada.get_by_role("button", name="Upvote (1)").wait_for()
        assert ada.get_by_role("button", name="Downvote (0)").get_attribute("aria-pressed") == "false"
        assert ada.locator(".er").inner_text() == ""
        page.get_by_role("status").filter(has_text="Upvoted.").wait_for()  # the switch is stored
        page.reload()
        up = comment(page, "Ada").get_by_role("button", name="Upvote (1)")
        assert up.get_attribute("aria-pressed") == "true"
        assert comment(page, "Ada").get_by_role("button", name="Downvote (0)").is_visible()


def test_the_nudge_speaks_plainly_and_has_one_primary_button(stack, browser):
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/nudge-plain")
        page.get_by_role("textbox", name="Join the discussion").fill("The mayor is a dickhead about tolls.")
        page.get_by_role("textbox", name="Your name").fill("Lin")
        page.get_by_role("button", name="Post comment").click()
        nudge = page.locator(".nu")
        nudge.get_by_role("button", name="Post anyway").wait_for()
        text = nudge.inner_text()
        assert "Before you post: this may break the community rules." in text
        assert nudge.locator("mark").all_inner_texts() == ["dickhead"]
        assert not re.search(r"\d\.\d", text), text  # no model scores
        assert nudge.locator("li").count() >= 1
        assert nudge.locator("button.pri").all_inner_texts() == ["Edit comment"]
        assert page.evaluate("() => document.getElementById('agora-comments').shadowRoot"
                             ".activeElement.textContent") == "Edit comment"


def test_times_are_relative_exact_on_hover_and_keep_up(stack, browser):
    seed(stack, "/times", "Posted just now.", "Ada Lovelace")
    with browser_page(browser) as page:
        page.clock.install()
        page.goto(f"{stack['host']}/times")
        ada = comment(page, "Ada Lovelace")
        when = ada.locator("time")
        assert when.inner_text() == "now"
        assert re.search(r"\d{4}", when.get_attribute("title"))  # the full date and time
        page.clock.fast_forward("04:40")
        page.clock.run_for(31_000)  # past the next half-minute refresh
        assert when.inner_text() == "5 minutes ago"
        assert ada.locator(".av").inner_text() == "AL"  # initials avatar


def test_new_since_the_last_visit_and_reply_toggles(stack, browser):
    first = seed(stack, "/visits", "Read on the first visit.", "Ada")
    seed(stack, "/visits", "An answer.", "Bo", parent=first)
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/visits")
        ada = comment(page, "Ada").first
        ada.get_by_text("Read on the first visit.").wait_for()
        assert page.locator(".nw").count() == 0  # a first visit marks nothing
        seed(stack, "/visits", "Written after that visit.", "Cy")
        page.reload()
        comment(page, "Cy").locator(".nw", has_text="New").wait_for()
        assert comment(page, "Ada").first.locator("article .nw").count() == 0

        ada = page.locator("li", has=page.get_by_text("Read on the first visit.")).first
        toggle = ada.get_by_role("button", name="1 reply")
        assert toggle.get_attribute("aria-expanded") == "true"
        toggle.click()
        assert not ada.get_by_text("An answer.").is_visible()
        shown = ada.get_by_role("button", name="Show 1 reply")
        assert shown.get_attribute("aria-expanded") == "false"
        shown.click()
        assert ada.get_by_text("An answer.").is_visible()


def test_a_very_long_comment_folds_behind_read_more(stack, browser):
    long_text = "\n\n".join(f"Paragraph {n} about the ferry timetable." for n in range(1, 31))
    seed(stack, "/long", long_text, "Verbose Vic")
    seed(stack, "/long", "Short and sweet.", "Brief Bea")
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/long")
        vic = comment(page, "Verbose Vic")
        more = vic.get_by_role("button", name="Read more")
        more.wait_for()
        body = vic.locator(".bd")
        box = body.bounding_box()
        folded = box["height"]
        last = vic.get_by_text("Paragraph 30 about").bounding_box()
        assert folded <= 400 and last["y"] > box["y"] + folded  # clipped away below the fold
        assert more.get_attribute("aria-expanded") == "false"
        more.click()
        assert body.bounding_box()["height"] > folded * 1.5
        assert vic.get_by_role("button", name="Show less").get_attribute("aria-expanded") == "true"
        assert comment(page, "Brief Bea").get_by_role("button", name="Read more").count() == 0


def test_the_count_link_on_the_host_page_follows_the_thread_live(stack, browser):
    seed(stack, "/live-count", "One.", "Ada")
    with browser_page(browser) as page:
        with page.expect_response(lambda response: "/live/threads" in response.url, timeout=15000):
            page.goto(f"{stack['host']}/live-count")
        assert page.locator("#count").inner_text() == "1 comment"
        page.wait_for_timeout(300)  # the stream's headers are out; let its subscription settle
        seed(stack, "/live-count", "Two.", "Bo")
        page.wait_for_function("() => document.getElementById('count').textContent === '2 comments'")


ARABIC = json.loads((Path(__file__).resolve().parents[2] / "agora/comments/static/agora/i18n/ar.json")
                    .read_text(encoding="utf-8"))


def test_language_from_the_page_with_translations_overlaid_and_rtl(stack, browser):
    german = {"join": "Diskutieren Sie mit", "comments_one": "{count} Kommentar",
              "comments_other": "{count} Kommentare"}
    seed(stack, "/sprache", "Eins.", "Ada")
    with browser_page(browser) as page:
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        # A partial translation file in place of the shipped one: what it lacks stays English.
        page.route("**/static/agora/i18n/de.json",
                   lambda route: route.fulfill(status=200, content_type="application/json",
                                               body=json.dumps(german)))
        page.goto(f"{stack['host']}/sprache?lang=de-at")  # as some pages write it
        page.get_by_role("textbox", name="Diskutieren Sie mit").wait_for()
        assert page.get_by_role("heading", name="1 Kommentar").is_visible()
        assert page.get_by_role("button", name="Post comment").is_visible()  # untranslated: English
        assert any(url.endswith("/static/agora/i18n/de-AT.json") for url in requested)
        assert page.evaluate("() => document.getElementById('agora-comments').shadowRoot"
                             ".querySelector('.w').dir") == ""

    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/sprache?lang=ar")  # the shipped Arabic catalogue, right to left
        page.get_by_role("textbox", name=ARABIC["join"]).wait_for()
        assert page.evaluate("() => document.getElementById('agora-comments').shadowRoot"
                             ".querySelector('.w').dir") == "rtl"
        page.locator("time").first.wait_for()
        assert re.search(r"[\u0600-\u06ff]", page.locator("time").first.get_attribute("title"))


def test_a_refused_origin_tells_the_site_owner_what_to_add(stack, browser):
    seed(stack, "/refused", "Only for the allowed origin.", "Ada")
    with host_pages(stack["agora"]) as stranger, browser_page(browser) as page:
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"{stranger}/refused")
        notice = page.get_by_role("alert").filter(has_text="Comments are not available on this page yet.")
        notice.wait_for()
        assert "cannot be reached" not in page.locator("#agora-comments").inner_text()
        notice.get_by_text("For the site's staff").click()
        staff = notice.inner_text()
        assert f"This page's origin {stranger} is not allowed for the site \"chronicle\"" in staff
        assert f"agora check --site chronicle --origin {stranger}" in staff
        assert notice.get_by_role("link", name="Open the site's settings").get_attribute("href").endswith(
            "/admin/comments/site/1/change/")
        assert any(f"Add {stranger} to the allowed origins of site 'chronicle'" in e for e in errors), errors


@pytest.mark.parametrize(("name", "width", "scheme"), [("light", 1000, "light"), ("dark", 1000, "dark"),
                                                       ("narrow", 360, "light")])
def test_layout_light_dark_and_narrow(stack, browser, tmp_path, name, width, scheme):
    first = seed(stack, "/layout", "The bridge is **late**, and the ferry is full.", "Ada Lovelace")
    seed(stack, "/layout", "Late, but worth it.", "Bo Chen", parent=first)
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{stack['host']}/layout?plain")
        comment(page, "Bo Chen").wait_for()
        widget = page.locator("#agora-comments")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        background = page.evaluate("() => getComputedStyle(document.getElementById('agora-comments')"
                                   ".shadowRoot.querySelector('.w')).backgroundColor")
        assert background == ("rgb(23, 24, 26)" if scheme == "dark" else "rgb(255, 255, 255)")
        dock = page.get_by_role("button", name="Write a comment")
        assert dock.is_visible() == (width < 600)  # the composer docks at the bottom on phones
        if width < 600:
            page.mouse.wheel(0, 400)
            box = dock.bounding_box()
            assert box and box["y"] + box["height"] <= 800 + 1
            dock.click()
            assert page.evaluate("() => document.getElementById('agora-comments').shadowRoot"
                                 ".activeElement.tagName") == "TEXTAREA"
        widget.screenshot(path=str(tmp_path / f"widget-{name}.png"))
        assert (tmp_path / f"widget-{name}.png").stat().st_size > 5000
    finally:
        context.close()
