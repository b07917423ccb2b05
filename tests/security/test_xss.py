"""XSS: every payload of xss_payloads.txt, posted as comment body, display name and article
title, rendered in headless Chromium where readers and moderators see it:

(a) the demo article page's server-rendered thread (the widget script blocked so it stays),
(b) the embedded widget on the same page (every page of the thread loaded),
(c) the moderation queue.

The test fails if any payload's `__xss(id)` runs, a dialog opens, the page reports a script
error, or the DOM ends up with inline handlers, script URLs or embedded documents. The page's
CSP is bypassed on purpose: the sanitising must hold on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from agora.accounts.models import User
from agora.comments import markup, services
from agora.comments.models import Article, Comment, Site
from agora.demo import content
from agora.demo.views import DEMO_SITE, story_url
from tests.servers import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
NAME_OFFSET, TITLE_OFFSET = 100_000, 200_000
# Walks the document and every open shadow root; reports what no sanitised comment may contain.
AUDIT_JS = """() => {
  const bad = [];
  const scheme = v => v.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
  const walk = root => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const tag = el.tagName.toLowerCase();
      if (["iframe", "object", "embed", "frame", "base", "meta[http-equiv]"].includes(tag))
        bad.push("element " + tag);
      if (tag === "script" && !el.src && !["application/json", "application/ld+json"].includes(el.type))
        bad.push("inline script " + el.textContent.slice(0, 60));
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase(), value = scheme(attr.value);
        if (name.startsWith("on")) bad.push(tag + " " + name + "=" + attr.value.slice(0, 60));
        if (["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"].includes(name) &&
            (value.startsWith("javascript:") || value.startsWith("vbscript:") ||
             value.startsWith("data:text/html")))
          bad.push(tag + " " + name + "=" + attr.value.slice(0, 60));
      }
    }
  };
  walk(document);
  return bad;
}"""


def load_payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n").replace("\\0", "\x00") for line in lines if line]


def with_id(payload: str, number: int) -> str:
    """The payload for one field; NULs go as the API drops them (StripNulMiddleware)."""
    return payload.replace("XSSID", str(number)).replace("\x00", "")


def test_corpus_is_large_and_current():
    from tests.security.gen_xss_payloads import payloads

    assert len(load_payloads()) >= 500
    assert PAYLOAD_FILE.read_text(encoding="utf-8").splitlines() == payloads(), \
        "xss_payloads.txt is stale: run tests/security/gen_xss_payloads.py"


def _comment(site: Site, article: Article, number: int, payload: str, status: str) -> Comment:
    """A comment stored as the comment services store one (same cleaning and rendering)."""
    body = services.clean_body(site, with_id(payload, number)) if payload.strip() else "empty"
    name = with_id(payload, NAME_OFFSET + number)
    name = " ".join(name.split())[:80] if len(" ".join(name.split())) <= 80 else f"Reader {number}"
    return Comment(site=site, article=article, depth=0, author_name=name or "Reader",
                   body=body, body_html=markup.render(body), status=status, created_at=timezone.now())


def _store(comments: list[Comment]) -> None:
    created = Comment.objects.bulk_create(comments, batch_size=500)
    for comment in created:
        comment.path, comment.root_id = Comment.path_segment(comment.pk), comment.pk
    Comment.objects.bulk_update(created, ["path", "root"], batch_size=500)
    articles = {comment.article_id: comment.article for comment in created}
    for article in articles.values():
        visible = [c for c in created if c.article_id == article.pk and c.status == "approved"]
        article.comment_count = len(visible)
        article.version += 1
    Article.objects.bulk_update(articles.values(), ["comment_count", "version"], batch_size=500)


@pytest.fixture
def corpus(live_server):
    payloads = load_payloads()
    site = Site.objects.create(slug=DEMO_SITE, name="Demo", allowed_origins=[live_server.url])
    story = content.STORIES[0]
    thread = Article.objects.create(site=site, url=story_url(story.slug), title="XSS thread")
    _store([_comment(site, thread, i, p, "approved") for i, p in enumerate(payloads)])
    # The moderation queue: one held comment per payload, on an article titled with the payload.
    titled = Article.objects.bulk_create([
        Article(site=site, url=f"https://demo.example/xss/{i}", title=with_id(p, TITLE_OFFSET + i)[:500])
        for i, p in enumerate(payloads)])
    pairs = enumerate(zip(titled, payloads, strict=True))
    _store([_comment(site, article, i, p, "pending") for i, (article, p) in pairs])
    return payloads, story.slug


@pytest.fixture
def browser_context(chromium_path, live_server, settings):
    # Django's test server is WSGI: it collects a streamed (async) response whole before
    # sending it, so the widget's live stream would hold a server thread, and the test run's
    # exit, for the whole 5-minute stream limit.
    settings.LIVE_MAX_STREAM_SECONDS = 1
    with chromium(chromium_path) as browser:
        context = browser.new_context(bypass_csp=True)
        findings: dict[str, list] = {"ran": [], "dialogs": [], "errors": []}
        context.expose_function("__xss", lambda number: findings["ran"].append(number))
        # Nothing leaves the test server (payload URLs would otherwise hit the network).
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            live_server.url) else route.abort())
        yield context, findings


def _watch(page, findings: dict[str, list]) -> None:
    def on_dialog(dialog) -> None:
        findings["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: findings["errors"].append(str(error)))
    page.on("console", lambda message: findings["errors"].append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text else None)


def _assert_clean(page, findings: dict[str, list], where: str) -> None:
    page.wait_for_timeout(300)  # let deferred handlers (onload, ontoggle, animations) fire
    assert findings["ran"] == [], f"{where}: payloads ran: {sorted(set(findings['ran']))[:20]}"
    assert findings["dialogs"] == [], f"{where}: dialogs opened: {findings['dialogs'][:5]}"
    assert findings["errors"] == [], f"{where}: script errors: {findings['errors'][:5]}"
    assert page.evaluate(AUDIT_JS) == [], f"{where}: dangerous markup: {page.evaluate(AUDIT_JS)[:10]}"


def test_server_rendered_thread(corpus, browser_context, live_server):
    payloads, slug = corpus
    context, findings = browser_context
    page = context.new_page()
    _watch(page, findings)
    page.route("**/embed.js", lambda route: route.abort())  # keep the server-rendered thread
    page.goto(f"{live_server.url}/news/{slug}", wait_until="load")
    assert page.locator("ol.static-thread > li").count() == len(payloads)
    _assert_clean(page, findings, "server-rendered thread")


def test_widget(corpus, browser_context, live_server):
    payloads, slug = corpus
    context, findings = browser_context
    page = context.new_page()
    _watch(page, findings)
    # The widget asks for the whole thread at once (its own `full` option) instead of paging.
    page.route("**/api/v1/threads?*", lambda route: route.continue_(url=route.request.url + "&full=true"))
    page.goto(f"{live_server.url}/news/{slug}", wait_until="load")
    page.wait_for_function(
        "n => document.querySelector('#agora-comments').shadowRoot"
        ".querySelectorAll('li[data-id]').length >= n", arg=len(payloads), timeout=30_000)
    assert page.locator("#agora-comments li[data-id]").count() == len(payloads)
    _assert_clean(page, findings, "widget")


@pytest.fixture
def admin_session(db) -> str:
    """A logged-in admin's session id (made before Playwright starts its event loop)."""
    client = Client()
    client.force_login(User.objects.create(username="xss-admin", is_staff=True, is_superuser=True))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_moderation_queue(corpus, admin_session, browser_context, live_server):
    payloads, _ = corpus
    context, findings = browser_context
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": admin_session}])
    page = context.new_page()
    _watch(page, findings)
    seen = 0
    offset = 0
    while offset is not None:
        page.goto(f"{live_server.url}/moderate/queue/pending?offset={offset}", wait_until="load")
        cards = page.locator("article.card").count()
        assert cards > 0, page.content()[:500]
        seen += cards
        _assert_clean(page, findings, f"moderation queue at offset {offset}")
        offset = offset + cards if seen < len(payloads) else None
    assert seen == len(payloads)


def test_the_harness_notices_script_and_markup(browser_context, live_server):
    """Unsanitised markup must trip every detector, or the tests above prove nothing."""
    context, findings = browser_context
    page = context.new_page()
    _watch(page, findings)
    page.goto(f"{live_server.url}/accounts/login/", wait_until="load")
    page.evaluate("""() => {
        const box = document.createElement("div");
        box.innerHTML = '<img src=x onerror=__xss(7)><a href="javascript:void(0)">x</a>';
        document.body.append(box);
        setTimeout(() => alert("hi"), 0);
    }""")
    page.wait_for_timeout(300)
    assert findings["ran"] == [7] and findings["dialogs"] == ["hi"]
    assert len(page.evaluate(AUDIT_JS)) == 2
