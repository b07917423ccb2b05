"""A moderator approves held comments with the keyboard in headless Chromium, and readers then
see them in the comment widget on the article page.

`agora serve` (uvicorn, as in production) runs in a subprocess on a temporary SQLite database
and serves everything: the workspace, the API and the demo article page with `embed.js`. The
held comments are posted through the comment services on an article that is pre-moderated.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from agora.demo import content
from tests.moderation_workspace.factories import PASSWORD
from tests.servers import agora_env, agora_serve, chromium, free_port, run_agora

pytestmark = pytest.mark.browser

HELD = "The ferry timetable was never consulted, and the council knows it."
SECOND = "Toll money should pay for the ferry, not the other way round."
STORY = content.STORIES[0].slug

SEED = f"""
from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Article, Site
from agora.demo.views import story_url
site = Site.objects.create(slug="demo", name="Demo", allowed_origins=[{{base!r}}])
services.register_article(site, story_url({STORY!r}), title="Story")
Article.objects.filter(site=site).update(premoderate=True)
ids = [services.post_comment(site=site, url=story_url({STORY!r}), body=body, author_name=name,
                             actor=services.Actor(reader_id=name)).comment
       for body, name in (({HELD!r}, "ferry-fan"), ({SECOND!r}, "tolly"))]
assert [c.status for c in ids] == ["pending", "pending"]
user = User.objects.create_user(username="mona", password={PASSWORD!r}, is_staff=True)
SiteRole.objects.create(user=user, site=site)
print(ids[0].pk, ids[1].pk)
"""


@pytest.fixture
def server(tmp_path, chromium_path) -> Iterator[dict]:
    port = free_port()
    env = agora_env(tmp_path, port, "moderation-browser-test")
    run_agora(env, "migrate", "-v", "0")
    seeded = run_agora(env, "shell", "-c", SEED.format(base=f"http://127.0.0.1:{port}"))
    ids = seeded.strip().splitlines()[-1].split()  # the last line: shell may print a banner first
    with agora_serve(env, port) as base:
        yield {"base": base, "ids": [int(i) for i in ids], "db": tmp_path / "agora.sqlite3"}


def widget_text(page) -> str:
    page.get_by_role("textbox", name="Join the discussion").wait_for()
    page.wait_for_function("() => !!document.getElementById('agora-comments').shadowRoot.querySelector('ol')")
    return page.evaluate("() => document.getElementById('agora-comments').shadowRoot.textContent")


def thread(base: str) -> dict:
    url = urllib.parse.quote(f"{base}/news/{STORY}", safe="")
    with urllib.request.urlopen(f"{base}/api/v1/threads?site=demo&url={url}", timeout=10) as response:
        return json.loads(response.read())


def post_comment(base: str, body: str) -> dict:
    def call(path: str, payload: dict, token: str = "") -> dict:
        headers = {"Content-Type": "application/json", "X-Agora-Reader": token}
        request = urllib.request.Request(f"{base}/api/v1{path}", data=json.dumps(payload).encode(),
                                         headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    token = call("/reader", {})["reader_token"]
    return call("/comments", {"site": "demo", "url": f"{base}/news/{STORY}", "body": body,
                              "author_name": "Late"}, token)


def test_keyboard_moderation_publishes_comments_in_the_widget(server, chromium_path):
    base, (first, second) = server["base"], server["ids"]
    with chromium(chromium_path) as browser:
        reader = browser.new_context().new_page()
        reader.set_default_timeout(10000)
        reader.goto(f"{base}/news/{STORY}")
        assert HELD not in widget_text(reader)

        page = browser.new_context().new_page()
        page.set_default_timeout(10000)
        # Django's own login form (the newsroom's moderators are staff accounts).
        page.goto(f"{base}/admin/login/?next=/moderate/")
        page.get_by_label("Username").fill("mona")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.locator(f"#card-{first}").wait_for()
        # The queue shows the higher model score first: follow its order, whichever that is.
        ids = page.eval_on_selector_all("[id^='card-']", "els => els.map(e => e.id)")
        order = [int(i.removeprefix("card-")) for i in ids if i.removeprefix("card-").isdigit()]
        held, later = (HELD, SECOND) if order[0] == first else (SECOND, HELD)
        first, second = order[0], order[1]
        card = page.locator(f"#card-{first}")
        assert card.evaluate("el => el === document.activeElement")  # the first card has the focus
        pending_count = page.locator(".tabs [data-queue=pending] .count")
        assert pending_count.inner_text() == "2"

        page.keyboard.press("a")

        page.locator(f"#card-{first}[data-status=approved]:not(.busy)").wait_for()
        page.wait_for_function("() => document.getElementById('announce').textContent.includes('approved')")
        assert pending_count.inner_text() == "1"
        assert page.url.endswith("/moderate/queue/pending")  # no reload happened
        reader.reload()
        text = widget_text(reader)
        assert held in text and later not in text

        # The focus moved on to the next card: reject it, undo that, then select it and bulk-approve.
        second_card = f"#card-{second}"
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
            "() => document.getElementById('announce').textContent.includes('Approved: 1.')")
        assert pending_count.inner_text() == "0"

        reader.reload()
        text = widget_text(reader)
        assert held in text and later in text

        # A comment held while the queue is open is announced without a reload.
        assert post_comment(base, "Posted while the moderator watches.")["result"] == "pending"
        page.locator("#live-news", has_text="New held comments: 1.").wait_for()
        assert pending_count.inner_text() == "1"

    published = thread(base)
    assert published["article"]["comment_count"] == 2
    assert {c["id"] for c in published["comments"]} == {first, second}
    with sqlite3.connect(server["db"]) as db:
        decisions = db.execute("SELECT status FROM moderation_decision WHERE comment_id = ? AND "
                               "source = 'moderator' ORDER BY id", (second,)).fetchall()
    assert [row[0] for row in decisions] == ["rejected", "pending", "approved"]
