"""A moderator approves a held comment with the keyboard in headless Chromium, and readers then
see it in the comment widget on the article page.

pytest-django's `live_server` serves the whole product (workspace, API, demo article page with
`embed.js`). Database work happens outside the Playwright blocks: Playwright's sync API runs an
event loop in this thread, and Django refuses ORM calls while one runs.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Article, Comment, Site
from agora.demo import content
from agora.demo.views import DEMO_SITE, story_url
from tests.moderation_workspace.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HELD = "The ferry timetable was never consulted, and the council knows it."
SECOND = "Toll money should pay for the ferry, not the other way round."


@contextmanager
def chromium(path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def widget_text(page) -> str:
    page.get_by_role("textbox", name="Join the discussion").wait_for()
    return page.evaluate("() => document.getElementById('agora-comments').shadowRoot.textContent")


@pytest.fixture
def held(live_server):
    """The story is pre-moderated, so a reader's comment is held by the pipeline."""
    story = content.STORIES[0]
    site = Site.objects.create(slug=DEMO_SITE, name="Demo", allowed_origins=[live_server.url])
    services.register_article(site, story_url(story.slug), title=story.title)
    Article.objects.filter(site=site).update(premoderate=True)
    result = services.post_comment(site=site, url=story_url(story.slug), body=HELD, author_name="Ferry Fan",
                                   actor=services.Actor(reader_id="ferry-fan"))
    second = services.post_comment(site=site, url=story_url(story.slug), body=SECOND, author_name="Tolly",
                                   actor=services.Actor(reader_id="tolly")).comment
    assert result.comment.status == second.status == Comment.Status.PENDING
    moderator = User.objects.create_user(username="mona", password=PASSWORD, is_staff=True)
    SiteRole.objects.create(user=moderator, site=site)
    return {"comment": result.comment, "second": second, "story": story.slug}


def test_keyboard_approval_publishes_the_comment_in_the_widget(held, live_server, chromium_path):
    comment, second = held["comment"], held["second"]
    article_page = f"{live_server.url}/news/{held['story']}"
    with chromium(chromium_path) as browser:
        reader = browser.new_context().new_page()
        reader.set_default_timeout(8000)
        reader.goto(article_page)
        assert HELD not in widget_text(reader)

        page = browser.new_context().new_page()
        page.set_default_timeout(8000)
        # Django's own login form (the newsroom's moderators are staff accounts).
        page.goto(f"{live_server.url}/admin/login/?next=/moderate/")
        page.get_by_label("Username").fill("mona")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        card = page.locator(f"#card-{comment.pk}")
        card.wait_for()
        assert card.evaluate("el => el === document.activeElement")  # the first card has the focus
        assert page.locator(".tabs [data-queue=pending]").inner_text() == "Pending 2"

        page.keyboard.press("a")

        page.locator(f"#card-{comment.pk}[data-status=approved]:not(.busy)").wait_for()
        page.wait_for_function(
            "() => document.getElementById('announce').textContent.includes('approved')")
        pending_count = page.locator(".tabs [data-queue=pending] .count")
        assert pending_count.inner_text() == "1"
        assert page.url.endswith("/moderate/queue/pending")  # no reload happened
        reader.reload()
        assert HELD in widget_text(reader) and SECOND not in widget_text(reader)

        # The focus moved on to the next card: reject it, undo that, then select it and bulk-approve.
        second_card = f"#card-{second.pk}"
        assert page.locator(second_card).evaluate("el => el === document.activeElement")
        page.keyboard.press("r")
        page.locator(f"{second_card}[data-status=rejected]:not(.busy)").wait_for()
        page.keyboard.press("k")
        page.keyboard.press("j")
        page.keyboard.press("u")
        page.locator(f"{second_card}[data-status=pending]:not(.busy)").wait_for()
        assert pending_count.inner_text() == "1"
        page.keyboard.press("x")
        assert page.locator(f"{second_card}.selected").count() == 1
        page.keyboard.press("Shift+A")
        page.wait_for_function(
            "() => document.getElementById('announce').textContent.includes('1 comments approved')")
        assert pending_count.inner_text() == "0"

        reader.reload()
        assert HELD in widget_text(reader) and SECOND in widget_text(reader)

    comment.refresh_from_db()
    second.refresh_from_db()
    assert comment.status == second.status == Comment.Status.APPROVED
    assert Article.objects.get(pk=comment.article_id).comment_count == 2
    assert list(second.decisions.filter(source="moderator").order_by("pk").values_list("status", flat=True)) \
        == ["rejected", "pending", "approved"]
