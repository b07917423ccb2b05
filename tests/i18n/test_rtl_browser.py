"""Right-to-left layout in headless Chromium, with screenshots: the Arabic and Hebrew moderation
workspace mirrors the English one (logical CSS), and `agora demo --lang ar` gives an Arabic,
right-to-left newspaper whose widget follows the page's language.

Screenshots are written to AGORA_SCREENSHOTS (default: the test's temporary directory).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from agora.demo import content
from tests.servers import agora_env, agora_serve, chromium, free_port, run_agora

pytestmark = pytest.mark.browser
PASSWORD = "right to left 2026"

SEED = f"""
from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Article, Site
site = Site.objects.create(slug="chronicle", name="The Chronicle", allowed_origins=[])
article = services.register_article(site, "https://news.example/bridge", title="Harbour bridge vote")
Article.objects.filter(pk=article.pk).update(premoderate=True)
for body, name in (("The ferry timetable was never consulted.", "ferry-fan"),
                   ("التعليقات هنا تحتاج إلى مراجعة قبل النشر.", "samir")):
    services.post_comment(site=site, url=article.url, body=body, author_name=name,
                          actor=services.Actor(reader_id=name))
for name, language in (("english", "en"), ("arabic", "ar"), ("hebrew", "he")):
    user = User.objects.create_user(username=name, password={PASSWORD!r}, language=language)
    SiteRole.objects.create(user=user, site=site)
"""


def _screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("AGORA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def workspace(tmp_path, chromium_path) -> Iterator[str]:
    port = free_port()
    env = agora_env(tmp_path, port, "rtl-browser-test")
    run_agora(env, "migrate", "-v", "0")
    run_agora(env, "shell", "-c", SEED)
    with agora_serve(env, port) as base:
        yield base


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/moderate/queue/pending")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.locator(".card").first.wait_for()


def _layout(page) -> dict:
    """Where the parts of the queue sit, and which side of a card carries its status border."""
    return page.evaluate("""() => {
        const box = s => document.querySelector(s).getBoundingClientRect();
        const card = getComputedStyle(document.querySelector('.card'));
        return {dir: document.documentElement.dir, lang: document.documentElement.lang,
                width: document.documentElement.clientWidth,
                brand: box('header.top strong'), who: box('header.top .who'),
                firstTab: box('.tabs li:first-child'), lastTab: box('.tabs li:last-child'),
                approve: box('.card .actions button.approve'), undo: box('.card .actions form:last-child'),
                borderRight: card.borderRightWidth, borderLeft: card.borderLeftWidth,
                heading: document.querySelector('header.top strong').textContent};
    }""")


@pytest.mark.parametrize("username, lang, brand", [
    ("arabic", "ar", "إشراف Agora"),
    ("hebrew", "he", "ניהול התגובות ב־Agora"),
])
def test_the_workspace_mirrors_for_right_to_left_languages(workspace, chromium_path, tmp_path,
                                                           username, lang, brand):
    shots = _screenshots(tmp_path)
    with chromium(chromium_path) as browser:
        layouts = {}
        for who in ("english", username):
            page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
            page.set_default_timeout(15000)
            _log_in(page, workspace, who)
            layouts[who] = _layout(page)
            page.screenshot(path=str(shots / f"workspace-{who}.png"), full_page=True)
            page.context.close()
    ltr, rtl = layouts["english"], layouts[username]
    assert (ltr["dir"], ltr["lang"]) == ("ltr", "en")
    assert (rtl["dir"], rtl["lang"]) == ("rtl", lang) and rtl["heading"] == brand
    # Left to right: brand on the left, account box on the right, tabs and buttons run rightwards.
    assert ltr["brand"]["left"] < ltr["who"]["left"]
    assert ltr["firstTab"]["left"] < ltr["lastTab"]["left"] and ltr["approve"]["left"] < ltr["undo"]["left"]
    assert (ltr["borderLeft"], ltr["borderRight"]) == ("5px", "1px")
    # Right to left: the same page as a mirror image.
    assert rtl["brand"]["right"] > rtl["who"]["right"]
    assert rtl["firstTab"]["right"] > rtl["lastTab"]["right"]
    assert rtl["approve"]["right"] > rtl["undo"]["right"]
    assert rtl["brand"]["right"] > rtl["width"] / 2 > rtl["who"]["left"]
    assert (rtl["borderLeft"], rtl["borderRight"]) == ("1px", "5px")


@pytest.fixture
def arabic_demo(tmp_path, chromium_path) -> Iterator[str]:
    port = free_port()
    env = agora_env(tmp_path, port, "rtl-demo-test")
    run_agora(env, "demo", "--no-serve", "--lang", "ar", "--port", str(port))
    with agora_serve(env, port) as base:
        yield base


def _widget_speaks_languages(base: str) -> bool:
    """Whether the served widget loads locale catalogues (its loader names their folder)."""
    with urllib.request.urlopen(f"{base}/embed.js", timeout=10) as response:
        return "/static/agora/i18n/" in response.read().decode()


def test_agora_demo_lang_ar_gives_a_right_to_left_newspaper(arabic_demo, chromium_path, tmp_path):
    shots = _screenshots(tmp_path)
    story = content.STORIES[0].slug
    with chromium(chromium_path) as browser:
        page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
        page.set_default_timeout(15000)
        page.goto(f"{arabic_demo}/news/{story}")
        root = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
        assert root == ["ar", "rtl"]
        if not _widget_speaks_languages(arabic_demo):
            page.screenshot(path=str(shots / "demo-ar-article.png"), full_page=True)
            pytest.skip("this embed.js has no locale catalogues yet: only the page itself is checked")
        page.wait_for_function(
            "() => { const r = document.getElementById('agora-comments').shadowRoot;"
            " return r && r.textContent.includes('شارك في النقاش'); }")
        widget = page.evaluate("""() => {
            const root = document.getElementById('agora-comments').shadowRoot;
            const frame = root.querySelector('[lang]') || root.firstElementChild;
            return {lang: frame.getAttribute('lang'), direction: getComputedStyle(frame).direction,
                    text: root.textContent};
        }""")
        page.screenshot(path=str(shots / "demo-ar-article.png"), full_page=True)
    assert widget["lang"] == "ar" and widget["direction"] == "rtl"
    assert "التعليقات" in widget["text"] and "Join the discussion" not in widget["text"]


def test_the_widget_catalogues_are_served_to_any_page(arabic_demo):
    with urllib.request.urlopen(f"{arabic_demo}/static/agora/i18n/ar.json", timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "التعليقات" in response.read().decode()
    with urllib.request.urlopen(f"{arabic_demo}/static/agora/i18n/pt.json", timeout=10) as response:
        assert "Comentários" in response.read().decode()  # Brazilian Portuguese serves every pt-* page
    for missing in ("pt-BR", "xx", "..%2Fsettings"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{arabic_demo}/static/agora/i18n/{missing}.json", timeout=10)
        assert refused.value.code == 404
