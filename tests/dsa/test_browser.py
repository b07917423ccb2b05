"""The complaint flow in headless Chromium: a reader's held comment links to its statement of
reasons, the reader files a complaint there, another moderator reverses the decision in the
workspace, and the comment appears in the widget.

`agora serve` runs in a subprocess on its own SQLite database and serves the demo article page
with `embed.js`, the statement page and the workspace.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from agora.demo import content
from tests.moderation_workspace.factories import PASSWORD
from tests.servers import agora_env, agora_serve, chromium, free_port, run_agora

pytestmark = pytest.mark.browser

STORY = content.STORIES[0].slug
TEXT = "The ferry timetable was changed without asking the islanders."

SEED = f"""
from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Article, Site
from agora.demo.views import story_url
site = Site.objects.create(slug="demo", name="Demo", allowed_origins=[{{base!r}}])
services.register_article(site, story_url({STORY!r}), title="Story")
Article.objects.filter(site=site).update(premoderate=True)
user = User.objects.create_user(username="milo", password={PASSWORD!r}, is_staff=True)
SiteRole.objects.create(user=user, site=site)
"""


@pytest.fixture
def server(tmp_path, chromium_path) -> Iterator[dict]:
    port = free_port()
    env = agora_env(tmp_path, port, "dsa-browser-test")
    run_agora(env, "migrate", "-v", "0")
    run_agora(env, "shell", "-c", SEED.format(base=f"http://127.0.0.1:{port}"))
    with agora_serve(env, port) as base:
        yield {"base": base, "db": tmp_path / "agora.sqlite3"}


def widget(page):
    return page.locator("#agora-comments")


def test_a_reader_appeals_a_held_comment_and_a_moderator_restores_it(server, chromium_path):
    base = server["base"]
    with chromium(chromium_path) as browser:
        reader_context = browser.new_context()
        reader = reader_context.new_page()
        reader.set_default_timeout(10000)
        reader.goto(f"{base}/news/{STORY}")
        reader.get_by_role("textbox", name="Join the discussion").fill(TEXT)
        reader.get_by_role("textbox", name="Your name").fill("Islander")
        reader.get_by_role("button", name="Post comment").click()
        mine = widget(reader).locator("article", has_text=TEXT)
        mine.get_by_text("Awaiting review").wait_for()

        with reader_context.expect_page() as opened:
            mine.get_by_role("link", name="Why? / Appeal").click()
        statement = opened.value
        statement.set_default_timeout(10000)
        statement.get_by_role("heading", name="Statement of reasons").wait_for()
        assert statement.locator("#restriction").inner_text() == "Comment held for review"
        assert "Decided by automated means (phase: trust" in statement.locator("#automation").inner_text()
        assert TEXT in statement.content()
        complaint = "It is a fair point about the ferry."
        statement.get_by_label("Why should the decision be changed?").fill(complaint)
        statement.get_by_role("button", name="File complaint").click()
        statement.get_by_text("Your complaint was received.").wait_for()
        assert statement.locator("#appeal-status").inner_text() == "Open"

        moderator = browser.new_context().new_page()
        moderator.set_default_timeout(10000)
        moderator.goto(f"{base}/admin/login/?next=/moderate/dsa/appeals")
        moderator.get_by_label("Username").fill("milo")
        moderator.get_by_label("Password").fill(PASSWORD)
        moderator.get_by_role("button", name="Log in").click()
        card = moderator.locator("article.card", has_text=complaint)
        assert "decision under appeal by automated means" in card.inner_text()
        card.get_by_label("Outcome").select_option("reverse")
        reasons = card.get_by_label("Reasons (sent to the complainant)")
        reasons.fill("Premoderation held it; it breaks no rule.")
        card.get_by_role("button", name="Decide").click()
        moderator.locator(".messages .success", has_text="decision reversed").wait_for()

        statement.reload()
        assert statement.locator("#appeal-status").inner_text().startswith("Decision reversed")
        reader.reload()
        published = widget(reader).locator("article", has_text=TEXT)
        published.wait_for()
        assert published.get_by_text("Awaiting review").count() == 0

    with sqlite3.connect(server["db"]) as db:
        actions = [row[0] for row in db.execute(
            "SELECT action FROM moderation_auditentry WHERE actor_name = 'milo' ORDER BY id")]
        status = db.execute("SELECT status FROM dsa_appeal").fetchone()[0]
    assert actions == ["comment.approve", "appeal.reverse"] and status == "reversed"
