"""Cross-origin rules: CORS only for allowed origins, every call checks its site's origins,
strict CSP and framing rules on Agora's own pages."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from agora.accounts.models import SiteAuthSettings, User
from agora.comments.models import Article, Comment, Site, Vote
from tests.accounts.helpers import call, post_comment, user_token

pytestmark = pytest.mark.django_db
EVIL = "https://evil.example"


@pytest.fixture
def other_site(db):
    return Site.objects.create(slug="gazette", name="Gazette", allowed_origins=["https://gazette.example"])


def test_unknown_origins_get_no_cors_headers(client, site):
    allowed = client.options("/api/v1/threads", HTTP_ORIGIN="https://news.example",
                             HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert allowed["Access-Control-Allow-Origin"] == "https://news.example"
    assert "X-Agora-Reader" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in allowed  # no ambient credentials, ever
    for path in ("/api/v1/threads", "/api/v1/auth/me"):
        response = client.options(path, HTTP_ORIGIN=EVIL, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
        assert "Access-Control-Allow-Origin" not in response
        get = client.get(path, HTTP_ORIGIN=EVIL)
        assert "Access-Control-Allow-Origin" not in get


def test_every_site_call_checks_the_sites_origins(client, site, other_site, article_url):
    token = user_token(client, site.slug, "ada@example.org")
    comment_id = post_comment(client, site.slug, article_url, "mine", token=token).json()["comment"]["id"]
    counts_before = (User.objects.count(), Comment.objects.count(), Vote.objects.count())
    SiteAuthSettings.objects.create(site=site, sso_secret="s" * 32)
    now = int(time.time())
    sso_token = jwt.encode({"sub": "1", "name": "N", "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex},
                           "s" * 32, algorithm="HS256")
    # The origin of another site (allowed for CORS in general) may not act on this site.
    for origin in (EVIL, "https://gazette.example"):
        attempts = [
            ("GET", f"/threads?site={site.slug}&url={article_url}", None),
            ("POST", "/comments", {"site": site.slug, "url": article_url, "body": "x", "author_name": "x"}),
            ("PATCH", f"/comments/{comment_id}", {"body": "changed"}),
            ("DELETE", f"/comments/{comment_id}", None),
            ("POST", f"/comments/{comment_id}/votes", {"value": 1}),
            ("POST", "/counts", {"site": site.slug, "urls": [article_url]}),
            ("POST", "/auth/signup", {"site": site.slug, "email": "e@example.org",
                                      "password": "long enough password 1", "display_name": "E"}),
            ("POST", "/auth/login", {"site": site.slug, "email": "ada@example.org", "password": "x"}),
            ("POST", "/auth/sso", {"site": site.slug, "token": sso_token}),
        ]
        for method, path, body in attempts:
            response = call(client, method, path, body, token=token, origin=origin)
            assert response.status_code == 403, (origin, method, path, response.content)
            assert response.json()["code"] == "origin_not_allowed"
    assert (User.objects.count(), Comment.objects.count(), Vote.objects.count()) == counts_before
    assert Comment.objects.get().body == "mine"


def test_sitewide_account_calls_refuse_unknown_origins(client, site):
    token = user_token(client, site.slug, "ada@example.org")
    for method, path in (("GET", "/auth/me"), ("GET", "/auth/me/export"), ("DELETE", "/auth/me"),
                         ("POST", "/auth/logout")):
        response = call(client, method, path, token=token, origin=EVIL)
        assert response.status_code == 403, (method, path)
    assert User.objects.get().deletion_requested_at is None
    assert call(client, "GET", "/auth/me", token=token).json()["user"] is not None


def test_unknown_site(client, db, article_url):
    response = post_comment(client, "no-such-site", article_url, "hello")
    assert response.status_code == 404 and response.json()["code"] == "site_not_found"
    assert not Article.objects.exists()


def test_own_pages_send_a_strict_policy(client, site):
    Site.objects.create(slug="demo", name="Demo", allowed_origins=["https://demo-news.example"])
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"].split() == ["'self'", "https://demo-news.example"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_api_answers_carry_a_policy_that_allows_nothing(client, site, article_url):
    data = client.get(f"/api/v1/threads?site=chronicle&url={article_url}")
    assert data["Content-Type"] == "application/json"
    assert data["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    # The browsable API docs are a page: they keep the pages' policy.
    docs = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "default-src 'self'" in docs


@pytest.mark.parametrize("path", ["/admin/login/", "/accounts/login/"])
def test_private_pages_cannot_be_framed(client, path):
    response = client.get(path)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_malformed_origins_never_reach_the_policy(client, site):
    Site.objects.create(slug="demo", name="Odd", allowed_origins=["https://ok.example; script-src *"])
    from agora.comments.cors import forget_allowed_origins

    forget_allowed_origins()
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src *" not in policy and "ok.example;" not in policy


def test_nul_characters_never_reach_the_database(client, site, article_url):
    response = client.get(f"/api/v1/threads?site={site.slug}%00&url={article_url}")
    assert response.status_code == 200
    raw = ('{"site": "chronicle\\u0000", "url": "URL", "body": "hi\\u0000 there", '
           '"author_name": "N\\u0000ame"}').replace("URL", article_url)
    posted = client.post("/api/v1/comments", raw, content_type="application/json",
                         HTTP_ORIGIN="https://news.example")
    assert posted.status_code == 201, posted.content
    comment = Comment.objects.get()
    assert (comment.author_name, comment.body) == ("Name", "hi there")
