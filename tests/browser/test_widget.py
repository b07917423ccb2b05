"""The reader widget in headless Chromium, embedded on pages from a second origin.

`agora serve` (uvicorn, as in production) runs in a subprocess on a temporary SQLite database
and serves the API and `embed.js`; a tiny http.server on another port serves the host article
pages, whose CSS is deliberately hostile. Each test uses its own article URL.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.servers import agora_env, agora_serve, chromium, free_port, run_agora

pytestmark = pytest.mark.browser

SSO_SECRET = "publisher-shared-secret-for-browser-tests"

HOSTILE_CSS = """
* { color: red !important; font: 31px/3 "Comic Sans MS", cursive !important; letter-spacing: 4px !important;
    text-transform: uppercase !important; box-sizing: content-box !important; }
div { display: inline !important; padding: 40px !important; background: yellow !important;
      border: 6px dashed red !important; }
button, textarea, input, select, ol, li, article, p, h2, header, form { all: unset !important;
      display: none !important; }
:root { --bg: red; --fg: red; --accent: red; }
"""

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Harbour bridge vote</title>
<link rel="canonical" href="{path}">
<style>{css}</style></head><body><h1>Harbour bridge vote</h1>
<p>Discussion: <a href="{path}" data-agora-count-url="{path}" id="count">no count yet</a></p>
<div id="agora-comments"{attributes}><p id="fallback">Server-rendered fallback</p></div>
<script src="{agora}/embed.js" data-site="chronicle" async></script></body></html>"""

STYLE_PROPS = ["color", "background-color", "font-size", "font-family", "line-height", "letter-spacing",
               "text-transform", "display", "padding-top", "padding-left", "margin-top",
               "border-top-width", "border-top-style", "box-sizing", "visibility"]
STYLED_PARTS = [".w", "h2", "textarea", "button.pri", "ol.th", "li", "article", ".au", ".bd p", "select"]


@contextmanager
def host_pages(agora_url: str) -> Iterator[str]:
    """Any path is an article page with hostile CSS; `?plain` gives the same page without it,
    `?sso=TOKEN` puts a single sign-on token on the widget's container."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            options = parse_qs(query, keep_blank_values=True)
            css = "" if "plain" in options else HOSTILE_CSS
            attributes = "".join(f' data-sso-token="{escape(token)}"' for token in options.get("sso", []))
            body = PAGE.format(path=path, css=css, agora=agora_url, attributes=attributes).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def agora_server(data_dir: Path, port: int, allowed_origin: str) -> Iterator[dict]:
    env = agora_env(data_dir, port, "browser-test-secret")
    run_agora(env, "migrate", "-v", "0")
    run_agora(env, "shell", "-c", "from agora.comments.models import Site\n"
              "from agora.accounts.models import SiteAuthSettings\n"
              "site = Site.objects.create(slug='chronicle', name='The Chronicle', "
              f"allowed_origins=['{allowed_origin}'])\n"
              f"SiteAuthSettings.objects.create(site=site, sso_secret='{SSO_SECRET}')\n")
    with agora_serve(env, port) as base:
        yield {"agora": base, "env": env}


@pytest.fixture(scope="module")
def stack(tmp_path_factory, chromium_path) -> Iterator[dict]:
    """The Agora server and the host-page server, on two origins."""
    port = free_port()
    with host_pages(f"http://127.0.0.1:{port}") as host:
        data_dir = tmp_path_factory.mktemp("agora")
        with agora_server(data_dir, port, host) as agora:
            yield {**agora, "host": host}
        shutil.rmtree(data_dir, ignore_errors=True)


def call(stack: dict, method: str, path: str, body: dict | None = None, token: str = "") -> dict:
    request = urllib.request.Request(f"{stack['agora']}/api/v1{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", "X-Agora-Reader": token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def seed(stack: dict, path: str, body: str, name: str, parent: int | None = None) -> int:
    """Another reader's comment, posted through the API."""
    token = call(stack, "POST", "/reader")["reader_token"]
    posted = call(stack, "POST", "/comments", {"site": "chronicle", "url": stack["host"] + path, "body": body,
                                               "author_name": name, "parent": parent}, token)
    assert posted["result"] == "approved", posted
    return posted["comment"]["id"]


@pytest.fixture(scope="module")
def browser(chromium_path):
    with chromium(chromium_path) as launched:
        yield launched


@contextmanager
def browser_page(browser, width: int = 1000, height: int = 900):
    """A fresh page in a fresh context: its own localStorage, so a new reader."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.set_default_timeout(8000)
        yield page
    finally:
        context.close()


def shadow_focus(page) -> str:
    """What has the keyboard focus inside the widget: tag name and accessible hint."""
    return page.evaluate("""() => {
        const el = document.getElementById('agora-comments').shadowRoot.activeElement;
        if (!el) return '';
        const label = el.closest('label');
        return el.tagName + ':' + (label ? label.firstChild.textContent : el.textContent.trim());
    }""")


def comment(page, author: str):
    return page.locator("li", has=page.locator(".au", has_text=author)).last


def test_post_reply_vote_edit_and_reload(stack, browser):
    seed(stack, "/vote", "The *old* bridge deserves a vote.", "Ada")
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/vote")
        composer = page.get_by_role("textbox", name="Join the discussion")
        composer.wait_for()
        assert page.locator("#fallback").count() == 0
        assert page.get_by_role("heading", name="1 comment").is_visible()
        assert page.locator("#count").inner_text() == "1 comment"

        # An empty comment shows the API's own message, inline.
        page.get_by_role("button", name="Post comment").click()
        alert = page.locator("form .er").first
        alert.wait_for()
        assert alert.inner_text() == "Write something before posting: the comment is empty."

        composer.fill("Build it, but **keep** the ferry.")
        page.get_by_role("textbox", name="Your name").fill("Grace")
        page.get_by_role("button", name="Post comment").click()
        comment(page, "Grace").locator("strong", has_text="keep").wait_for()
        mine_id = comment(page, "Grace").get_attribute("id")
        mine = page.locator(f"#{mine_id}")
        assert shadow_focus(page).startswith("ARTICLE")
        assert page.get_by_role("heading", name="2 comments").is_visible()

        mine.get_by_role("button", name="Reply").click()
        assert shadow_focus(page) == "TEXTAREA:Reply to Grace"
        mine.get_by_role("textbox", name="Reply to Grace").fill("Replying to myself: the ferry is cheaper.")
        mine.get_by_role("button", name="Post reply").click()
        reply = mine.locator("ol.k > li", has_text="the ferry is cheaper")
        reply.wait_for()

        ada = comment(page, "Ada")
        ada.get_by_role("button", name="Upvote (0)").click()
        upvote = ada.get_by_role("button", name="Upvote (1)")
        upvote.wait_for()
        assert upvote.get_attribute("aria-pressed") == "true"
        assert ada.get_by_role("button", name="Edit").count() == 0  # not ours
        assert mine.locator("article").first.get_by_role("button", name="Upvote (0)").is_disabled()

        mine.locator("article").first.get_by_role("button", name="Edit").click()
        editor = mine.get_by_role("textbox", name="Edit your comment")
        assert editor.input_value() == "Build it, but **keep** the ferry."
        editor.fill("Build it, and *keep* the ferry.")
        mine.get_by_role("button", name="Save").click()
        mine.locator("em", has_text="keep").wait_for()
        assert mine.locator("article").first.locator("header").inner_text().endswith("edited")

        page.reload()
        page.get_by_role("heading", name="3 comments").wait_for()
        assert mine.locator("em", has_text="keep").count() == 1
        assert mine.locator("ol.k > li", has_text="the ferry is cheaper").count() == 1
        assert mine.locator("article").first.get_by_role("button", name="Edit").count() == 1
        upvote = comment(page, "Ada").get_by_role("button", name="Upvote (1)")
        assert upvote.get_attribute("aria-pressed") == "true"
        assert page.get_by_role("textbox", name="Your name").input_value() == "Grace"
        assert page.locator("#count").inner_text() == "3 comments"

        page.once("dialog", lambda dialog: dialog.accept())
        reply = mine.locator("ol.k > li").first
        reply.get_by_role("button", name="Delete").click()
        reply.get_by_text("This comment was deleted.").wait_for()
        assert reply.get_by_role("button", name="Edit").count() == 0


def test_report_a_comment(stack, browser):
    seed(stack, "/report", "Buy cheap watches at my shop.", "Spammer")
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/report")
        spam = comment(page, "Spammer")
        spam.get_by_role("button", name="Report").click()
        assert shadow_focus(page).startswith("INPUT")
        page.keyboard.press("Escape")
        spam.locator("form").wait_for(state="detached")
        assert shadow_focus(page).startswith("ARTICLE")
        spam.get_by_role("button", name="Report").click()
        spam.get_by_role("button", name="Send report").click()
        assert spam.locator("form .er").inner_text() == "Choose a reason."
        # Illegal content is a legal notice, sent on its own page of the comment server.
        notice = spam.get_by_role("link", name="Illegal content? Send a legal notice")
        assert notice.get_attribute("href").startswith(f"{stack['agora']}/dsa/notice?comment=")
        spam.get_by_role("radio", name="Spam").check()
        spam.get_by_role("button", name="Send report").click()
        spam.locator("form").wait_for(state="detached")
        assert "moderator" in page.locator("[role=status]").inner_text()

        spam.get_by_role("button", name="Report").click()
        spam.get_by_role("radio", name="Spam").check()
        spam.get_by_role("button", name="Send report").click()
        spam.locator("form .er", has_text="You have already flagged this comment.").wait_for()


def test_hostile_page_css_does_not_reach_the_widget(stack, browser):
    seed(stack, "/styles", "Style *matters* less than the toll.", "Ada")
    script = f"""() => {{
        const root = document.getElementById('agora-comments').shadowRoot;
        return {STYLED_PARTS!r}.map(sel => {{
            const style = getComputedStyle(root.querySelector(sel));
            return [sel, {STYLE_PROPS!r}.map(p => p + '=' + style.getPropertyValue(p))];
        }});
    }}"""
    with browser_page(browser) as page:
        styles = {}
        for name in ("plain", "hostile"):
            page.goto(f"{stack['host']}/styles" + ("?plain" if name == "plain" else ""))
            page.locator(".bd p").wait_for()
            styles[name] = page.evaluate(script)
            box = page.locator(".w").bounding_box()
            assert box["height"] > 150 and box["width"] > 300
        page.evaluate("() => document.getElementById('agora-comments').dataset.theme = 'dark'")
        dark = page.evaluate("() => getComputedStyle(document.getElementById('agora-comments')"
                             ".shadowRoot.querySelector('.w')).backgroundColor")
    assert styles["hostile"] == styles["plain"]
    assert dark == "rgb(23, 24, 26)"


def test_works_when_local_storage_is_blocked(stack, browser):
    with browser_page(browser) as page:
        page.add_init_script("Object.defineProperty(window, 'localStorage', {get() {"
                             " throw new DOMException('blocked', 'SecurityError') }})")
        page.goto(f"{stack['host']}/no-storage")
        page.get_by_role("textbox", name="Join the discussion").fill("No storage, still a voice.")
        page.get_by_role("textbox", name="Your name").fill("Pat")
        page.get_by_role("button", name="Post comment").click()
        comment(page, "Pat").get_by_role("button", name="Edit").wait_for()


def test_narrow_screen_deep_thread_and_keyboard_posting(stack, browser):
    parent = seed(stack, "/deep", "Where does the cycle lane go?", "Ada")
    for depth in range(1, 9):  # deeper than the six levels the widget indents
        parent = seed(stack, "/deep", f"Level {depth} reply.", f"Reader {depth}", parent)
    with browser_page(browser, width=360, height=740) as page:
        page.goto(f"{stack['host']}/deep")
        page.get_by_text("Level 5 reply.").wait_for()
        assert page.get_by_text("Level 6 reply.").count() == 0
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0

        page.get_by_role("button", name="Continue this thread →").click()
        page.get_by_text("Level 8 reply.").wait_for()
        assert page.get_by_text("Where does the cycle lane go?").count() == 0
        page.get_by_role("button", name="← Back to the whole discussion").click()
        page.get_by_text("Where does the cycle lane go?").wait_for()

        # A reply below the indentation cap opens its sub-thread, focused on the new reply.
        level5 = page.locator("li", has=page.get_by_text("Level 5 reply.")).last
        level5.get_by_role("button", name="Reply").first.click()
        level5.get_by_role("textbox", name="Reply to Reader 5").fill("Answering level five.")
        level5.get_by_role("textbox", name="Your name").fill("Deep")
        level5.get_by_role("button", name="Post reply").click()
        page.get_by_role("button", name="← Back to the whole discussion").wait_for()
        page.wait_for_function("() => document.getElementById('agora-comments').shadowRoot"
                               ".activeElement?.textContent.includes('Answering level five.')")
        page.get_by_role("button", name="← Back to the whole discussion").click()
        page.get_by_text("Where does the cycle lane go?").wait_for()

        # Keyboard only: Tab to the comment box, type, Tab to the name, Tab to Post, Enter.
        page.locator("h1").click()
        for _ in range(12):
            page.keyboard.press("Tab")
            if shadow_focus(page) == "TEXTAREA:Join the discussion":
                break
        assert shadow_focus(page) == "TEXTAREA:Join the discussion"
        page.keyboard.type("Typed without a mouse.")
        page.keyboard.press("Tab")
        page.keyboard.type("Kim")
        page.keyboard.press("Tab")
        assert shadow_focus(page) == "BUTTON:Post comment"
        page.keyboard.press("Enter")
        comment(page, "Kim").wait_for()
        assert shadow_focus(page).startswith("ARTICLE")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_nudge_highlights_words_then_post_anyway_awaits_review(stack, browser):
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/nudge")
        text = "The <b>mayor</b> is a dickhead about the toll."
        page.get_by_role("textbox", name="Join the discussion").fill(text)
        page.get_by_role("textbox", name="Your name").fill("Lin")
        page.get_by_role("button", name="Post comment").click()
        page.get_by_role("button", name="Post anyway").wait_for()
        quote = page.locator(".nu blockquote")
        assert quote.inner_text() == text  # shown as text, never as HTML
        assert quote.locator("mark").all_inner_texts() == ["dickhead"]
        assert quote.locator("b").count() == 0

        page.get_by_role("button", name="Edit").click()
        assert shadow_focus(page) == "TEXTAREA:Join the discussion"
        page.get_by_role("button", name="Post comment").click()
        page.get_by_role("button", name="Post anyway").click()
        held = comment(page, "Lin")
        held.get_by_text("Awaiting review").wait_for()
        assert page.get_by_role("heading", name="0 comments").is_visible()

        page.reload()
        comment(page, "Lin").get_by_text("Awaiting review").wait_for()

    # Other readers do not see it.
    thread = call(stack, "GET", f"/threads?site=chronicle&own=true&url={stack['host']}/nudge")
    assert thread["comments"] == [] and thread.get("own_pending", []) == []


def test_permalink_beyond_the_first_page_and_load_more(stack, browser):
    ids = [seed(stack, "/many", f"Opinion number {n} on the harbour.", f"Reader {n}") for n in range(1, 23)]
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/many")
        page.get_by_text("Opinion number 20 on").wait_for()
        assert page.get_by_text("Opinion number 21 on").count() == 0
        page.get_by_role("button", name="Load more comments").click()
        page.get_by_text("Opinion number 22 on").wait_for()
        assert page.get_by_role("button", name="Load more comments").is_hidden()
        page.get_by_role("combobox", name="Sort by").select_option("newest")
        page.wait_for_function("() => document.getElementById('agora-comments').shadowRoot"
                               ".querySelector('ol.th > li .bd').textContent.includes('number 22')")

        page.goto(f"{stack['host']}/many#agora-comment-{ids[21]}")
        target = page.locator(f"#agora-comment-{ids[21]} > article")
        target.wait_for()
        page.wait_for_function(
            "() => document.getElementById('agora-comments').shadowRoot.activeElement?.tagName === 'ARTICLE'")
        assert "hl" in target.get_attribute("class")
        assert target.is_visible() and shadow_focus(page).startswith("ARTICLE:Reader 22")


def test_log_in_comment_under_the_account_and_log_out(stack, browser):
    call(stack, "POST", "/auth/signup", {"site": "chronicle", "email": "mo@news.example",
                                         "password": "a long harbour password", "display_name": "Mo Reyes"})
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/accounts")
        page.get_by_role("button", name="Log in").click()
        assert shadow_focus(page) == "INPUT:Email"
        page.get_by_role("textbox", name="Email").fill("mo@news.example")
        page.get_by_label("Password").fill("a long harbour password")
        page.get_by_role("button", name="Log in").click()
        page.get_by_text("Signed in as Mo Reyes", exact=True).wait_for(timeout=20000)  # password hashing
        assert page.get_by_role("textbox", name="Your name").count() == 0
        page.get_by_role("textbox", name="Join the discussion").fill("Posted from my account.")
        page.get_by_role("button", name="Post comment").click()
        comment(page, "Mo Reyes").get_by_role("button", name="Edit").wait_for()

        page.reload()
        page.get_by_text("Signed in as Mo Reyes", exact=True).wait_for()
        page.get_by_role("button", name="Log out").click()
        page.get_by_role("button", name="Log in").wait_for()
        assert page.get_by_role("textbox", name="Your name").is_visible()


def test_live_comments_wait_behind_a_button(stack, browser):
    try:
        urllib.request.urlopen(f"{stack['agora']}/live/threads?site=chronicle&url=x", timeout=0.5).close()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            pytest.skip("this server has no live update endpoint")
    except OSError:
        pass  # the stream stays open: it exists
    seed(stack, "/live", "First, before the page opened.", "Ada")
    with browser_page(browser) as page:
        with page.expect_response(lambda response: "/live/threads" in response.url, timeout=15000):
            page.goto(f"{stack['host']}/live")
        page.get_by_text("First, before the page opened.").wait_for()
        page.wait_for_timeout(300)  # the stream's headers are out; let its subscription settle
        seed(stack, "/live", "Second, while the page was open.", "Bo")
        page.get_by_role("button", name="Show 1 new comment").click()
        page.get_by_text("Second, while the page was open.").wait_for()
        assert page.get_by_role("heading", name="2 comments").is_visible()


def test_single_sign_on_token_on_the_container(stack, browser):
    import jwt

    now = int(time.time())
    token = jwt.encode({"sub": "42", "name": "Sam Ortiz", "iat": now, "exp": now + 600, "jti": "browser-1"},
                       SSO_SECRET, algorithm="HS256")
    with browser_page(browser) as page:
        page.goto(f"{stack['host']}/sso?sso={token}")
        page.get_by_text("Signed in as Sam Ortiz", exact=True).wait_for()
        page.get_by_role("textbox", name="Join the discussion").fill("Signed in by my newspaper.")
        page.get_by_role("button", name="Post comment").click()
        comment(page, "Sam Ortiz").wait_for()
        page.reload()  # the token is used once (its jti is spent); the session it gave stays
        page.get_by_text("Signed in as Sam Ortiz", exact=True).wait_for()
        assert page.get_by_role("textbox", name="Your name").count() == 0


def test_demo_newspaper_same_origin_under_its_content_security_policy(stack, browser):
    from agora.demo import content

    run_agora(stack["env"], "demo", "--no-serve")
    story = content.STORIES[0]
    with browser_page(browser) as page:
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"{stack['agora']}/news/{story.slug}")
        page.get_by_role("textbox", name="Join the discussion").wait_for()
        assert page.locator("#agora-comments .static-thread").count() == 0  # the fallback gave way
        assert page.locator("ol.th > li").count() >= 2
        assert not [e for e in errors if "Content Security Policy" in e]
