"""Framing, transport and API-contract rules at the edge: who may frame a reader page, HSTS
behind HTTPS, oversized and mistyped bodies."""

from __future__ import annotations

import json

import pytest

from agora.comments.models import Site

pytestmark = pytest.mark.django_db


def _frame_ancestors(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["frame-ancestors"].split()


def test_reader_pages_are_framable_only_by_their_own_sites_origins(client, site):
    # `site` (chronicle) allows https://news.example; the demo newspaper's site allows its own.
    Site.objects.create(slug="demo", name="Demo", allowed_origins=["https://demo-news.example/"])
    for path in ("/", "/news/harbour-bridge-vote"):
        response = client.get(path)
        assert response.status_code == 200
        assert _frame_ancestors(response) == ["'self'", "https://demo-news.example"], path
        assert "https://news.example" not in response["Content-Security-Policy"]


def test_a_page_of_no_site_is_framable_by_agora_only(client, site):
    response = client.get("/")  # no demo site: no site's origins at all
    assert _frame_ancestors(response) == ["'self'"]


def _headers_under(tmp_path, public_url: str, path: str = "/embed.js") -> dict[str, str]:
    """Response headers of a request made in a fresh process configured with `public_url`
    (settings are read once, at start-up, as in production)."""
    import os
    import subprocess
    import sys

    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        f"response = Client().get({path!r}, secure=True)\n"
        "print(json.dumps(dict(response.headers)))\n"
    )
    env = {**os.environ, "AGORA_PUBLIC_URL": public_url, "AGORA_DATA_DIR": str(tmp_path),
           "AGORA_SECRET_KEY": "k" * 50, "AGORA_ALLOWED_HOSTS": "testserver",
           "DJANGO_SETTINGS_MODULE": "agora.settings"}
    env.pop("AGORA_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_hsts_when_the_public_url_is_https(tmp_path):
    headers = _headers_under(tmp_path, "https://comments.example")
    assert headers["Strict-Transport-Security"] == "max-age=31536000"


def test_no_hsts_over_plain_http(tmp_path):
    assert "Strict-Transport-Security" not in _headers_under(tmp_path, "http://127.0.0.1:8000")


def test_an_oversized_body_answers_413_in_the_error_shape(client, site, article_url, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"site": "chronicle", "url": article_url, "author_name": "A", "body": "x" * 2000})
    response = client.post("/api/v1/comments", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "payload_too_large",
                               "message": "The request body is larger than 1,024 bytes."}


def test_pages_keep_djangos_own_400(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = client.post("/accounts/login/", {"username": "x" * 50, "password": "y"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
def test_a_json_endpoint_refuses_another_media_type(client, site, article_url, content_type):
    from agora.comments.models import Comment

    body = json.dumps({"site": "chronicle", "url": article_url, "author_name": "A", "body": "hello"})
    response = client.generic("POST", "/api/v1/comments", body, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["message"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/merge-patch+json"])
def test_json_media_types_are_accepted(client, site, article_url, content_type):
    body = json.dumps({"site": "chronicle", "url": article_url, "author_name": "A", "body": "hello"})
    response = client.generic("POST", "/api/v1/comments", body, content_type=content_type)
    assert response.status_code == 201, response.content


def test_metrics_are_refused_to_the_public(client, db):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"agora_http_requests_total" not in response.content


def test_metrics_answer_the_allowed_networks(client, db, settings):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 401


def test_metrics_answer_a_scraper_with_the_token(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **outside)
    assert ok.status_code == 200 and b"agora_http_requests_total" in ok.content
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-scrape-token", **outside).status_code == 401


def test_a_comment_cannot_register_an_article_off_the_sites_origins(client, site):
    from agora.comments.models import Article

    for url in ("https://evil.example/phish", "https://news.example.evil.example/x",
                "http://news.example/downgraded", "https://news.example:8443/other-port"):
        body = json.dumps({"site": "chronicle", "url": url, "author_name": "A", "body": "hello"})
        response = client.post("/api/v1/comments", body, content_type="application/json")
        assert response.status_code == 422, url
        assert response.json()["code"] == "url_not_on_site" and response.json()["field"] == "url"
    assert not Article.objects.exists()
    own = json.dumps({"site": "chronicle", "url": "https://NEWS.example/2026/fine", "author_name": "A",
                      "body": "hello"})
    assert client.post("/api/v1/comments", own, content_type="application/json").status_code == 201


def test_permalinks_never_redirect_off_the_sites_origins(client, site):
    from django.utils import timezone

    from agora.comments.models import Article, Comment

    def comment_on(url: str) -> Comment:
        article = Article.objects.create(site=site, url=url)
        return Comment.objects.create(site=site, article=article, body="x", body_html="<p>x</p>",
                                      author_name="A", status="approved", path="", depth=0,
                                      created_at=timezone.now())

    stored_before_the_check = comment_on("https://evil.example/phish")
    response = client.get(f"/c/{stored_before_the_check.pk}")
    assert response.status_code == 404 and "Location" not in response
    own = comment_on("https://news.example/2026/story")
    response = client.get(f"/c/{own.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"https://news.example/2026/story#agora-comment-{own.pk}"
